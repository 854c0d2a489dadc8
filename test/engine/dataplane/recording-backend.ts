import {createServer, type AddressInfo, type Server, type Socket} from 'node:net'

/**
 * A raw TCP back end that records every byte it receives and answers each request it reads with
 * `<method> <target>` as the body. Its parser is deliberately as lenient as the worst servers
 * behind a proxy (bare LF ends a line, `_` and `-` are the same in names, any whitespace is
 * trimmed, `chunked` anywhere in Transfer-Encoding counts, bare-LF chunk lines), so anything
 * ambiguous the load balancer lets through shows up as an extra request here.
 */
export class RecordingBackend {
  readonly server: Server
  port = 0
  /** Requests read, in order, as `METHOD target`. */
  readonly requests: string[] = []
  private received = ''
  private connections = 0
  private readonly sockets = new Set<Socket>()
  private waiters: {until: string; resolve: () => void}[] = []
  /** Connections the load balancer closed (or reset), in total. */
  closed = 0

  constructor(private readonly host: string) {
    this.server = createServer(socket => { this.accept(socket); })
  }

  async start(): Promise<this> {
    await new Promise<void>(resolve => this.server.listen(0, this.host, resolve))
    this.port = (this.server.address() as AddressInfo).port
    return this
  }

  /** Everything received since the last call (all connections, in arrival order), and the requests read. */
  take(): {bytes: string; requests: string[]; connections: number} {
    const out = {bytes: this.received, requests: this.requests.splice(0), connections: this.connections}
    this.received = ''
    this.connections = 0
    return out
  }

  /** Resolves once the bytes received since the last `take()` contain `until`. */
  receivedText(until: string): Promise<void> {
    if (this.received.includes(until)) return Promise.resolve()
    return new Promise(resolve => this.waiters.push({until, resolve}))
  }

  /** Resolves when the next connection closes. */
  nextClose(): Promise<void> {
    return new Promise(resolve => { this.closeWaiters.push(resolve) })
  }

  private closeWaiters: (() => void)[] = []

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>(resolve => this.server.close(() => { resolve(); }))
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket)
    this.connections++
    let buffer = ''
    socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1')
      this.received += text
      buffer += text
      this.waiters = this.waiters.filter(w => {
        if (!this.received.includes(w.until)) return true
        w.resolve()
        return false
      })
      for (;;) {
        const parsed = lenientRequest(buffer)
        if (parsed === 'incomplete') return
        if (parsed === 'garbage') {
          socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
          buffer = ''
          return
        }
        buffer = buffer.slice(parsed.length)
        this.requests.push(parsed.request)
        socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${parsed.request.length}\r\n\r\n${parsed.request}`)
      }
    })
    socket.on('error', () => undefined)
    socket.on('close', () => {
      this.sockets.delete(socket)
      this.closed++
      for (const resolve of this.closeWaiters.splice(0)) resolve()
    })
  }
}

type Parsed = {request: string; length: number} | 'incomplete' | 'garbage'

/** Read one line ending in LF (an optional CR before it is dropped). */
function line(text: string, at: number): {value: string; next: number} | undefined {
  const lf = text.indexOf('\n', at)
  if (lf === -1) return undefined
  return {value: text.slice(at, lf).replace(/\r$/, ''), next: lf + 1}
}

function lenientRequest(text: string): Parsed {
  const start = line(text, 0)
  if (start === undefined) return 'incomplete'
  const [method, target] = start.value.split(' ')
  if (method === undefined || target === undefined) return 'garbage'
  let at = start.next
  const headers = new Map<string, string>()
  for (;;) {
    const l = line(text, at)
    if (l === undefined) return 'incomplete'
    at = l.next
    if (l.value.trim() === '') break
    const colon = l.value.indexOf(':')
    if (colon === -1) continue
    headers.set(l.value.slice(0, colon).trim().toLowerCase().replace(/_/g, '-'), l.value.slice(colon + 1).trim())
  }
  const te = headers.get('transfer-encoding')
  if (te !== undefined && te.toLowerCase().includes('chunked')) {
    for (;;) {
      const size = line(text, at)
      if (size === undefined) return 'incomplete'
      const n = parseInt(size.value, 16)
      if (Number.isNaN(n)) return 'garbage'
      at = size.next
      if (n === 0) {
        for (;;) {
          const trailer = line(text, at)
          if (trailer === undefined) return 'incomplete'
          at = trailer.next
          if (trailer.value === '') return {request: `${method} ${target}`, length: at}
        }
      }
      if (text.length < at + n) return 'incomplete'
      at += n
      const end = line(text, at)
      if (end === undefined) return 'incomplete'
      at = end.next
    }
  }
  const length = parseInt(headers.get('content-length') ?? '0', 10) || 0
  if (text.length < at + length) return 'incomplete'
  return {request: `${method} ${target}`, length: at + length}
}
