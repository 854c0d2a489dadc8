import {connect} from 'node:net'
import {DataPlane, type ExchangeObserver, type ExchangeRecord} from '../../../src/engine/dataplane/index.js'
import {TestHealth, closeServer, freePort, instance, listener, makeLoadBalancer, rawExchange, startHttpBackend, stateOf} from './fixtures.js'

const LB_ADDRESS = '127.1.0.14'

/** Collects records and lets a test wait for the n-th one (no sleeps). */
class Collector implements ExchangeObserver {
  readonly needsHeaders = false
  readonly records: ExchangeRecord[] = []
  private waiters: {count: number; resolve: () => void}[] = []
  onExchangeComplete(record: ExchangeRecord): void {
    this.records.push(record)
    this.waiters = this.waiters.filter(w => {
      if (this.records.length < w.count) return true
      w.resolve()
      return false
    })
  }
  waitFor(count: number): Promise<void> {
    if (this.records.length >= count) return Promise.resolve()
    return new Promise(resolve => this.waiters.push({count, resolve}))
  }
}

describe('data plane: exchange observers', () => {
  const health = new TestHealth()
  const collectors = new Map<string, Collector>()
  let dataPlane: DataPlane
  let backend: Awaited<ReturnType<typeof startHttpBackend>>
  let httpPort: number
  let tcpPort: number
  let deadPort: number

  beforeAll(async () => {
    backend = await startHttpBackend('127.0.0.41', 'hello')
    httpPort = await freePort(LB_ADDRESS)
    tcpPort = await freePort(LB_ADDRESS)
    deadPort = await freePort(LB_ADDRESS)
    dataPlane = new DataPlane({
      health,
      portOffset: 0,
      observe: lb => {
        // Only `web` is observed: `quiet` shows a load balancer may have no observer at all.
        if (lb.loadBalancerName !== 'web') return undefined
        const collector = new Collector()
        collectors.set(lb.loadBalancerName, collector)
        return collector
      },
    })
    await dataPlane.apply(stateOf([
      makeLoadBalancer({
        name: 'web', localAddress: LB_ADDRESS,
        listeners: [listener('HTTP', httpPort, 'HTTP', backend.port), listener('TCP', tcpPort, 'TCP', backend.port), listener('HTTP', deadPort, 'HTTP', 1)],
        instances: [instance('i-web', '127.0.0.41')],
      }),
      makeLoadBalancer({name: 'quiet', localAddress: '127.1.0.15', listeners: [], instances: []}),
    ]))
  })

  afterAll(async () => {
    await dataPlane.close()
    await closeServer(backend.server)
  })

  test('a relayed HTTP answer reports instance, status, origin, ordered timings and bytes', async () => {
    const collector = collectors.get('web')
    expect(collectors.has('quiet')).toBe(false)
    if (collector === undefined) throw new Error('no observer made for web')
    const before = collector.records.length
    const reply = await rawExchange(LB_ADDRESS, httpPort, 'POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd')
    expect(reply).toMatch(/^HTTP\/1\.1 200/)
    await collector.waitFor(before + 1)
    const record = collector.records[before]
    expect(record).toMatchObject({
      region: 'us-east-1', loadBalancerName: 'web', instanceId: 'i-web', instanceHost: '127.0.0.41',
      status: 200, origin: 'backend', aborted: false, backendError: undefined, receivedBytes: 4, sentBytes: 5, clientAddress: '127.0.0.1',
    })
    expect(record?.request?.method).toBe('POST')
    expect(record?.listener.loadBalancerPort).toBe(httpPort)
    const r = record as ExchangeRecord
    expect(r.startedAt).toBeGreaterThan(0)
    expect(r.forwardedAt).toBeGreaterThanOrEqual(r.startedAt)
    expect(r.respondedAt).toBeGreaterThanOrEqual(r.forwardedAt)
    expect(r.endedAt).toBeGreaterThanOrEqual(r.respondedAt)
  })

  test("the load balancer's own answers: 400 for a bad head, 502 with the connection error when the instance refuses", async () => {
    const collector = collectors.get('web') as Collector
    const before = collector.records.length
    expect(await rawExchange(LB_ADDRESS, httpPort, 'GET / HTTP/1.1\r\nHost: h\r\nBad Header\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/)
    expect(await rawExchange(LB_ADDRESS, deadPort, 'GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 502/)
    await collector.waitFor(before + 2)
    expect(collector.records[before]).toMatchObject({status: 400, origin: 'elb', instanceId: undefined, forwardedAt: 0})
    const refused = collector.records[before + 1]
    expect(refused).toMatchObject({status: 502, origin: 'elb', instanceId: 'i-web', respondedAt: 0})
    expect((refused?.backendError as NodeJS.ErrnoException | undefined)?.code).toBe('ECONNREFUSED')
  })

  test('503 when no instance is routable, with no instance in the record', async () => {
    const collector = collectors.get('web') as Collector
    const before = collector.records.length
    health.set('i-web', false)
    try {
      expect(await rawExchange(LB_ADDRESS, httpPort, 'GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 503/)
    } finally {
      health.set('i-web', true)
    }
    await collector.waitFor(before + 1)
    expect(collector.records[before]).toMatchObject({status: 503, origin: 'elb', instanceId: undefined})
  })

  test('a TCP connection reports through the same observer when it ends', async () => {
    const collector = collectors.get('web') as Collector
    const before = collector.records.length
    const request = 'GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n'
    await new Promise<void>((resolve, reject) => {
      const socket = connect({host: LB_ADDRESS, port: tcpPort}, () => socket.write(request))
      socket.resume()
      socket.on('error', reject)
      socket.on('close', () => { resolve(); })
    })
    await collector.waitFor(before + 1)
    const record = collector.records[before]
    expect(record).toMatchObject({status: 0, origin: 'backend', instanceId: 'i-web', request: undefined, receivedBytes: request.length})
    expect(record?.listener.protocol).toBe('TCP')
    expect(record?.sentBytes).toBeGreaterThan(0)
  })
})
