import type {Instance, InstanceState as InstanceStateOutput} from '@aws-sdk/client-elastic-load-balancing'
import {InvalidInstance} from '../errors.js'
import type {HealthView, InstanceHealth, InstanceRecord, LoadBalancerRecord, RegisteredInstance} from '../types.js'
import {DEREGISTRATION_IN_PROGRESS, NOT_REGISTERED, registeredInstanceHealth} from './health-state.js'
import {messages} from './messages.js'
import {required} from './validation.js'

export {HEALTH_DESCRIPTIONS} from './health-state.js'

interface HealthContext {
  readonly region: string
  readonly lb: LoadBalancerRecord
  /** The region's instance registry. */
  readonly registry: readonly InstanceRecord[]
  readonly health: HealthView
}

/**
 * DescribeInstanceHealth. Without `requested`: every registered instance in registration order,
 * then the deregistered ones still draining. With it: each id asked for, even if no longer
 * registered; terminated instances that are not registered are left out ("the state of terminated
 * instances is not returned"); an id the engine has never known, or an instance this load balancer
 * has never had registered, is InvalidInstance.
 */
export function describeInstanceStates(context: HealthContext, requested?: readonly Instance[]): InstanceStateOutput[] {
  const index = indexOf(context)
  if (requested === undefined) {
    const ids = context.lb.instances.map((i) => i.instanceId)
    for (const id of index.draining) if (!index.registrations.has(id)) ids.push(id)
    return ids.map((id) => stateOutput(id, stateOf(context, index, id)))
  }
  const ids = [...new Set(requested.map((instance, index) => required(instance.InstanceId, `instances.member.${index + 1}.instanceId`)))]
  for (const id of ids) {
    if (index.registrations.has(id) || index.draining.has(id)) continue
    const instance = index.registry.get(id)
    if (instance === undefined) throw new InvalidInstance(messages.couldNotFindInstance(id))
    // An instance this load balancer has never had is not a "no longer registered" one: AWS answers
    // InvalidInstance (getmoto/moto#1751). The checker remembers past registrations (`NOT_REGISTERED`).
    const everRegistered = context.health.instanceHealth(context.region, context.lb.name, id) !== undefined
    if (!everRegistered && instance.state !== 'terminated') throw new InvalidInstance(messages.endpointNotValid)
  }
  return ids
    .filter((id) => index.registrations.has(id) || index.registry.get(id)?.state !== 'terminated')
    .map((id) => stateOutput(id, stateOf(context, index, id)))
}

/** Lookups by instance id, built once per call so the answer is linear in the instances asked about. */
interface HealthIndex {
  readonly registrations: ReadonlyMap<string, RegisteredInstance>
  readonly registry: ReadonlyMap<string, InstanceRecord>
  readonly draining: ReadonlySet<string>
  readonly zones: ReadonlySet<string>
}

function indexOf(context: HealthContext): HealthIndex {
  return {
    registrations: new Map(context.lb.instances.map((i) => [i.instanceId, i])),
    registry: new Map(context.registry.map((i) => [i.instanceId, i])),
    draining: new Set(context.health.drainingInstances(context.region, context.lb.name)),
    zones: new Set(context.lb.availabilityZones),
  }
}

function stateOf(context: HealthContext, index: HealthIndex, id: string): InstanceHealth {
  const registration = index.registrations.get(id)
  if (registration === undefined) return index.draining.has(id) ? DEREGISTRATION_IN_PROGRESS : NOT_REGISTERED
  // An instance that has left the registry altogether is gone: terminated.
  const ec2State = index.registry.get(id)?.state ?? 'terminated'
  const zoneEnabled = index.zones.has(registration.availabilityZone)
  const probed = ec2State === 'running' && zoneEnabled ? context.health.instanceHealth(context.region, context.lb.name, id) : undefined
  return registeredInstanceHealth(ec2State, zoneEnabled, probed)
}

function stateOutput(id: string, health: InstanceHealth): InstanceStateOutput {
  return {InstanceId: id, State: health.state, ReasonCode: health.reasonCode, Description: health.description}
}
