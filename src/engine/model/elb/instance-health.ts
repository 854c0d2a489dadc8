import type {Instance, InstanceState as InstanceStateOutput} from '@aws-sdk/client-elastic-load-balancing'
import {InvalidInstance} from '../errors.js'
import type {HealthView, InstanceHealth, InstanceRecord, LoadBalancerRecord, RegisteredInstance} from '../types.js'
import {messages} from './messages.js'
import {required} from './validation.js'

/** The Description texts of DescribeInstanceHealth (model doc, verbatim; elb-api.md §4.3). */
export const HEALTH_DESCRIPTIONS = {
  registrationInProgress: 'Instance registration is still in progress.',
  zoneNotEnabled: 'Instance is in the EC2 Availability Zone for which LoadBalancer is not configured to route traffic to.',
  notRegistered: 'Instance is not currently registered with the LoadBalancer.',
  deregistrationInProgress: 'Instance deregistration currently in progress.',
  pending: 'Instance is in pending state.',
  stopped: 'Instance is in stopped state.',
  terminated: 'Instance is in terminated state.',
} as const

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
 * instances is not returned"); an id the engine has never known is InvalidInstance.
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
    const known = index.registry.has(id) || index.registrations.has(id) || index.draining.has(id)
    if (!known) throw new InvalidInstance(messages.couldNotFindInstance(id))
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
  if (registration === undefined) {
    return index.draining.has(id)
      ? {state: 'InService', reasonCode: 'ELB', description: HEALTH_DESCRIPTIONS.deregistrationInProgress}
      : {state: 'OutOfService', reasonCode: 'ELB', description: HEALTH_DESCRIPTIONS.notRegistered}
  }
  // An instance that has left the registry altogether is gone: terminated.
  const ec2State = index.registry.get(id)?.state ?? 'terminated'
  if (ec2State !== 'running') {
    return {state: 'OutOfService', reasonCode: 'Instance', description: HEALTH_DESCRIPTIONS[ec2State]}
  }
  if (!index.zones.has(registration.availabilityZone)) {
    return {state: 'OutOfService', reasonCode: 'ELB', description: HEALTH_DESCRIPTIONS.zoneNotEnabled}
  }
  return (
    context.health.instanceHealth(context.region, context.lb.name, id) ?? {
      state: 'OutOfService',
      reasonCode: 'ELB',
      description: HEALTH_DESCRIPTIONS.registrationInProgress,
    }
  )
}

function stateOutput(id: string, health: InstanceHealth): InstanceStateOutput {
  return {InstanceId: id, State: health.state, ReasonCode: health.reasonCode, Description: health.description}
}
