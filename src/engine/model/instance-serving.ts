/**
 * Which demo back ends a running stand-in instance serves. An instance launched with an explicit
 * list (the `elb-local:serve` tag, `elb-local run-instances --serve`) serves exactly that list. One
 * launched without (Terraform, Ansible, boto3, `run-instances` alone) serves what the load balancers
 * it is registered with send it: each listener's InstancePort in the listener's instance protocol,
 * and each health-check target port no listener already covers. Derived from the snapshot alone.
 */
import {healthCheckTarget} from './elb/health-check.js'
import {MAX_SERVE_PORTS} from './instance-service.js'
import type {InstanceRecord, LoadBalancerRecord, Protocol, RegionState, ServeProtocol, ServeSpec} from './types.js'

/**
 * HTTP and TCP instance protocols get plain HTTP (a TCP listener relays a client's HTTP to it, and
 * a TCP health check only connects); HTTPS and SSL get HTTP over TLS with the instance's own
 * certificate. See docs/decisions.md, "Instances serve what their load balancers send them".
 */
export function serveProtocolFor(protocol: Protocol): ServeProtocol {
  return protocol === 'HTTPS' || protocol === 'SSL' ? 'https' : 'http'
}

/** The ports each instance of `region` is sent to, by instance id: listeners first, then health checks, at most MAX_SERVE_PORTS each. */
export function portsSentTo(region: RegionState): ReadonlyMap<string, readonly ServeSpec[]> {
  const sent = new Map<string, ServeSpec[]>()
  const add = (loadBalancer: LoadBalancerRecord, spec: ServeSpec) => {
    for (const {instanceId} of loadBalancer.instances) {
      let specs = sent.get(instanceId)
      if (specs === undefined) sent.set(instanceId, specs = [])
      // One back end per port: the first load balancer (in creation order) to name a port decides its protocol.
      if (specs.length < MAX_SERVE_PORTS && !specs.some((taken) => taken.port === spec.port)) specs.push(spec)
    }
  }
  for (const loadBalancer of region.loadBalancers) {
    if (loadBalancer.instances.length === 0) continue
    for (const listener of loadBalancer.listeners) {
      add(loadBalancer, {protocol: serveProtocolFor(listener.instanceProtocol), port: listener.instancePort})
    }
  }
  for (const loadBalancer of region.loadBalancers) {
    if (loadBalancer.instances.length === 0) continue
    const target = healthCheckTarget(loadBalancer.healthCheck.target)
    if (target !== undefined) add(loadBalancer, {protocol: serveProtocolFor(target.protocol), port: target.port})
  }
  return sent
}

/** What `instance` serves: its explicit list, else the ports its load balancers send it (`sent`, from portsSentTo). */
export function servedPorts(instance: InstanceRecord, sent: ReadonlyMap<string, readonly ServeSpec[]>): readonly ServeSpec[] {
  return instance.serve.length > 0 ? instance.serve : sent.get(instance.instanceId) ?? []
}
