import {spawn, type ChildProcess} from 'node:child_process'
import {connect} from 'node:net'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DataPlane} from '../../../src/engine/dataplane/index.js'
import {TestHealth, freePort, instance, listener, makeLoadBalancer, stateOf} from './fixtures.js'
import {RecordingBackend} from './recording-backend.js'

/**
 * Hostile bytes through a real load balancer to a raw recording back end (issue 9, defects 1 and
 * 2, plus HAProxy's and nginx's known smuggling cases). For every case and desync mode it asserts
 * the client's answer, exactly which bytes reached the instance, and that a victim request sent
 * next (possibly on the reused back-end connection) gets its own answer and nothing was smuggled.
 */

const BACKEND_HOST = '127.0.0.61'
const MODES = ['monitor', 'defensive', 'strictest'] as const
type Mode = typeof MODES[number]

interface Case {
  readonly name: string
  readonly send: string
  /** Where the LB answers 400 itself: every mode, severe (defensive+strictest), non-compliant (strictest), never. */
  readonly refused: 'all' | 'severe' | 'strictest' | 'never'
  /** The forwarded head lines (without X-Forwarded-*) and body, when forwarded. */
  readonly head?: string
  readonly body?: string
  /** The request the back end reads (`METHOD target`). */
  readonly read?: string
  /** After the answer the client connection closes: always (RFC), in defensive mode (ambiguous), never. */
  readonly closes?: 'always' | 'defensive' | 'never'
}

const CASES: Case[] = [
  {
    name: 'defect 1: Connection: Content-Length (the token is dropped, the body stays a body)',
    send: 'POST /a HTTP/1.1\r\nHost: x\r\nConnection: Content-Length\r\nContent-Length: 38\r\n\r\nGET /slow-secret HTTP/1.1\r\nHost: x\r\n\r\n',
    refused: 'strictest', head: 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 38', body: 'GET /slow-secret HTTP/1.1\r\nHost: x\r\n\r\n', read: 'POST /a', closes: 'never',
  },
  {
    name: 'defect 1: Connection: Transfer-Encoding',
    send: 'POST /a HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Transfer-Encoding\r\nTransfer-Encoding: chunked\r\n\r\n23\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n\r\n0\r\n\r\n',
    refused: 'strictest', head: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked', body: '23\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n\r\n0\r\n\r\n', read: 'POST /a', closes: 'never',
  },
  {
    name: 'defect 2: bare LF ending the last chunk (nginx ends the body there)',
    send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\nGET /hidden HTTP/1.1\r\nHost: x\r\n\r\n',
    refused: 'all',
  },
  {name: 'bare LF after a chunk size', send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n', refused: 'all'},
  {name: 'bare LF after chunk data', send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\n0\r\n\r\n', refused: 'all'},
  {name: 'bare LF ending a trailer', send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\nGET /t HTTP/1.1\r\n\r\n', refused: 'all'},
  {name: 'NUL in a trailer', send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: a\u0000b\r\n\r\n', refused: 'all'},
  {name: 'folded trailer', send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: a\r\n b\r\n\r\n', refused: 'all'},
  {name: 'Content-Length as a trailer', send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: 30\r\n\r\n', refused: 'all'},
  {name: 'chunk size with 0x', send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n', refused: 'all'},
  {name: 'chunk size with a sign', send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-3\r\nabc\r\n0\r\n\r\n', refused: 'all'},
  {name: 'chunk size followed by a space', send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3 \r\nabc\r\n0\r\n\r\n', refused: 'all'},
  {name: 'chunk size overflowing 64 bits', send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000003\r\nabc\r\n0\r\n\r\n', refused: 'all'},
  {name: 'NUL in a chunk extension', send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;a\u0000\r\nabc\r\n0\r\n\r\n', refused: 'all'},
  {name: 'bare LF in a chunk extension', send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;a\nabc\r\n0\r\n\r\n', refused: 'all'},
  {
    name: 'chunk extensions that follow the grammar are forwarded as they came',
    send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3 ;e=1;q="a b"\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n',
    refused: 'never', head: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked', body: '3 ;e=1;q="a b"\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n', read: 'POST /a', closes: 'never',
  },
  {
    name: 'Content-Length: 3, 3 (forwarded as one Content-Length: 3)',
    send: 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\nabc',
    refused: 'strictest', head: 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3', body: 'abc', read: 'POST /a', closes: 'defensive',
  },
  {
    name: 'duplicate Content-Length headers with one value',
    send: 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc',
    refused: 'strictest', head: 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3', body: 'abc', read: 'POST /a', closes: 'defensive',
  },
  {name: 'conflicting Content-Length', send: 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 30\r\n\r\nabcGET /s HTTP/1.1\r\nHost: x\r\n\r\n', refused: 'all'},
  {name: 'Content-Length list with different values', send: 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 30\r\n\r\nabc', refused: 'all'},
  {
    name: 'Transfer-Encoding and Content-Length (chunked wins, Content-Length removed, connection closes)',
    send: 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n',
    refused: 'strictest', head: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked', body: '0\r\n\r\n', read: 'POST /a', closes: 'always',
  },
  {
    name: 'Transfer-Encoding: \\tchunked (HTAB is OWS; forwarded canonical)',
    send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \tchunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
    refused: 'never', head: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked', body: '3\r\nabc\r\n0\r\n\r\n', read: 'POST /a', closes: 'never',
  },
  {name: 'Transfer-Encoding: chunked, chunked', send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n', refused: 'all'},
  {name: 'two Transfer-Encoding: chunked headers', send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', refused: 'all'},
  {name: 'HTTP/1.0 with Transfer-Encoding', send: 'POST /a HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n', refused: 'all'},
  {
    name: 'absolute-form target (origin-form and the authority as Host)',
    send: 'GET http://evil.example/p?q=1 HTTP/1.1\r\nHost: x\r\n\r\n',
    refused: 'never', head: 'GET /p?q=1 HTTP/1.1\r\nHost: evil.example', body: '', read: 'GET /p?q=1', closes: 'never',
  },
  {
    name: 'NUL in a header value (monitor: replaced by SP)',
    send: 'GET /a HTTP/1.1\r\nHost: x\r\nX: a\u0000b\r\n\r\n',
    refused: 'severe', head: 'GET /a HTTP/1.1\r\nHost: x\r\nX: a b', body: '', read: 'GET /a', closes: 'never',
  },
  {
    name: 'bare CR hiding a Transfer-Encoding line',
    send: 'POST /a HTTP/1.1\r\nHost: x\r\nX: y\rTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n',
    refused: 'severe', head: 'POST /a HTTP/1.1\r\nHost: x\r\nX: y Transfer-Encoding: chunked\r\nContent-Length: 5', body: '0\r\n\r\n', read: 'POST /a', closes: 'never',
  },
  {
    // The LB reads a line end there too, as HAProxy and nginx do, and forwards CRLF: both agree.
    name: 'bare LF before a Transfer-Encoding line (a line end, as nginx reads it; TE wins over CL)',
    send: 'POST /a HTTP/1.1\r\nHost: x\r\nX: y\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n',
    refused: 'strictest', head: 'POST /a HTTP/1.1\r\nHost: x\r\nX: y\r\nTransfer-Encoding: chunked', body: '0\r\n\r\n', read: 'POST /a', closes: 'always',
  },
  {
    name: 'obs-fold continuing into a Transfer-Encoding look-alike (unfolded)',
    send: 'POST /a HTTP/1.1\r\nHost: x\r\nX: a\r\n Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc',
    refused: 'strictest', head: 'POST /a HTTP/1.1\r\nHost: x\r\nX: a Transfer-Encoding: chunked\r\nContent-Length: 3', body: 'abc', read: 'POST /a', closes: 'defensive',
  },
  {
    name: 'Transfer_Encoding look-alike (dropped)',
    send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer_Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n',
    refused: 'strictest', head: 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5', body: '0\r\n\r\n', read: 'POST /a', closes: 'defensive',
  },
  {
    name: 'whitespace before the colon (RFC 9112 §5.1; monitor drops the line)',
    send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n',
    refused: 'severe', head: 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5', body: '0\r\n\r\n', read: 'POST /a', closes: 'never',
  },
  {name: 'HAProxy CVE-2019-18277: Transfer-Encoding: \\x0bchunked', send: 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \u000bchunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n', refused: 'all'},
  {
    name: 'HAProxy CVE-2021-40346: a 270-character header name starting with Content-Length',
    send: `POST /a HTTP/1.1\r\nHost: x\r\nContent-Length0${'a'.repeat(255)}:\r\nContent-Length: 3\r\n\r\nabc`,
    refused: 'never', head: `POST /a HTTP/1.1\r\nHost: x\r\nContent-Length0${'a'.repeat(255)}:\r\nContent-Length: 3`, body: 'abc', read: 'POST /a', closes: 'never',
  },
  {
    name: 'HAProxy CVE-2023-25725: an empty header name (monitor drops the line, keeps Content-Length)',
    send: 'POST /a HTTP/1.1\r\nHost: x\r\n:\r\nContent-Length: 5\r\n\r\n0\r\n\r\n',
    refused: 'severe', head: 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5', body: '0\r\n\r\n', read: 'POST /a', closes: 'never',
  },
  {name: 'HAProxy CVE-2023-40225: empty Content-Length', send: 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n\r\nGET /s HTTP/1.1\r\nHost: x\r\n\r\n', refused: 'all'},
  {name: 'HAProxy CVE-2023-45539: # in the request target', send: 'GET /admin#.png HTTP/1.1\r\nHost: x\r\n\r\n', refused: 'all'},
  {
    name: 'GET with a body (AWS: undefined semantics, ambiguous)',
    send: 'GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc',
    refused: 'strictest', head: 'GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3', body: 'abc', read: 'GET /a', closes: 'defensive',
  },
]

function refusedIn(c: Case, mode: Mode): boolean {
  if (c.refused === 'all') return true
  if (c.refused === 'severe') return mode !== 'monitor'
  if (c.refused === 'strictest') return mode === 'strictest'
  return false
}

/** Send bytes; read one answer; report whether the LB then closed the connection. */
function exchange(port: number, host: string, data: string): Promise<{text: string; closed: boolean}> {
  return new Promise((resolve, reject) => {
    const socket = connect({host, port})
    let text = ''
    let settled = false
    const done = (closed: boolean): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve({text, closed})
    }
    const timer = setTimeout(() => { done(false); }, 5000)
    socket.on('connect', () => socket.write(Buffer.from(data, 'latin1')))
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1')
      const headEnd = text.indexOf('\r\n\r\n')
      if (headEnd === -1) return
      const length = Number(/\r\nContent-Length: (\d+)/i.exec(text.slice(0, headEnd))?.[1] ?? '0')
      // Complete and keep-alive: done; with Connection: close wait for the close itself.
      if (text.length >= headEnd + 4 + length && !/\r\nConnection: close\r\n/i.test(text.slice(0, headEnd + 2))) done(false)
    })
    socket.on('error', error => { if (text === '') reject(error) })
    socket.on('close', () => { done(true); })
  })
}

describe('data plane: hostile bytes through a real LB to a raw recording back end', () => {
  const health = new TestHealth()
  const home = mkdtempSync(join(tmpdir(), 'dp-hostile-'))
  const backend = new RecordingBackend(BACKEND_HOST)
  let dataPlane: DataPlane
  const ports: Record<Mode, number> = {monitor: 0, defensive: 0, strictest: 0}
  const address = (mode: Mode): string => `127.1.0.${31 + MODES.indexOf(mode)}`

  beforeAll(async () => {
    await backend.start()
    dataPlane = new DataPlane({health, portOffset: 0, stateDir: home})
    const lbs = []
    for (const mode of MODES) {
      ports[mode] = await freePort(address(mode))
      const lb = makeLoadBalancer({name: `hostile-${mode}`, localAddress: address(mode), listeners: [listener('HTTP', ports[mode], 'HTTP', backend.port)], instances: [instance(`i-${mode}`, BACKEND_HOST)]})
      lbs.push({...lb, attributes: {...lb.attributes, additional: [{key: 'elb.http.desyncmitigationmode', value: mode}]}})
    }
    await dataPlane.apply(stateOf(lbs))
  })

  afterAll(async () => {
    await dataPlane.close()
    await backend.close()
    rmSync(home, {recursive: true, force: true})
  })

  const forwarded = (mode: Mode, head: string, body = ''): string =>
    `${head}\r\nX-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: ${ports[mode]}\r\n\r\n${body}`

  for (const mode of MODES) {
    test.each(CASES.map(c => [c.name, c] as const))(`${mode}: %s`, async (_name, c) => {
      backend.take()
      const answer = await exchange(ports[mode], address(mode), c.send)
      const seen = backend.take()
      if (refusedIn(c, mode)) {
        expect(answer.text).toBe('HTTP/1.1 400 BAD_REQUEST\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
        expect(answer.closed).toBe(true)
        // Nothing the instance could run: at most the head of a body that turned out broken.
        // Sent in one piece, the request is refused before any byte of it reaches the instance.
        expect(seen.bytes).toBe('')
        expect(seen.requests).toEqual([])
      } else {
        expect(answer.text).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
        expect(answer.text.endsWith(`\r\n\r\n${c.read ?? ''}`)).toBe(true)
        expect(seen.bytes).toBe(forwarded(mode, c.head ?? '', c.body))
        expect(seen.requests).toEqual([c.read])
        const closes = c.closes === 'always' || (c.closes === 'defensive' && mode === 'defensive')
        expect(answer.closed).toBe(closes)
      }
      // The next client gets its own answer, and the instance read nothing else.
      const victim = await exchange(ports[mode], address(mode), 'GET /victim HTTP/1.1\r\nHost: x\r\n\r\n')
      expect(victim.text).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nGET \/victim$/)
      const after = backend.take()
      expect(after.requests).toEqual(['GET /victim'])
      expect(after.bytes).toBe(forwarded(mode, 'GET /victim HTTP/1.1\r\nHost: x'))
    })

    test(`${mode}: defect 2 with the head already forwarded: the instance gets the head only, then its connection closes`, async () => {
      backend.take()
      const socket = connect({host: address(mode), port: ports[mode]})
      let text = ''
      socket.on('data', (chunk: Buffer) => { text += chunk.toString('latin1') })
      const clientClosed = new Promise<void>(resolve => socket.on('close', () => { resolve(); }))
      socket.write('POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n')
      await backend.receivedText('hello\r\n')
      const backendClosed = backend.nextClose()
      socket.write('0\r\n\nGET /hidden HTTP/1.1\r\nHost: x\r\n\r\n')
      await Promise.all([clientClosed, backendClosed])
      expect(text).toBe('HTTP/1.1 400 BAD_REQUEST\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
      const seen = backend.take()
      expect(seen.bytes).toBe(forwarded(mode, 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked', '5\r\nhello\r\n'))
      expect(seen.requests).toEqual([])
      const victim = await exchange(ports[mode], address(mode), 'GET /victim HTTP/1.1\r\nHost: x\r\n\r\n')
      expect(victim.text).toMatch(/\r\n\r\nGET \/victim$/)
      expect(backend.take().requests).toEqual(['GET /victim'])
    }, 10_000)
  }
})

describe('data plane: defect 2 with nginx behind the LB (nginx ends a chunked body at a bare LF)', () => {
  const NGINX_HOST = '127.0.0.62'
  const LB = '127.1.0.34'
  const health = new TestHealth()
  const home = mkdtempSync(join(tmpdir(), 'dp-nginx-'))
  let nginx: ChildProcess
  let dataPlane: DataPlane
  let lbPort = 0

  beforeAll(async () => {
    const nginxPort = await freePort(NGINX_HOST)
    writeFileSync(join(home, 'nginx.conf'), [
      'daemon off;', 'master_process off;', 'worker_processes 1;', `pid ${home}/nginx.pid;`, `error_log ${home}/error.log info;`,
      'events { worker_connections 64; }',
      `http { access_log ${home}/access.log; client_body_temp_path ${home}; proxy_temp_path ${home}; fastcgi_temp_path ${home}; uwsgi_temp_path ${home}; scgi_temp_path ${home};`,
      `  server { listen ${NGINX_HOST}:${nginxPort}; location / { return 200 "nginx $request_uri"; } } }`,
    ].join('\n'))
    nginx = spawn('nginx', ['-p', home, '-c', join(home, 'nginx.conf')], {stdio: 'ignore'})
    await waitForListener(NGINX_HOST, nginxPort)
    dataPlane = new DataPlane({health, portOffset: 0, stateDir: home})
    lbPort = await freePort(LB)
    await dataPlane.apply(stateOf([makeLoadBalancer({name: 'nginx', localAddress: LB, listeners: [listener('HTTP', lbPort, 'HTTP', nginxPort)], instances: [instance('i-nginx', NGINX_HOST)]})]))
  })

  afterAll(async () => {
    await dataPlane.close()
    nginx.kill()
    rmSync(home, {recursive: true, force: true})
  })

  test('the exact bytes of the report: one 400, and nginx never runs GET /hidden', async () => {
    const answer = await exchange(lbPort, LB, 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\nGET /hidden HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(answer.text).toBe('HTTP/1.1 400 BAD_REQUEST\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
    const victim = await exchange(lbPort, LB, 'GET /victim HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(victim.text).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nnginx \/victim$/)
    const log = readFileSync(join(home, 'access.log'), 'utf8')
    expect(log).toMatch(/"GET \/victim HTTP\/1\.1" 200/)
    expect(log).not.toMatch(/hidden/)
  })
})

/** Resolves once `host:port` accepts connections (bounded: 10 s). */
async function waitForListener(host: string, port: number): Promise<void> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const ok = await new Promise<boolean>(resolve => {
      const s = connect({host, port}, () => { s.destroy(); resolve(true) })
      s.on('error', () => { resolve(false) })
    })
    if (ok) return
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port}`)
    await new Promise(resolve => setImmediate(resolve))
  }
}
