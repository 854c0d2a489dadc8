import {readdirSync, readFileSync, statSync} from 'node:fs'
import {createServer, type AddressInfo, type Server} from 'node:net'
import {join, relative, resolve} from 'node:path'
import {connectToInstance, failOver, isUnreachable, type Redispatcher} from '../../../../src/engine/dataplane/upstream/connector.js'

/**
 * One connector opens every socket to an instance. The source scan below enforces it for the data
 * plane and the health checker (eslint.config.js has the same rule as `no-restricted-imports`).
 */

const CONNECTOR = 'src/engine/dataplane/upstream/connector.ts'
const SCANNED = ['src/engine/dataplane', 'src/engine/health']

function sources(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...sources(path))
    else if (name.endsWith('.ts')) out.push(path)
  }
  return out
}

/** The ways a module could open a socket by itself. */
const OPENERS: readonly RegExp[] = [
  /import\s*\{([^}]*)\}\s*from\s*['"](?:node:)?(?:net|tls)['"]/g,
  /import\s*\*\s*as\s+\w+\s+from\s*['"](?:node:)?(?:net|tls)['"]/g,
  /import\b[^'"]*from\s*['"](?:node:)?(?:https?|http2)['"]|from\s*['"]undici['"]/g,
  /\b(?:net|tls)\.(?:connect|createConnection)\b|\bcreateConnection\s*\(/g,
]

/** What in `text` opens a socket outside the connector (type-only imports are fine). */
function socketOpeners(text: string): string[] {
  const found: string[] = []
  for (const pattern of OPENERS) {
    for (const match of text.matchAll(pattern)) {
      if (match[0].startsWith('import type')) continue
      const names = match[1]
      if (names !== undefined) {
        const values = names.split(',').map(n => n.trim()).filter(n => n !== '' && !n.startsWith('type '))
        if (!values.some(n => /^(connect|createConnection|Socket)\b/.test(n))) continue
      }
      found.push(match[0])
    }
  }
  return found
}

describe('the connector is the only way to an instance', () => {
  test('no module of the data plane or the health checker but the connector opens a socket', () => {
    const offenders: string[] = []
    for (const dir of SCANNED) {
      for (const file of sources(resolve(dir))) {
        const path = relative(process.cwd(), file)
        if (path === CONNECTOR) continue
        for (const opener of socketOpeners(readFileSync(file, 'utf8'))) offenders.push(`${path}: ${opener}`)
      }
    }
    expect(offenders).toEqual([])
    // The connector itself is found by the same scan (so the scan can fail).
    expect(socketOpeners(readFileSync(CONNECTOR, 'utf8')).length).toBeGreaterThan(0)
  })

  test('the scan catches each way of opening a socket, and lets type-only imports through', () => {
    expect(socketOpeners("import {connect as c, type Socket} from 'node:net'")).toHaveLength(1)
    expect(socketOpeners("import {Socket} from 'net'")).toHaveLength(1)
    expect(socketOpeners("import * as tls from 'node:tls'")).toHaveLength(1)
    expect(socketOpeners("import {request} from 'node:http'")).toHaveLength(1)
    expect(socketOpeners('const s = net.createConnection(80)')).toHaveLength(1)
    expect(socketOpeners("import type {Socket} from 'node:net'")).toEqual([])
    expect(socketOpeners("import {isIPv6, type Socket} from 'node:net'")).toEqual([])
  })
})

describe('connectToInstance', () => {
  let server: Server
  let port: number
  const received: string[] = []
  beforeAll(async () => {
    server = createServer(socket => {
      socket.on('data', (chunk: Buffer) => received.push(chunk.toString('latin1')))
      socket.on('error', () => undefined)
    })
    await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
    port = (server.address() as AddressInfo).port
  })
  afterAll(async () => {
    await new Promise(done => server.close(done))
  })

  test('connects, and writes the proxy protocol header before any payload byte', async () => {
    const socket = await new Promise<import('node:net').Socket>((done, fail) => {
      connectToInstance({instanceId: 'i-1', host: '127.0.0.1', port, tls: false, keys: undefined}, 'connection', 2000, (error, s) => {
        if (error !== undefined || s === undefined) fail(error ?? new Error('no socket'))
        else done(s)
      }, {proxyHeader: 'PROXY TCP4 192.0.2.7 127.1.0.9 40000 80\r\n'})
    })
    socket.write('payload')
    while (received.join('').length < 'PROXY TCP4 192.0.2.7 127.1.0.9 40000 80\r\npayload'.length) await new Promise(r => setTimeout(r, 5))
    socket.destroy()
    expect(received.join('')).toBe('PROXY TCP4 192.0.2.7 127.1.0.9 40000 80\r\npayload')
  })

  test('a refused connection settles once with an unreachable error', async () => {
    const closed = createServer()
    await new Promise<void>(done => closed.listen(0, '127.0.0.1', done))
    const closedPort = (closed.address() as AddressInfo).port
    await new Promise(done => closed.close(done))
    const calls: (string | undefined)[] = []
    await new Promise<void>(done => {
      connectToInstance({instanceId: 'i-1', host: '127.0.0.1', port: closedPort, tls: false, keys: undefined}, 'health-check', 2000, (error) => {
        calls.push((error as NodeJS.ErrnoException | undefined)?.code)
        setTimeout(done, 50)
      })
    })
    expect(calls).toEqual(['ECONNREFUSED'])
  })
})

describe('failOver', () => {
  class Lb implements Redispatcher<string, string> {
    readonly log: string[] = []
    backendFailed(backend: string, port: number, error: Error | undefined): void {
      this.log.push(`failed ${backend}:${port} ${(error as NodeJS.ErrnoException | undefined)?.code ?? error?.message ?? '-'}`)
    }
    eject(backend: string): void {
      this.log.push(`eject ${backend}`)
    }
    select(selector: string, node: string, except?: string): string | undefined {
      this.log.push(`select ${selector} ${node} except ${except ?? '-'}`)
      return 'i-b'
    }
  }
  const refused = Object.assign(new Error('refused'), {code: 'ECONNREFUSED'})

  test('an unreachable instance is reported, ejected and another one chosen on the same node', () => {
    const lb = new Lb()
    expect(isUnreachable(refused)).toBe(true)
    expect(failOver(lb, 'i-a', 8080, refused, 'rr', 'us-east-1a', true)).toBe('i-b')
    expect(lb.log).toEqual(['failed i-a:8080 ECONNREFUSED', 'eject i-a', 'select rr us-east-1a except i-a'])
  })

  test('without redispatch the instance is still ejected; a TLS or authentication failure is only reported', () => {
    const lb = new Lb()
    expect(failOver(lb, 'i-a', 8080, refused, 'rr', '', false)).toBeUndefined()
    expect(failOver(lb, 'i-a', 8443, new Error('handshake failure'), 'rr', '', true)).toBeUndefined()
    expect(lb.log).toEqual(['failed i-a:8080 ECONNREFUSED', 'eject i-a', 'failed i-a:8443 handshake failure'])
  })
})
