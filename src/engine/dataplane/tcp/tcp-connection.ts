import type {Socket} from 'node:net'
import {DIRECT_READ_BYTES} from '../../constants.js'
import type {Backend} from '../backends/backend.js'
import {LinkedWork} from '../backends/work-list.js'
import {plainAddress, type ListenerContext} from '../listener-context.js'
import {report, type Observation} from '../observer.js'
import {connectToInstance, failOver} from '../upstream/connector.js'
import {proxyProtocolV1Header} from './proxy-protocol.js'

/**
 * One client connection on a TCP/SSL listener: an instance is chosen round-robin for the whole
 * connection and bytes are relayed unmodified both ways with backpressure (`pipe`). Each direction
 * ends on its own (half-close); no data either way for the idle timeout ends both.
 */

export class TcpConnection extends LinkedWork {
  private backend: Socket | undefined
  private slot: Backend | undefined
  private finished = false
  /** The observers this connection reports to (fixed when it is accepted). */
  private readonly observation: Observation
  private readonly startedAt: number
  private receivedBytes = 0
  private sentBytes = 0
  private backendError: Error | undefined
  /** The LB node (zone) this connection landed on. */
  private readonly node: string

  constructor(private readonly client: Socket, private readonly ctx: ListenerContext) {
    super()
    const lb = ctx.lb
    this.observation = ctx.observation
    this.startedAt = this.observation.observers.length > 0 ? performance.now() : 0
    client.on('error', () => {
      // 'close' follows
    })
    client.on('close', (hadError: boolean) => { this.onClientClose(hadError); })
    this.node = lb.assignNode()
    const slot = lb.select(lb.connectionSelector, this.node)
    if (slot === undefined) {
      // No healthy instance: the connection is closed (there is no protocol to say more in).
      this.finish()
      client.destroy()
      return
    }
    this.slot = slot
    slot.take(this)
    client.pause()
    client.setTimeout(lb.config.idleTimeoutMs, () => { this.destroy(); })
    this.connect(slot, true)
  }

  private connect(slot: Backend, mayFailOver: boolean): void {
    const {lb, config} = this.ctx
    const client = this.client
    const target = {
      instanceId: slot.instanceId, host: slot.host, port: config.instanceLocalPort, tls: config.backendTls, keys: config.backendKeys,
      securityGroups: lb.securityGroupCheck(config.instancePort),
    }
    // Plain instance connections read straight into one large buffer (half the syscalls of the
    // stream path for bulk downloads); TLS ones use the ordinary stream.
    const onread = config.backendTls
      ? undefined
      : {buffer: Buffer.allocUnsafe(DIRECT_READ_BYTES), callback: (n: number, buffer: Uint8Array) => this.onInstanceBytes(n, buffer)}
    const proxyHeader = config.proxyProtocol
      ? proxyProtocolV1Header(plainAddress(client.remoteAddress), client.remotePort ?? 0, plainAddress(client.localAddress), config.loadBalancerPort)
      : undefined
    connectToInstance(target, 'connection', lb.config.idleTimeoutMs, (error, backend) => {
      if (error !== undefined || backend === undefined || client.destroyed) {
        this.backendError = error
        backend?.destroy()
        if (error === undefined) {
          this.destroy()
          return
        }
        // Nothing was relayed yet: an unreachable instance stops drawing traffic; another one is tried once.
        const next = failOver(lb, slot, config.instanceLocalPort, error, lb.connectionSelector, this.node, mayFailOver && !client.destroyed)
        if (next !== undefined) {
          slot.drop(this)
          this.slot = next
          next.take(this)
          this.connect(next, false)
          return
        }
        this.destroy()
        return
      }
      this.relay(backend, onread !== undefined)
    }, {allowHalfOpen: true, onread, proxyHeader})
  }

  /**
   * Bytes from the instance, in the shared read buffer: write them to the client and stop reading
   * until that write has completed, since the next read would overwrite them.
   */
  private onInstanceBytes(n: number, buffer: Uint8Array): boolean {
    const backend = this.backend
    if (this.client.destroyed || backend === undefined) return false
    this.sentBytes += n
    let returned = false
    let flushed = false
    this.client.write(buffer.subarray(0, n), error => {
      flushed = true
      if (error === undefined || error === null) {
        if (returned) backend.resume()
      }
    })
    returned = true
    return flushed
  }

  private relay(backend: Socket, directReads: boolean): void {
    const client = this.client
    this.backend = backend
    backend.setTimeout(this.ctx.lb.config.idleTimeoutMs, () => { this.destroy(); })
    backend.on('error', () => {
      // 'close' follows
    })
    backend.on('close', (hadError: boolean) => {
      if (hadError) this.destroy()
      else client.destroySoon()
    })
    if (this.observation.observers.length > 0) {
      client.on('data', (chunk: Buffer) => (this.receivedBytes += chunk.length))
      if (!directReads) backend.on('data', (chunk: Buffer) => (this.sentBytes += chunk.length))
    }
    client.pipe(backend)
    if (directReads) backend.on('end', () => client.end())
    else backend.pipe(client)
    client.resume()
  }

  private onClientClose(hadError: boolean): void {
    this.ctx.connections.delete(this.client)
    if (hadError) this.backend?.destroy()
    else this.backend?.destroySoon()
    this.finish()
  }

  destroy(): void {
    this.client.destroy()
    this.backend?.destroy()
    this.finish()
  }

  private finish(): void {
    if (this.finished) return
    this.finished = true
    const slot = this.slot
    slot?.drop(this)
    if (this.observation.observers.length === 0) return
    const client = this.client
    report(this.observation, {
      region: this.ctx.lb.region,
      loadBalancerName: this.ctx.lb.name,
      zone: this.node,
      listener: this.ctx.config,
      client,
      clientAddress: plainAddress(client.remoteAddress),
      clientPort: client.remotePort ?? 0,
      instanceId: slot?.instanceId,
      instanceHost: slot?.host,
      request: undefined,
      status: 0,
      origin: slot === undefined ? 'elb' : 'backend',
      aborted: false,
      backendError: this.backendError,
      startedAt: this.startedAt,
      forwardedAt: this.startedAt,
      respondedAt: 0,
      endedAt: performance.now(),
      receivedBytes: this.receivedBytes,
      sentBytes: this.sentBytes,
    })
  }
}
