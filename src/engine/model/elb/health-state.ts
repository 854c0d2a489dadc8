import type {InstanceHealth, InstanceState} from '../types.js'

/**
 * DescribeInstanceHealth's wording and precedence, in one place: the model's answer and the
 * health checker's own view (logs, `elb-local` targets) both come from here.
 */

/** The Description texts of DescribeInstanceHealth (model doc, verbatim; elb-api.md §4.3). */
export const HEALTH_DESCRIPTIONS = {
  healthy: 'N/A',
  failedChecks: 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.',
  notYetHealthy: 'Instance has not passed the configured HealthyThreshold number of health checks consecutively.',
  registrationInProgress: 'Instance registration is still in progress.',
  zoneNotEnabled: 'Instance is in the EC2 Availability Zone for which LoadBalancer is not configured to route traffic to.',
  notRegistered: 'Instance is not currently registered with the LoadBalancer.',
  deregistrationInProgress: 'Instance deregistration currently in progress.',
  pending: 'Instance is in pending state.',
  stopped: 'Instance is in stopped state.',
  terminated: 'Instance is in terminated state.',
  running: 'Instance is in running state.',
} as const

export const REGISTRATION_IN_PROGRESS: InstanceHealth = {state: 'OutOfService', reasonCode: 'ELB', description: HEALTH_DESCRIPTIONS.registrationInProgress}
export const NOT_REGISTERED: InstanceHealth = {state: 'OutOfService', reasonCode: 'ELB', description: HEALTH_DESCRIPTIONS.notRegistered}
export const DEREGISTRATION_IN_PROGRESS: InstanceHealth = {state: 'InService', reasonCode: 'ELB', description: HEALTH_DESCRIPTIONS.deregistrationInProgress}

/**
 * The health of a registered instance: its EC2 state first, then whether its zone is enabled,
 * then what the probes say (`probed`; undefined before the checker knows it → registering).
 */
export function registeredInstanceHealth(ec2State: InstanceState, zoneEnabled: boolean, probed: InstanceHealth | undefined): InstanceHealth {
  if (ec2State !== 'running') return {state: 'OutOfService', reasonCode: 'Instance', description: HEALTH_DESCRIPTIONS[ec2State]}
  if (!zoneEnabled) return {state: 'OutOfService', reasonCode: 'ELB', description: HEALTH_DESCRIPTIONS.zoneNotEnabled}
  return probed ?? REGISTRATION_IN_PROGRESS
}
