/**
 * What the health checker offers the rest of the engine. The data plane depends only on
 * `RoutingHealth` (and the event type); the model only on `HealthView` (model/types.ts).
 */
import type {InstanceHealth} from '../model/types.js'

/** Envoy's HealthTransition: what one probe result did to a target's state. */
export type HealthTransition = 'Unchanged' | 'Changed' | 'ChangePending'

/** Why a target's routability changed (for logs and for the data plane's connection handling). */
export type HealthChangeKind =
  /** Probes decided (InService ⇄ OutOfService), or the instance stopped/started/left an enabled AZ. */
  | 'health'
  /** Deregistered with connection draining on: no new traffic; existing connections may finish until `drainingUntil`. */
  | 'draining-started'
  /** Draining is over (timeout reached or finished early): close whatever is left. */
  | 'draining-ended'
  /** Deregistered without draining (or the load balancer was deleted): close its connections now. */
  | 'removed'
  /** A probe passed for an instance the data plane reported unreachable (it may route to it again). */
  | 'probe-passed'

export interface HealthChangeEvent {
  readonly kind: HealthChangeKind
  readonly region: string
  readonly loadBalancerName: string
  readonly instanceId: string
  /** Whether new requests/connections may go to this instance now. */
  readonly routable: boolean
  readonly health: InstanceHealth
  /** Epoch ms at which remaining connections must be closed (only for `draining-started`). */
  readonly drainingUntil?: number
}

export type HealthChangeListener = (event: HealthChangeEvent) => void

/** The data plane's view of health. */
export interface RoutingHealth {
  /** True only for a registered instance that is InService, running and in an enabled AZ (not draining). */
  isRoutable(region: string, loadBalancerName: string, instanceId: string): boolean
  /** Called on every change of routability or draining; returns an unsubscribe function. */
  onChange(listener: HealthChangeListener): () => void
  /**
   * The data plane tells us the last connection of a draining instance has finished: draining
   * ends early (DescribeInstanceHealth then says the instance is no longer registered).
   */
  finishDraining(region: string, loadBalancerName: string, instanceId: string): void
  /**
   * The data plane could not connect to the instance (refused, reset, connect timeout) and stopped
   * routing to it (passive outlier detection): the next passing probe is announced as a
   * `probe-passed` event. DescribeInstanceHealth is not affected.
   */
  reportUnreachable(region: string, loadBalancerName: string, instanceId: string): void
}

/** Injected time, so the state machine and scheduler are testable without sleeping. */
export interface Clock {
  now(): number
  setTimeout(callback: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

export interface TimerHandle {
  readonly id: unknown
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms)
    timer.unref()
    return {id: timer}
  },
  clearTimeout: (handle) => { clearTimeout(handle.id as NodeJS.Timeout); },
}

/** One probe: resolves true for a healthy answer within the timeout, never rejects. */
export type Probe = (target: ProbeTarget, timeoutMs: number) => Promise<ProbeResult>

export interface ProbeTarget {
  readonly protocol: 'TCP' | 'SSL' | 'HTTP' | 'HTTPS'
  /** The registered private IP of the instance. */
  readonly host: string
  /** Already mapped through localPort(). */
  readonly port: number
  /** HTTP/HTTPS only: path with query, starting with `/`. */
  readonly path?: string
}

export interface ProbeResult {
  readonly ok: boolean
  /** Human-readable reason for a failure (logged, never on the wire). */
  readonly detail?: string
}
