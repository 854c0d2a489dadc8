import {spawn} from 'node:child_process'
import {connect, type Socket} from 'node:net'
import {DataPlane} from '../../../src/engine/dataplane/index.js'
import type {LoadBalancerRecord} from '../../../src/engine/model/types.js'
import {eventually} from '../../helpers/engine.js'
import {
  TestHealth,
  cleanupCerts,
  closeServer,
  freePort,
  instance,
  listener,
  makeKeyPair,
  makeLoadBalancer,
  rawExchange,
  serverCertificate,
  startHttpBackend,
  stateOf,
} from './fixtures.js'
import {RecordingBackend} from './recording-backend.js'

/**
 * Clients that try to cost the load balancer more than a request (issue 16, round 3): TLS
 * renegotiation, trickling after the LB has given up, bare-LF heads, and more connections than it
 * has room for. Real sockets and a real `openssl s_client` against a real data plane.
 */

const LB_ADDRESS = '127.1.0.77'
const OTHER_LB_ADDRESS = '127.1.0.78'
const SECURE_LB_ADDRESS = '127.1.0.79'
const BACKEND_HOST = '127.0.0.77'
const CERT_ARN = 'arn:aws:iam::123456789012:server-certificate/hostile'

interface Closed {
  reply: string
  /** From the first byte sent to the socket's close. */
  elapsedMs: number
  /** Bytes the client could still write after the answer arrived. */
  writtenAfterAnswer: number
}

/**
 * Sends `first` at once, then `head`'s bytes one every `everyMs` (and keeps going, with `x`, after the LB answers) until
 * the LB closes the socket or `giveUpMs` passes; reports when it closed.
 */
function trickleUntilClosed(port: number, head: string, everyMs: number, giveUpMs: number, first = ''): Promise<Closed> {
  return new Promise(resolve => {
    // Half-open allowed: the LB's FIN does not end this client's side (a trickler ignores it).
    const socket = connect({host: LB_ADDRESS, port, allowHalfOpen: true})
    let reply = ''
    let sent = 0
    let writtenAfterAnswer = 0
    let started = 0
    const timer = setInterval(() => {
      if (socket.destroyed || !socket.writable) return
      if (reply !== '') writtenAfterAnswer++
      socket.write(head[sent++] ?? 'x')
    }, everyMs)
    const giveUp = setTimeout(() => socket.destroy(), giveUpMs)
    socket.on('connect', () => {
      started = Date.now()
      if (first !== '') socket.write(first)
    })
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString('latin1')))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearInterval(timer)
      clearTimeout(giveUp)
      resolve({reply, elapsedMs: Date.now() - started, writtenAfterAnswer})
    })
  })
}

/** An open client connection and everything it has received; `closed` resolves when it closes. */
function openClient(host: string, port: number): Promise<{socket: Socket; received: () => string; closed: Promise<void>}> {
  return new Promise((resolve, reject) => {
    const socket = connect({host, port})
    let text = ''
    const closed = new Promise<void>(done => socket.on('close', () => { done(); }))
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')))
    socket.on('error', () => undefined)
    socket.once('connect', () => { resolve({socket, received: () => text, closed}); })
    socket.once('error', reject)
  })
}

describe('data plane: hostile clients', () => {
  const health = new TestHealth()
  const backend = new RecordingBackend(BACKEND_HOST)
  const pair = makeKeyPair('hostile')
  let dataPlane: DataPlane

  beforeAll(async () => {
    await backend.start()
    // time scale 0.01: an idle timeout of 50 s lasts 500 ms.
    dataPlane = new DataPlane({health, portOffset: 0, timeScale: 0.01, connectionLimits: {engine: 5, perListener: 3}})
  })

  afterAll(async () => {
    await dataPlane.close()
    await backend.close()
    cleanupCerts()
  })

  function lb(name: string, address: string, listeners: LoadBalancerRecord['listeners']): LoadBalancerRecord {
    const record = makeLoadBalancer({name, localAddress: address, listeners, instances: [instance(`i-${name}`, BACKEND_HOST)]})
    return {...record, attributes: {...record.attributes, idleTimeout: 50}}
  }

  test('TLS: a client-initiated renegotiation gets a no_renegotiation alert and the connection ends', async () => {
    const port = await freePort(LB_ADDRESS)
    await dataPlane.apply(stateOf([lb('reneg', LB_ADDRESS, [listener('HTTPS', port, 'HTTP', backend.port, {sslCertificateId: CERT_ARN})])], [serverCertificate('hostile', pair)]))
    backend.take()
    // `R` on its own line makes s_client renegotiate (TLS 1.2 and older); -crlf sends CRLF lines.
    const client = spawn('openssl', ['s_client', '-connect', `${LB_ADDRESS}:${port}`, '-tls1_2', '-crlf'], {stdio: ['pipe', 'pipe', 'pipe']})
    let output = ''
    const waiters: {pattern: RegExp; resolve: () => void}[] = []
    const onOutput = (chunk: Buffer): void => {
      output += chunk.toString('latin1')
      for (const w of waiters.filter(w => w.pattern.test(output))) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve()
      }
    }
    client.stdout.on('data', onOutput)
    client.stderr.on('data', onOutput)
    client.stdin.on('error', () => undefined)
    const seen = (pattern: RegExp): Promise<void> => (pattern.test(output) ? Promise.resolve() : new Promise(resolve => waiters.push({pattern, resolve})))
    const exited = new Promise<void>(resolve => client.on('close', () => { resolve(); }))
    const killer = setTimeout(() => client.kill(), 8000)

    client.stdin.write('GET /before HTTP/1.1\nHost: x\n\n')
    await seen(/GET \/before/)
    client.stdin.write('R\n')
    await seen(/RENEGOTIATING/)
    // Whatever the outcome of the renegotiation, a request after it must not be answered.
    client.stdin.write('GET /after HTTP/1.1\nHost: x\n\n')
    await Promise.race([exited, seen(/GET \/after/)])
    client.stdin.end()
    await exited
    clearTimeout(killer)
    expect(output).toMatch(/no renegotiation/)
    expect(output).not.toMatch(/GET \/after/)
    expect(backend.take().requests).toEqual(['GET /before'])
  }, 15_000)

  test('TLS: a client that never finishes its handshake loses the socket after one idle timeout', async () => {
    const port = await freePort(LB_ADDRESS)
    await dataPlane.apply(stateOf([lb('handshake', LB_ADDRESS, [listener('SSL', port, 'TCP', backend.port, {sslCertificateId: CERT_ARN})])], [serverCertificate('hostile', pair)]))
    // Half a ClientHello record header, then nothing (Node's own handshake timeout is 120 s).
    const client = await openClient(LB_ADDRESS, port)
    const started = Date.now()
    client.socket.write(Buffer.from([0x16, 0x03, 0x01]))
    const giveUp = setTimeout(() => client.socket.destroy(), 6000)
    await client.closed
    clearTimeout(giveUp)
    expect(client.received()).toBe('')
    expect(Date.now() - started).toBeGreaterThanOrEqual(450)
    expect(Date.now() - started).toBeLessThan(2500)
  })

  test('a client that keeps trickling after its 408 loses the socket within a short linger', async () => {
    const port = await freePort(LB_ADDRESS)
    await dataPlane.apply(stateOf([lb('trickle', LB_ADDRESS, [listener('HTTP', port, 'HTTP', backend.port)])]))
    // One byte every 20 ms, without end: the head deadline (500 ms) answers 408, the linger
    // (at most one idle timeout, here 500 ms) then releases the socket whatever the client sends.
    const closed = await trickleUntilClosed(port, 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ', 20, 6000)
    expect(closed.reply).toBe('HTTP/1.1 408 REQUEST_TIMEOUT\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
    expect(closed.elapsedMs).toBeLessThan(2500)
    expect(closed.writtenAfterAnswer).toBeGreaterThan(0)
  })

  test('after an early closing answer from the instance, a client still sending gets it and loses the socket within one idle timeout', async () => {
    const early = await startHttpBackend(BACKEND_HOST, 'early', (_req, res) => {
      res.writeHead(413, {Connection: 'close', 'Content-Length': '0'}).end()
    })
    const port = await freePort(LB_ADDRESS)
    await dataPlane.apply(stateOf([lb('early', LB_ADDRESS, [listener('HTTP', port, 'HTTP', early.port)])]))
    const closed = await trickleUntilClosed(port, '', 20, 6000, 'POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nsome')
    expect(closed.reply).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/)
    expect(closed.writtenAfterAnswer).toBeGreaterThan(0)
    // One idle timeout (500 ms) of linger after the answer; before, it lasted as long as the client sent.
    expect(closed.elapsedMs).toBeLessThan(2500)
    await closeServer(early.server)
  })

  test('bare-LF heads are answered at once and reach the instance with CRLF', async () => {
    const port = await freePort(LB_ADDRESS)
    await dataPlane.apply(stateOf([lb('bare-lf', LB_ADDRESS, [listener('HTTP', port, 'HTTP', backend.port)])]))
    backend.take()
    const started = Date.now()
    // Two pipelined requests, the second with mixed line endings.
    const reply = await rawExchange(LB_ADDRESS, port, 'GET /one HTTP/1.1\nHost: x\n\nGET /two HTTP/1.1\r\nHost: x\nConnection: close\r\n\n', {timeoutMs: 3000})
    expect(Date.now() - started).toBeLessThan(400)
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nGET \/oneHTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nGET \/two$/)
    const seen = backend.take()
    expect(seen.requests).toEqual(['GET /one', 'GET /two'])
    expect(seen.bytes).toBe(
      `GET /one HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: ${port}\r\n\r\n` +
      `GET /two HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: ${port}\r\n\r\n`)
  })

  test('connection caps: per listener and engine-wide; an HTTP listener answers 503 over a cap', async () => {
    const port = await freePort(LB_ADDRESS)
    const otherPort = await freePort(OTHER_LB_ADDRESS)
    const securePort = await freePort(SECURE_LB_ADDRESS)
    await dataPlane.apply(stateOf([
      lb('capped', LB_ADDRESS, [listener('HTTP', port, 'HTTP', backend.port)]),
      lb('neighbour', OTHER_LB_ADDRESS, [listener('TCP', otherPort, 'TCP', backend.port)]),
      lb('secure-neighbour', SECURE_LB_ADDRESS, [listener('HTTPS', securePort, 'HTTP', backend.port, {sslCertificateId: CERT_ARN})]),
    ], [serverCertificate('hostile', pair)]))
    const held = [await openClient(LB_ADDRESS, port), await openClient(LB_ADDRESS, port), await openClient(LB_ADDRESS, port)]
    await eventually(() => (dataPlane.listenerStatus().find(s => s.loadBalancerName === 'capped')?.openConnections === 3 ? true : undefined), 3000, 'three open')
    // The fourth on the same listener: over the per-listener cap (3).
    const refused = await rawExchange(LB_ADDRESS, port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(refused).toBe('HTTP/1.1 503 Service Unavailable: Back-end server is at capacity\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
    // Another load balancer still has room until the engine-wide cap (5).
    const neighbours = [await openClient(OTHER_LB_ADDRESS, otherPort), await openClient(OTHER_LB_ADDRESS, otherPort)]
    await eventually(() => (dataPlane.connectionStatus().open === 5 ? true : undefined), 3000, 'five open')
    const overEngine = await openClient(OTHER_LB_ADDRESS, otherPort)
    await overEngine.closed
    expect(overEngine.received()).toBe('')
    // A secure listener refuses before spending a handshake on it.
    const overEngineSecure = await openClient(SECURE_LB_ADDRESS, securePort)
    overEngineSecure.socket.write(Buffer.from([0x16, 0x03, 0x01]))
    await overEngineSecure.closed
    expect(overEngineSecure.received()).toBe('')
    expect(dataPlane.listenerStatus().find(s => s.loadBalancerName === 'secure-neighbour')).toMatchObject({refusedConnections: 1})
    expect(dataPlane.listenerStatus().find(s => s.loadBalancerName === 'neighbour')).toMatchObject({openConnections: 2, refusedConnections: 1})
    expect(dataPlane.listenerStatus().find(s => s.loadBalancerName === 'capped')).toMatchObject({openConnections: 3, refusedConnections: 1})
    // A closed connection makes room again.
    const first = held[0]
    first?.socket.destroy()
    await first?.closed
    await eventually(() => (dataPlane.connectionStatus().open === 4 ? true : undefined), 3000, 'one released')
    expect(await rawExchange(LB_ADDRESS, port, 'GET /room HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*GET \/room$/)
    for (const client of [...held, ...neighbours]) client.socket.destroy()
  })
})
