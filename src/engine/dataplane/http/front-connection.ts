import type {Socket} from 'node:net'
import {TLSSocket} from 'node:tls'
import type {BackendConnection, BackendHandler, Closable} from '../backend/pool.js'
import type {InstanceSlot} from '../load-balancer.js'
import {plainAddress, type ListenerContext} from '../listener-context.js'
import {
  ChunkedFramer,
  LengthFramer,
  MalformedResponse,
  RequestRejection,
  UntilCloseFramer,
  findHeadEnd,
  parseRequestHead,
  parseResponseHead,
  quickScanRequestHead,
  quickScanResponseHead,
  type BodyFramer,
  type RequestHead,
  type ResponseHead,
} from './parse.js'
import {
  appCookieHeaderLines,
  decodeStickyCookie,
  encodeStickyCookie,
  findAppCookie,
  findCookie,
  lbCookieHeaderLines,
  LB_COOKIE,
} from './stickiness.js'

/**
 * One client connection on an HTTP/HTTPS listener. Requests are parsed just enough to route and
 * delimit them; each is sent to the instance chosen for it (least outstanding requests) over a
 * pooled keep-alive connection, and the response is relayed back. Bodies stream in both
 * directions with backpressure and are never buffered. Pipelined requests are served in order,
 * one at a time (Classic ELB never pipelines to instances).
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

/** Larger heads are refused (400), as a bound on memory per connection. */
const MAX_HEAD_BYTES = 64 * 1024
/** Pipelined bytes buffered while a response is pending before reading from the client pauses. */
const MAX_QUEUED_BYTES = 256 * 1024

const HTTP_09_REQUEST = /^GET \/[!-~]*$/

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'upgrade', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port'])
const RESPONSE_HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade'])

const enum Phase {
  /** Waiting for (more of) a request head. */
  Head,
  /** Request routed; waiting for a back-end connection. */
  Connecting,
  /** Relaying the request body. */
  Body,
  /** Request sent; waiting for the response to finish. */
  Awaiting,
  Closed,
}

const enum ResponsePhase {
  Head,
  Body,
}

export class FrontConnection implements BackendHandler, Closable {
  private phase = Phase.Head
  private headBuffer: Buffer | undefined
  private readonly queue: Buffer[] = []
  private queuedBytes = 0
  private readonly node: string
  private readonly clientIp: string
  private readonly clientPort: number
  private clientEnded = false
  /** The client speaks HTTP/0.9: no status line or headers in answers, one request per connection. */
  private http09 = false

  // Per request
  private request: RequestHead | undefined
  private requestHeadText = ''
  private requestHeadBytes: Buffer | undefined
  /** `X-Forwarded-*` lines + blank line for this connection, appended to unchanged heads. */
  private forwardedSuffix: Buffer | undefined
  /** What `forwardedSuffix` was built for (the listener config, or HTTP/1.0). */
  private forwardedFor: unknown
  private requestFramer: BodyFramer | undefined
  private requestBodyStarted = false
  private slot: InstanceSlot | undefined
  private backend: BackendConnection | undefined
  private retried = false
  private closeAfter = false
  private backendReusable = true
  private stickyInsert = false
  private responsePhase = ResponsePhase.Head
  private responseBuffer: Buffer | undefined
  private responseFramer: BodyFramer | undefined
  private responseStatus = 0
  private responseStarted = false
  private waitingForClientDrain = false
  private waitingForBackendDrain = false
  // Access-log counters (only read when access logging is on)
  private receivedBytes = 0
  private sentBytes = 0
  private startedAt = 0
  private forwardedAt = 0
  private respondedAt = 0

  constructor(private readonly socket: Socket, private readonly ctx: ListenerContext) {
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
    socket.on('drain', () => { this.guard(() => { this.onClientDrain(); }); })
    socket.on('timeout', () => { this.guard(() => { this.onClientTimeout(); }); })
    socket.on('error', () => {
      // 'close' follows
    })
    socket.on('close', () => { this.onClientClose(); })
  }

  destroy(): void {
    this.socket.destroy()
  }

  /** A bug in one exchange ends that connection, never the engine. */
  private guard(step: () => void): void {
    try {
      step()
    } catch {
      this.abort()
    }
  }

  // ---- client side -------------------------------------------------------------------------

  private onClientData(chunk: Buffer): void {
    switch (this.phase) {
      case Phase.Head:
        this.readHead(chunk)
        return
      case Phase.Body:
        this.forwardBody(chunk)
        return
      case Phase.Connecting:
      case Phase.Awaiting:
        this.enqueue(chunk)
        return
      case Phase.Closed:
        return
    }
  }

  private enqueue(chunk: Buffer): void {
    this.queue.push(chunk)
    this.queuedBytes += chunk.length
    if (this.queuedBytes > MAX_QUEUED_BYTES) this.socket.pause()
  }

  private takeQueue(): Buffer | undefined {
    if (this.queue.length === 0) return undefined
    const data = this.queue.length === 1 ? this.queue[0] : Buffer.concat(this.queue)
    this.queue.length = 0
    this.queuedBytes = 0
    return data
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
    while (start + 1 < data.length && data[start] === 0x0d && data[start + 1] === 0x0a) start += 2
    const end = findHeadEnd(data, Math.max(from, start))
    if (end === -1) {
      const lineEnd = data.indexOf('\r\n', start)
      const line = lineEnd === -1 || lineEnd - start > MAX_HEAD_BYTES ? undefined : data.toString('latin1', start, lineEnd)
      if (line !== undefined && HTTP_09_REQUEST.test(line)) {
        // HTTP/0.9 (`GET /path`, no version, no headers): forwarded as HTTP/1.0, answered with the
        // bare body, then the connection closes.
        this.http09 = true
        this.requestHeadBytes = undefined
        this.startRequest(`${line} HTTP/1.0`, lineEnd + 2 < data.length ? data.subarray(lineEnd + 2) : undefined)
        return
      }
      if (data.length - start > MAX_HEAD_BYTES) this.reject(400)
      else if (start < data.length) this.headBuffer = start === 0 ? data : data.subarray(start)
      return
    }
    if (end - start > MAX_HEAD_BYTES) {
      this.reject(400)
      return
    }
    const text = data.toString('latin1', start, end)
    const rest = end + 4 < data.length ? data.subarray(end + 4) : undefined
    // The head up to and including its last header line's CRLF, for the unchanged-head fast path.
    this.requestHeadBytes = data.subarray(start, end + 2)
    this.startRequest(text, rest)
  }

  private startRequest(text: string, rest: Buffer | undefined): void {
    const lb = this.ctx.lb
    if (this.ctx.accessLog) this.startedAt = performance.now()
    // Header records are only needed for cookies, access logs or rewriting; skip them otherwise.
    const quick = this.ctx.config.stickiness === undefined && this.ctx.accessLog === undefined ? quickScanRequestHead(text) : undefined
    const head = quick ?? parseRequestHead(text)
    if (head instanceof RequestRejection) {
      this.reject(head.status)
      return
    }
    const mode = lb.config.desyncMode
    if ((head.classification === 'severe' && mode !== 'monitor') || (mode === 'strictest' && head.classification !== 'compliant')) {
      this.reject(400)
      return
    }
    this.request = head
    this.requestHeadText = text
    this.closeAfter = !head.keepAlive || this.clientEnded || this.http09
    this.backendReusable = true
    if (head.classification === 'ambiguous' && mode === 'defensive') {
      // Defensive mode lets an ambiguous request through but closes both connections after it.
      this.closeAfter = true
      this.backendReusable = false
    }
    this.requestFramer = head.chunked ? new ChunkedFramer() : head.contentLength > 0 ? new LengthFramer(head.contentLength) : undefined
    this.receivedBytes = 0
    this.sentBytes = 0

    const config = this.ctx.config
    let slot: InstanceSlot | undefined
    this.stickyInsert = false
    if (config.stickiness !== undefined) {
      const cookie = findCookie(head.headers.filter(h => h.key === 'cookie').map(h => h.value), LB_COOKIE)
      const instanceId = cookie === undefined ? undefined : decodeStickyCookie(this.ctx.stickySecret, cookie, config.instancePort)
      slot = instanceId === undefined ? undefined : lb.routableSlot(instanceId)
      // No usable cookie (absent, or its instance is gone/unhealthy): choose anew and stick to it.
      this.stickyInsert = slot === undefined
    }
    slot ??= lb.pickLeastOutstanding(this.node)
    if (slot === undefined) {
      if (rest !== undefined) this.enqueue(rest)
      this.answer(503)
      return
    }
    this.slot = slot
    slot.outstanding++
    slot.active.add(this)
    this.phase = Phase.Connecting
    if (rest !== undefined) this.enqueue(rest)
    this.retried = false
    this.responsePhase = ResponsePhase.Head
    this.responseStarted = false
    this.acquireBackend(false)
  }

  private acquireBackend(fresh: boolean): void {
    const slot = this.slot
    if (slot === undefined) return
    const pool = this.ctx.lb.poolFor(slot, this.ctx.config)
    const timeout = this.ctx.lb.config.idleTimeoutMs
    const done = (error: Error | undefined, connection: BackendConnection | undefined): void => {
      if (this.phase === Phase.Closed || this.slot !== slot) {
        connection?.release()
        return
      }
      if (error !== undefined || connection === undefined) {
        // Refused, unreachable, TLS or back-end authentication failure: the client gets 502.
        this.failBeforeResponse(502)
        return
      }
      this.sendRequest(connection)
    }
    if (fresh) pool.connect(timeout, done)
    else pool.acquire(timeout, done)
  }

  private sendRequest(connection: BackendConnection): void {
    this.backend = connection
    connection.handler = this
    const socket = connection.socket
    if (this.ctx.accessLog) this.forwardedAt = performance.now()
    socket.cork()
    const raw = this.requestHeadBytes
    if (raw !== undefined && this.request !== undefined && headForwardsUnchanged(this.request)) {
      // Nothing to strip or merge: the client's bytes plus our X-Forwarded-* lines (no re-encoding).
      socket.write(raw)
      socket.write(this.forwardedLines(this.request.minor))
    } else {
      socket.write(this.buildRequestHead(), 'latin1')
    }
    const framer = this.requestFramer
    if (framer === undefined || framer.done) {
      this.phase = Phase.Awaiting
    } else {
      this.phase = Phase.Body
      const queued = this.takeQueue()
      if (queued !== undefined) this.forwardBody(queued)
    }
    socket.uncork()
    if (this.socket.isPaused() && this.phase === Phase.Body && !this.waitingForBackendDrain) this.socket.resume()
  }

  private forwardedLines(minor: 0 | 1): Buffer {
    const config = this.ctx.config
    const key = minor === 0 ? 'keep-alive' : config
    if (this.forwardedSuffix === undefined || this.forwardedFor !== key) {
      this.forwardedFor = key
      this.forwardedSuffix = Buffer.from(
        `X-Forwarded-For: ${this.clientIp}\r\nX-Forwarded-Proto: ${config.protocol === 'HTTPS' ? 'https' : 'http'}\r\n` +
        `X-Forwarded-Port: ${config.loadBalancerPort}\r\n${minor === 0 ? 'Connection: keep-alive\r\n' : ''}\r\n`, 'latin1')
    }
    return this.forwardedSuffix
  }

  private buildRequestHead(): string {
    const request = this.request
    if (request === undefined) return ''
    const config = this.ctx.config
    let out = `${request.method} ${request.target} HTTP/1.${request.minor}\r\n`
    let forwardedFor: string | undefined
    let host = false
    let contentLength = false
    const tokens = request.connectionTokens
    for (const h of request.headers) {
      const key = h.key
      if (HOP_BY_HOP.has(key) || (tokens.length > 0 && tokens.includes(key))) {
        if (key === 'x-forwarded-for') forwardedFor = forwardedFor === undefined ? h.value : `${forwardedFor}, ${h.value}`
        continue
      }
      if (key === 'host') host = true
      else if (key === 'content-length') {
        // Repeated identical lengths (ambiguous, let through) reach the instance only once.
        if (contentLength) continue
        contentLength = true
      }
      out += `${h.name}: ${h.value}\r\n`
    }
    // An HTTP/1.0 request without Host gets the LB node's address.
    if (!host) out += `Host: ${this.ctx.address}\r\n`
    out += `X-Forwarded-For: ${forwardedFor === undefined ? '' : `${forwardedFor}, `}${this.clientIp}\r\n`
    out += `X-Forwarded-Proto: ${config.protocol === 'HTTPS' ? 'https' : 'http'}\r\nX-Forwarded-Port: ${config.loadBalancerPort}\r\n`
    if (request.minor === 0) out += 'Connection: keep-alive\r\n'
    return `${out}\r\n`
  }

  private forwardBody(chunk: Buffer): void {
    const framer = this.requestFramer
    const backend = this.backend
    if (framer === undefined || backend === undefined) {
      this.enqueue(chunk)
      return
    }
    const end = framer.consume(chunk, 0)
    if (end === -1) {
      // Broken chunked framing: the rest cannot be delimited, so nothing more is forwarded.
      this.backendReusable = false
      if (this.responseStarted) this.abort()
      else this.failBeforeResponse(400)
      return
    }
    const part = end === chunk.length ? chunk : chunk.subarray(0, end)
    if (part.length > 0) {
      this.requestBodyStarted = true
      this.receivedBytes += part.length
      if (!backend.socket.write(part)) {
        this.waitingForBackendDrain = true
        this.socket.pause()
      }
    }
    if (framer.done) {
      this.phase = Phase.Awaiting
      if (end < chunk.length) this.enqueue(chunk.subarray(end))
    }
  }

  onBackendDrain(): void {
    if (this.waitingForBackendDrain) {
      this.waitingForBackendDrain = false
      if (this.queuedBytes <= MAX_QUEUED_BYTES) this.socket.resume()
    }
  }

  private onClientDrain(): void {
    if (this.waitingForClientDrain) {
      this.waitingForClientDrain = false
      this.backend?.resumeReading()
    }
  }

  /** Write bytes read from the instance; a borrowed read buffer is accounted until written. */
  private writeInstanceBytes(data: Buffer): boolean {
    const backend = this.backend
    if (backend === undefined || !backend.lending) return this.socket.write(data)
    backend.borrowed++
    return this.socket.write(data, () => { backend.returnBorrowed(!(this.waitingForClientDrain && this.backend === backend)); })
  }

  private onClientEnd(): void {
    this.clientEnded = true
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
      case Phase.Body:
      case Phase.Connecting:
        if (this.requestFramer !== undefined && !this.requestFramer.done) {
          // Closed before sending the whole body: the request cannot complete.
          this.abort()
          return
        }
        this.closeAfter = true
        return
      case Phase.Awaiting:
        this.closeAfter = true
        return
      case Phase.Closed:
        return
    }
  }

  private onClientTimeout(): void {
    // While an instance works on the request, the back-end idle timer decides (504).
    if ((this.phase === Phase.Awaiting || this.phase === Phase.Connecting) && !this.responseStarted) return
    if (this.phase === Phase.Head && this.headBuffer === undefined) {
      this.close()
      return
    }
    if ((this.phase === Phase.Head || this.phase === Phase.Body) && !this.responseStarted) {
      // A request that did not arrive completely within the idle timeout.
      this.failBeforeResponse(408)
      return
    }
    this.abort()
  }

  private onClientClose(): void {
    this.ctx.connections.delete(this.socket)
    if (this.phase === Phase.Closed && this.slot === undefined) return
    this.phase = Phase.Closed
    const backend = this.backend
    this.backend = undefined
    backend?.destroy()
    this.releaseSlot()
  }

  // ---- back-end side ------------------------------------------------------------------------

  onBackendData(chunk: Buffer): void {
    try {
      if (this.responsePhase === ResponsePhase.Head) this.readResponseHead(chunk)
      else this.relayResponseBody(chunk, 0)
    } catch {
      this.abort()
    }
  }

  private readResponseHead(chunk: Buffer): void {
    let data = chunk
    let from = 0
    if (this.responseBuffer !== undefined) {
      from = Math.max(0, this.responseBuffer.length - 3)
      data = Buffer.concat([this.responseBuffer, chunk])
      this.responseBuffer = undefined
    }
    for (;;) {
      const end = findHeadEnd(data, from)
      if (end === -1) {
        if (data.length > MAX_HEAD_BYTES) this.failBeforeResponse(502)
        else this.responseBuffer = Buffer.from(data) // a copy: `data` may be a borrowed read buffer
        return
      }
      const text = data.toString('latin1', 0, end)
      const request = this.request
      // When the head will be relayed unchanged, only its framing matters: skip the full parse.
      const quick = request !== undefined && this.mayRelayResponseUnchanged(request.minor) ? quickScanResponseHead(text) : undefined
      const parsed = quick ?? parseResponseHead(text)
      if (parsed instanceof MalformedResponse) {
        this.failBeforeResponse(502)
        return
      }
      const bodyStart = end + 4
      if (parsed.status >= 100 && parsed.status < 200) {
        if (parsed.status === 101) {
          this.failBeforeResponse(502)
          return
        }
        // Interim responses (100 Continue) go to HTTP/1.1 clients as they are.
        if (this.request?.minor === 1) this.writeInstanceBytes(data.subarray(0, bodyStart))
        if (bodyStart >= data.length) return
        data = data.subarray(bodyStart)
        from = 0
        continue
      }
      this.startResponse(parsed, data, bodyStart)
      return
    }
  }

  private startResponse(response: ResponseHead, data: Buffer, bodyStart: number): void {
    const request = this.request
    if (request === undefined) return
    if (this.ctx.accessLog) this.respondedAt = performance.now()
    this.responseStatus = response.status
    this.responseStarted = true
    this.responsePhase = ResponsePhase.Body
    const noBody = request.method === 'HEAD' || response.status === 204 || response.status === 304
    if (noBody) this.responseFramer = undefined
    else if (response.chunked) this.responseFramer = new ChunkedFramer()
    else if (response.contentLength >= 0) this.responseFramer = response.contentLength === 0 ? undefined : new LengthFramer(response.contentLength)
    else {
      // Delimited by the instance closing: the client learns the end the same way.
      this.responseFramer = new UntilCloseFramer()
      this.closeAfter = true
      this.backendReusable = false
    }
    if (!response.keepAlive) this.backendReusable = false
    if (response.chunked && request.minor === 0) this.closeAfter = true

    const socket = this.socket
    if (this.responseForwardsUnchanged(response, request.minor)) {
      // The common case: relay the instance's bytes as they came, head and body in one write.
      const framer = this.responseFramer
      let end = bodyStart
      if (framer !== undefined) {
        end = framer.consume(data, bodyStart)
        if (end === -1) {
          this.abort()
          return
        }
        this.sentBytes += end - bodyStart
      }
      if (!this.writeInstanceBytes(end === data.length ? data : data.subarray(0, end)) && framer !== undefined && !framer.done) {
        this.waitingForClientDrain = true
        this.backend?.socket.pause()
      }
      if (framer === undefined || framer.done) {
        if (end < data.length) this.backendReusable = false
        this.responseFramer = undefined
        this.finish()
      }
      return
    }
    socket.cork()
    if (!this.http09) socket.write(this.buildResponseHead(response), 'latin1')
    if (this.responseFramer === undefined) {
      if (bodyStart < data.length) this.backendReusable = false
      socket.uncork()
      this.finish()
      return
    }
    if (bodyStart < data.length) this.relayResponseBody(data, bodyStart)
    socket.uncork()
  }

  /** Keep-alive on the client side, no cookie to insert, an HTTP/1.1 client. */
  private mayRelayResponseUnchanged(clientMinor: 0 | 1): boolean {
    if (this.closeAfter || clientMinor !== 1) return false
    const stickiness = this.ctx.config.stickiness
    return stickiness === undefined || (stickiness.kind !== 'app-cookie' && !this.stickyInsert)
  }

  /** No header to strip or add: keep-alive on both sides, no cookie to insert, an HTTP/1.1 client. */
  private responseForwardsUnchanged(response: ResponseHead, clientMinor: 0 | 1): boolean {
    if (!this.mayRelayResponseUnchanged(clientMinor) || response.mustRebuild === true) return false
    for (const token of response.connectionTokens) if (token !== 'keep-alive') return false
    for (const h of response.headers) if (h.key !== 'connection' && RESPONSE_HOP_BY_HOP.has(h.key)) return false
    return true
  }

  private buildResponseHead(response: ResponseHead): string {
    let out = `${response.statusLine}\r\n`
    const tokens = response.connectionTokens
    const app = this.ctx.config.stickiness
    let setCookies: string[] | undefined
    for (const h of response.headers) {
      const key = h.key
      if (RESPONSE_HOP_BY_HOP.has(key) || (tokens.length > 0 && tokens.includes(key))) continue
      if (key === 'set-cookie' && app?.kind === 'app-cookie') (setCookies ??= []).push(h.value)
      out += `${h.name}: ${h.value}\r\n`
    }
    const sticky = this.stickyLines(setCookies)
    if (sticky !== undefined) for (const line of sticky) out += `${line}\r\n`
    if (this.closeAfter) out += 'Connection: close\r\n'
    else if (this.request?.minor === 0) out += 'Connection: keep-alive\r\n'
    return `${out}\r\n`
  }

  private stickyLines(appSetCookies: string[] | undefined): string[] | undefined {
    const stickiness = this.ctx.config.stickiness
    const slot = this.slot
    if (stickiness === undefined || slot === undefined) return undefined
    const value = (): string => encodeStickyCookie(this.ctx.stickySecret, slot.instanceId, this.ctx.config.instancePort)
    if (stickiness.kind === 'lb-cookie') return this.stickyInsert ? lbCookieHeaderLines(value(), stickiness.expirationPeriod) : undefined
    // Application-controlled: a new AWSELB cookie only when the application sets its cookie.
    const appCookie = appSetCookies === undefined ? undefined : findAppCookie(appSetCookies, stickiness.cookieName)
    return appCookie === undefined ? undefined : appCookieHeaderLines(value(), appCookie)
  }

  private relayResponseBody(chunk: Buffer, start: number): void {
    const framer = this.responseFramer
    if (framer === undefined) {
      // Bytes after a complete response: the instance broke framing; do not reuse it.
      this.backendReusable = false
      return
    }
    const end = framer.consume(chunk, start)
    if (end === -1) {
      this.abort()
      return
    }
    if (end > start) {
      const part = start === 0 && end === chunk.length ? chunk : chunk.subarray(start, end)
      this.sentBytes += part.length
      if (!this.writeInstanceBytes(part) && !this.waitingForClientDrain) {
        this.waitingForClientDrain = true
        this.backend?.socket.pause()
      }
    }
    if (framer.done) {
      if (end < chunk.length) this.backendReusable = false
      this.responseFramer = undefined
      this.finish()
    }
  }

  onBackendEnd(): void {
    this.guard(() => { this.backendEnded(); })
  }

  private backendEnded(): void {
    if (this.responseFramer instanceof UntilCloseFramer) {
      this.responseFramer = undefined
      this.backendReusable = false
      this.finish()
      return
    }
    this.backendClosed(undefined, true)
  }

  onBackendClose(error: Error | undefined): void {
    this.guard(() => { this.backendClosed(error, false); })
  }

  private backendClosed(error: Error | undefined, ended: boolean): void {
    const backend = this.backend
    if (backend === undefined) return
    if (this.responsePhase === ResponsePhase.Head && this.responseBuffer === undefined) {
      // Nothing came back. A reused keep-alive connection may have been closed by the instance
      // just as we wrote: retry once on a new connection when the request can be replayed.
      if (backend.reused && !this.retried && !this.requestBodyStarted && this.phase === Phase.Awaiting) {
        this.retried = true
        this.backend = undefined
        backend.destroy()
        this.phase = Phase.Connecting
        this.acquireBackend(true)
        return
      }
      // Closed by the instance → 504; reset → 502 (ts-elb-error-message).
      this.failBeforeResponse(ended && error === undefined ? 504 : 502)
      return
    }
    if (this.responsePhase === ResponsePhase.Head) {
      this.failBeforeResponse(502)
      return
    }
    // Truncated response: the client must see the failure, not a short body.
    this.abort()
  }

  onBackendTimeout(): void {
    this.guard(() => {
      if (!this.responseStarted) this.failBeforeResponse(504)
      else this.abort()
    })
  }

  // ---- endings -------------------------------------------------------------------------------

  /** The request is answered: release the instance, then serve the next pipelined request. */
  private finish(): void {
    const requestComplete = this.phase !== Phase.Body
    if (this.phase === Phase.Body) {
      // The instance answered before the whole request body arrived: the rest cannot be skipped
      // reliably, so this exchange ends both connections.
      this.closeAfter = true
      this.backendReusable = false
    }
    this.writeAccessLog()
    const backend = this.backend
    this.backend = undefined
    if (backend !== undefined) {
      if (this.waitingForClientDrain) backend.resumeReading()
      if (this.backendReusable && !backend.closed) backend.release()
      else backend.destroy()
    }
    this.waitingForClientDrain = false
    this.waitingForBackendDrain = false
    this.releaseSlot()
    this.resetRequest()
    if (this.closeAfter) {
      this.phase = Phase.Closed
      // Whole request read: close as soon as the answer is flushed, without waiting for the
      // client's FIN. Otherwise only half-close, so unread request bytes cannot reset the answer.
      if (requestComplete) this.socket.destroySoon()
      else this.socket.end()
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

  private resetRequest(): void {
    this.request = undefined
    this.requestFramer = undefined
    this.requestBodyStarted = false
    this.responseFramer = undefined
    this.responseBuffer = undefined
    this.requestHeadBytes = undefined
    this.responsePhase = ResponsePhase.Head
    this.responseStarted = false
    this.stickyInsert = false
  }

  private releaseSlot(): void {
    const slot = this.slot
    if (slot === undefined) return
    this.slot = undefined
    slot.outstanding--
    slot.active.delete(this)
    this.ctx.lb.settled(slot)
  }

  /** Something failed before any response byte reached the client: answer with the LB's code. */
  private failBeforeResponse(status: number): void {
    const backend = this.backend
    this.backend = undefined
    backend?.destroy()
    if (this.responseStarted) {
      this.abort()
      return
    }
    this.releaseSlot()
    // The rest of the request cannot be delimited once we stop relaying it: close afterwards.
    const requestIncomplete = this.requestFramer !== undefined && !this.requestFramer.done
    if (requestIncomplete || status === 400 || status === 408) this.closeAfter = true
    this.answer(status)
  }

  private answer(status: number): void {
    const close = this.closeAfter || (this.requestFramer !== undefined && !this.requestFramer.done)
    this.responseStatus = status
    this.writeAccessLog()
    if (!this.http09) this.socket.write(`HTTP/1.1 ${LB_STATUS_LINES[status] ?? String(status)}\r\nContent-Length: 0\r\n${close ? 'Connection: close\r\n' : ''}\r\n`, 'latin1')
    this.resetRequest()
    if (close) {
      this.phase = Phase.Closed
      this.socket.end()
      return
    }
    this.phase = Phase.Head
    const queued = this.takeQueue()
    if (this.socket.isPaused()) this.socket.resume()
    if (queued !== undefined) this.readHead(queued)
  }

  private reject(status: 400 | 405 | 408): void {
    this.closeAfter = true
    this.headBuffer = undefined
    this.answer(status)
  }

  /** End both sides without an answer (the response already started, or the client is gone). */
  private abort(): void {
    const backend = this.backend
    this.backend = undefined
    backend?.destroy()
    this.phase = Phase.Closed
    this.releaseSlot()
    this.socket.destroy()
  }

  private close(): void {
    this.phase = Phase.Closed
    this.socket.end()
    this.socket.destroySoon()
  }

  private writeAccessLog(): void {
    const log = this.ctx.accessLog
    if (log === undefined) return
    const now = performance.now()
    const request = this.request
    const config = this.ctx.config
    const slot = this.slot
    const forwarded = this.forwardedAt >= this.startedAt && this.forwardedAt > 0 && slot !== undefined
    const scheme = config.protocol === 'HTTPS' ? 'https' : 'http'
    const host = request?.headers.find(h => h.key === 'host')?.value ?? this.ctx.address
    const hostPort = host.includes(':') ? host : `${host}:${config.loadBalancerPort}`
    const tls = this.socket instanceof TLSSocket ? this.socket : undefined
    log.write({
      time: new Date(),
      client: `${this.clientIp}:${this.clientPort}`,
      backend: forwarded ? `${slot.host}:${config.instancePort}` : '-',
      requestProcessing: forwarded ? (this.forwardedAt - this.startedAt) / 1000 : -1,
      backendProcessing: forwarded && this.respondedAt > 0 ? (this.respondedAt - this.forwardedAt) / 1000 : -1,
      responseProcessing: forwarded && this.respondedAt > 0 ? (now - this.respondedAt) / 1000 : -1,
      elbStatus: String(this.responseStatus),
      backendStatus: forwarded && this.respondedAt > 0 ? String(this.responseStatus) : '-',
      receivedBytes: this.receivedBytes,
      sentBytes: this.sentBytes,
      request: request === undefined ? '- - - ' : `${request.method} ${scheme}://${hostPort}${request.target} HTTP/1.${request.minor}`,
      userAgent: request?.headers.find(h => h.key === 'user-agent')?.value ?? '-',
      sslCipher: tls === undefined ? '-' : tls.getCipher().name,
      sslProtocol: tls?.getProtocol() ?? '-',
    })
    this.forwardedAt = 0
    this.respondedAt = 0
  }
}

/** Headers the proxy must remove or merge; a head without any of them is forwarded as it came. */
const REWRITTEN = new Set([...HOP_BY_HOP, 'content-length'])

function headForwardsUnchanged(request: RequestHead): boolean {
  if (request.mustRebuild === true) return false
  // A quick-scanned head (no header records) was checked for all of this already.
  if (request.headers.length === 0 && request.minor === 1 && request.classification === 'compliant') return true
  // Folded lines are unfolded before forwarding, so they take the rebuilding path.
  if (request.connectionTokens.length > 0 || request.classification === 'ambiguous' || request.classification === 'severe') return false
  let host = false
  let lengths = 0
  for (const h of request.headers) {
    const key = h.key
    if (key === 'host') host = true
    else if (REWRITTEN.has(key) && (key !== 'content-length' || ++lengths > 1)) return false
  }
  return host
}
