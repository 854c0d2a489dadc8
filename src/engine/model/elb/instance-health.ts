import type {Instance, InstanceState as InstanceStateOutput} from '@aws-sdk/client-elastic-load-balancing'
import {InvalidInstance} from '../errors.js'
import type {HealthView, InstanceHealth, InstanceRecord, LoadBalancerRecord} from '../types.js'
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
  const draining = context.health.drainingInstances(context.region, context.lb.name)
  if (requested === undefined) {
    const registered = context.lb.instances.map((i) => i.instanceId)
    const ids = [...registered, ...draining.filter((id) => !registered.includes(id))]
    return ids.map((id) => stateOutput(id, stateOf(context, id, draining)))
  }
  const ids = [...new Set(requested.map((instance, index) => required(instance.InstanceId, `instances.member.${index + 1}.instanceId`)))]
  for (const id of ids) {
    const known =
      context.registry.some((i) => i.instanceId === id) || isRegistered(context.lb, id) || draining.includes(id)
    if (!known) throw new InvalidInstance(messages.couldNotFindInstance(id))
  }
  return ids
    .filter((id) => isRegistered(context.lb, id) || instanceOf(context, id)?.state !== 'terminated')
    .map((id) => stateOutput(id, stateOf(context, id, draining)))
}

function stateOf(context: HealthContext, id: string, draining: readonly string[]): InstanceHealth {
  if (!isRegistered(context.lb, id)) {
    return draining.includes(id)
      ? {state: 'InService', reasonCode: 'ELB', description: HEALTH_DESCRIPTIONS.deregistrationInProgress}
      : {state: 'OutOfService', reasonCode: 'ELB', description: HEALTH_DESCRIPTIONS.notRegistered}
  }
  const instance = instanceOf(context, id)
  // An instance that has left the registry altogether is gone: terminated.
  const ec2State = instance?.state ?? 'terminated'
  if (ec2State !== 'running') {
    return {state: 'OutOfService', reasonCode: 'Instance', description: HEALTH_DESCRIPTIONS[ec2State]}
  }
  const registration = context.lb.instances.find((i) => i.instanceId === id)
  if (registration !== undefined && !context.lb.availabilityZones.includes(registration.availabilityZone)) {
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

const isRegistered = (lb: LoadBalancerRecord, id: string) => lb.instances.some((i) => i.instanceId === id)

const instanceOf = (context: HealthContext, id: string) => context.registry.find((i) => i.instanceId === id)

function stateOutput(id: string, health: InstanceHealth): InstanceStateOutput {
  return {InstanceId: id, State: health.state, ReasonCode: health.reasonCode, Description: health.description}
}
