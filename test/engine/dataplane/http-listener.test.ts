import {Agent, request as httpRequest, type IncomingHttpHeaders} from 'node:http'
import {connect, createServer as createNetServer} from 'node:net'
import {DataPlane} from '../../../src/engine/dataplane/index.js'
import {
  TestHealth,
  closeServer,
  freePort,
  instance,
  listener,
  makeLoadBalancer,
  rawExchange,
  startHttpBackend,
  stateOf,
} from './fixtures.js'

const LB_ADDRESS = '127.1.0.11'

interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

function get(port: number, path: string, agent: Agent, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({host: LB_ADDRESS, port, path, agent, headers}, res => {
      let body = ''
      res.setEncoding('latin1')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => { resolve({status: res.statusCode ?? 0, headers: res.headers, body}); })
    })
    req.on('error', reject)
    req.end()
  })
}

describe('data plane: HTTP listener', () => {
  const health = new TestHealth()
  let dataPlane: DataPlane
  let lbPort: number
  let backendA: Awaited<ReturnType<typeof startHttpBackend>>
  let backendB: Awaited<ReturnType<typeof startHttpBackend>>
  const agent = new Agent({keepAlive: true, maxSockets: 1})

  function lbWith(instances: ReturnType<typeof instance>[], port = lbPort, extra: Parameters<typeof makeLoadBalancer>[0] extends infer T ? Partial<T> : never = {}) {
    return makeLoadBalancer({name: 'web', localAddress: LB_ADDRESS, listeners: [listener('HTTP', port, 'HTTP', backendA.port)], instances, ...extra})
  }

  beforeAll(async () => {
    // Both back ends listen on the same port number on their own instance address, like EC2.
    backendA = await startHttpBackend('127.0.0.21', 'A')
    backendB = await new Promise<Awaited<ReturnType<typeof startHttpBackend>>>((resolve, reject) => {
      void (async () => {
        for (let attempt = 0; attempt < 20; attempt++) {
          try {
            const b = await startHttpBackendOn('127.0.0.22', backendA.port, 'B')
            resolve(b)
            return
          } catch {
            // port taken on that address: try again with a fresh pair below
          }
        }
        reject(new Error('could not bind the second back end'))
      })()
    })
    lbPort = await freePort(LB_ADDRESS)
    dataPlane = new DataPlane({health, portOffset: 0})
    await dataPlane.apply(stateOf([lbWith([instance('i-a', '127.0.0.21'), instance('i-b', '127.0.0.22')])]))
  })

  afterAll(async () => {
    agent.destroy()
    await dataPlane.close()
    await closeServer(backendA.server)
    await closeServer(backendB.server)
  })

  test('the listener is bound and reported', () => {
    expect(dataPlane.listenerStatus()).toEqual([
      {region: 'us-east-1', loadBalancerName: 'web', protocol: 'HTTP', loadBalancerPort: lbPort, address: LB_ADDRESS, localPort: lbPort, state: 'bound'},
    ])
  })

  test('requests on one keep-alive connection alternate between two idle instances', async () => {
    const bodies: string[] = []
    for (let i = 0; i < 6; i++) bodies.push((await get(lbPort, '/', agent)).body)
    expect(bodies.filter(b => b === 'A')).toHaveLength(3)
    expect(bodies.filter(b => b === 'B')).toHaveLength(3)
  })

  test('least outstanding requests: a slow instance gets fewer requests', async () => {
    const slow = await startHttpBackend('127.0.0.23', 'slow', (req, res) => {
      req.resume()
      setTimeout(() => res.end('slow'), 300)
    })
    const fast = await startHttpBackendOn('127.0.0.24', slow.port, 'fast')
    const port = await freePort(LB_ADDRESS)
    const lb = makeLoadBalancer({name: 'lor', localAddress: LB_ADDRESS, listeners: [listener('HTTP', port, 'HTTP', slow.port)],
      instances: [instance('i-slow', '127.0.0.23'), instance('i-fast', '127.0.0.24')]})
    await dataPlane.apply(stateOf([lbWith([instance('i-a', '127.0.0.21'), instance('i-b', '127.0.0.22')]), lb]))
    const many = new Agent({keepAlive: true, maxSockets: 4})
    const results = await Promise.all(Array.from({length: 20}, () => get(port, '/', many)))
    many.destroy()
    const slowCount = results.filter(r => r.body === 'slow').length
    expect(slowCount).toBeGreaterThan(0)
    expect(slowCount).toBeLessThan(8)
    await closeServer(slow.server)
    await closeServer(fast.server)
  })

  test('X-Forwarded-For is appended, Proto and Port are set, hop-by-hop headers are stripped', async () => {
    backendA.requests.length = 0
    backendB.requests.length = 0
    const reply = await rawExchange(LB_ADDRESS, lbPort,
      'GET /xff HTTP/1.1\r\nHost: example.com\r\nX-Forwarded-For: 198.51.100.7\r\nX-Forwarded-Proto: https\r\n' +
      'Connection: close, X-Secret\r\nX-Secret: hop\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nX-Kept: yes\r\n\r\n')
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(reply).toMatch(/\r\nConnection: close\r\n/)
    const seen = [...backendA.requests, ...backendB.requests].find(r => r.url === '/xff')
    expect(seen?.headers['x-forwarded-for']).toBe('198.51.100.7, 127.0.0.1')
    expect(seen?.headers['x-forwarded-proto']).toBe('http')
    expect(seen?.headers['x-forwarded-port']).toBe(String(lbPort))
    expect(seen?.headers['x-kept']).toBe('yes')
    expect(seen?.headers['x-secret']).toBeUndefined()
    expect(seen?.headers['keep-alive']).toBeUndefined()
    expect(seen?.headers.te).toBeUndefined()
    expect(seen?.headers.host).toBe('example.com')
  })

  test('an HTTP/1.0 request without Host gets the LB node address as Host', async () => {
    backendA.requests.length = 0
    backendB.requests.length = 0
    const reply = await rawExchange(LB_ADDRESS, lbPort, 'GET /old HTTP/1.0\r\n\r\n')
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    const seen = [...backendA.requests, ...backendB.requests].find(r => r.url === '/old')
    expect(seen?.headers.host).toBe(LB_ADDRESS)
  })

  test('HTTP/0.9: a bare GET line is answered with the body alone, then the connection closes', async () => {
    const reply = await rawExchange(LB_ADDRESS, lbPort, 'GET /zero\r\n')
    expect(['A', 'B']).toContain(reply)
  })

  test('pipelined requests are answered in order', async () => {
    const reply = await rawExchange(LB_ADDRESS, lbPort,
      'GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    expect(reply.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(3)
  })

  test('the LB answers 400 to CONNECT and malformed lines, closes after Content-Length with Transfer-Encoding; 405 to long methods', async () => {
    expect(await rawExchange(LB_ADDRESS, lbPort, 'CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 BAD_REQUEST\r\n/)
    expect(await rawExchange(LB_ADDRESS, lbPort, 'GET /a b HTTP/1.1\r\nHost: a\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /)
    backendA.requests.length = 0
    backendB.requests.length = 0
    const smuggle = await rawExchange(LB_ADDRESS, lbPort,
      'POST /s HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n')
    // Ambiguous (AWS): forwarded chunked without Content-Length, then the connection closes, so
    // the pipelined GET /smuggled is never read (RFC 9112 §6.1).
    expect(smuggle).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Connection: close\r\n/)
    expect(smuggle.match(/HTTP\/1\.1/g)).toHaveLength(1)
    expect([...backendA.requests, ...backendB.requests].map(r => [r.url, r.headers['content-length'], r.headers['transfer-encoding']])).toEqual([['/s', undefined, 'chunked']])
    expect(await rawExchange(LB_ADDRESS, lbPort, `${'M'.repeat(128)} / HTTP/1.1\r\nHost: a\r\n\r\n`)).toMatch(/^HTTP\/1\.1 405 METHOD_NOT_ALLOWED\r\n/)
  })

  test('408 when a request head does not complete within the idle timeout', async () => {
    const port = await freePort(LB_ADDRESS)
    const quick = makeLoadBalancer({name: 'quick', localAddress: LB_ADDRESS, listeners: [listener('HTTP', port, 'HTTP', backendA.port)],
      instances: [instance('i-a', '127.0.0.21')],
      attributes: {crossZoneLoadBalancing: false, accessLog: {enabled: false}, connectionDraining: {enabled: false, timeout: 300}, idleTimeout: 1, additional: []}})
    await dataPlane.apply(stateOf([lbWith([instance('i-a', '127.0.0.21'), instance('i-b', '127.0.0.22')]), quick]))
    const started = Date.now()
    const reply = await rawExchange(LB_ADDRESS, port, 'GET / HTTP/1.1\r\nHost: slow', {timeoutMs: 5000})
    expect(reply).toMatch(/^HTTP\/1\.1 408 REQUEST_TIMEOUT\r\n/)
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
  })

  test('503 when no instance is routable, and traffic resumes when one is', async () => {
    health.set('i-a', false)
    health.set('i-b', false)
    const down = await get(lbPort, '/', agent)
    expect(down.status).toBe(503)
    health.set('i-b', true)
    const up = await get(lbPort, '/', agent)
    expect(up).toMatchObject({status: 200, body: 'B'})
    health.set('i-a', true)
  })

  test('a chunked request body and a chunked response stream through', async () => {
    const echo = await startHttpBackend('127.0.0.25', 'echo', (req, res) => {
      res.writeHead(200, {'content-type': 'text/plain'})
      req.on('data', (chunk: Buffer) => res.write(chunk))
      req.on('end', () => res.end('!'))
    })
    const port = await freePort(LB_ADDRESS)
    const lb = makeLoadBalancer({name: 'echo', localAddress: LB_ADDRESS, listeners: [listener('HTTP', port, 'HTTP', echo.port)], instances: [instance('i-echo', '127.0.0.25')]})
    await dataPlane.apply(stateOf([lbWith([instance('i-a', '127.0.0.21'), instance('i-b', '127.0.0.22')]), lb]))
    const reply = await rawExchange(LB_ADDRESS, port,
      'POST /e HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n')
    expect(reply).toMatch(/Transfer-Encoding: chunked/)
    expect(reply.replace(/\r\n[0-9a-f]+\r\n/g, '')).toMatch(/hello world!/)
    await closeServer(echo.server)
  })

  test('a port that cannot be bound is reported, never silent, and the rest keeps working', async () => {
    const port = await freePort(LB_ADDRESS)
    const squatter = createNetServer()
    await new Promise<void>(resolve => squatter.listen(port, LB_ADDRESS, resolve))
    const lines: string[] = []
    const logged = new DataPlane({health, portOffset: 0, log: line => lines.push(line)})
    await logged.apply(stateOf([lbWith([instance('i-a', '127.0.0.21')], port)]))
    expect(logged.listenerStatus()[0]).toMatchObject({state: 'error', error: `address ${LB_ADDRESS}:${port} is already in use by another process`})
    expect(lines.join('\n')).toMatch(new RegExp(`ERROR dataplane: listener us-east-1/web HTTP:${port} is not serving: address .* already in use`))
    await logged.close()
    await new Promise<void>(resolve => squatter.close(() => { resolve(); }))
    expect((await get(lbPort, '/', agent)).status).toBe(200)
  })

  test('deleting the load balancer closes its listener', async () => {
    const port = await freePort(LB_ADDRESS)
    await dataPlane.apply(stateOf([lbWith([instance('i-a', '127.0.0.21')], port)]))
    expect((await get(port, '/', new Agent())).status).toBe(200)
    await dataPlane.apply(stateOf([]))
    expect(dataPlane.listenerStatus()).toEqual([])
    await expect(new Promise((resolve, reject) => {
      const s = connect({host: LB_ADDRESS, port})
      s.on('connect', () => { resolve('connected'); })
      s.on('error', reject)
    })).rejects.toMatchObject({code: 'ECONNREFUSED'})
    await dataPlane.apply(stateOf([lbWith([instance('i-a', '127.0.0.21'), instance('i-b', '127.0.0.22')])]))
  })
})

async function startHttpBackendOn(host: string, port: number, name: string) {
  const {createServer} = await import('node:http')
  const requests: import('node:http').IncomingMessage[] = []
  const server = createServer((req, res) => {
    requests.push(req)
    req.resume()
    req.on('end', () => res.end(name))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, resolve)
  })
  return {server, port, requests}
}
