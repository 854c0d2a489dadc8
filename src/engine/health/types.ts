/**
 * What the health checker offers the rest of the engine. The data plane depends only on
 * `HealthSource`/`HealthSink` (and the event type); the model only on `HealthView` (model/types.ts).
 */
import type {ConnectionFilter} from '../dataplane/upstream/connector.js'
import type {InstanceHealth, Protocol} from '../model/types.js'

/** Envoy's HealthTransition: what one probe result did to a target's state. */
export type HealthTransition = 'Unchanged' | 'Changed' | 'ChangePending'

/** Why a target's routability changed. */
export type HealthChangeKind =
  /** Probes decided (InService ⇄ OutOfService), or the instance stopped/started/left an enabled AZ. */
  | 'health'
  /** No longer checked: deregistered, or its load balancer was deleted (connection draining, if any, is the data plane's). */
  | 'removed'
  /** A probe passed for an instance the data plane reported unreachable: it may take traffic again. */
  | 'probe-passed'

export interface HealthChangeEvent {
  readonly kind: HealthChangeKind
  readonly region: string
  readonly loadBalancerName: string
  readonly instanceId: string
  /** Whether new requests/connections may go to this instance now. */
  readonly routable: boolean
  readonly health: InstanceHealth
}

/**
 * Where the health checker pushes its verdicts: the data plane (one `Backend` per instance) and,
 * in tests, a collector. The only channel from health to traffic.
 */
export interface HealthSink {
  healthChanged(event: HealthChangeEvent): void
}

/** What the data plane needs of a health source: a way to be told. */
export interface HealthSource {
  /**
   * Push every checked target's current routability into `sink` now, then every change.
   * Returns a function that disconnects the sink.
   */
  connect(sink: HealthSink): () => void
  /**
   * Whether an instance the source has not reported on may take traffic. The health checker says
   * no (a new registration is OutOfService until a probe passes); test and benchmark sources that
   * only report failures say yes.
   */
  readonly unknownRoutable?: boolean
  /**
   * The data plane could not connect to the instance (refused, reset, connect timeout) and stopped
   * sending it traffic (passive outlier detection): announce its next passing probe to the sinks as
   * a `probe-passed` event. DescribeInstanceHealth is not affected. Sources without probes omit it.
   */
  reportUnreachable?(region: string, loadBalancerName: string, instanceId: string): void
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
  readonly protocol: Protocol
  /** The registered private IP of the instance. */
  readonly host: string
  /** Already mapped through localPort(). */
  readonly port: number
  /** HTTP/HTTPS only: path with query, starting with `/`. */
  readonly path?: string
  readonly instanceId?: string
  /** The load balancer's security groups, checked before the probe connects (none: nothing filtered). */
  readonly securityGroups?: ConnectionFilter
}

export interface ProbeResult {
  readonly ok: boolean
  /** Human-readable reason for a failure (logged, never on the wire). */
  readonly detail?: string
}
