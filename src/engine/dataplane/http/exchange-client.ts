import type {Socket} from 'node:net'
import type {Backend} from '../backends/backend.js'
import type {ListenerConfig} from '../config.js'
import type {BackendConnection} from '../upstream/pool.js'

/**
 * The two narrow interfaces an `HttpExchange` works through, so it can run (and be tested) alone:
 * `ExchangeClient` towards the client connection (implemented by `FrontConnection`) and
 * `ExchangeUpstream` towards the instances (implemented by `ListenerUpstream`). Neither side
 * edits the other's fields: the exchange reports its end through the client's `onExchange*`
 * methods, and the client tells the exchange what happened to it (`onClientEnd`, `onClientTimeout`).
 */
export interface ExchangeClient {
  /** Only for the observers' record (remote address, TLS details). */
  readonly socket: Socket
  readonly clientIp: string
  readonly clientPort: number
  /** The LB node (zone) the client connection landed on. */
  readonly node: string
  /** HTTP/0.9 client: answers carry the bare body. */
  readonly http09: boolean
  write(data: Buffer | string, callback?: () => void): boolean
  cork(): void
  uncork(): void
  pauseReading(): void
  /** Resume reading the client unless too much is queued. */
  resumeReading(): void
  isReadingPaused(): boolean
  enqueue(chunk: Buffer): void
  takeQueue(): Buffer | undefined
  /** The cached `X-Forwarded-*` suffix for unchanged heads. */
  forwardedLines(minor: 0 | 1): Buffer
  /** The exchange is answered: serve what comes next or close. */
  onExchangeDone(exchange: ExchangeEnding, requestComplete: boolean): void
  /** The exchange failed before any response byte: answer with the LB's `status`. */
  onExchangeFailed(exchange: ExchangeEnding, status: number): void
  /** The exchange cannot go on and has no answer to give: end the client connection. */
  onExchangeAborted(): void
}

/** What the client connection reads from an exchange that ended. */
export interface ExchangeEnding {
  /** The client connection closes after this exchange. */
  readonly closeAfter: boolean
  /** Part of the request body was never read (the connection cannot be reused). */
  readonly requestIncomplete: boolean
}

export type ConnectionDone = (error: Error | undefined, connection: BackendConnection | undefined) => void

/** Where a request goes (router.ts) and where it goes after a failed connect. */
export interface Route {
  readonly backend: Backend
  /** No usable stickiness cookie came with the request: the response inserts one. */
  readonly stickyInsert: boolean
}

/** The exchange's way to instances: one per listener, shared by its exchanges (no per-request object). */
export interface ExchangeUpstream {
  /** The listener's current configuration snapshot. */
  readonly config: ListenerConfig
  /** The LB node address (Host for HTTP/1.0 requests without one). */
  readonly address: string
  readonly region: string
  readonly loadBalancerName: string
  /** An idle pooled connection to `backend`, ready for a request, or undefined when there is none. */
  idleConnection(backend: Backend): BackendConnection | undefined
  /** A new connection to `backend` (it joins the pool), passed to `done`. */
  connect(backend: Backend, done: ConnectionDone): void
  /** Connecting to `backend` failed (nothing sent): report it and, if `mayRedispatch`, the back end to try instead. */
  connectFailed(backend: Backend, error: Error | undefined, node: string, mayRedispatch: boolean): Route | undefined
  /** The `AWSELB` cookie value that routes back to `backend` through this listener. */
  stickyCookie(backend: Backend | undefined): string
}

/** Where an exchange is (its own timers and endings read it). */
export const enum ExchangePhase {
  /** Routed; waiting for a back-end connection. */
  Connecting,
  /** Relaying the request body. */
  Body,
  /** Request sent; waiting for the response to finish. */
  Awaiting,
  Done,
}
