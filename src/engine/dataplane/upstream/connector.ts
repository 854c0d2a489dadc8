import {connect as netConnect, Socket, type TcpNetConnectOpts} from 'node:net'
import {connect as tlsConnect, type ConnectionOptions, type TLSSocket} from 'node:tls'
import {SOCKET_BUFFER_BYTES} from '../../constants.js'
import {faultedConnect} from '../../faults/connect-fault.js'
import {BackendAuthenticationError, presentedSpki} from './auth.js'

/**
 * The one way to an instance: every socket the engine opens to an instance — HTTP/HTTPS exchanges
 * (through `BackendPool`), TCP/SSL connections and health-check probes — is opened by
 * `connectToInstance`, and a failed one goes through `failOver`. So a fault on the path to an
 * instance, a security-group decision or a connection metric is written once, here. A lint rule
 * (eslint.config.js) and test/unit/engine/dataplane/connector.test.ts keep it the only one.
 */

/** Why the socket is opened (what a fault, a security-group check or a metric may tell apart). */
export type ConnectPurpose = 'request' | 'connection' | 'health-check'

export interface InstanceTarget {
  readonly instanceId: string
  readonly host: string
  readonly port: number
  readonly tls: boolean
  /** SPKI keys the instance must present; undefined = any certificate. */
  readonly keys: readonly string[] | undefined
  /** The load balancer's security-group check (security-groups.ts); undefined = nothing filtered. */
  readonly securityGroups?: ConnectionFilter | undefined
}

/** Decides, before any socket is opened, whether a connection is dropped (security groups: security-groups.ts). */
export interface ConnectionFilter {
  /** Undefined: connect. Otherwise a socket that never connects and fails `done` as a dropped connect would. */
  drop(target: InstanceTarget, timeoutMs: number, done: ConnectDone): Socket | undefined
}

export interface ConnectOptions {
  readonly allowHalfOpen?: boolean | undefined
  /** Read into one caller-owned buffer (plain sockets only). */
  readonly onread?: TcpNetConnectOpts['onread'] | undefined
  /** Proxy protocol header written before any payload byte (TCP/SSL listeners). */
  readonly proxyHeader?: string | undefined
}

export type ConnectDone = (error: Error | undefined, socket: Socket | undefined) => void

/**
 * Back-end TLS: Classic ELB does not apply the listener's negotiation policy to instance
 * connections, and it has no TLS 1.3 there. Health checks keep Node's defaults, without
 * verification, as before this module.
 */
const BACKEND_TLS: ConnectionOptions = {minVersion: 'TLSv1', maxVersion: 'TLSv1.2', ciphers: 'DEFAULT:@SECLEVEL=0', rejectUnauthorized: false}
const HEALTH_CHECK_TLS: ConnectionOptions = {rejectUnauthorized: false}

/**
 * Open a socket to `target`; `done` is called once: with the socket when it is connected (TLS:
 * handshake done and, with `keys`, the instance's key accepted; proxy header written), or with
 * the error (refused, reset, timed out within `timeoutMs`, TLS, authentication).
 */
export function connectToInstance(target: InstanceTarget, purpose: ConnectPurpose, timeoutMs: number, done: ConnectDone, options?: ConnectOptions): Socket {
  // Security groups first: a connection they drop never reaches the instance, whatever its faults.
  const dropped = target.securityGroups?.drop(target, timeoutMs, done)
  if (dropped !== undefined) return dropped
  // `elb-local fault set` (src/engine/faults): one check of an empty table when no fault is set.
  const faulted = faultedConnect(target, purpose, done)
  if (faulted !== undefined) return faulted
  let settled = false
  const settle = (error: Error | undefined, socket: Socket | undefined): void => {
    if (settled) return
    settled = true
    if (socket !== undefined && options?.proxyHeader !== undefined) socket.write(options.proxyHeader)
    done(error, socket)
  }
  let socket: Socket
  if (target.tls) {
    const tlsSocket: TLSSocket = tlsConnect({host: target.host, port: target.port, ...(purpose === 'health-check' ? HEALTH_CHECK_TLS : BACKEND_TLS)})
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
    const onread = options?.onread
    const connectOptions: TcpNetConnectOpts & {highWaterMark: number} = {
      host: target.host, port: target.port, allowHalfOpen: options?.allowHalfOpen ?? false, highWaterMark: SOCKET_BUFFER_BYTES,
      ...(onread === undefined ? {} : {onread}),
    }
    socket = netConnect(connectOptions)
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

/** A socket that is never connected: what a connection attempt the security groups drop hands back. */
export function unconnectedSocket(): Socket {
  return new Socket()
}

/** Errors of an instance that could not be reached (nothing was sent): failover and ejection apply. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])

/** Refused, reset or timed out on connect — not a TLS or back-end authentication failure (those stay 502). */
export function isUnreachable(error: Error | undefined): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return code !== undefined && UNREACHABLE.has(code)
}

/** What failover needs of a load balancer (`LoadBalancerRuntime`; generic so this module imports none of it). */
export interface Redispatcher<B, S> {
  backendFailed(backend: B, port: number, error: Error | undefined): void
  eject(backend: B): void
  select(selector: S, node: string, except?: B): B | undefined
}

/**
 * A connection to `failed` could not be made, so nothing was sent: the failure goes to the engine
 * log; when the instance was unreachable it stops drawing traffic until its next passing health
 * check (passive outlier detection) and, if `mayRedispatch`, another back end on `node` is chosen
 * (undefined: answer 502 / close the connection).
 */
export function failOver<B, S>(lb: Redispatcher<B, S>, failed: B, port: number, error: Error | undefined, selector: S, node: string, mayRedispatch: boolean): B | undefined {
  lb.backendFailed(failed, port, error)
  if (!isUnreachable(error)) return undefined
  lb.eject(failed)
  return mayRedispatch ? lb.select(selector, node, failed) : undefined
}
