import {MAX_HEAD_BYTES} from '../../constants.js'
import type {Backend} from '../backends/backend.js'
import {LinkedWork} from '../backends/work-list.js'
import type {BackendConnection, BackendHandler} from '../upstream/pool.js'
import {ExchangePhase, type ExchangeClient, type ExchangeEnding, type ExchangeUpstream, type Route} from './exchange-client.js'
import type {ExchangeMeter} from './exchange-meter.js'
import {requestFramer, responseFramer} from './framing.js'
import {MalformedResponse, UntilCloseFramer, findHeadEnd, parseResponseHead, quickScanResponseHead, type BodyFramer, type RequestHead, type ResponseHead} from './parse.js'
import {buildRequestHead, headForwardsUnchanged, writeClientHead} from './passes/request-head.js'
import {buildResponseHead, closingHead, mayRelayResponseHead, responseHeadUnchanged} from './passes/response-head.js'
import {mayReplay} from './router.js'

/**
 * One HTTP request/response exchange with an instance: take a pooled back-end connection, send the
 * (rewritten) head and stream the body, read the response head, relay the response with
 * backpressure, retry once on a stale keep-alive connection, then hand the connection back.
 * It talks to its client connection only through `ExchangeClient` and to instances only through
 * `ExchangeUpstream` (exchange-client.ts); routing, head rewriting and reporting live in
 * `router.ts`, `passes/` and the observers.
 */
export class HttpExchange extends LinkedWork implements BackendHandler, ExchangeEnding {
  private phase = ExchangePhase.Connecting
  /** The client connection closes after this exchange. */
  private close: boolean
  private readonly requestFramer: BodyFramer | undefined
  private responseStarted = false
  /** The instance serving this exchange, until it is released. */
  private slot: Backend | undefined
  private stickyInsert: boolean
  private backend: BackendConnection | undefined
  private backendReusable: boolean
  private requestBodyStarted = false
  private retried = false
  private rerouted = false
  private responseBuffer: Buffer | undefined
  private responseFramer: BodyFramer | undefined
  private responseHeadDone = false
  private waitingForClientDrain = false
  private waitingForBackendDrain = false
  private status = 0

  constructor(
    private readonly client: ExchangeClient,
    private readonly upstream: ExchangeUpstream,
    readonly request: RequestHead,
    /** The client's head bytes up to its last header line's CRLF, when available (fast path). */
    private readonly requestHeadBytes: Buffer | undefined,
    closeAfter: boolean,
    backendReusable: boolean,
    /** Timings and bytes for the observers; undefined when the LB has none. */
    private readonly meter: ExchangeMeter | undefined,
    route: Route,
  ) {
    super()
    this.close = closeAfter
    this.backendReusable = backendReusable
    this.requestFramer = requestFramer(request)
    this.slot = route.backend
    this.stickyInsert = route.stickyInsert
    route.backend.take(this)
  }

  get closeAfter(): boolean {
    return this.close
  }

  get requestIncomplete(): boolean {
    return this.requestFramer !== undefined && !this.requestFramer.done
  }

  start(): void {
    this.acquireBackend(false)
  }

  /** A forced close (deregistration, draining timeout, LB deletion) or a fault ends the client connection. */
  destroy(): void {
    this.client.onExchangeAborted()
  }

  /** The client half-closed: an incomplete body cannot complete; otherwise close after the answer. */
  onClientEnd(): void {
    if ((this.phase === ExchangePhase.Body || this.phase === ExchangePhase.Connecting) && this.requestIncomplete) this.client.onExchangeAborted()
    else this.close = true
  }

  /** The client connection's idle timeout fired. */
  onClientTimeout(): void {
    // While an instance works on the request, the back-end idle timer decides (504); a body that
    // did not arrive completely within the idle timeout is a 408.
    if (this.responseStarted || this.phase === ExchangePhase.Done) this.client.onExchangeAborted()
    else if (this.phase === ExchangePhase.Body) this.failBeforeResponse(408)
  }

  /** The slow-client body deadline fired (deadlines.ts): 408 before any response byte. */
  onBodyDeadline(): void {
    if (this.phase !== ExchangePhase.Done && this.requestIncomplete) this.failBeforeResponse(408)
  }

  private acquireBackend(fresh: boolean): void {
    const slot = this.slot
    if (slot === undefined) return
    // An idle pooled connection (the steady state) is taken without a callback: no closure per request.
    const idle = fresh ? undefined : this.upstream.idleConnection(slot)
    if (idle !== undefined) this.sendRequest(idle)
    else this.upstream.connect(slot, (error, connection) => { this.connected(slot, error, connection) })
  }

  private connected(slot: Backend, error: Error | undefined, connection: BackendConnection | undefined): void {
    if (this.phase === ExchangePhase.Done || this.slot !== slot) connection?.release()
    else if (error === undefined && connection !== undefined) this.sendRequest(connection)
    else {
      // Nothing was sent. Refused, reset or timed out: another instance once (the connector's
      // failover); otherwise (TLS or back-end authentication failure too) 502.
      if (this.meter !== undefined) this.meter.backendError = error
      const next = this.upstream.connectFailed(slot, error, this.client.node, !this.rerouted)
      if (next === undefined) this.failBeforeResponse(502)
      else this.moveTo(next)
    }
  }

  private moveTo(next: Route): void {
    this.rerouted = true
    this.releaseSlot()
    this.slot = next.backend
    this.stickyInsert = next.stickyInsert
    next.backend.take(this)
    this.acquireBackend(false)
  }

  private sendRequest(connection: BackendConnection): void {
    this.backend = connection
    connection.handler = this
    const socket = connection.socket
    const client = this.client
    if (this.meter !== undefined) this.meter.forwardedAt = performance.now()
    socket.cork()
    const raw = this.requestHeadBytes
    const request = this.request
    if (raw !== undefined && headForwardsUnchanged(request)) {
      // Nothing to strip or merge (but a `Connection: close` line): the client's bytes plus our X-Forwarded-* lines.
      writeClientHead(socket, raw, request.closeLine, client.forwardedLines(request.minor))
    } else {
      socket.write(buildRequestHead(request, client.clientIp, this.upstream.config, this.upstream.address), 'latin1')
    }
    const framer = this.requestFramer
    if (framer === undefined || framer.done) {
      this.phase = ExchangePhase.Awaiting
    } else {
      this.phase = ExchangePhase.Body
      const queued = client.takeQueue()
      if (queued !== undefined) this.forwardBody(queued)
    }
    socket.uncork()
    if (client.isReadingPaused() && this.phase === ExchangePhase.Body && !this.waitingForBackendDrain) client.resumeReading()
  }

  /** Client bytes while this exchange is current. */
  onClientData(chunk: Buffer): void {
    if (this.phase === ExchangePhase.Body) this.forwardBody(chunk)
    else this.client.enqueue(chunk)
  }

  private forwardBody(chunk: Buffer): void {
    const framer = this.requestFramer
    const backend = this.backend
    if (framer === undefined || backend === undefined) {
      this.client.enqueue(chunk)
      return
    }
    const end = framer.consume(chunk, 0)
    if (end === -1) {
      // Broken chunked framing: the rest cannot be delimited, so nothing more is forwarded.
      this.backendReusable = false
      if (this.responseStarted) this.client.onExchangeAborted()
      else this.failBeforeResponse(400)
      return
    }
    const part = end === chunk.length ? chunk : chunk.subarray(0, end)
    if (part.length > 0) {
      this.requestBodyStarted = true
      if (this.meter !== undefined) this.meter.receivedBytes += part.length
      if (!backend.socket.write(part)) {
        this.waitingForBackendDrain = true
        this.client.pauseReading()
      }
    }
    if (framer.done) {
      this.phase = ExchangePhase.Awaiting
      if (end < chunk.length) this.client.enqueue(chunk.subarray(end))
    }
  }

  onBackendDrain(): void {
    if (!this.waitingForBackendDrain) return
    this.waitingForBackendDrain = false
    this.client.resumeReading()
  }

  onClientDrain(): void {
    if (!this.waitingForClientDrain) return
    this.waitingForClientDrain = false
    this.backend?.resumeReading()
  }

  /** Write bytes read from the instance; a borrowed read buffer is accounted until written. */
  private writeInstanceBytes(data: Buffer): boolean {
    const backend = this.backend
    if (backend === undefined || !backend.lending) return this.client.write(data)
    backend.borrowed++
    return this.client.write(data, () => { backend.returnBorrowed(!(this.waitingForClientDrain && this.backend === backend)); })
  }

  onBackendData(chunk: Buffer): void {
    if (!this.responseHeadDone) this.readResponseHead(chunk)
    else this.relayResponseBody(chunk, 0)
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
      const quick = mayRelayResponseHead(request.minor, this.upstream.config.stickiness, this.stickyInsert) ? quickScanResponseHead(text) : undefined
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
        if (request.minor === 1) this.writeInstanceBytes(data.subarray(0, bodyStart))
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
    const client = this.client
    if (this.meter !== undefined) this.meter.respondedAt = performance.now()
    this.status = response.status
    this.responseStarted = true
    this.responseHeadDone = true
    const framer = responseFramer(request, response)
    this.responseFramer = framer
    if (framer instanceof UntilCloseFramer || !response.keepAlive) this.backendReusable = false
    if (framer instanceof UntilCloseFramer || (response.chunked && request.minor === 0)) this.close = true
    const stickiness = this.upstream.config.stickiness
    if (mayRelayResponseHead(request.minor, stickiness, this.stickyInsert) && responseHeadUnchanged(response) && (!this.closeAfter || response.headers.length === 0)) {
      // The common case: relay the instance's bytes as they came, head and body in one write (a
      // closing connection: the quick-scanned head with `Connection: close` stated, corked with the body).
      let end = bodyStart
      if (framer !== undefined) {
        end = framer.consume(data, bodyStart)
        if (end === -1) {
          client.onExchangeAborted()
          return
        }
        if (this.meter !== undefined) this.meter.sentBytes += end - bodyStart
      }
      const from = this.closeAfter ? bodyStart : 0
      if (from > 0) client.cork()
      if (from > 0) client.write(closingHead(data, response, bodyStart))
      if (end > from && !this.writeInstanceBytes(from === 0 && end === data.length ? data : data.subarray(from, end)) && framer !== undefined && !framer.done) {
        this.waitingForClientDrain = true
        this.backend?.socket.pause()
      }
      if (from > 0) client.uncork()
      if (framer === undefined || framer.done) {
        if (end < data.length) this.backendReusable = false
        this.responseFramer = undefined
        this.complete()
      }
      return
    }
    client.cork()
    if (!client.http09) {
      client.write(buildResponseHead(response, {
        stickiness,
        stickyInsert: this.stickyInsert,
        cookieValue: () => this.upstream.stickyCookie(this.slot),
        closeAfter: this.closeAfter,
        clientMinor: request.minor,
      }))
    }
    if (this.responseFramer === undefined) {
      if (bodyStart < data.length) this.backendReusable = false
      client.uncork()
      this.complete()
      return
    }
    if (bodyStart < data.length) this.relayResponseBody(data, bodyStart)
    client.uncork()
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
      this.client.onExchangeAborted()
      return
    }
    if (end > start) {
      const part = start === 0 && end === chunk.length ? chunk : chunk.subarray(start, end)
      if (this.meter !== undefined) this.meter.sentBytes += part.length
      if (!this.writeInstanceBytes(part) && !this.waitingForClientDrain) {
        this.waitingForClientDrain = true
        this.backend?.socket.pause()
      }
    }
    if (framer.done) {
      if (end < chunk.length) this.backendReusable = false
      this.responseFramer = undefined
      this.complete()
    }
  }

  onBackendEnd(): void {
    if (this.responseFramer instanceof UntilCloseFramer) {
      this.responseFramer = undefined
      this.backendReusable = false
      this.complete()
      return
    }
    this.backendClosed(undefined, true)
  }

  onBackendClose(error: Error | undefined): void {
    this.backendClosed(error, false)
  }

  private backendClosed(error: Error | undefined, ended: boolean): void {
    const backend = this.backend
    if (backend === undefined) return
    if (!this.responseHeadDone && this.responseBuffer === undefined) {
      // Nothing came back. A reused keep-alive connection may have been closed by the instance
      // just as we wrote: retry once on a new connection when the request can be replayed (idempotent).
      if (backend.reused && !this.retried && !this.requestBodyStarted && this.phase === ExchangePhase.Awaiting && mayReplay(this.request)) {
        this.retried = true
        this.backend = undefined
        backend.destroy()
        this.phase = ExchangePhase.Connecting
        this.acquireBackend(true)
        return
      }
      // Closed by the instance → 504; reset → 502 (ts-elb-error-message).
      if (this.meter !== undefined) this.meter.backendError = error
      this.failBeforeResponse(ended && error === undefined ? 504 : 502)
      return
    }
    if (!this.responseHeadDone) {
      this.failBeforeResponse(502)
      return
    }
    // Truncated response: the client must see the failure, not a short body.
    this.client.onExchangeAborted()
  }

  onBackendTimeout(): void {
    if (!this.responseStarted) this.failBeforeResponse(504)
    else this.client.onExchangeAborted()
  }

  /** The instance's answer is complete: hand the connection back and release the instance. */
  private complete(): void {
    const requestComplete = this.phase !== ExchangePhase.Body
    if (!requestComplete) {
      // The instance answered before the whole request body arrived: the rest cannot be skipped
      // reliably, so this exchange ends both connections.
      this.close = true
      this.backendReusable = false
    }
    this.meter?.report(this.client, this.upstream, this.slot, this.request, this.status, 'backend', false)
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
    this.phase = ExchangePhase.Done
    this.client.onExchangeDone(this, requestComplete)
  }

  /** Something failed before any response byte reached the client: answer with the LB's code. */
  private failBeforeResponse(status: number): void {
    const backend = this.backend
    this.backend = undefined
    backend?.destroy()
    if (this.responseStarted) {
      this.client.onExchangeAborted()
      return
    }
    this.meter?.report(this.client, this.upstream, this.slot, this.request, status, 'elb', false)
    this.releaseSlot()
    // The rest of the request cannot be delimited once we stop relaying it: close afterwards.
    if (this.requestIncomplete || status === 400 || status === 408) this.close = true
    this.phase = ExchangePhase.Done
    this.client.onExchangeFailed(this, status)
  }

  /** The client connection is going away: drop the back-end connection and the instance. */
  abandon(): void {
    if (this.phase === ExchangePhase.Done) return
    const backend = this.backend
    this.backend = undefined
    backend?.destroy()
    this.phase = ExchangePhase.Done
    this.meter?.report(this.client, this.upstream, this.slot, this.request, this.status, this.responseStarted ? 'backend' : 'elb', true)
    this.releaseSlot()
  }

  private releaseSlot(): void {
    const slot = this.slot
    if (slot === undefined) return
    this.slot = undefined
    slot.drop(this)
  }
}
