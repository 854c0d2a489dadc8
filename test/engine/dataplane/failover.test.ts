import {Agent, createServer, request as httpRequest, type Server} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'
import {HealthChecker} from '../../../src/engine/health/checker.js'
import {DataPlane} from '../../../src/engine/dataplane/index.js'
import type {EngineState, LoadBalancerRecord} from '../../../src/engine/model/types.js'
import {freePort, instance, listener, makeLoadBalancer, rawExchange} from './fixtures.js'

/**
 * Back-end failures (issue 9, defect 13): a request whose instance refuses the connection is sent
 * to another instance (it was never sent), and the instance stops drawing traffic until its next
 * passing health check. Real HealthChecker, real sockets.
 */

const LB = '127.1.0.41'
const A = '127.0.0.71'
const B = '127.0.0.72'

interface Backend {
  server: Server
  sockets: Set<Socket>
  served: number
  inFlight: number
  /** Called when a request arrives (after counting it in flight). */
  onRequest?: () => void
}

/** An HTTP back end on `host:port` that answers with its name, after `delayMs` when given. */
async function startBackend(host: string, port: number, name: string, delayMs = 0): Promise<Backend> {
  const backend: Backend = {server: createServer(), sockets: new Set(), served: 0, inFlight: 0}
  backend.server.keepAliveTimeout = 30_000
  backend.server.on('connection', socket => {
    backend.sockets.add(socket)
    socket.on('close', () => backend.sockets.delete(socket))
  })
  backend.server.on('request', (req, res) => {
    backend.inFlight++
    backend.onRequest?.()
    req.resume()
    const answer = (): void => {
      backend.inFlight--
      backend.served++
      res.end(name)
    }
    if (delayMs > 0) setTimeout(answer, delayMs)
    else req.on('end', answer)
  })
  await new Promise<void>((resolve, reject) => {
    backend.server.once('error', reject)
    backend.server.listen(port, host, resolve)
  })
  return backend
}

/** What kill -9 does to a server: the listener goes and every connection is reset. */
async function kill(backend: Backend): Promise<void> {
  const closed = new Promise<void>(resolve => backend.server.close(() => { resolve(); }))
  for (const socket of backend.sockets) socket.resetAndDestroy()
  await closed
}

function get(port: number, agent: Agent): Promise<{status: number; body: string}> {
  return new Promise(resolve => {
    const req = httpRequest({host: LB, port, path: '/', agent}, res => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => { resolve({status: res.statusCode ?? 0, body}); })
      res.on('error', () => { resolve({status: -1, body}); })
    })
    req.on('error', () => { resolve({status: -1, body: ''}); })
    req.end()
  })
}

function state(lb: LoadBalancerRecord): EngineState {
  return {
    formatVersion: 1, accountId: '123456789012', iam: {serverCertificates: []},
    regions: {'us-east-1': {loadBalancers: [lb], instances: lb.instances.map(i => ({...i, state: 'running' as const, launchTime: '', serve: []}))}},
  }
}

describe('data plane: a dead back end costs only what was in flight on it', () => {
  let checker: HealthChecker
  let dataPlane: DataPlane
  let port = 0
  let lbPort = 0
  let tcpPort = 0
  let a: Backend
  let b: Backend

  beforeAll(async () => {
    a = await startBackend(A, 0, 'A')
    port = (a.server.address() as AddressInfo).port
    b = await startBackend(B, port, 'B')
    // Probes every 30 s (scaled ×0.1: 3 s): the test runs between two probes.
    checker = new HealthChecker({timeScale: 0.1})
    dataPlane = new DataPlane({health: checker, portOffset: 0, timeScale: 0.1})
    lbPort = await freePort(LB)
    tcpPort = await freePort(LB)
    const lb = makeLoadBalancer({
      name: 'failover', localAddress: LB, listeners: [listener('HTTP', lbPort, 'HTTP', port), listener('TCP', tcpPort, 'TCP', port)],
      instances: [instance('i-a', A), instance('i-b', B)],
      healthCheck: {target: `TCP:${port}`, interval: 30, timeout: 5, unhealthyThreshold: 2, healthyThreshold: 2},
    })
    checker.apply(state(lb))
    await dataPlane.apply(state(lb))
    for (const deadline = Date.now() + 5000; !(checker.isRoutable('us-east-1', 'failover', 'i-a') && checker.isRoutable('us-east-1', 'failover', 'i-b'));) {
      if (Date.now() > deadline) throw new Error('instances did not go InService')
      await new Promise(resolve => setImmediate(resolve))
    }
  })

  /** Resolves on the checker's next `probe-passed` event for the instance (bounded: 10 s). */
  function nextPassingProbe(instanceId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`no passing probe for ${instanceId}`)) }, 10_000)
      const stop = checker.connect({healthChanged: event => {
        if (event.kind !== 'probe-passed' || event.instanceId !== instanceId) return
        clearTimeout(timer)
        stop()
        resolve()
      }})
    })
  }

  afterAll(async () => {
    checker.close()
    await dataPlane.close()
    for (const backend of [a, b]) if (backend.server.listening) await kill(backend)
  })

  test('one of two back ends refuses connections, its health check not yet noticed: 400 sequential requests, 0 failures', async () => {
    await kill(b)
    const agent = new Agent({keepAlive: true, maxSockets: 1})
    const statuses = new Map<number, number>()
    const servedBefore = a.served
    for (let i = 0; i < 400; i++) {
      const {status} = await get(lbPort, agent)
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
    }
    agent.destroy()
    expect(Object.fromEntries(statuses)).toEqual({200: 400})
    expect(a.served - servedBefore).toBe(400)
    // DescribeInstanceHealth keeps AWS's states: the probes have not failed yet.
    expect(checker.instanceHealth('us-east-1', 'failover', 'i-b')?.state).toBe('InService')

    // Back again: its next passing probe lets it take traffic.
    b = await startBackend(B, port, 'B')
    await nextPassingProbe('i-b')
    const again = new Agent({keepAlive: false})
    const bodies = new Set<string>()
    for (let i = 0; i < 20; i++) bodies.add((await get(lbPort, again)).body)
    again.destroy()
    expect([...bodies].sort()).toEqual(['A', 'B'])
  }, 30_000)

  test('a back end killed under load: failed requests ≤ requests in flight on it at that moment', async () => {
    // Slow answers (20 ms) so that requests are in flight on B when it dies.
    await kill(a)
    await kill(b)
    a = await startBackend(A, port, 'A', 20)
    b = await startBackend(B, port, 'B', 20)
    const clients = 8
    const total = 800
    let sent = 0
    let failed = 0
    let inFlightAtKill = -1
    const agents = Array.from({length: clients}, () => new Agent({keepAlive: true, maxSockets: 1}))
    const victim = b
    victim.onRequest = () => {
      // A quarter into the run, B dies while it is working on requests.
      if (sent < total / 4 || inFlightAtKill >= 0 || victim.inFlight < 2) return
      inFlightAtKill = victim.inFlight
      void kill(victim)
    }
    await Promise.all(agents.map(async agent => {
      while (sent < total) {
        sent++
        const {status} = await get(lbPort, agent)
        if (status !== 200) failed++
      }
    }))
    for (const agent of agents) agent.destroy()
    expect(inFlightAtKill).toBeGreaterThanOrEqual(2)
    expect(failed).toBeLessThanOrEqual(inFlightAtKill)
    expect(a.served).toBeGreaterThan(total / 2)
  }, 60_000)

  test('TCP listener: a connection to a refusing instance goes to another one before any byte is relayed', async () => {
    // B back and readmitted by a passing probe, then dead again: TCP connections must not notice.
    b = await startBackend(B, port, 'B')
    await nextPassingProbe('i-b')
    await kill(b)
    const replies: string[] = []
    for (let i = 0; i < 50; i++) replies.push(await rawExchange(LB, tcpPort, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'))
    expect(replies.filter(r => /^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nA$/.test(r))).toHaveLength(50)
  }, 30_000)
})
