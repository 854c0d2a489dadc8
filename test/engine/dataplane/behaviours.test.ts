import {existsSync, readdirSync, readFileSync, mkdtempSync, rmSync, statSync} from 'node:fs'
import {Agent, request as httpRequest} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createServer as createTlsServer, connect as tlsConnect} from 'node:tls'
import {connect, type AddressInfo, type Socket} from 'node:net'
import {DataPlane} from '../../../src/engine/dataplane/index.js'
import {eventually} from '../../helpers/engine.js'
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
  rawExchange,
  serverCertificate,
  startHttpBackend,
  stateOf,
} from './fixtures.js'

const LB_ADDRESS = '127.1.0.14'

function get(port: number, agent: Agent): Promise<{status: number; body: string}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({host: LB_ADDRESS, port, path: '/', agent}, res => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => { resolve({status: res.statusCode ?? 0, body}); })
    })
    req.on('error', reject)
    req.end()
  })
}

/**
 * Send `first` at once, then `slow` one byte every `everyMs` until the LB answers and closes (or
 * the bytes run out); resolves with the answer and the time from the first byte to the close.
 */
function trickle(port: number, first: string, slow: string, everyMs: number): Promise<{reply: string; elapsedMs: number}> {
  return new Promise((resolve, reject) => {
    const socket = connect({host: LB_ADDRESS, port})
    let reply = ''
    let sent = 0
    let started = 0
    let timer: NodeJS.Timeout | undefined
    socket.on('connect', () => {
      started = Date.now()
      if (first !== '') socket.write(first)
      const next = (): void => {
        if (sent >= slow.length || socket.destroyed) return
        socket.write(slow[sent++] ?? '')
        timer = setTimeout(next, everyMs)
      }
      next()
    })
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString('latin1')))
    socket.on('error', error => { if (reply === '') reject(error) })
    socket.on('close', () => {
      clearTimeout(timer)
      resolve({reply, elapsedMs: Date.now() - started})
    })
  })
}

function withAttributes(lb: LoadBalancerRecord, attributes: Partial<LoadBalancerRecord['attributes']>): LoadBalancerRecord {
  return {...lb, attributes: {...lb.attributes, ...attributes}}
}

describe('data plane: timeouts, desync modes, zones, access logs, SSL back-end auth', () => {
  const health = new TestHealth()
  const home = mkdtempSync(join(tmpdir(), 'dp-home-'))
  let dataPlane: DataPlane

  beforeAll(() => {
    // time scale 0.01: an idle timeout of 50 s lasts 500 ms.
    dataPlane = new DataPlane({health, portOffset: 0, timeScale: 0.01, stateDir: home})
  })

  afterAll(async () => {
    await dataPlane.close()
    rmSync(home, {recursive: true, force: true})
    cleanupCerts()
  })

  test('504 when the instance does not answer within the idle timeout', async () => {
    const silent = await startHttpBackend('127.0.0.51', 'silent', req => req.resume())
    const port = await freePort(LB_ADDRESS)
    const lb = makeLoadBalancer({name: 'slow', localAddress: LB_ADDRESS, listeners: [listener('HTTP', port, 'HTTP', silent.port)], instances: [instance('i-s', '127.0.0.51')]})
    await dataPlane.apply(stateOf([withAttributes(lb, {idleTimeout: 50})]))
    const started = Date.now()
    expect(await rawExchange(LB_ADDRESS, port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', {until: /\r\n\r\n/})).toMatch(/^HTTP\/1\.1 504 GATEWAY_TIMEOUT\r\n/)
    expect(Date.now() - started).toBeGreaterThanOrEqual(450)
    await closeServer(silent.server)
  })

  test('deadlines (defect 6): a head trickled one byte per 100 ms gets 408 one idle timeout after its first byte', async () => {
    const backend = await startHttpBackend('127.0.0.58', 'ok')
    const port = await freePort(LB_ADDRESS)
    // Idle timeout 50 s ×0.01 = 500 ms; each byte comes well within it, so only a total deadline helps.
    const lb = makeLoadBalancer({name: 'trickle', localAddress: LB_ADDRESS, listeners: [listener('HTTP', port, 'HTTP', backend.port)], instances: [instance('i-t', '127.0.0.58')]})
    await dataPlane.apply(stateOf([withAttributes(lb, {idleTimeout: 50})]))
    const head = 'GET / HTTP/1.1\r\nHost: x\r\nX-Padding: 0123456789012345678901234567890123456789\r\n\r\n'
    const {reply, elapsedMs} = await trickle(port, '', head, 100)
    expect(reply).toBe('HTTP/1.1 408 REQUEST_TIMEOUT\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
    expect(elapsedMs).toBeGreaterThanOrEqual(450)
    expect(elapsedMs).toBeLessThan(2000)
    expect(backend.requests).toHaveLength(0)
    await closeServer(backend.server)
  })

  test('deadlines (defect 6): a POST body trickled one byte per 100 ms is cut with 408', async () => {
    const received: number[] = []
    const backend = await startHttpBackend('127.0.0.58', 'ok', req => {
      let n = 0
      req.on('data', (chunk: Buffer) => (n += chunk.length))
      req.on('close', () => received.push(n))
    })
    const port = await freePort(LB_ADDRESS)
    const lb = makeLoadBalancer({name: 'slowpost', localAddress: LB_ADDRESS, listeners: [listener('HTTP', port, 'HTTP', backend.port)], instances: [instance('i-t', '127.0.0.58')]})
    await dataPlane.apply(stateOf([withAttributes(lb, {idleTimeout: 50})]))
    const {reply, elapsedMs} = await trickle(port, 'POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n', 'x'.repeat(60), 100)
    expect(reply).toBe('HTTP/1.1 408 REQUEST_TIMEOUT\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
    expect(elapsedMs).toBeGreaterThanOrEqual(450)
    expect(elapsedMs).toBeLessThan(2000)
    await closeServer(backend.server)
  })

  test('desync mitigation modes: monitor forwards a repeated Content-Length, strictest refuses it, defensive forwards and closes', async () => {
    const backend = await startHttpBackend('127.0.0.52', 'ok')
    const port = await freePort(LB_ADDRESS)
    const lb = makeLoadBalancer({name: 'desync', localAddress: LB_ADDRESS, listeners: [listener('HTTP', port, 'HTTP', backend.port)], instances: [instance('i-d', '127.0.0.52')]})
    const ambiguous = 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi'
    const mode = (value: string) => withAttributes(lb, {additional: [{key: 'elb.http.desyncmitigationmode', value}]})
    await dataPlane.apply(stateOf([mode('strictest')]))
    expect(await rawExchange(LB_ADDRESS, port, ambiguous)).toMatch(/^HTTP\/1\.1 400 /)
    await dataPlane.apply(stateOf([mode('defensive')]))
    const defensive = await rawExchange(LB_ADDRESS, port, ambiguous)
    expect(defensive).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(defensive).toMatch(/\r\nConnection: close\r\n/)
    await dataPlane.apply(stateOf([mode('monitor')]))
    const monitor = await rawExchange(LB_ADDRESS, port, ambiguous, {until: /ok$/})
    expect(monitor).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(monitor).not.toMatch(/Connection: close/)
    await closeServer(backend.server)
  })

  test('cross-zone off: a client connection stays with its node\'s zone; on: it spreads; disabled zones get nothing', async () => {
    const a = await startHttpBackend('127.0.0.53', 'zone-a')
    const b = await startHttpBackend('127.0.0.54', 'zone-b')
    const c = await startHttpBackend('127.0.0.55', 'zone-c')
    // Each back end has its own port here; a listener can only name one, so use one LB per check.
    const port = await freePort(LB_ADDRESS)
    const zonal = (instancePort: number, crossZone: boolean): LoadBalancerRecord => withAttributes(makeLoadBalancer({
      name: 'zones', localAddress: LB_ADDRESS, availabilityZones: ['us-east-1a', 'us-east-1b'],
      listeners: [listener('HTTP', port, 'HTTP', instancePort)],
      instances: [instance('i-a', '127.0.0.53', 'us-east-1a'), instance('i-b', '127.0.0.54', 'us-east-1b'), instance('i-c', '127.0.0.55', 'us-east-1c')],
    }), {crossZoneLoadBalancing: crossZone})
    // Make the three back ends answer on one port number by re-binding b and c on a's port.
    await closeServer(b.server)
    await closeServer(c.server)
    const b2 = await startOn('127.0.0.54', a.port, 'zone-b')
    const c2 = await startOn('127.0.0.55', a.port, 'zone-c')
    await dataPlane.apply(stateOf([zonal(a.port, false)]))
    const zonesSeen = new Set<string>()
    for (let conn = 0; conn < 4; conn++) {
      const agent = new Agent({keepAlive: true, maxSockets: 1})
      const bodies = new Set<string>()
      for (let i = 0; i < 3; i++) bodies.add((await get(port, agent)).body)
      agent.destroy()
      expect(bodies.size).toBe(1)
      for (const body of bodies) zonesSeen.add(body)
    }
    expect([...zonesSeen].sort()).toEqual(['zone-a', 'zone-b'])
    await dataPlane.apply(stateOf([zonal(a.port, true)]))
    const agent = new Agent({keepAlive: true, maxSockets: 1})
    const spread = new Set<string>()
    for (let i = 0; i < 4; i++) spread.add((await get(port, agent)).body)
    agent.destroy()
    expect([...spread].sort()).toEqual(['zone-a', 'zone-b'])
    await closeServer(a.server)
    await closeServer(b2)
    await closeServer(c2)
  })

  test('idle instance connections are not reused once older than the instance keeps them open', async () => {
    const backend = await startHttpBackend('127.0.0.58', 'keep')
    backend.server.keepAliveTimeout = 1000
    let connections = 0
    const sockets: Socket[] = []
    backend.server.on('connection', (socket: Socket) => {
      connections++
      sockets.push(socket)
    })
    const port = await freePort(LB_ADDRESS)
    // An LB idle timeout of 3600 s (36 s at this time scale) so only the instance closes connections.
    await dataPlane.apply(stateOf([withAttributes(makeLoadBalancer({name: 'reuse', localAddress: LB_ADDRESS,
      listeners: [listener('HTTP', port, 'HTTP', backend.port)], instances: [instance('i-k', '127.0.0.58')]}), {idleTimeout: 3600})]))
    const ask = () => rawExchange(LB_ADDRESS, port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi')
    expect(await ask()).toMatch(/^HTTP\/1\.1 200 /)
    // Node closes an idle connection ~2 s after a keepAliveTimeout of 1 s: the pool learns that.
    const first = sockets[0]
    if (first !== undefined && !first.destroyed) await new Promise((resolve) => first.once('close', resolve))
    expect(await ask()).toMatch(/^HTTP\/1\.1 200 /)
    expect(connections).toBe(2)
    // 1.7 s idle: the instance would still accept it, but it is past the learned lifetime minus
    // the margin (~1.5 s), so a new connection is opened. (The idle time itself is what is under
    // test here, so this wait is the condition, not a guess at how long something takes.)
    await new Promise(resolve => setTimeout(resolve, 1700))
    expect(await ask()).toMatch(/^HTTP\/1\.1 200 /)
    expect(connections).toBe(3)
    await closeServer(backend.server)
  })

  test('access log: one line per request in Classic ELB format under the state directory', async () => {
    const backend = await startHttpBackend('127.0.0.56', 'logged')
    const port = await freePort(LB_ADDRESS)
    const lb = makeLoadBalancer({name: 'logged', localAddress: LB_ADDRESS, listeners: [listener('HTTP', port, 'HTTP', backend.port)], instances: [instance('i-l', '127.0.0.56')]})
    await dataPlane.apply(stateOf([withAttributes(lb, {accessLog: {enabled: true, s3BucketName: 'my-bucket', s3BucketPrefix: 'p', emitInterval: 5}})]))
    await rawExchange(LB_ADDRESS, port, 'GET /path?q=1 HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: curl/7.38.0\r\nConnection: close\r\n\r\n')
    // Wait for the line itself (the writer appends after the answer went out).
    const files = await eventually(() => {
      const written = existsSync(join(home, 'access-logs')) ? walk(join(home, 'access-logs')) : []
      return written.length > 0 && readFileSync(written[0] ?? '', 'utf8').endsWith('\n') ? written : undefined
    }, 5000, 'the access log line')
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/access-logs\/my-bucket\/p\/AWSLogs\/123456789012\/elasticloadbalancing\/us-east-1\/\d{4}\/\d\d\/\d\d\/123456789012_elasticloadbalancing_us-east-1_logged_\d{8}T\d{4}Z_127\.1\.0\.14_[0-9a-f]+\.log$/)
    // Client addresses and URLs: readable by the engine's user only (issue 9 #4).
    expect(statSync(files[0] ?? '').mode & 0o077).toBe(0)
    const line = readFileSync(files[0] ?? '', 'utf8').trim()
    expect(line).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z logged 127\\.0\\.0\\.1:\\d+ 127\\.0\\.0\\.56:${backend.port} \\d+\\.\\d{6} \\d+\\.\\d{6} \\d+\\.\\d{6} 200 200 0 6 "GET http://www\\.example\\.com:${port}/path\\?q=1 HTTP/1\\.1" "curl/7\\.38\\.0" - -$`))
    await closeServer(backend.server)
  })

  test('access log (defect 9): LF, CR, NUL, ESC, backslash and quote from a monitor-mode request cannot forge a line', async () => {
    const backend = await startHttpBackend('127.0.0.59', 'logged')
    const port = await freePort(LB_ADDRESS)
    const lb = makeLoadBalancer({name: 'forged', localAddress: LB_ADDRESS, listeners: [listener('HTTP', port, 'HTTP', backend.port)], instances: [instance('i-f', '127.0.0.59')]})
    await dataPlane.apply(stateOf([withAttributes(lb, {
      accessLog: {enabled: true, s3BucketName: 'forged-bucket', s3BucketPrefix: '', emitInterval: 5},
      additional: [{key: 'elb.http.desyncmitigationmode', value: 'monitor'}],
    })]))
    const agent = 'x" "y\\z\n2015-05-13T23:39:43.945000Z forged 1.2.3.4:1 - -1 -1 -1 200 200 0 0 "GET http://a:80/ HTTP/1.1" "a" - -\r\u0000\u001b[2J\u00e9'
    const reply = await rawExchange(LB_ADDRESS, port, Buffer.from(`GET /p HTTP/1.1\r\nHost: h\u001b]0;t\u0007\r\nUser-Agent: ${agent}\r\nConnection: close\r\n\r\n`, 'latin1'))
    // Node's strict parser answers 400 to the control bytes; the LB forwarded and logs the exchange.
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
    const dir = join(home, 'access-logs', 'forged-bucket')
    let text = ''
    for (const deadline = Date.now() + 5000; !text.endsWith('\n') && Date.now() < deadline;) {
      await new Promise(resolve => setImmediate(resolve))
      const files = walk(dir)
      text = files.length === 1 ? readFileSync(files[0] ?? '', 'latin1') : ''
    }
    expect(text.split('\n')).toHaveLength(2)
    expect(text).toMatch(/^[ -~]*\n$/)
    // The bare LF ends the User-Agent line (as in HAProxy); the forged text becomes a header of
    // its own, never a log line. The rest is escaped.
    expect(text).toContain(`"GET http://h\\x1b]0;t\\x07:${port}/p HTTP/1.1" "x\\" \\"y\\\\z" - -\n`)
    await closeServer(backend.server)
  })

  test('SSL back end with a non-matching key: the connection is closed and the instance sees no bytes', async () => {
    const lbPair = makeKeyPair('auth-lb')
    const backendPair = makeKeyPair('auth-backend')
    const pinned = makeKeyPair('auth-pinned')
    let bytesSeen = 0
    const backend = createTlsServer({cert: backendPair.cert, key: backendPair.key}, socket => {
      socket.on('data', (chunk: Buffer) => (bytesSeen += chunk.length))
      socket.on('error', () => undefined)
    })
    await new Promise<void>(resolve => backend.listen(0, '127.0.0.57', resolve))
    const backendPort = (backend.address() as AddressInfo).port
    const port = await freePort(LB_ADDRESS)
    const arn = 'arn:aws:iam::123456789012:server-certificate/auth-lb'
    await dataPlane.apply(stateOf([makeLoadBalancer({name: 'sslauth', localAddress: LB_ADDRESS,
      listeners: [listener('SSL', port, 'SSL', backendPort, {sslCertificateId: arn})], instances: [instance('i-x', '127.0.0.57')],
      policies: [policy('pk', 'PublicKeyPolicyType', {PublicKey: pinned.spki}), policy('auth', 'BackendServerAuthenticationPolicyType', {PublicKeyPolicyName: 'pk'})],
      backendServers: [{instancePort: backendPort, policyNames: ['auth']}]})], [serverCertificate('auth-lb', lbPair)]))
    const closed = await new Promise<boolean>(resolve => {
      const socket = tlsConnect({host: LB_ADDRESS, port, rejectUnauthorized: false}, () => socket.write('secret'))
      socket.on('close', () => { resolve(true); })
      socket.on('error', () => undefined)
    })
    expect(closed).toBe(true)
    expect(bytesSeen).toBe(0)
    await closeServer(backend)
  })
})

function walk(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...walk(path))
    else out.push(path)
  }
  return out
}

async function startOn(host: string, port: number, name: string) {
  const {createServer} = await import('node:http')
  const server = createServer((req, res) => {
    req.resume()
    res.end(name)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, resolve)
  })
  return server
}
