/**
 * Registrations that hold an address their instance no longer has: an EC2-Classic instance that is
 * stopped and started again comes back on a new private IP, and every load balancer it was
 * registered with keeps probing and routing to the old one until it is registered again (the ELB
 * developer guide's warning). `elb-local start-instances` and the engine log both name them.
 */
import type {RegionState} from '../types.js'

export interface StaleRegistration {
  readonly loadBalancerName: string
  readonly instanceId: string
  /** The address the load balancer holds: the instance's address when it was registered. */
  readonly registeredIp: string
  /** Where the instance runs now. */
  readonly currentIp: string
}

/** The named instances' stale registrations, in load-balancer order (linear in the registrations). */
export function staleRegistrations(region: RegionState, instanceIds: readonly string[]): StaleRegistration[] {
  const wanted = new Set(instanceIds)
  const running = new Map(region.instances
    .filter((instance) => wanted.has(instance.instanceId) && instance.state === 'running')
    .map((instance) => [instance.instanceId, instance.privateIp]))
  const stale: StaleRegistration[] = []
  for (const lb of region.loadBalancers) {
    for (const registration of lb.instances) {
      const currentIp = running.get(registration.instanceId)
      if (currentIp === undefined || currentIp === registration.privateIp) continue
      stale.push({loadBalancerName: lb.name, instanceId: registration.instanceId, registeredIp: registration.privateIp, currentIp})
    }
  }
  return stale
}

/** What brings the load balancer to the instance's new address: deregister it, then register it again. */
export function staleRegistrationCommands(loadBalancerName: string, instanceId: string): string {
  return `elb-deregister-instances-from-lb ${loadBalancerName} --instances ${instanceId}, then ` +
    `elb-register-instances-with-lb ${loadBalancerName} --instances ${instanceId}`
}
