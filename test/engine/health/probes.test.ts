import {mkdtempSync, rmSync} from 'node:fs'
import {createServer as createHttpServer, type IncomingHttpHeaders, type Server} from 'node:http'
import {createServer as createTcpServer, type AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {probe} from '../../../src/engine/health/probes.js'
import {InstanceCertificates} from '../../../src/engine/instances/certificates.js'
import {DemoBackend} from '../../../src/engine/instances/demo-backend.js'
import {freePort} from '../../helpers/processes.js'

const HOST = '127.0.0.1'

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  return new Promise((resolve) => server.listen(0, HOST, () => { resolve((server.address() as AddressInfo).port) }))
}

describe('probes on real sockets', () => {
  const home = mkdtempSync(join(tmpdir(), 'elb-local-probes-'))
  let seen: {url: string; headers: IncomingHttpHeaders}[] = []
  const http = createHttpServer((req, res) => {
    seen.push({url: req.url ?? '', headers: req.headers})
    if (req.url === '/slow') return
    res.writeHead(req.url === '/ok' ? 200 : req.url === '/redirect' ? 302 : 204).end()
  })
  const silent = createTcpServer(() => undefined)
  let httpPort = 0
  let silentPort = 0
  let tls: DemoBackend
  let tlsPort = 0

  beforeAll(async () => {
    httpPort = await listen(http)
    silentPort = await listen(silent)
    const cert = await new InstanceCertificates(home).get('i-00000001')
    tls = new DemoBackend({instanceId: 'i-00000001', privateIp: HOST, port: 443, protocol: 'https', tls: cert})
    tlsPort = await freePort()
    await tls.listen(tlsPort)
  })
  afterAll(async () => {
    http.closeAllConnections()
    http.close()
    silent.close()
    await tls.close()
    rmSync(home, {recursive: true, force: true})
  })

  it('TCP: healthy when a connection opens, unhealthy when refused', async () => {
    expect(await probe({protocol: 'TCP', host: HOST, port: silentPort}, 1000)).toEqual({ok: true})
    const closed = await freePort()
    expect((await probe({protocol: 'TCP', host: HOST, port: closed}, 1000)).ok).toBe(false)
  })

  it('SSL: healthy on a completed handshake with a self-signed certificate; not on a plain socket', async () => {
    expect(await probe({protocol: 'SSL', host: HOST, port: tlsPort}, 2000)).toEqual({ok: true})
    const started = Date.now()
    expect((await probe({protocol: 'SSL', host: HOST, port: silentPort}, 300)).ok).toBe(false)
    expect(Date.now() - started).toBeGreaterThanOrEqual(250)
  })

  it('HTTP: GET path with the ELB user agent and the instance IP as Host; only 200 is healthy', async () => {
    seen = []
    expect(await probe({protocol: 'HTTP', host: HOST, port: httpPort, path: '/ok'}, 1000)).toEqual({ok: true})
    expect(seen[0]?.url).toBe('/ok')
    expect(seen[0]?.headers['user-agent']).toBe('ELB-HealthChecker/1.0')
    expect(seen[0]?.headers.host).toBe(HOST)
    expect(await probe({protocol: 'HTTP', host: HOST, port: httpPort, path: '/redirect'}, 1000)).toEqual({ok: false, detail: 'status 302'})
    expect(await probe({protocol: 'HTTP', host: HOST, port: httpPort, path: '/empty'}, 1000)).toEqual({ok: false, detail: 'status 204'})
  })

  it('HTTP: no answer within the timeout is unhealthy', async () => {
    const started = Date.now()
    const result = await probe({protocol: 'HTTP', host: HOST, port: httpPort, path: '/slow'}, 300)
    expect(result.ok).toBe(false)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('HTTP: reads the status line even when it arrives in pieces; anything else is unhealthy', async () => {
    const answers = new Map<string, string[]>([
      ['pieces', ['HT', 'TP/1.1 2', '00 OK\r\nContent-Length: 0\r\n\r\n']],
      ['garbage', ['SSH-2.0-OpenSSH_9.6\r\n']],
      ['endless', ['HTTP/1.1 200', ' OK'.repeat(600)]],
    ])
    const raw = createTcpServer((socket) => {
      socket.once('data', (request: Buffer) => {
        const pieces = answers.get(/^GET \/(\w+) /.exec(request.toString('latin1'))?.[1] ?? '') ?? []
        const send = (index: number) => {
          if (index === pieces.length) return
          socket.write(pieces[index] ?? '', () => { setImmediate(() => { send(index + 1) }) })
        }
        send(0)
      })
      socket.on('error', () => undefined)
    })
    const port = await listen(raw)
    try {
      expect(await probe({protocol: 'HTTP', host: HOST, port, path: '/pieces'}, 1000)).toEqual({ok: true})
      expect(await probe({protocol: 'HTTP', host: HOST, port, path: '/garbage'}, 1000)).toEqual({ok: false, detail: 'not an HTTP response'})
      expect(await probe({protocol: 'HTTP', host: HOST, port, path: '/endless'}, 1000)).toEqual({ok: false, detail: 'not an HTTP response'})
    } finally {
      raw.close()
    }
  })

  it('HTTPS: does not verify the certificate', async () => {
    expect(await probe({protocol: 'HTTPS', host: HOST, port: tlsPort, path: '/ping'}, 2000)).toEqual({ok: true})
  })
})
