import type {HealthSource} from '../health/types.js'
import type {SecurityGroupGate} from './upstream/security-groups.js'
import type {BackendFailure} from './backend-failures.js'
import type {ConnectionLimits} from './connection-limits.js'
import type {ObserverFactory} from './observer.js'

/**
 * The data plane's narrow view of its neighbours and what it reports back.
 *
 * The data plane never calls model services: it reads immutable `EngineState` snapshots (via
 * `DataPlane.apply`) and is told routability by the health checker (`HealthSink`).
 */

/** How the health checker tells the data plane: the contract lives with it. */
export type {HealthChangeEvent, HealthSink, HealthSource} from '../health/types.js'

/** Minimal structured logger (the runtime passes its own; tests may pass a collecting one). */
export interface DataPlaneLog {
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

export interface DataPlaneOptions {
  /** The data plane connects itself as this source's sink. */
  readonly health: HealthSource
  /** Privileged ports (< 1024) are bound and dialled as `port + portOffset` (see `ports.ts`). */
  readonly portOffset: number
  /** Engine home; access logs go to `<stateDir>/access-logs/`. Optional in unit tests. */
  readonly stateDir?: string
  /** A structured logger, or the runtime's line logger. */
  readonly log?: DataPlaneLog | ((line: string) => void)
  /**
   * Multiplies every ELB-configured duration (idle timeout, draining timeout) so tests and demos
   * can run faster than real time. 1 = real time; 0.01 = a 60 s idle timeout lasts 0.6 s.
   */
  readonly timeScale?: number
  /**
   * Called once for each load balancer when it starts running: the exchange observer (e.g. live
   * metrics) that sees every request and TCP/SSL connection of that LB, or undefined for none.
   */
  readonly observe?: ObserverFactory
  /**
   * Called when an instance cannot be used for a request or connection (refused, unreachable,
   * TLS, back-end authentication): only on that failure path, so working traffic pays nothing.
   */
  readonly onBackendFailure?: (failure: BackendFailure) => void
  /** Caps on client connections (engine-wide, per listener); defaults follow the descriptor limit. */
  readonly connectionLimits?: Partial<ConnectionLimits>
  /** Security groups on the traffic path (upstream/security-groups.ts), applied by the engine; none: nothing filtered. */
  readonly securityGroups?: SecurityGroupGate
}

export type ListenerState = 'bound' | 'error'

/** One row of `DataPlane.listenerStatus()`. */
export interface ListenerStatus {
  readonly region: string
  readonly loadBalancerName: string
  readonly protocol: string
  readonly loadBalancerPort: number
  readonly address: string
  /** The port actually bound (after the privileged-port offset). */
  readonly localPort: number
  readonly state: ListenerState
  /** Present when `state` is `error`: why the listener is not serving, with the remedy. */
  readonly error?: string
  /**
   * HTTPS/SSL: what the negotiation policy enables that this engine's OpenSSL cannot offer (SSLv3,
   * RC4, 3DES, …). The policy is valid on AWS, so this is reported here, never as an API error.
   */
  readonly notOffered?: readonly string[]
  /** Client connections open now (absent when none). */
  readonly openConnections?: number
  /** Client connections refused because a connection cap was reached (absent when none). */
  readonly refusedConnections?: number
}

/** Instances deregistered while connection draining is enabled, still finishing requests. */
export interface DrainingView {
  drainingInstances(region: string, loadBalancerName: string): readonly string[]
}
