/**
 * The health state machine of one (load balancer, registered instance) pair: consecutive probe
 * passes and failures counted against HealthyThreshold / UnhealthyThreshold (HAProxy rise/fall,
 * Envoy's active health checker). Pure: no timers, no sockets.
 */
import {HEALTH_DESCRIPTIONS, REGISTRATION_IN_PROGRESS} from '../model/elb/health-state.js'
import type {InstanceHealth} from '../model/types.js'
import type {HealthTransition} from './types.js'

export type CounterStatus = 'Registering' | 'InService' | 'OutOfService'

export interface Thresholds {
  readonly healthy: number
  readonly unhealthy: number
}

export interface CounterOptions {
  /**
   * A newly registered instance goes InService on its first successful probe ("Your instance is
   * not InService until one health check succeeds"); HealthyThreshold then applies only after it
   * was declared unhealthy. Off: a new instance needs HealthyThreshold passes too.
   */
  readonly firstSuccessEnough: boolean
}

/** The texts the counter answers with (owned by the model: `model/elb/health-state.ts`). */
export const DESCRIPTIONS = {
  healthy: HEALTH_DESCRIPTIONS.healthy,
  failedChecks: HEALTH_DESCRIPTIONS.failedChecks,
  notYetHealthy: HEALTH_DESCRIPTIONS.notYetHealthy,
  registering: HEALTH_DESCRIPTIONS.registrationInProgress,
} as const

export class HealthCounter {
  private state: CounterStatus = 'Registering'
  private passes = 0
  private failures = 0

  constructor(private thresholds: Thresholds, private readonly options: CounterOptions) {}

  get status(): CounterStatus {
    return this.state
  }

  /** ConfigureHealthCheck: new thresholds count from the next result; counters are kept. */
  setThresholds(thresholds: Thresholds): void {
    this.thresholds = thresholds
  }

  onResult(ok: boolean): HealthTransition {
    if (ok) {
      this.failures = 0
      this.passes++
      if (this.state === 'InService') return 'Unchanged'
      const needed = this.state === 'Registering' && this.options.firstSuccessEnough ? 1 : this.thresholds.healthy
      if (this.passes >= needed) return this.become('InService')
      return 'ChangePending'
    }
    this.passes = 0
    this.failures++
    if (this.state === 'OutOfService') return 'Unchanged'
    if (this.failures >= this.thresholds.unhealthy) return this.become('OutOfService')
    return 'ChangePending'
  }

  /** The instance stopped (or similar): it is out of service and must earn HealthyThreshold again. */
  markDown(): HealthTransition {
    this.passes = 0
    this.failures = this.thresholds.unhealthy
    return this.state === 'OutOfService' ? 'Unchanged' : this.become('OutOfService')
  }

  /** DescribeInstanceHealth for a running instance in an enabled zone. */
  health(): InstanceHealth {
    switch (this.state) {
      case 'InService':
        return {state: 'InService', reasonCode: 'N/A', description: DESCRIPTIONS.healthy}
      case 'Registering':
        return REGISTRATION_IN_PROGRESS
      case 'OutOfService':
        return {
          state: 'OutOfService',
          reasonCode: 'Instance',
          description: this.passes > 0 ? DESCRIPTIONS.notYetHealthy : DESCRIPTIONS.failedChecks,
        }
    }
  }

  private become(state: CounterStatus): HealthTransition {
    this.state = state
    return 'Changed'
  }
}
