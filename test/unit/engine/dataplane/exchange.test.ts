import {createServer, type AddressInfo, type Server, type Socket} from 'node:net'
import {Backend} from '../../../../src/engine/dataplane/backends/backend.js'
import {compileListener} from '../../../../src/engine/dataplane/config.js'
import type {ConnectionDone, ExchangeClient, ExchangeEnding, ExchangeUpstream, Route} from '../../../../src/engine/dataplane/http/exchange-client.js'
import {HttpExchange} from '../../../../src/engine/dataplane/http/exchange.js'
import {parseRequestHead, type RequestHead} from '../../../../src/engine/dataplane/http/parse.js'
import {BackendPool, type BackendConnection} from '../../../../src/engine/dataplane/upstream/pool.js'
import {listener, makeLoadBalancer} from '../../../engine/dataplane/fixtures.js'

/**
 * `HttpExchange` alone: a fake client connection (records what is written and how the exchange
 * ended) and a fake upstream whose pools connect to real loopback "instances" run by the test.
 */

const lbRecord = makeLoadBalancer({name: 'web', localAddress: '127.1.0.9', listeners: [listener('HTTP', 80, 'HTTP', 8080)]})
const config = compileListener(lbRecord, listener('HTTP', 80, 'HTTP', 8080), [], 0)

type Ending = {kind: 'done'; requestComplete: boolean; closeAfter: boolean} | {kind: 'failed'; status: number; closeAfter: boolean} | {kind: 'aborted'}

class FakeClient implements ExchangeClient {
  readonly socket = undefined as unknown as Socket
  readonly clientIp = '192.0.2.7'
  readonly clientPort = 40000
  readonly node = ''
  readonly http09 = false
  written = ''
  paused = false
  private readonly queue: Buffer[] = []
  readonly ended: Promise<Ending>
  private end!: (ending: Ending) => void

  constructor() {
    this.ended = new Promise(resolve => { this.end = resolve })
  }

  write(data: Buffer | string, callback?: () => void): boolean {
    this.written += typeof data === 'string' ? data : data.toString('latin1')
    if (callback !== undefined) queueMicrotask(callback)
    return true
  }
  cork(): void { /* nothing buffered here */ }
  uncork(): void { /* nothing buffered here */ }
  pauseReading(): void { this.paused = true }
  resumeReading(): void { this.paused = false }
  isReadingPaused(): boolean { return this.paused }
  enqueue(chunk: Buffer): void { this.queue.push(chunk) }
  takeQueue(): Buffer | undefined {
    if (this.queue.length === 0) return undefined
    const data = Buffer.concat(this.queue)
    this.queue.length = 0
    return data
  }
  forwardedLines(): Buffer {
    return Buffer.from('X-Forwarded-For: 192.0.2.7\r\n\r\n', 'latin1')
  }
  onExchangeDone(exchange: ExchangeEnding, requestComplete: boolean): void {
    this.end({kind: 'done', requestComplete, closeAfter: exchange.closeAfter})
  }
  onExchangeFailed(exchange: ExchangeEnding, status: number): void {
    this.end({kind: 'failed', status, closeAfter: exchange.closeAfter})
  }
  onExchangeAborted(): void {
    this.end({kind: 'aborted'})
  }
}

class FakeUpstream implements ExchangeUpstream {
  readonly config = config
  readonly address = '127.1.0.9'
  readonly region = 'us-east-1'
  readonly loadBalancerName = 'web'
  readonly failures: {instanceId: string; code: string | undefined; mayRedispatch: boolean}[] = []
  readonly pools = new Map<Backend, BackendPool>()
  /** Where a failed connect goes next (undefined: 502). */
  next: Route | undefined

  constructor(ports: ReadonlyMap<Backend, number>) {
    for (const [backend, port] of ports) this.pools.set(backend, new BackendPool({instanceId: backend.instanceId, host: '127.0.0.1', port, tls: false, keys: undefined}))
  }
  private pool(backend: Backend): BackendPool {
    const pool = this.pools.get(backend)
    if (pool === undefined) throw new Error(`no pool for ${backend.instanceId}`)
    return pool
  }
  idleConnection(backend: Backend): BackendConnection | undefined {
    return this.pool(backend).takeIdle(2000)
  }
  connect(backend: Backend, done: ConnectionDone): void {
    this.pool(backend).connect(2000, done)
  }
  connectFailed(backend: Backend, error: Error | undefined, _node: string, mayRedispatch: boolean): Route | undefined {
    this.failures.push({instanceId: backend.instanceId, code: (error as NodeJS.ErrnoException | undefined)?.code, mayRedispatch})
    return mayRedispatch ? this.next : undefined
  }
  stickyCookie(): string {
    return 'COOKIE'
  }
  close(): void {
    for (const pool of this.pools.values()) pool.destroyAll()
  }
}

/** A loopback instance that runs `serve` on each connection and records what it received. */
async function instanceServer(serve: (socket: Socket, received: () => string) => void): Promise<{server: Server; port: number; received: string[]}> {
  const received: string[] = []
  const server = createServer(socket => {
    const at = received.push('') - 1
    socket.on('data', (chunk: Buffer) => { received[at] = (received[at] ?? '') + chunk.toString('latin1') })
    socket.on('error', () => undefined)
    serve(socket, () => received[at] ?? '')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {server, port: (server.address() as AddressInfo).port, received}
}

/** Answers each complete request head with `answer`. */
function answering(answer: string): (socket: Socket, received: () => string) => void {
  return (socket, received) => {
    let answered = 0
    socket.on('data', () => {
      const heads = received().split('\r\n\r\n').length - 1
      for (; answered < heads; answered++) socket.write(answer)
    })
  }
}

function request(text: string): RequestHead {
  const head = parseRequestHead(text)
  if (!('method' in head)) throw new Error(`rejected: ${text}`)
  return head
}

const servers: Server[] = []
const upstreams: FakeUpstream[] = []
afterEach(async () => {
  for (const upstream of upstreams.splice(0)) upstream.close()
  await Promise.all(servers.splice(0).map(s => new Promise(resolve => s.close(resolve))))
})

async function setUp(...serves: ((socket: Socket, received: () => string) => void)[]): Promise<{backends: Backend[]; upstream: FakeUpstream; received: string[][]}> {
  const backends: Backend[] = []
  const ports = new Map<Backend, number>()
  const received: string[][] = []
  for (const [i, serve] of serves.entries()) {
    const instance = await instanceServer(serve)
    servers.push(instance.server)
    const backend = new Backend(`i-${i}`, '127.0.0.1', 'us-east-1a', true)
    backends.push(backend)
    ports.set(backend, instance.port)
    received.push(instance.received)
  }
  const upstream = new FakeUpstream(ports)
  upstreams.push(upstream)
  return {backends, upstream, received}
}

function start(client: FakeClient, upstream: FakeUpstream, head: RequestHead, raw: string | undefined, backend: Backend, closeAfter = false): HttpExchange {
  const exchange = new HttpExchange(client, upstream, head, raw === undefined ? undefined : Buffer.from(raw, 'latin1'), closeAfter, true, undefined, {backend, stickyInsert: false})
  exchange.start()
  return exchange
}

describe('HttpExchange through a fake client and a fake upstream', () => {
  test('relays an answer unchanged, holds the back end while running and hands the connection back', async () => {
    const {backends: [backend], upstream, received} = await setUp(answering('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi'))
    if (backend === undefined) throw new Error('no backend')
    const client = new FakeClient()
    start(client, upstream, request('GET / HTTP/1.1\r\nHost: h'), 'GET / HTTP/1.1\r\nHost: h\r\n', backend)
    expect(backend.load).toBe(1)
    expect(await client.ended).toEqual({kind: 'done', requestComplete: true, closeAfter: false})
    expect(client.written).toBe('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi')
    expect(received[0]).toEqual(['GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 192.0.2.7\r\n\r\n'])
    expect(backend.load).toBe(0)
    // The keep-alive connection went back to the pool: the next exchange reuses it.
    const again = new FakeClient()
    start(again, upstream, request('GET /2 HTTP/1.1\r\nHost: h'), 'GET /2 HTTP/1.1\r\nHost: h\r\n', backend)
    expect((await again.ended).kind).toBe('done')
    expect(received[0]).toHaveLength(1)
    expect(upstream.pools.get(backend)?.size).toBe(1)
  })

  test('a refused connect is reported to the upstream and the exchange moves to the back end it names, once', async () => {
    const refusing = await instanceServer(() => undefined)
    await new Promise(resolve => refusing.server.close(resolve)) // its port now refuses
    const {backends: [good], upstream} = await setUp(answering('HTTP/1.1 204 No Content\r\n\r\n'))
    if (good === undefined) throw new Error('no backend')
    const dead = new Backend('i-dead', '127.0.0.1', 'us-east-1a', true)
    upstream.pools.set(dead, new BackendPool({instanceId: 'i-dead', host: '127.0.0.1', port: refusing.port, tls: false, keys: undefined}))
    upstream.next = {backend: good, stickyInsert: true}
    const client = new FakeClient()
    start(client, upstream, request('GET / HTTP/1.1\r\nHost: h'), 'GET / HTTP/1.1\r\nHost: h\r\n', dead)
    expect(await client.ended).toEqual({kind: 'done', requestComplete: true, closeAfter: false})
    expect(upstream.failures).toEqual([{instanceId: 'i-dead', code: 'ECONNREFUSED', mayRedispatch: true}])
    expect(dead.load).toBe(0)
    expect(good.load).toBe(0)
    // The moved request inserts the stickiness cookie only when the listener is sticky: this one is not.
    expect(client.written).toBe('HTTP/1.1 204 No Content\r\n\r\n')
  })

  test('a refused connect with nowhere else to go fails with 502 and releases the back end', async () => {
    const refusing = await instanceServer(() => undefined)
    await new Promise(resolve => refusing.server.close(resolve))
    const {upstream} = await setUp()
    const dead = new Backend('i-dead', '127.0.0.1', 'us-east-1a', true)
    upstream.pools.set(dead, new BackendPool({instanceId: 'i-dead', host: '127.0.0.1', port: refusing.port, tls: false, keys: undefined}))
    const client = new FakeClient()
    start(client, upstream, request('GET / HTTP/1.1\r\nHost: h'), 'GET / HTTP/1.1\r\nHost: h\r\n', dead)
    expect(await client.ended).toEqual({kind: 'failed', status: 502, closeAfter: false})
    expect(dead.load).toBe(0)
    expect(client.written).toBe('')
  })

  test('an instance that closes without answering is a 504; one that resets mid-response aborts the client', async () => {
    const {backends: [silent, truncating], upstream} = await setUp(
      (socket) => { socket.on('data', () => socket.end()) },
      (socket) => { socket.on('data', () => { socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial', () => socket.resetAndDestroy()) }) },
    )
    if (silent === undefined || truncating === undefined) throw new Error('no backends')
    const first = new FakeClient()
    start(first, upstream, request('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0'), undefined, silent)
    expect(await first.ended).toEqual({kind: 'failed', status: 504, closeAfter: false})
    const second = new FakeClient()
    start(second, upstream, request('GET / HTTP/1.1\r\nHost: h'), undefined, truncating)
    expect(await second.ended).toEqual({kind: 'aborted'})
    expect(second.written.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true)
  })

  test('the client events: a timeout while the instance works changes nothing, a half-close closes after the answer', async () => {
    let answer: (() => void) | undefined
    const {backends: [backend], upstream} = await setUp((socket) => {
      socket.on('data', () => { answer = () => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n') })
    })
    if (backend === undefined) throw new Error('no backend')
    const client = new FakeClient()
    const exchange = start(client, upstream, request('GET / HTTP/1.1\r\nHost: h'), 'GET / HTTP/1.1\r\nHost: h\r\n', backend)
    while (answer === undefined) await new Promise(resolve => setImmediate(resolve))
    exchange.onClientTimeout()
    exchange.onClientEnd()
    expect(exchange.closeAfter).toBe(true)
    answer()
    expect(await client.ended).toEqual({kind: 'done', requestComplete: true, closeAfter: true})
  })

  test('a body that stops coming: the client timeout answers 408 before any response byte', async () => {
    const {backends: [backend], upstream, received} = await setUp(() => undefined)
    if (backend === undefined) throw new Error('no backend')
    const client = new FakeClient()
    const exchange = start(client, upstream, request('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10'), 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n', backend)
    while ((received[0]?.[0] ?? '') === '') await new Promise(resolve => setImmediate(resolve))
    exchange.onClientData(Buffer.from('abc'))
    exchange.onClientTimeout()
    expect(await client.ended).toEqual({kind: 'failed', status: 408, closeAfter: true})
    expect(exchange.requestIncomplete).toBe(true)
    expect(backend.load).toBe(0)
  })
})
