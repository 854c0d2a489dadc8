import {Agent, request as httpRequest} from 'node:http'
import {createServer as createNetServer, connect, type AddressInfo, type Server, type Socket} from 'node:net'
import {Readable} from 'node:stream'
import {createServer as createTlsServer, connect as tlsConnect} from 'node:tls'
import {DataPlane} from '../../../src/engine/dataplane/index.js'
import type {LoadBalancerRecord} from '../../../src/engine/model/types.js'
import {
  TestHealth,
  cleanupCerts,
  closeServer,
  freePort,
  instance,
  listener,
  makeKeyPair,
  makeLoadBalancer,
  policy,
  serverCertificate,
  startHttpBackend,
  stateOf,
} from './fixtures.js'

const LB_ADDRESS = '127.1.0.13'

/** A raw TCP back end that records what it receives and answers each half-closed stream with `bye`. */
async function startRawBackend(host: string, port = 0): Promise<{server: Server; port: number; received: string[]}> {
  const received: string[] = []
  const server = createNetServer({allowHalfOpen: true}, socket => {
    let text = ''
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')))
    socket.on('end', () => {
      received.push(text)
      socket.end(`bye:${text.length}`)
    })
    socket.on('error', () => undefined)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, resolve)
  })
  return {server, port: (server.address() as AddressInfo).port, received}
}

function halfCloseExchange(socket: Socket, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')))
    socket.on('end', () => { resolve(text); })
    socket.on('error', reject)
    socket.end(Buffer.from(payload, 'latin1'))
  })
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{status: number; body: string; setCookie: string[]; cacheControl: string | undefined}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({host: LB_ADDRESS, port, path, headers, agent: new Agent()}, res => {
      let body = ''
      res.setEncoding('latin1')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => { resolve({status: res.statusCode ?? 0, body, setCookie: res.headers['set-cookie'] ?? [], cacheControl: res.headers['cache-control']}); })
    })
    req.on('error', reject)
    req.end()
  })
}

describe('data plane: TCP/SSL, proxy protocol, stickiness, streaming, draining', () => {
  const health = new TestHealth()
  let dataPlane: DataPlane

  beforeAll(() => {
    dataPlane = new DataPlane({health, portOffset: 0, timeScale: 0.01})
  })

  afterAll(async () => {
    await dataPlane.close()
    cleanupCerts()
  })

  test('TCP: round robin per connection, proxy protocol v1 header first, bytes unmodified, half-close both ways', async () => {
    const a = await startRawBackend('127.0.0.41')
    const b = await startRawBackend('127.0.0.42', a.port)
    const port = await freePort(LB_ADDRESS)
    const lb = makeLoadBalancer({name: 'tcp', localAddress: LB_ADDRESS, listeners: [listener('TCP', port, 'TCP', a.port)],
      instances: [instance('i-a', '127.0.0.41'), instance('i-b', '127.0.0.42')],
      policies: [policy('pp', 'ProxyProtocolPolicyType', {ProxyProtocol: 'true'})],
      backendServers: [{instancePort: a.port, policyNames: ['pp']}]})
    await dataPlane.apply(stateOf([lb]))
    const payload = 'hello\r\n\u0000\u00ffbinary'
    const replies: string[] = []
    for (let i = 0; i < 4; i++) {
      const socket = connect({host: LB_ADDRESS, port})
      await new Promise(resolve => socket.once('connect', resolve))
      const localPort = socket.localPort
      replies.push(await halfCloseExchange(socket, payload))
      expect([...a.received, ...b.received]).toContain(`PROXY TCP4 127.0.0.1 ${LB_ADDRESS} ${String(localPort)} ${port}\r\n${payload}`)
    }
    expect(a.received).toHaveLength(2)
    expect(b.received).toHaveLength(2)
    expect(replies[0]).toMatch(/^bye:\d+$/)
    // Without the policy no header is sent.
    await dataPlane.apply(stateOf([{...lb, backendServers: []}]))
    const socket = connect({host: LB_ADDRESS, port})
    await new Promise(resolve => socket.once('connect', resolve))
    expect(await halfCloseExchange(socket, 'plain')).toBe('bye:5')
    await closeServer(a.server)
    await closeServer(b.server)
  })

  test('SSL to SSL: TLS terminated with the listener certificate and opened again to the instance', async () => {
    const lbPair = makeKeyPair('ssl-lb')
    const backendPair = makeKeyPair('ssl-backend')
    const backend = createTlsServer({cert: backendPair.cert, key: backendPair.key}, socket => {
      socket.on('data', (chunk: Buffer) => socket.write(`echo:${chunk.toString()}`))
      socket.on('error', () => undefined)
    })
    await new Promise<void>(resolve => backend.listen(0, '127.0.0.43', resolve))
    const backendPort = (backend.address() as AddressInfo).port
    const port = await freePort(LB_ADDRESS)
    const arn = 'arn:aws:iam::123456789012:server-certificate/ssl-lb'
    await dataPlane.apply(stateOf([makeLoadBalancer({name: 'ssl', localAddress: LB_ADDRESS,
      listeners: [listener('SSL', port, 'SSL', backendPort, {sslCertificateId: arn})], instances: [instance('i-ssl', '127.0.0.43')]})],
    [serverCertificate('ssl-lb', lbPair)]))
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = tlsConnect({host: LB_ADDRESS, port, rejectUnauthorized: false}, () => {
        expect(socket.getPeerCertificate().subject.CN).toBe('ssl-lb')
        expect(socket.getProtocol()).toBe('TLSv1.2')
        socket.write('ping')
      })
      socket.on('data', (chunk: Buffer) => {
        resolve(chunk.toString())
        socket.destroy()
      })
      socket.on('error', reject)
    })
    expect(reply).toBe('echo:ping')
    await closeServer(backend)
  })

  test('TCP with no routable instance closes the connection', async () => {
    const port = await freePort(LB_ADDRESS)
    await dataPlane.apply(stateOf([makeLoadBalancer({name: 'empty', localAddress: LB_ADDRESS, listeners: [listener('TCP', port, 'TCP', 9)], instances: []})]))
    const socket = connect({host: LB_ADDRESS, port})
    const text = await new Promise<string>(resolve => {
      let t = ''
      socket.on('data', (c: Buffer) => (t += c.toString()))
      socket.on('close', () => { resolve(t); })
      socket.on('error', () => undefined)
    })
    expect(text).toBe('')
  })

  describe('stickiness', () => {
    let a: Awaited<ReturnType<typeof startHttpBackend>>
    let b: Awaited<ReturnType<typeof startHttpBackend>>
    let port: number

    beforeAll(async () => {
      a = await startHttpBackend('127.0.0.44', 'A', (req, res) => {
        req.resume()
        if (req.url === '/login') res.setHeader('Set-Cookie', 'SESSION=s1; Path=/app_x; HttpOnly')
        res.end('A')
      })
      b = await startHttpBackend('127.0.0.45', 'B')
      await closeServer(b.server)
      b = await startHttpBackend('127.0.0.45', 'B', (req, res) => {
        req.resume()
        if (req.url === '/login') res.setHeader('Set-Cookie', 'SESSION=s2; Path=/app_x; HttpOnly')
        res.end('B')
      })
      port = await freePort(LB_ADDRESS)
    })

    afterAll(async () => {
      await closeServer(a.server)
      await closeServer(b.server)
    })

    function stickyLb(policyRecord: ReturnType<typeof policy>): LoadBalancerRecord {
      // Both back ends must share the instance port: re-bind B on A's port.
      return makeLoadBalancer({name: 'web', localAddress: LB_ADDRESS, listeners: [listener('HTTP', port, 'HTTP', a.port, {policyNames: [policyRecord.name]})],
        instances: [instance('i-a', '127.0.0.44'), instance('i-b', '127.0.0.45')], policies: [policyRecord]})
    }

    test('duration-based: AWSELB + AWSELBCORS + Cache-control once, then every request sticks; a down instance is replaced', async () => {
      await closeServer(b.server)
      b = await startHttpBackendOnPort('127.0.0.45', a.port, 'B')
      await dataPlane.apply(stateOf([stickyLb(policy('sticky', 'LBCookieStickinessPolicyType', {CookieExpirationPeriod: '30'}))]))
      const first = await get(port, '/')
      expect(first.setCookie).toHaveLength(2)
      expect(first.setCookie[0]).toMatch(/^AWSELB=[0-9A-F]+;PATH=\/;MAX-AGE=30$/)
      expect(first.setCookie[1]).toMatch(/^AWSELBCORS=[0-9A-F]+;PATH=\/;MAX-AGE=30;SECURE;SAMESITE=None$/)
      expect(first.cacheControl).toBe('no-cache="set-cookie"')
      const cookie = (first.setCookie[0] ?? '').split(';')[0] ?? ''
      for (let i = 0; i < 5; i++) {
        const next = await get(port, '/', {Cookie: cookie})
        expect(next.body).toBe(first.body)
        expect(next.setCookie).toEqual([])
      }
      health.set(first.body === 'A' ? 'i-a' : 'i-b', false)
      const moved = await get(port, '/', {Cookie: cookie})
      expect(moved.body).not.toBe(first.body)
      expect(moved.setCookie[0]).toMatch(/^AWSELB=/)
      health.set('i-a', true)
      health.set('i-b', true)
    })

    test('application-controlled: AWSELB follows the application cookie', async () => {
      await dataPlane.apply(stateOf([stickyLb(policy('app', 'AppCookieStickinessPolicyType', {CookieName: 'SESSION'}))]))
      expect((await get(port, '/')).setCookie).toEqual([])
      const login = await get(port, '/login')
      expect(login.setCookie[0]).toMatch(/^SESSION=s[12]; Path=\/app_x; HttpOnly$/)
      expect(login.setCookie[1]).toMatch(/^AWSELB=[0-9A-F]+;Path=\/app%5Fx;HttpOnly$/)
      const cookie = (login.setCookie[1] ?? '').split(';')[0] ?? ''
      for (let i = 0; i < 4; i++) expect((await get(port, '/', {Cookie: cookie})).body).toBe(login.body)
    })
  })

  test('a large request body and a large response stream through with bounded memory, even to a slow reader', async () => {
    const size = 384 * 1024 * 1024
    const backend = await startHttpBackend('127.0.0.46', 'big', (req, res) => {
      if (req.method === 'POST') {
        let n = 0
        req.on('data', (c: Buffer) => (n += c.length))
        req.on('end', () => res.end(String(n)))
        return
      }
      res.writeHead(200, {'content-length': String(size / 2)})
      Readable.from(chunks(size / 2)).pipe(res)
    })
    const port = await freePort(LB_ADDRESS)
    await dataPlane.apply(stateOf([makeLoadBalancer({name: 'big', localAddress: LB_ADDRESS, listeners: [listener('HTTP', port, 'HTTP', backend.port)], instances: [instance('i-big', '127.0.0.46')]})]))
    global.gc?.()
    const baseline = process.memoryUsage().rss
    let peak = baseline
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
    try {
      const uploaded = await new Promise<string>((resolve, reject) => {
        const req = httpRequest({host: LB_ADDRESS, port, method: 'POST', path: '/up', headers: {'content-length': String(size)}}, res => {
          let body = ''
          res.on('data', (c: Buffer) => (body += c.toString()))
          res.on('end', () => { resolve(body); })
        })
        req.on('error', reject)
        Readable.from(chunks(size)).pipe(req)
      })
      expect(uploaded).toBe(String(size))
      // A slow reader: pauses after every chunk; the proxy must stop reading from the instance.
      const downloaded = await new Promise<number>((resolve, reject) => {
        httpRequest({host: LB_ADDRESS, port, path: '/down'}, res => {
          let n = 0
          let chunksSeen = 0
          res.on('data', (c: Buffer) => {
            n += c.length
            if (++chunksSeen % 500 === 0) {
              res.pause()
              setTimeout(() => res.resume(), 5)
            }
          })
          res.on('end', () => { resolve(n); })
          res.on('error', reject)
        }).on('error', reject).end()
      })
      expect(downloaded).toBe(size / 2)
    } finally {
      clearInterval(sampler)
      await closeServer(backend.server)
    }
    expect(peak - baseline).toBeLessThan(160 * 1024 * 1024)
  }, 60_000)

  test('connection draining: in-flight requests finish, new ones go elsewhere; without draining they are cut', async () => {
    let release: (() => void) | undefined
    const slow = await startHttpBackend('127.0.0.47', 'slow', (req, res) => {
      req.resume()
      release = () => res.end('finished')
    })
    const port = await freePort(LB_ADDRESS)
    const base = makeLoadBalancer({name: 'drain', localAddress: LB_ADDRESS, listeners: [listener('HTTP', port, 'HTTP', slow.port)], instances: [instance('i-slow', '127.0.0.47')]})
    // 60 s × time scale 0.01 = 600 ms.
    const draining = {...base, attributes: {...base.attributes, connectionDraining: {enabled: true, timeout: 60}}}
    await dataPlane.apply(stateOf([draining]))
    const inFlight = get(port, '/')
    await waitFor(() => release !== undefined)
    await dataPlane.apply(stateOf([{...draining, instances: []}]))
    expect(dataPlane.drainingInstances('us-east-1', 'drain')).toEqual(['i-slow'])
    expect((await get(port, '/')).status).toBe(503)
    release?.()
    expect(await inFlight).toMatchObject({status: 200, body: 'finished'})
    expect(dataPlane.drainingInstances('us-east-1', 'drain')).toEqual([])

    release = undefined
    await dataPlane.apply(stateOf([base]))
    const cut = get(port, '/')
    await waitFor(() => release !== undefined)
    await dataPlane.apply(stateOf([{...base, instances: []}]))
    await expect(cut).rejects.toThrow(/socket hang up|ECONNRESET/)
    await closeServer(slow.server)
  })
})

function* chunks(total: number): Generator<Buffer> {
  const chunk = Buffer.alloc(64 * 1024, 0x61)
  for (let sent = 0; sent < total; sent += chunk.length) yield chunk
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise(resolve => setTimeout(resolve, 10))
}

async function startHttpBackendOnPort(host: string, port: number, name: string) {
  const {createServer} = await import('node:http')
  const server = createServer((req, res) => {
    req.resume()
    if (req.url === '/login') res.setHeader('Set-Cookie', 'SESSION=s2; Path=/app_x; HttpOnly')
    res.end(name)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, resolve)
  })
  return {server, port, requests: []}
}
