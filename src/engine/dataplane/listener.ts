import {isSecure} from '../model/elb/listeners.js'
import {SOCKET_BUFFER_BYTES} from '../constants.js'
import {constants as cryptoConstants} from 'node:crypto'
import {createServer as createNetServer, type Server, type Socket} from 'node:net'
import {TLSSocket, createSecureContext, createServer as createTlsServer, type SecureContextOptions} from 'node:tls'
import type {FrontTls, ListenerConfig} from './config.js'
import type {ConnectionBudget} from './connection-limits.js'
import {FrontConnection} from './http/front-connection.js'
import {ListenerUpstream} from './http/listener-upstream.js'
import {plainAddress, type ListenerContext} from './listener-context.js'
import type {LoadBalancerRuntime} from './load-balancer.js'
import type {Observation} from './observer.js'
import {TcpConnection} from './tcp/tcp-connection.js'
import type {ListenerStatus} from './types.js'
import {privilegedPortAdvice} from '../ports.js'

/**
 * One bound listener. The server is created once per (address, port, protocol); certificate,
 * negotiation policy, stickiness and back-end settings are swapped in place, so open connections
 * keep going and new ones get the new settings.
 */


/**
 * Client-initiated renegotiation (TLS ≤ 1.2) is refused with a `no_renegotiation` alert, as
 * HAProxy and nginx do: each one costs a full handshake of engine CPU on a connection already paid
 * for. Node's own limit (3 per 10 minutes) applies only after the fact.
 */
const NO_RENEGOTIATION = cryptoConstants.SSL_OP_NO_RENEGOTIATION

/**
 * Connections the kernel queues before they are accepted (Linux caps it at net.core.somaxconn).
 * With Node's 511, thousands of clients connecting at once overflowed it and waited out SYN
 * retransmits (1 s, 3 s, …), which load tools report as timeouts.
 */
const LISTEN_BACKLOG = 4096

const AT_CAPACITY = 'HTTP/1.1 503 Service Unavailable: Back-end server is at capacity\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'

function secureContextOptions(tls: FrontTls): SecureContextOptions {
  const p = tls.policy
  return {
    cert: tls.cert,
    key: tls.key,
    minVersion: p.minVersion,
    maxVersion: p.maxVersion,
    ciphers: p.ciphers,
    honorCipherOrder: p.honorCipherOrder,
    secureOptions: p.secureOptions | NO_RENEGOTIATION,
    // DHE-* suites need parameters; OpenSSL 3 picks ones matching the key size.
    dhparam: 'auto',
  }
}

/** Why a bind failed, in words that say what to do about it. */
export function bindErrorMessage(error: NodeJS.ErrnoException, address: string, port: number, requestedPort: number, portOffset: number): string {
  const where = `${address}:${port}`
  switch (error.code) {
    case 'EACCES':
      return `permission denied binding ${where}: ${portOffset > 0 ? `port ${port} (${requestedPort} + offset ${portOffset}) is still below 1024` : privilegedPortAdvice(requestedPort)}`
    case 'EADDRINUSE':
      return `address ${where} is already in use by another process`
    case 'EADDRNOTAVAIL':
      return `address ${address} is not available on this host (load balancers bind their own 127.x.y.z loopback address; on macOS add it with "sudo ifconfig lo0 alias ${address}")`
    case undefined:
    default:
      return `cannot bind ${where}: ${error.message}`
  }
}

export class ListenerRuntime {
  readonly ctx: ListenerContext
  /** HTTP/HTTPS exchanges' way to the instances (unused by TCP/SSL connections). */
  private readonly upstream: ListenerUpstream
  private readonly server: Server
  private state: {state: 'bound'} | {state: 'error'; error: string} = {state: 'error', error: 'not bound yet'}
  private tlsKey: string
  /** Connections refused because a cap was reached (connection-limits.ts). */
  private refused = 0

  constructor(
    lb: LoadBalancerRuntime,
    config: ListenerConfig,
    readonly address: string,
    readonly localPort: number,
    stickySecret: Buffer,
    observation: Observation,
    private readonly budget: ConnectionBudget,
  ) {
    this.ctx = {lb, config, address, stickySecret, observation, connections: new Set<Socket>()}
    this.upstream = new ListenerUpstream(this.ctx)
    this.tlsKey = tlsFingerprint(config.tls)
    const secure = isSecure(config.protocol)
    if (secure) {
      const usable = this.usableTls(config)
      const server = createTlsServer({
        allowHalfOpen: true, noDelay: true, highWaterMark: SOCKET_BUFFER_BYTES,
        // A handshake gets one idle timeout (as of the listener's start), not Node's 120 s.
        handshakeTimeout: lb.config.idleTimeoutMs,
        ...(usable ? secureContextOptions(usable) : {}),
      })
      server.on('secureConnection', (socket: TLSSocket) => { this.accept(socket); })
      server.on('tlsClientError', (_error, socket: TLSSocket) => {
        // A refused handshake (protocol/cipher outside the policy) is the client's problem; Node
        // leaves a timed-out one open, so end it here.
        socket.destroy()
      })
      this.server = server
    } else {
      this.server = createNetServer({allowHalfOpen: true, noDelay: true, highWaterMark: SOCKET_BUFFER_BYTES}, socket => { this.accept(socket); })
    }
    if (secure) {
      // TLS sockets are tracked from accept, so deleting the listener also ends handshakes.
      this.server.on('connection', (socket: Socket) => {
        // A listener whose certificate or policy cannot serve refuses before any handshake.
        const current = this.ctx.config
        if (current.tls === undefined || !current.tls.policy.usable) socket.destroy()
        else this.admit(socket)
      })
    }
  }

  /** Count a new client connection in and track it, or refuse it when a cap is reached. */
  private admit(socket: Socket): boolean {
    // The LB's security groups do not admit the client: closed before any byte is answered.
    if (!this.ctx.lb.admitsClient(plainAddress(socket.remoteAddress), this.ctx.config.loadBalancerPort)) {
      socket.on('error', () => {
        // the client went away first
      })
      socket.destroy()
      return false
    }
    const connections = this.ctx.connections
    if (!this.budget.admit(connections.size)) {
      this.refused++
      socket.on('error', () => {
        // the client went away first
      })
      // Classic ELB answers an HTTP request it has no room for with 503 (spillover); TCP and the
      // secure listeners (no handshake spent on it) just close.
      if (this.ctx.config.layer7 && !isSecure(this.ctx.config.protocol)) {
        socket.end(AT_CAPACITY, 'latin1')
        socket.destroySoon()
      } else {
        socket.destroy()
      }
      return false
    }
    connections.add(socket)
    socket.once('close', () => {
      connections.delete(socket)
      this.budget.release()
    })
    return true
  }

  get config(): ListenerConfig {
    return this.ctx.config
  }

  /**
   * The TLS settings if OpenSSL accepts them; otherwise the config is replaced by one that says why
   * (e.g. a private key that does not match the certificate) and the listener refuses connections.
   */
  private usableTls(config: ListenerConfig): FrontTls | undefined {
    if (config.tls === undefined) return undefined
    try {
      createSecureContext(secureContextOptions(config.tls))
      return config.tls
    } catch (error) {
      this.ctx.config = {...config, tls: undefined, tlsError: `the certificate cannot be served: ${error instanceof Error ? error.message : String(error)}`}
      return undefined
    }
  }

  private accept(socket: Socket): void {
    // Plain sockets are counted and tracked here (TLS ones on 'connection', before the handshake).
    if (!(socket instanceof TLSSocket) && !this.admit(socket)) return
    if (this.ctx.config.layer7) new FrontConnection(socket, this.ctx, this.upstream)
    else new TcpConnection(socket, this.ctx)
  }

  bind(portOffset: number): Promise<void> {
    return new Promise(resolve => {
      const onError = (error: NodeJS.ErrnoException): void => {
        this.state = {state: 'error', error: bindErrorMessage(error, this.address, this.localPort, this.ctx.config.loadBalancerPort, portOffset)}
        resolve()
      }
      this.server.once('error', onError)
      this.server.listen({host: this.address, port: this.localPort, backlog: LISTEN_BACKLOG}, () => {
        this.server.off('error', onError)
        this.server.on('error', () => {
          // errors after bind belong to single connections
        })
        this.state = this.ctx.config.tlsError === undefined ? {state: 'bound'} : {state: 'error', error: this.ctx.config.tlsError}
        resolve()
      })
    })
  }

  /** New settings for the same port and protocols: applies to new connections and requests. */
  update(config: ListenerConfig): void {
    this.ctx.config = config
    const key = tlsFingerprint(config.tls)
    if (key !== this.tlsKey && config.tls !== undefined && 'setSecureContext' in this.server) {
      const usable = this.usableTls(config)
      const server = this.server as Server & {setSecureContext(options: SecureContextOptions): void}
      if (usable !== undefined) server.setSecureContext(secureContextOptions(usable))
    }
    this.tlsKey = key
    config = this.ctx.config
    if (this.state.state === 'error' && this.server.listening) {
      this.state = config.tlsError === undefined ? {state: 'bound'} : {state: 'error', error: config.tlsError}
    } else if (this.state.state === 'bound' && config.tlsError !== undefined) {
      this.state = {state: 'error', error: config.tlsError}
    }
  }

  setObservation(observation: Observation): void {
    this.ctx.observation = observation
  }

  status(region: string, loadBalancerName: string): ListenerStatus {
    return {
      region,
      loadBalancerName,
      protocol: this.ctx.config.protocol,
      loadBalancerPort: this.ctx.config.loadBalancerPort,
      address: this.address,
      localPort: this.localPort,
      ...this.state,
      ...(this.notOffered.length > 0 ? {notOffered: this.notOffered} : {}),
      ...(this.ctx.connections.size > 0 ? {openConnections: this.ctx.connections.size} : {}),
      ...(this.refused > 0 ? {refusedConnections: this.refused} : {}),
    }
  }

  /** Enabled protocols/ciphers of the listener's negotiation policy that OpenSSL cannot offer. */
  get notOffered(): readonly string[] {
    return this.ctx.config.tls?.policy.unsupported ?? []
  }

  get error(): string | undefined {
    return this.state.state === 'error' ? this.state.error : undefined
  }

  /** Stop accepting and end every connection of this listener now. */
  close(): Promise<void> {
    return new Promise(resolve => {
      for (const socket of this.ctx.connections) socket.destroy()
      this.ctx.connections.clear()
      if (!this.server.listening) {
        resolve()
        return
      }
      this.server.close(() => { resolve(); })
    })
  }
}

function tlsFingerprint(tls: FrontTls | undefined): string {
  if (tls === undefined) return ''
  const p = tls.policy
  return JSON.stringify([tls.cert, tls.key, p.minVersion, p.maxVersion, p.ciphers, p.honorCipherOrder, p.secureOptions])
}
