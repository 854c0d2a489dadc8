import type {Socket} from 'node:net'
import type {ListenerContext} from '../listener-context.js'

/**
 * The narrow interface between an exchange and the client connection it serves (implemented by
 * `FrontConnection`): writes, read flow control, the pipelining queue, and the two endings.
 */
export interface ExchangeClient {
  readonly ctx: ListenerContext
  /** Only for the observers' record (remote address, TLS details). */
  readonly socket: Socket
  readonly clientIp: string
  readonly clientPort: number
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
  /** The exchange is answered (or failed with an LB status): serve what comes next or close. */
  exchangeDone(exchange: ExchangeEnding, requestComplete: boolean): void
  exchangeFailed(exchange: ExchangeEnding, status: number): void
  /** End the client connection without an answer. */
  abort(): void
}

/** What the client connection reads from an exchange that ended. */
export interface ExchangeEnding {
  /** The client connection closes after this exchange. */
  readonly closeAfter: boolean
  /** Part of the request body was never read (the connection cannot be reused). */
  readonly requestIncomplete: boolean
}
