/**
 * The engine's DNS responder: UDP and TCP (RFC 1035 §4.2.2, two-byte length prefix) on one port,
 * authoritative for the load balancers' names, NXDOMAIN for other names in the ELB zones, REFUSED
 * for everything else (it never recurses). TCP connections are bounded in number and closed when
 * idle; a TCP message can be at most 65535 bytes by its prefix, so a connection buffers no more.
 */
import {createSocket, type Socket as UdpSocket} from 'node:dgram'
import {createServer, type Server, type Socket} from 'node:net'
import {answerQuery, parseQuery, type Lookup} from './message.js'

export interface DnsResponderOptions {
  readonly host: string
  /** Ports to try in order (both UDP and TCP must bind the same one); 0 lets the kernel pick. */
  readonly ports: readonly number[]
  readonly lookup: (name: string) => Lookup
  readonly maxTcpConnections?: number
  readonly tcpIdleTimeoutMs?: number
  readonly log?: (line: string) => void
}

export interface DnsResponder {
  readonly host: string
  readonly port: number
  close(): Promise<void>
}

const DEFAULT_MAX_TCP_CONNECTIONS = 64
const DEFAULT_TCP_IDLE_TIMEOUT_MS = 10_000

export class DnsBindError extends Error {
  constructor(readonly host: string, readonly ports: readonly number[], readonly reasons: readonly string[]) {
    super(`The DNS responder cannot listen on ${host} (tried port ${ports.join(', ')}): ${reasons.join('; ')}.`)
    this.name = 'DnsBindError'
  }
}

/** Binds the first port of `ports` free on both UDP and TCP, and answers there. */
export async function startDnsResponder(options: DnsResponderOptions): Promise<DnsResponder> {
  const reasons: string[] = []
  for (const port of options.ports) {
    const tcp = createServer()
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject)
        tcp.listen({host: options.host, port, exclusive: true}, () => { tcp.off('error', reject); resolve() })
      })
    } catch (error) {
      reasons.push(`${port}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
      continue
    }
    const bound = (tcp.address() as {port: number}).port
    const udp = createSocket(options.host.includes(':') ? 'udp6' : 'udp4')
    try {
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject)
        udp.bind({address: options.host, port: bound, exclusive: true}, () => { udp.off('error', reject); resolve() })
      })
    } catch (error) {
      reasons.push(`${bound}/udp: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
      udp.close()
      await new Promise<void>((resolve) => tcp.close(() => { resolve() }))
      continue
    }
    return serve(options, tcp, udp, bound)
  }
  throw new DnsBindError(options.host, options.ports, reasons)
}

function serve(options: DnsResponderOptions, tcp: Server, udp: UdpSocket, port: number): DnsResponder {
  const log = options.log ?? (() => undefined)
  // parseQuery never throws by design; should it ever, one message goes unanswered, the engine stays up.
  const answer = (message: Buffer): Buffer | undefined => {
    try {
      return answerQuery(parseQuery(message), options.lookup)
    } catch (error) {
      log(`ERROR DNS: a ${message.length}-byte message could not be answered: ${error instanceof Error ? error.message : String(error)}`)
      return undefined
    }
  }
  udp.on('message', (message, peer) => {
    const reply = answer(message)
    if (reply !== undefined) udp.send(reply, peer.port, peer.address)
  })
  // A send to a vanished peer (ICMP unreachable) surfaces here: never a crash.
  udp.on('error', (error) => { log(`WARN DNS (UDP): ${error.message}`) })
  tcp.maxConnections = options.maxTcpConnections ?? DEFAULT_MAX_TCP_CONNECTIONS
  const sockets = new Set<Socket>()
  tcp.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.setTimeout(options.tcpIdleTimeoutMs ?? DEFAULT_TCP_IDLE_TIMEOUT_MS, () => socket.destroy())
    socket.on('error', () => socket.destroy())
    handleTcp(socket, answer)
  })
  tcp.on('error', (error) => { log(`WARN DNS (TCP): ${error.message}`) })
  return {
    host: options.host,
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await Promise.all([
        new Promise<void>((resolve) => tcp.close(() => { resolve() })),
        new Promise<void>((resolve) => { udp.close(() => { resolve() }) }),
      ])
    },
  }
}

/**
 * Length-prefixed messages, answered in order; a message that earns no answer closes the connection,
 * and so does a peer that sends faster than it reads. Chunks are joined only once a whole message is
 * there, so a peer trickling one byte at a time costs linear time.
 */
function handleTcp(socket: Socket, answer: (message: Buffer) => Buffer | undefined): void {
  let chunks: Buffer[] = []
  let buffered = 0
  /** Bytes needed before the next step: the 2-byte prefix, then prefix + message. */
  let need = 2
  const joined = (): Buffer => {
    if (chunks.length > 1) chunks = [Buffer.concat(chunks, buffered)]
    return chunks[0] ?? Buffer.alloc(0)
  }
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk)
    buffered += chunk.length
    while (buffered >= need) {
      const pending = joined()
      if (need === 2) {
        need = 2 + pending.readUInt16BE(0)
        continue
      }
      const reply = answer(pending.subarray(2, need))
      const rest = pending.subarray(need)
      chunks = rest.length === 0 ? [] : [rest]
      buffered = rest.length
      need = 2
      if (reply === undefined || socket.writableLength > MAX_UNREAD_REPLY_BYTES) {
        socket.destroy()
        return
      }
      const prefix = Buffer.alloc(2)
      prefix.writeUInt16BE(reply.length, 0)
      socket.write(Buffer.concat([prefix, reply]))
    }
  })
}

const MAX_UNREAD_REPLY_BYTES = 64 * 1024
