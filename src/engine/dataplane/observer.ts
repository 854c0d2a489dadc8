import type {Socket} from 'node:net'
import type {ListenerConfig} from './config.js'
import type {RequestHead} from './http/parse.js'

/**
 * The exchange observer: how per-request features (access logs, metrics, tracing) see traffic
 * without living in the proxy code. Every HTTP request and every TCP/SSL connection that ends
 * reports one `ExchangeRecord` to the observers of its load balancer.
 *
 * Observers are part of the listener's immutable `Observation` snapshot (swapped whole when the
 * set changes), so a load balancer without observers takes no timestamps and builds no records.
 * An observer runs on the request path: it must be cheap, must not throw (a throw ends the
 * client connection), and must not keep the record's `client` socket or `request` beyond the call.
 */

/** Who produced the status the client saw. */
export type ExchangeOrigin = 'elb' | 'backend'

export interface ExchangeRecord {
  readonly region: string
  readonly loadBalancerName: string
  /** The Availability Zone of the LB node the client connection landed on ('' when the LB has no zone). */
  readonly zone: string
  /** The listener (protocol, ports) the client came through. */
  readonly listener: ListenerConfig
  /** The client's connection (remote address, TLS cipher/protocol). */
  readonly client: Socket
  /** The client's address without the `::ffff:` prefix. */
  readonly clientAddress: string
  readonly clientPort: number
  /** The instance chosen, or undefined when none was (no healthy instance, bad request). */
  readonly instanceId: string | undefined
  readonly instanceHost: string | undefined
  /** HTTP/HTTPS only: the parsed request head (has `headers` when an observer `needsHeaders`). */
  readonly request: RequestHead | undefined
  /** HTTP status the client received; 0 for TCP/SSL and for exchanges that ended without one. */
  readonly status: number
  /** `backend`: the instance's answer was relayed; `elb`: the load balancer answered (or closed). */
  readonly origin: ExchangeOrigin
  /** The exchange ended without a complete answer (a connection reset or truncated response). */
  readonly aborted: boolean
  /** Why no connection to the instance could be used (refused, unreachable, TLS, timeout). */
  readonly backendError: Error | undefined
  /** `performance.now()` milliseconds; `forwardedAt`/`respondedAt` are 0 when never reached. */
  readonly startedAt: number
  readonly forwardedAt: number
  readonly respondedAt: number
  readonly endedAt: number
  /** Body bytes from the client (HTTP) or all bytes (TCP) / to the client. */
  readonly receivedBytes: number
  readonly sentBytes: number
}

export interface ExchangeObserver {
  /** True when the observer reads request headers (Host, User-Agent): the proxy then parses them. */
  readonly needsHeaders: boolean
  onExchangeComplete(record: ExchangeRecord): void
  /**
   * The load balancer's surge queue changed length (a request queued, admitted or gone), or a
   * request spilled over because it was full (`spilled`; its 503 is also an ExchangeRecord). `zone`:
   * the LB node of that request, `zoneLength` the requests of that node in the queue.
   */
  onSurgeQueue?(length: number, spilled: boolean, zone: string, zoneLength: number): void
}

/** The observers of one load balancer, as one immutable value. */
export interface Observation {
  readonly observers: readonly ExchangeObserver[]
  readonly needsHeaders: boolean
}

export const NO_OBSERVATION: Observation = Object.freeze({observers: Object.freeze([]), needsHeaders: false})

export function observationOf(observers: readonly (ExchangeObserver | undefined)[]): Observation {
  const list = observers.filter((o): o is ExchangeObserver => o !== undefined)
  if (list.length === 0) return NO_OBSERVATION
  return Object.freeze({observers: Object.freeze(list), needsHeaders: list.some(o => o.needsHeaders)})
}

/** Hand a record to every observer. */
export function report(observation: Observation, record: ExchangeRecord): void {
  for (const observer of observation.observers) observer.onExchangeComplete(record)
}

/** Tell every observer the surge queue's length (and whether a request through `zone`'s node just spilled over). */
export function reportSurge(observation: Observation, length: number, spilled: boolean, zone: string, zoneLength: number): void {
  for (const observer of observation.observers) observer.onSurgeQueue?.(length, spilled, zone, zoneLength)
}

/** Which load balancer a new observer is for (see `DataPlaneOptions.observe`). */
export interface ObservedLoadBalancer {
  readonly region: string
  readonly loadBalancerName: string
}

/** Makes the observer for a load balancer when it starts running, or undefined for none. */
export type ObserverFactory = (lb: ObservedLoadBalancer) => ExchangeObserver | undefined
