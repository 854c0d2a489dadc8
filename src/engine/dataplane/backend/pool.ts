import {connect as netConnect, type Socket, type TcpNetConnectOpts} from 'node:net'
import {connect as tlsConnect, type TLSSocket} from 'node:tls'
import {DIRECT_READ_BYTES, SOCKET_BUFFER_BYTES} from '../../constants.js'
import {BackendAuthenticationError, presentedSpki} from './auth.js'

/**
 * Connections to one instance port, kept alive between requests (Classic ELB multiplexes client
 * requests onto back-end keep-alive connections). A hand-written pool rather than undici's: the
 * proxy relays bytes, so it needs the raw socket, not a request/response API.
 */

/** Receives a back-end connection's events while it serves a request. */
export interface BackendHandler {
  onBackendData(chunk: Buffer): void
  onBackendEnd(): void
  onBackendClose(error: Error | undefined): void
  onBackendTimeout(): void
  onBackendDrain(): void
}

/** Something a forced close (deregistration, draining timeout, LB deletion) can end. */
export interface Closable {
  destroy(): void
}

export interface BackendTarget {
  readonly instanceId: string
  readonly host: string
  readonly port: number
  readonly tls: boolean
  /** SPKI keys the instance must present; undefined = any certificate. */
  readonly keys: readonly string[] | undefined
}

/**
 * The static back-end cipher suite: Classic ELB does not apply the listener's negotiation policy to
 * instance connections, and it has no TLS 1.3.
 */

const BACKEND_TLS = {minVersion: 'TLSv1', maxVersion: 'TLSv1.2', ciphers: 'DEFAULT:@SECLEVEL=0', rejectUnauthorized: false} as const

export function connectToInstance(
  target: BackendTarget,
  timeoutMs: number,
  done: (error: Error | undefined, socket: Socket | undefined) => void,
  allowHalfOpen = false,
  onread?: TcpNetConnectOpts['onread'],
): Socket {
  let settled = false
  const settle = (error: Error | undefined, socket: Socket | undefined): void => {
    if (settled) return
    settled = true
    done(error, socket)
  }
  let socket: Socket
  if (target.tls) {
    const tlsSocket: TLSSocket = tlsConnect({host: target.host, port: target.port, ...BACKEND_TLS})
    tlsSocket.once('secureConnect', () => {
      if (target.keys !== undefined) {
        const spki = presentedSpki(tlsSocket.getPeerX509Certificate())
        if (spki === undefined || !target.keys.includes(spki)) {
          tlsSocket.destroy()
          settle(new BackendAuthenticationError(target.instanceId), undefined)
          return
        }
      }
      tlsSocket.setTimeout(0)
      settle(undefined, tlsSocket)
    })
    socket = tlsSocket
  } else {
    // Node passes highWaterMark on to the socket's streams (not in @types/node's connect options).
    const options: TcpNetConnectOpts & {highWaterMark: number} = {
      host: target.host, port: target.port, allowHalfOpen, highWaterMark: SOCKET_BUFFER_BYTES, ...(onread === undefined ? {} : {onread}),
    }
    socket = netConnect(options)
    socket.once('connect', () => {
      socket.setTimeout(0)
      settle(undefined, socket)
    })
  }
  socket.setNoDelay(true)
  socket.setTimeout(timeoutMs, () => {
    if (!settled) {
      socket.destroy()
      settle(Object.assign(new Error(`connect to ${target.host}:${target.port} timed out`), {code: 'ETIMEDOUT'}), undefined)
    }
  })
  socket.once('error', (error: Error) => { settle(error, undefined); })
  socket.once('close', () => { settle(Object.assign(new Error('connection closed during connect'), {code: 'ECONNRESET'}), undefined); })
  return socket
}

const COPY_BELOW_BYTES = 16 * 1024

/** Errors of an instance that could not be reached (nothing was sent): failover and ejection apply. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])

/** Refused, reset or timed out on connect — not a TLS or back-end authentication failure (those stay 502). */
export function isUnreachable(error: Error | undefined): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return code !== undefined && UNREACHABLE.has(code)
}

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
      if (this.handler) {
        this.handler.onBackendEnd()
        return
      }
      // The instance closed an idle keep-alive connection: learn how long it keeps them.
      if (this.idleSince > 0) this.pool.noteIdleClose(Date.now() - this.idleSince)
      this.destroy()
    })
    socket.on('drain', () => this.handler?.onBackendDrain())
    socket.on('timeout', () => {
      if (this.handler) this.handler.onBackendTimeout()
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
      handler?.onBackendClose(hadError ? new Error('back-end connection reset') : undefined)
    })
  }

  private onChunk(chunk: Buffer): void {
    if (this.handler) this.handler.onBackendData(chunk)
    else this.destroy() // unsolicited bytes on an idle connection: it cannot be trusted any more
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

  constructor(readonly target: BackendTarget) {}

  noteIdleClose(ageMs: number): void {
    this.maxIdleAgeMs = Math.min(this.maxIdleAgeMs, Math.max(100, ageMs - 500))
  }

  get size(): number {
    return this.all.size
  }

  get isClosing(): boolean {
    return this.closing
  }

  /** Calls back synchronously with an idle connection when there is one. */
  acquire(timeoutMs: number, done: (error: Error | undefined, connection: BackendConnection | undefined) => void): void {
    for (;;) {
      const connection = this.idle.pop()
      if (connection === undefined) break
      if (connection.closed || connection.socket.destroyed) continue
      if (Date.now() - connection.idleSince > this.maxIdleAgeMs) {
        // Older than the instance keeps idle connections: it may be closing it right now.
        connection.destroy()
        continue
      }
      connection.idleSince = 0
      connection.setIdleTimeout(timeoutMs)
      done(undefined, connection)
      return
    }
    this.connect(timeoutMs, done)
  }

  connect(timeoutMs: number, done: (error: Error | undefined, connection: BackendConnection | undefined) => void): void {
    let owner: BackendConnection | undefined
    const buffer = this.target.tls ? undefined : Buffer.allocUnsafe(DIRECT_READ_BYTES)
    const onread = buffer === undefined
      ? undefined
      : {buffer, callback: (n: number, b: Uint8Array) => owner?.onDirectRead(Buffer.from(b.buffer, b.byteOffset, n)) ?? false}
    const direct = buffer === undefined ? undefined : {buffer, bind: (c: BackendConnection) => (owner = c)}
    connectToInstance(this.target, timeoutMs, (error, socket) => {
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
    }, false, onread)
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
