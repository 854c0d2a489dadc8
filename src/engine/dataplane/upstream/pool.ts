import type {Socket} from 'node:net'
import {DIRECT_READ_BYTES} from '../../constants.js'
import {connectToInstance, type InstanceTarget} from './connector.js'

/**
 * Connections to one instance port, kept alive between requests (Classic ELB multiplexes client
 * requests onto back-end keep-alive connections). A hand-written pool rather than undici's: the
 * proxy relays bytes, so it needs the raw socket, not a request/response API.
 */

/** Something a forced close (deregistration, draining timeout, LB deletion) can end. */
export interface Closable {
  destroy(): void
}

/**
 * Receives a back-end connection's events while it serves a request. A handler that throws is
 * destroyed (it ends its own client connection), never the engine.
 */
export interface BackendHandler extends Closable {
  onBackendData(chunk: Buffer): void
  onBackendEnd(): void
  onBackendClose(error: Error | undefined): void
  onBackendTimeout(): void
  onBackendDrain(): void
}

function safely(handler: BackendHandler, step: () => void): void {
  try {
    step()
  } catch {
    handler.destroy()
  }
}

const COPY_BELOW_BYTES = 16 * 1024

export class BackendConnection implements Closable {
  handler: BackendHandler | undefined
  /** Served a request before: a failure before any response byte may be a stale keep-alive race. */
  reused = false
  closed = false
  /**
   * Plain connections read into one reusable buffer instead of a new Buffer per read. Chunks
   * handed to the handler are then only *borrowed*: whoever writes one elsewhere counts it here
   * until the write completes, and reading stays paused while any is outstanding.
   */
  readonly directReads: boolean
  /** True while the handler runs on a chunk that lives in the shared read buffer. */
  lending = false
  borrowed = 0
  /** When it went back to the pool (epoch ms), 0 while in use. */
  idleSince = 0
  private readPaused = false
  private timeoutMs = 0

  constructor(readonly socket: Socket, private readonly pool: BackendPool, direct?: {buffer: Buffer; bind(connection: BackendConnection): void}) {
    this.directReads = direct !== undefined
    if (direct !== undefined) {
      direct.bind(this)
    } else {
      socket.on('data', (chunk: Buffer) => { this.onChunk(chunk); })
    }
    socket.on('end', () => {
      const handler = this.handler
      if (handler) {
        safely(handler, () => { handler.onBackendEnd(); })
        return
      }
      // The instance closed an idle keep-alive connection: learn how long it keeps them.
      if (this.idleSince > 0) this.pool.noteIdleClose(Date.now() - this.idleSince)
      this.destroy()
    })
    socket.on('drain', () => this.handler?.onBackendDrain())
    socket.on('timeout', () => {
      const handler = this.handler
      if (handler) safely(handler, () => { handler.onBackendTimeout(); })
      else this.destroy()
    })
    socket.on('error', () => {
      // 'close' follows and reports it
    })
    socket.on('close', (hadError: boolean) => {
      this.closed = true
      this.pool.forget(this)
      const handler = this.handler
      this.handler = undefined
      if (handler) safely(handler, () => { handler.onBackendClose(hadError ? new Error('back-end connection reset') : undefined); })
    })
  }

  private onChunk(chunk: Buffer): void {
    const handler = this.handler
    if (handler === undefined) {
      this.destroy() // unsolicited bytes on an idle connection: it cannot be trusted any more
      return
    }
    // Inline guard on the hot path (no closure per chunk).
    try {
      handler.onBackendData(chunk)
    } catch {
      handler.destroy()
    }
  }

  /** A direct read: returns false (pause) while the chunk is still referenced by a pending write. */
  onDirectRead(chunk: Buffer): boolean {
    if (chunk.length <= COPY_BELOW_BYTES) {
      // Small answers: a copy is cheaper than pausing and resuming the socket around the write.
      this.onChunk(Buffer.from(chunk))
      return true
    }
    this.lending = true
    try {
      this.onChunk(chunk)
    } finally {
      this.lending = false
    }
    if (this.borrowed > 0) {
      this.readPaused = true
      return false
    }
    return true
  }

  /** A write of a borrowed chunk completed. */
  returnBorrowed(mayResume: boolean): void {
    this.borrowed--
    if (this.borrowed === 0 && this.readPaused && mayResume) {
      this.readPaused = false
      this.socket.resume()
    }
  }

  /** Resume reading unless a borrowed chunk is still being written. */
  resumeReading(): void {
    if (this.borrowed > 0) return
    this.readPaused = false
    this.socket.resume()
  }

  setIdleTimeout(ms: number): void {
    if (ms !== this.timeoutMs) {
      this.timeoutMs = ms
      this.socket.setTimeout(ms)
    }
  }

  /** Give the connection back for reuse by later requests. */
  release(): void {
    this.handler = undefined
    this.reused = true
    this.idleSince = Date.now()
    this.pool.release(this)
  }

  destroy(): void {
    this.handler = undefined
    if (!this.closed) {
      this.closed = true
      this.socket.destroy()
    }
    this.pool.forget(this)
  }
}

/**
 * Idle connections kept per instance. Idle connections only come from exchanges that ran at the
 * same time, so the connection caps (connection-limits.ts) bound them in practice, and the idle
 * timeout reaps them. A small bound (it was 256) made thousands of concurrent keep-alive clients
 * close and reopen instance connections on every burst: at 5,000 clients 550 µs of CPU per
 * request instead of about 100.
 */
const MAX_IDLE_PER_POOL = 8192

export class BackendPool {
  private readonly idle: BackendConnection[] = []
  private readonly all = new Set<BackendConnection>()
  private closing = false
  /**
   * Idle connections older than this are not reused. Starts unbounded (the LB idle timeout closes
   * them); once the instance is seen closing idle connections (Node's default keep-alive timeout
   * is 5 s), it becomes that lifetime minus a margin, which avoids sending a request on a
   * connection the instance is closing — a 502 that no retry can fix when the request has a body.
   */
  private maxIdleAgeMs = Number.POSITIVE_INFINITY

  constructor(readonly target: InstanceTarget) {}

  noteIdleClose(ageMs: number): void {
    this.maxIdleAgeMs = Math.min(this.maxIdleAgeMs, Math.max(100, ageMs - 500))
  }

  get size(): number {
    return this.all.size
  }

  get isClosing(): boolean {
    return this.closing
  }

  /** An idle connection, ready for a request, or undefined when there is none. */
  takeIdle(timeoutMs: number): BackendConnection | undefined {
    for (;;) {
      const connection = this.idle.pop()
      if (connection === undefined) return undefined
      if (connection.closed || connection.socket.destroyed) continue
      if (Date.now() - connection.idleSince > this.maxIdleAgeMs) {
        // Older than the instance keeps idle connections: it may be closing it right now.
        connection.destroy()
        continue
      }
      connection.idleSince = 0
      connection.setIdleTimeout(timeoutMs)
      return connection
    }
  }

  connect(timeoutMs: number, done: (error: Error | undefined, connection: BackendConnection | undefined) => void): void {
    let owner: BackendConnection | undefined
    const buffer = this.target.tls ? undefined : Buffer.allocUnsafe(DIRECT_READ_BYTES)
    const onread = buffer === undefined
      ? undefined
      : {buffer, callback: (n: number, b: Uint8Array) => owner?.onDirectRead(Buffer.from(b.buffer, b.byteOffset, n)) ?? false}
    const direct = buffer === undefined ? undefined : {buffer, bind: (c: BackendConnection) => (owner = c)}
    connectToInstance(this.target, 'request', timeoutMs, (error, socket) => {
      if (error !== undefined || socket === undefined) {
        done(error ?? new Error('connect failed'), undefined)
        return
      }
      if (this.closing) {
        socket.destroy()
        done(new Error('instance is no longer in service'), undefined)
        return
      }
      const connection = new BackendConnection(socket, this, direct)
      this.all.add(connection)
      connection.setIdleTimeout(timeoutMs)
      done(undefined, connection)
    }, {onread})
  }

  release(connection: BackendConnection): void {
    if (this.closing || connection.closed || this.idle.length >= MAX_IDLE_PER_POOL) {
      connection.destroy()
      return
    }
    this.idle.push(connection)
  }

  forget(connection: BackendConnection): void {
    this.all.delete(connection)
    const at = this.idle.indexOf(connection)
    if (at !== -1) this.idle.splice(at, 1)
  }

  /** Close idle connections now; busy ones end when their request does (draining). */
  closeIdle(): void {
    this.closing = true
    for (const connection of this.idle.splice(0)) connection.destroy()
  }

  destroyAll(): void {
    this.closing = true
    for (const connection of [...this.all]) connection.destroy()
    this.idle.length = 0
  }
}
