import type {Socket} from 'node:net'
import {MAX_HEAD_BYTES, MAX_QUEUED_BYTES} from '../../constants.js'
import {atCapacity, CAPACITY} from '../../faults/capacity.js'
import type {ListenerConfig} from '../config.js'
import {plainAddress, type ListenerContext} from '../listener-context.js'
import {BodyDeadline, HeadDeadline} from './deadlines.js'
import type {ExchangeClient, ExchangeEnding, ExchangeUpstream, Route} from './exchange-client.js'
import {ExchangeMeter, startMeter} from './exchange-meter.js'
import {HttpExchange} from './exchange.js'
import {RequestHeadScan, withCrlf} from './head-scan.js'
import {parseRequestHead, quickScanRequestHead, RequestRejection, type RequestHead} from './parse.js'
import {forwardedSuffix} from './passes/forwarded.js'
import {route} from './router.js'
import {SurgeWait} from './surge-wait.js'

/**
 * One client connection on an HTTP/HTTPS listener: the client-side codec. It reads and vets
 * request heads (size, HTTP/0.9, desync policy), asks the router for an instance, and runs one
 * `HttpExchange` at a time; pipelined requests wait in a queue and are served in order (Classic
 * ELB never pipelines to instances). The load balancer's own answers (400, 503, 502 …) are
 * written here.
 */

/** The load balancer's own answers (status lines as Classic ELB sends them). */
const LB_STATUS_LINES: Record<number, string> = {
  400: '400 BAD_REQUEST',
  405: '405 METHOD_NOT_ALLOWED',
  408: '408 REQUEST_TIMEOUT',
  502: '502 Bad Gateway',
  503: '503 Service Unavailable: Back-end server is at capacity',
  504: '504 GATEWAY_TIMEOUT',
}

const HTTP_09_REQUEST = /^GET \/[!-~]*$/

/**
 * After a closing answer the connection is half-closed so that unread request bytes cannot reset
 * the answer in flight, then released with a reset after a linger, whatever the client still
 * sends (before, it kept reading, and a client trickling a byte a second kept the socket for good).
 * When the load balancer gave up on the client (400, 408) the linger is short: listeners are on
 * loopback, where the answer arrives at once (HAProxy resets right after its 408). Otherwise (an
 * answer while the client may still be sending its body: 503, 502, an instance's early answer) it
 * is one idle timeout, so a client uploading at a sane rate can finish and read it (nginx's
 * `lingering_time`).
 */
const GAVE_UP_LINGER_MS = 250

const enum Phase {
  /** Waiting for (more of) a request head. */
  Head,
  /** An exchange is running (`exchange` is set). */
  Exchange,
  /** The request waits in the surge queue (`surgeWait` is set). */
  Queued,
  Closed,
}

export class FrontConnection implements ExchangeClient {
  private phase = Phase.Head
  private headBuffer: Buffer | undefined
  private readonly queue: Buffer[] = []
  private queuedBytes = 0
  readonly node: string
  readonly clientIp: string
  readonly clientPort: number
  private clientEnded = false
  /** The client speaks HTTP/0.9: no status line or headers in answers, one request per connection. */
  http09 = false
  private exchange: HttpExchange | undefined
  private surgeWait: SurgeWait | undefined
  /** `X-Forwarded-*` lines + blank line for this connection, appended to unchanged heads. */
  private forwardedCache: Buffer | undefined
  /** What `forwardedCache` was built for (the listener config, or HTTP/1.0). */
  private forwardedFor: ListenerConfig | 'keep-alive' | undefined
  /** Slow-client deadlines (deadlines.ts): armed only while a head or a body is incomplete. */
  private readonly headDeadline = new HeadDeadline()
  private bodyDeadline: BodyDeadline | undefined
  private bodyBytes = 0
  private lingerTimer: NodeJS.Timeout | undefined
  private readonly headScan = new RequestHeadScan()

  constructor(readonly socket: Socket, private readonly ctx: ListenerContext, private readonly upstream: ExchangeUpstream) {
    this.node = ctx.lb.assignNode()
    this.clientIp = plainAddress(socket.remoteAddress)
    this.clientPort = socket.remotePort ?? 0
    socket.setTimeout(ctx.lb.config.idleTimeoutMs)
    socket.on('data', (chunk: Buffer) => {
      // Inline guard on the hot path (no closure per chunk).
      try {
        this.onClientData(chunk)
      } catch {
        this.abort()
      }
    })
    socket.on('end', () => { this.guard(() => { this.onClientEnd(); }); })
    socket.on('drain', () => { this.guard(() => { this.exchange?.onClientDrain(); }); })
    socket.on('timeout', () => { this.guard(() => { this.onClientTimeout(); }); })
    socket.on('error', () => {
      // 'close' follows
    })
    socket.on('close', () => { this.onClientClose(); })
  }

  /** A bug in one exchange ends that connection, never the engine. */
  private guard(step: () => void): void {
    try {
      step()
    } catch {
      this.abort()
    }
  }

  // ---- ExchangeClient --------------------------------------------------------------------------

  write(data: Buffer | string, callback?: () => void): boolean {
    if (typeof data === 'string') return this.socket.write(data, 'latin1')
    return callback === undefined ? this.socket.write(data) : this.socket.write(data, callback)
  }

  cork(): void {
    this.socket.cork()
  }

  uncork(): void {
    this.socket.uncork()
  }

  pauseReading(): void {
    this.socket.pause()
  }

  resumeReading(): void {
    if (this.queuedBytes <= MAX_QUEUED_BYTES) this.socket.resume()
  }

  isReadingPaused(): boolean {
    return this.socket.isPaused()
  }

  enqueue(chunk: Buffer): void {
    this.queue.push(chunk)
    this.queuedBytes += chunk.length
    if (this.queuedBytes > MAX_QUEUED_BYTES) this.socket.pause()
  }

  takeQueue(): Buffer | undefined {
    if (this.queue.length === 0) return undefined
    const data = this.queue.length === 1 ? this.queue[0] : Buffer.concat(this.queue)
    this.queue.length = 0
    this.queuedBytes = 0
    return data
  }

  forwardedLines(minor: 0 | 1): Buffer {
    const config = this.ctx.config
    const key = minor === 0 ? 'keep-alive' : config
    if (this.forwardedCache === undefined || this.forwardedFor !== key) {
      this.forwardedFor = key
      this.forwardedCache = forwardedSuffix(this.clientIp, config, minor)
    }
    return this.forwardedCache
  }

  onExchangeDone(exchange: ExchangeEnding, requestComplete: boolean): void {
    if (this.exchange !== exchange) return
    this.exchange = undefined
    this.clearBodyDeadline()
    if (exchange.closeAfter) {
      this.phase = Phase.Closed
      // Whole request read: close as soon as the answer is flushed, without waiting for the
      // client's FIN. Otherwise only half-close, so unread request bytes cannot reset the answer.
      if (requestComplete) this.socket.destroySoon()
      else this.endAndLinger(this.ctx.lb.config.idleTimeoutMs)
      return
    }
    this.phase = Phase.Head
    const queued = this.takeQueue()
    if (this.socket.isPaused()) this.socket.resume()
    if (queued !== undefined) this.readHead(queued)
    else if (this.clientEnded) {
      this.phase = Phase.Closed
      this.socket.end()
    }
  }

  onExchangeFailed(exchange: ExchangeEnding, status: number): void {
    if (this.exchange !== exchange) return
    this.exchange = undefined
    this.clearBodyDeadline()
    this.answer(status, exchange.closeAfter || exchange.requestIncomplete, status === 408 ? GAVE_UP_LINGER_MS : undefined)
  }

  onExchangeAborted(): void {
    this.abort()
  }

  /** End both sides without an answer (the response already started, or the client is gone). */
  private abort(): void {
    const exchange = this.exchange
    this.exchange = undefined
    this.clearBodyDeadline()
    this.phase = Phase.Closed
    exchange?.abandon()
    this.socket.destroy()
  }

  // ---- client side -------------------------------------------------------------------------

  private onClientData(chunk: Buffer): void {
    switch (this.phase) {
      case Phase.Head:
        this.readHead(chunk)
        return
      case Phase.Exchange:
        this.bodyBytes += chunk.length
        this.exchange?.onClientData(chunk)
        return
      case Phase.Queued:
        this.enqueue(chunk)
        return
      case Phase.Closed:
        return
    }
  }

  private readHead(chunk: Buffer): void {
    let data = chunk
    let from = 0
    if (this.headBuffer !== undefined) {
      from = Math.max(0, this.headBuffer.length - 3)
      data = Buffer.concat([this.headBuffer, chunk])
      this.headBuffer = undefined
    }
    // RFC 7230 §3.5: ignore empty lines before a request line.
    let start = 0
    while (start < data.length && (data[start] === 0x0a || (data[start] === 0x0d && data[start + 1] === 0x0a))) start += data[start] === 0x0a ? 1 : 2
    const scan = this.headScan
    if (!scan.find(data, Math.max(from, start))) {
      const lineEnd = data.indexOf('\r\n', start)
      const line = lineEnd === -1 || lineEnd - start > MAX_HEAD_BYTES ? undefined : data.toString('latin1', start, lineEnd)
      if (line !== undefined && HTTP_09_REQUEST.test(line)) {
        // HTTP/0.9 (`GET /path`, no version, no headers): forwarded as HTTP/1.0, answered with the
        // bare body, then the connection closes.
        this.http09 = true
        scan.reset()
        this.startRequest(`${line} HTTP/1.0`, undefined, lineEnd + 2 < data.length ? data.subarray(lineEnd + 2) : undefined)
        return
      }
      if (data.length - start > MAX_HEAD_BYTES) this.reject(400)
      else if (start < data.length) {
        this.headBuffer = start === 0 ? data : data.subarray(start)
        this.headDeadline.arm(this.ctx.lb.config.idleTimeoutMs, () => { this.guard(() => { this.onHeadDeadline(); }); })
      }
      return
    }
    const lastLineEnd = scan.lastLineEnd
    const rest = scan.restStart < data.length ? data.subarray(scan.restStart) : undefined
    const bareLf = scan.bareLf
    scan.reset()
    if (lastLineEnd - start > MAX_HEAD_BYTES) {
      this.reject(400)
      return
    }
    if (bareLf) {
      // Forwarded with CRLF line endings, as HAProxy does.
      const head = withCrlf(data.toString('latin1', start, lastLineEnd))
      this.startRequest(head.slice(0, -2), Buffer.from(head, 'latin1'), rest)
      return
    }
    // The head up to and including its last line's CRLF, for the unchanged-head fast path.
    this.startRequest(data.toString('latin1', start, lastLineEnd - 2), data.subarray(start, lastLineEnd), rest)
  }

  private startRequest(text: string, headBytes: Buffer | undefined, rest: Buffer | undefined): void {
    this.headDeadline.clear()
    const ctx = this.ctx
    const lb = ctx.lb
    const meter = startMeter(ctx.observation)
    // Header records are only needed for cookies, observers that read them, or rewriting.
    const quick = ctx.config.stickiness === undefined && !ctx.observation.needsHeaders ? quickScanRequestHead(text) : undefined
    const head = quick ?? parseRequestHead(text)
    if (head instanceof RequestRejection) {
      this.reject(head.status, meter)
      return
    }
    const mode = lb.config.desyncMode
    if ((head.classification === 'severe' && mode !== 'monitor') || (mode === 'strictest' && head.classification !== 'compliant')) {
      this.reject(400, meter)
      return
    }
    let closeAfter = !head.keepAlive || this.clientEnded || this.http09
    let backendReusable = true
    if (head.classification === 'ambiguous' && mode === 'defensive') {
      // Defensive mode lets an ambiguous request through but closes both connections after it.
      closeAfter = true
      backendReusable = false
    }
    let chosen = route(head, ctx, this.node)
    if (rest !== undefined) this.enqueue(rest)
    if (chosen === undefined) {
      this.unavailable(head, closeAfter, meter)
      return
    }
    if (CAPACITY.limitedHosts > 0 && atCapacity(chosen.backend.host, chosen.backend.load)) {
      // Capacity faults: another back end with room, else the surge queue (or a spillover 503).
      const roomy = lb.backendWithRoom(this.node)
      if (roomy === undefined) {
        this.waitInSurgeQueue(head, closeAfter, meter, (to) => { this.beginExchange(head, headBytes, closeAfter, backendReusable, meter, to) })
        return
      }
      chosen = {backend: roomy, stickyInsert: ctx.config.stickiness !== undefined}
    }
    this.beginExchange(head, headBytes, closeAfter, backendReusable, meter, chosen)
  }

  /** No instance can take the request (none routable, or the surge queue is full): 503. */
  private unavailable(head: RequestHead, closeAfter: boolean, meter: ExchangeMeter | undefined): void {
    meter?.report(this, this.upstream, undefined, head, 503, 'elb', false)
    this.answer(503, closeAfter || (head.chunked || head.contentLength > 0))
  }

  private beginExchange(head: RequestHead, headBytes: Buffer | undefined, closeAfter: boolean, backendReusable: boolean, meter: ExchangeMeter | undefined, chosen: Route): void {
    const exchange = new HttpExchange(this, this.upstream, head, headBytes, closeAfter, backendReusable, meter, chosen)
    this.exchange = exchange
    this.phase = Phase.Exchange
    if (exchange.requestIncomplete) {
      this.bodyBytes = this.queuedBytes
      this.bodyDeadline = new BodyDeadline(this.ctx.lb.config.idleTimeoutMs,
        // Reading paused means the instance (or the queue) is not keeping up: not the client's fault.
        () => ({bytes: this.bodyBytes, instanceStalled: this.socket.isPaused()}),
        () => { this.guard(() => { this.onBodyDeadline(exchange); }); })
    }
    exchange.start()
  }

  /** Every back end is at capacity: wait for room; a full queue spills over (503, SpilloverCount). */
  private waitInSurgeQueue(head: RequestHead, closeAfter: boolean, meter: ExchangeMeter | undefined, begin: (to: Route) => void): void {
    const wait = new SurgeWait(this.node, this.ctx, (to) => { this.guard(() => { this.surgeWait = undefined; begin(to) }) }, () => {
      // Not admitted within the idle timeout: 504, as for a request an instance did not answer in time.
      this.surgeWait = undefined
      meter?.report(this, this.upstream, undefined, head, 504, 'elb', false)
      this.answer(504, true)
    })
    if (wait.enter()) {
      this.surgeWait = wait
      this.phase = Phase.Queued
    } else this.unavailable(head, closeAfter, meter)
  }

  /** The head did not complete within one idle timeout of its first byte: 408, as HAProxy does. */
  private onHeadDeadline(): void {
    if (this.phase === Phase.Head && this.headBuffer !== undefined) this.reject(408)
  }

  /** The body came too slowly: 408 before any response byte, else the connection ends. */
  private onBodyDeadline(exchange: HttpExchange): void {
    this.bodyDeadline = undefined
    if (this.exchange === exchange) exchange.onBodyDeadline()
  }

  private clearBodyDeadline(): void {
    this.bodyDeadline?.clear()
    this.bodyDeadline = undefined
  }

  /** Write the load balancer's own answer, then read the next request or close. */
  private answer(status: number, close: boolean, lingerMs = this.ctx.lb.config.idleTimeoutMs): void {
    if (!this.http09) this.socket.write(`HTTP/1.1 ${LB_STATUS_LINES[status] ?? String(status)}\r\nContent-Length: 0\r\n${close ? 'Connection: close\r\n' : ''}\r\n`, 'latin1')
    if (close) {
      this.endAndLinger(lingerMs)
      return
    }
    this.phase = Phase.Head
    const queued = this.takeQueue()
    if (this.socket.isPaused()) this.socket.resume()
    if (queued !== undefined) this.readHead(queued)
  }

  /** Half-close, then release the socket after `lingerMs` (at most one idle timeout) whatever the client still sends. */
  private endAndLinger(lingerMs: number): void {
    this.phase = Phase.Closed
    this.socket.end()
    if (this.clientEnded || this.lingerTimer !== undefined) return
    // A reset, not a FIN: the FIN went out with the answer, and a half-open client would only
    // notice its closed socket on its next write.
    this.lingerTimer = setTimeout(() => { this.socket.resetAndDestroy(); }, Math.min(lingerMs, this.ctx.lb.config.idleTimeoutMs))
  }

  /** A request refused before routing: answered, then the connection closes. */
  private reject(status: number, meter: ExchangeMeter | undefined = startMeter(this.ctx.observation)): void {
    this.headBuffer = undefined
    this.headScan.reset()
    this.headDeadline.clear()
    meter?.report(this, this.upstream, undefined, undefined, status, 'elb', false)
    this.answer(status, true, GAVE_UP_LINGER_MS)
  }

  private onClientEnd(): void {
    this.clientEnded = true
    const exchange = this.exchange
    switch (this.phase) {
      case Phase.Head:
        if (this.headBuffer !== undefined && this.headBuffer.length > 0) {
          // The client gave up in the middle of a request head.
          this.reject(408)
        } else {
          this.phase = Phase.Closed
          this.socket.end()
        }
        return
      case Phase.Exchange:
        exchange?.onClientEnd()
        return
      case Phase.Queued:
      case Phase.Closed:
        return
    }
  }

  private onClientTimeout(): void {
    const exchange = this.exchange
    if (this.phase === Phase.Head) {
      if (this.headBuffer === undefined) {
        this.phase = Phase.Closed
        this.socket.end()
        this.socket.destroySoon()
      } else {
        // A request head that did not arrive completely within the idle timeout.
        this.reject(408)
      }
      return
    }
    if (this.phase === Phase.Queued) this.surgeWait?.timeOut()
    else if (exchange === undefined) this.abort()
    else exchange.onClientTimeout()
  }

  private onClientClose(): void {
    this.ctx.connections.delete(this.socket)
    this.headDeadline.clear()
    clearTimeout(this.lingerTimer)
    this.clearBodyDeadline()
    this.surgeWait?.leave()
    const exchange = this.exchange
    if (this.phase === Phase.Closed && exchange === undefined) return
    this.phase = Phase.Closed
    this.exchange = undefined
    exchange?.abandon()
  }
}
