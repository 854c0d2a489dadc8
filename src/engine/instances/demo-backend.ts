/**
 * The small server a demo instance runs on each `serve` port: every request (health checks
 * included) gets `200` and a JSON body naming the instance that served it and echoing the request
 * line and headers it received — so traffic through a load balancer can be traced to an instance.
 * A PROXY protocol v1 line in front of the request (ELB's ProxyProtocolPolicyType) is accepted,
 * stripped and echoed too. A fault set on the instance (`elb-local fault set`) changes the answer.
 */
import {createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'
import {createServer as createNetServer, type Server as NetServer, type Socket} from 'node:net'
import {behaviourFault, misbehave} from '../faults/behaviour.js'
import type {ServeProtocol} from '../model/types.js'

export interface DemoBackendOptions {
  readonly instanceId: string
  readonly privateIp: string
  /** The port as the API knows it (`serve` spec), before any privileged-port offset. */
  readonly port: number
  readonly protocol: ServeProtocol
  readonly tls?: {readonly cert: string; readonly key: string}
}

export interface DemoResponseBody {
  readonly instanceId: string
  readonly privateIp: string
  readonly port: number
  readonly protocol: ServeProtocol
  readonly request: {readonly method: string; readonly url: string; readonly httpVersion: string}
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly rawHeaders: readonly string[]
  readonly remoteAddress?: string
  readonly remotePort?: number
  readonly proxyProtocol?: string
}

const PROXY_LINE_MAX = 108

export class DemoBackend {
  private readonly front: NetServer
  private readonly app: HttpServer
  private readonly sockets = new Set<Socket>()
  /** PROXY lines by the client's address:port (the same on the raw socket and a TLS socket over it). */
  private readonly proxyLines = new Map<string, string>()

  constructor(readonly options: DemoBackendOptions) {
    const handler = (req: IncomingMessage, res: ServerResponse) => { this.answer(req, res); }
    this.app = options.protocol === 'https'
      ? createHttpsServer({cert: options.tls?.cert, key: options.tls?.key}, handler)
      : createHttpServer(handler)
    this.app.on('clientError', (_error, socket) => socket.destroy())
    this.front = createNetServer((socket) => { this.accept(socket); })
  }

  listen(localPort: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.front.once('error', reject)
      this.front.listen({host: this.options.privateIp, port: localPort, exclusive: true}, () => {
        this.front.off('error', reject)
        // Once listening, its only errors are failed accepts (out of descriptors): that client is turned away, the engine lives on.
        this.front.on('error', () => undefined)
        resolve()
      })
    })
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      for (const socket of this.sockets) socket.destroy()
      this.front.close(() => { resolve(); })
    })
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket)
    socket.once('close', () => this.sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    socket.once('readable', () => {
      const head = socket.read() as Buffer | null
      if (head === null) {
        socket.once('readable', () => { this.accept(socket); })
        return
      }
      let rest = head
      if (head.subarray(0, 6).toString('latin1') === 'PROXY ') {
        const end = head.indexOf('\r\n')
        if (end < 0 || end > PROXY_LINE_MAX) {
          socket.destroy()
          return
        }
        const peer = `${socket.remoteAddress ?? ''}:${socket.remotePort ?? 0}`
        this.proxyLines.set(peer, head.subarray(0, end).toString('latin1'))
        socket.once('close', () => this.proxyLines.delete(peer))
        rest = head.subarray(end + 2)
      }
      if (rest.length > 0) socket.unshift(rest)
      this.app.emit('connection', socket)
    })
  }

  /** A connection fault was set: open connections end as a stopped server's would, so pooled ones cannot bypass it. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy()
  }

  /** `elb-local fault set` makes the stand-in slow, silent or broken (src/engine/faults/behaviour.ts). */
  private answer(req: IncomingMessage, res: ServerResponse): void {
    const fault = behaviourFault(this.options.privateIp, req)
    if (fault === undefined) this.reply(req, res)
    else misbehave(fault, req, res, () => { this.reply(req, res); })
  }

  private reply(req: IncomingMessage, res: ServerResponse): void {
    const outer = req.socket
    const proxyProtocol = this.proxyLines.get(`${outer.remoteAddress ?? ''}:${outer.remotePort ?? 0}`)
    const body: DemoResponseBody = {
      instanceId: this.options.instanceId,
      privateIp: this.options.privateIp,
      port: this.options.port,
      protocol: this.options.protocol,
      request: {method: req.method ?? '', url: req.url ?? '', httpVersion: req.httpVersion},
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      ...(outer.remoteAddress === undefined ? {} : {remoteAddress: outer.remoteAddress}),
      ...(outer.remotePort === undefined ? {} : {remotePort: outer.remotePort}),
      ...(proxyProtocol === undefined ? {} : {proxyProtocol}),
    }
    const text = `${JSON.stringify(body, null, 2)}\n`
    req.resume()
    res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text)})
    res.end(req.method === 'HEAD' ? undefined : text)
  }
}
