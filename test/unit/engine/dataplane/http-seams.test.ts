import type {Socket} from 'node:net'
import {compileListener, compileLoadBalancer} from '../../../../src/engine/dataplane/config.js'
import {parseRequestHead, parseResponseHead, quickScanRequestHead, quickScanResponseHead, type RequestHead, type ResponseHead} from '../../../../src/engine/dataplane/http/parse.js'
import {forwardedSuffix} from '../../../../src/engine/dataplane/http/passes/forwarded.js'
import {buildRequestHead, headForwardsUnchanged, writeClientHead} from '../../../../src/engine/dataplane/http/passes/request-head.js'
import {buildResponseHead, closingHead, mayRelayResponseHead, responseHeadUnchanged} from '../../../../src/engine/dataplane/http/passes/response-head.js'
import {route, stickyCookieValue, StickySelector} from '../../../../src/engine/dataplane/http/router.js'
import {LoadBalancerRuntime} from '../../../../src/engine/dataplane/load-balancer.js'
import {instance, listener, makeLoadBalancer, policy} from '../../../engine/dataplane/fixtures.js'

function request(text: string): RequestHead {
  const head = parseRequestHead(text)
  if (!('method' in head)) throw new Error(`rejected: ${text}`)
  return head
}

function response(text: string): ResponseHead {
  const head = parseResponseHead(text)
  if (!('status' in head)) throw new Error(`malformed: ${text}`)
  return head
}

const lbRecord = makeLoadBalancer({name: 'web', localAddress: '127.1.0.9', listeners: [listener('HTTP', 80, 'HTTP', 8080)]})
const httpConfig = compileListener(lbRecord, listener('HTTP', 80, 'HTTP', 8080), [], 0)
const httpsConfig = {...httpConfig, protocol: 'HTTPS' as const, loadBalancerPort: 443}

describe('head passes: request', () => {
  test('hop-by-hop headers and headers named by Connection are dropped; X-Forwarded-For extends the chain', () => {
    const head = request('GET /a HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, X-Secret\r\nX-Secret: 1\r\nTE: trailers\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: ftp\r\nAccept: */*')
    expect(headForwardsUnchanged(head)).toBe(false)
    expect(buildRequestHead(head, '192.0.2.7', httpsConfig, '127.1.0.9')).toBe(
      'GET /a HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n' +
      'X-Forwarded-For: 10.0.0.1, 192.0.2.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 443\r\n\r\n')
  })

  test('HTTP/1.0 without Host gets the node address and Connection: keep-alive', () => {
    const head = request('GET / HTTP/1.0\r\nAccept: */*')
    expect(buildRequestHead(head, '192.0.2.7', httpConfig, '127.1.0.9')).toBe(
      'GET / HTTP/1.0\r\nAccept: */*\r\nHost: 127.1.0.9\r\n' +
      'X-Forwarded-For: 192.0.2.7\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: 80\r\nConnection: keep-alive\r\n\r\n')
  })

  test('a plain head is forwarded unchanged with the X-Forwarded suffix appended', () => {
    // (POST: a GET with a body is ambiguous for AWS and takes the rebuilding path.)
    const head = request('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3')
    expect(headForwardsUnchanged(head)).toBe(true)
    const quick = quickScanRequestHead('GET / HTTP/1.1\r\nHost: h')
    expect(quick !== undefined && headForwardsUnchanged(quick)).toBe(true)
    expect(forwardedSuffix('192.0.2.7', httpConfig, 1).toString('latin1')).toBe('X-Forwarded-For: 192.0.2.7\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: 80\r\n\r\n')
    // A client's own X-Forwarded-For must be merged, so that head is rebuilt.
    expect(headForwardsUnchanged(request('GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 1.2.3.4'))).toBe(false)
  })

  test('a Connection: close head takes the quick path and reaches the instance as the rebuilt one would', () => {
    for (const text of [
      'GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\nAccept: */*',
      'GET /a HTTP/1.1\r\nconnection:Close \r\nHost: h',
      'GET /a HTTP/1.1\r\nHost: h\r\nAccept: */*\r\nConnection:   CLOSE',
    ]) {
      const quick = quickScanRequestHead(text)
      const full = request(text)
      expect(quick).toMatchObject({keepAlive: false, connectionTokens: ['close'], classification: 'compliant'})
      expect(quick && {keepAlive: quick.keepAlive, tokens: quick.connectionTokens, classification: quick.classification})
        .toEqual({keepAlive: full.keepAlive, tokens: full.connectionTokens, classification: full.classification})
      if (quick === undefined) continue
      expect(headForwardsUnchanged(quick)).toBe(true)
      const written: Buffer[] = []
      const socket = {write: (chunk: Buffer) => written.push(chunk)} as unknown as Socket
      writeClientHead(socket, Buffer.from(`${text}\r\n`, 'latin1'), quick.closeLine, forwardedSuffix('192.0.2.7', httpConfig, 1))
      expect(Buffer.concat(written).toString('latin1')).toBe(buildRequestHead(full, '192.0.2.7', httpConfig, '127.1.0.9'))
    }
  })
})

describe('head passes: response', () => {
  const base = {stickiness: undefined, stickyInsert: false, cookieValue: () => 'COOKIE', closeAfter: false, clientMinor: 1 as const}

  test('a quick-scanned head relayed to a closing connection is the rebuilt one, body untouched', () => {
    for (const text of [
      'HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 5\r\nConnection: keep-alive\r\nX-A: b',
      'HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 5',
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive',
      'HTTP/1.1 200 OK\r\nContent-Length: 5',
    ]) {
      const quick = quickScanResponseHead(text)
      expect(quick !== undefined && responseHeadUnchanged(quick)).toBe(true)
      if (quick === undefined) continue
      const data = Buffer.from(`${text}\r\n\r\nhello`, 'latin1')
      expect(closingHead(data, quick, text.length + 4).toString('latin1')).toBe(buildResponseHead(response(text), {...base, closeAfter: true}))
    }
  })

  test('hop-by-hop response headers are dropped and Connection stated for the client', () => {
    const head = response('HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nUpgrade: h2\r\nContent-Length: 2')
    expect(responseHeadUnchanged(head)).toBe(false)
    expect(buildResponseHead(head, {...base, closeAfter: true})).toBe('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n')
    expect(buildResponseHead(head, {...base, clientMinor: 0})).toBe('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n')
  })

  test('duration-based stickiness inserts the AWSELB cookie only when the router chose anew', () => {
    const stickiness = {kind: 'lb-cookie', policyName: 'p', expirationPeriod: 60} as const
    const head = response('HTTP/1.1 200 OK\r\nContent-Length: 0')
    expect(mayRelayResponseHead(1, stickiness, true)).toBe(false)
    expect(mayRelayResponseHead(1, stickiness, false)).toBe(true)
    expect(buildResponseHead(head, {...base, stickiness, stickyInsert: true})).toContain('Set-Cookie: AWSELB=COOKIE;PATH=/;MAX-AGE=60\r\n')
    expect(buildResponseHead(head, {...base, stickiness, stickyInsert: false})).not.toContain('AWSELB')
  })

  test('application-controlled stickiness follows the application cookie', () => {
    const stickiness = {kind: 'app-cookie', policyName: 'p', cookieName: 'SESSION'} as const
    expect(mayRelayResponseHead(1, stickiness, false)).toBe(false)
    expect(buildResponseHead(response('HTTP/1.1 200 OK\r\nSet-Cookie: SESSION=1; Path=/x'), {...base, stickiness})).toContain('Set-Cookie: AWSELB=COOKIE;Path=/x\r\n')
    expect(buildResponseHead(response('HTTP/1.1 200 OK\r\nSet-Cookie: OTHER=1'), {...base, stickiness})).not.toContain('AWSELB')
  })
})

describe('router', () => {
  const secret = Buffer.alloc(32, 3)
  const sticky = makeLoadBalancer({
    name: 'web', localAddress: '127.1.0.9',
    listeners: [listener('HTTP', 80, 'HTTP', 8080, {policyNames: ['s']})],
    policies: [policy('s', 'LBCookieStickinessPolicyType', {CookieExpirationPeriod: '60'})],
    instances: [instance('i-a', '127.0.0.31'), instance('i-b', '127.0.0.32')],
  })
  const stickyConfig = compileListener(sticky, sticky.listeners[0] ?? listener('HTTP', 80, 'HTTP', 8080), [], 0)
  const lb = new LoadBalancerRuntime('us-east-1', sticky, compileLoadBalancer(sticky, 1), () => true)
  const ctx = {lb, config: stickyConfig, stickySecret: secret}
  const node = lb.assignNode()
  const cookieFor = (id: string): string => `Cookie: AWSELB=${stickyCookieValue(secret, id, stickyConfig)}`

  afterAll(() => { lb.close(); })

  test('a valid cookie routes to its instance and inserts nothing', () => {
    for (const id of ['i-a', 'i-b', 'i-b', 'i-a']) {
      const chosen = route(request(`GET / HTTP/1.1\r\nHost: h\r\n${cookieFor(id)}`), ctx, node)
      expect(chosen?.backend.instanceId).toBe(id)
      expect(chosen?.stickyInsert).toBe(false)
    }
  })

  test('no cookie, a forged one, or one for an unroutable instance: the selector chooses and a cookie is inserted', () => {
    const fresh = route(request('GET / HTTP/1.1\r\nHost: h'), ctx, node)
    expect(fresh?.stickyInsert).toBe(true)
    const forged = route(request('GET / HTTP/1.1\r\nHost: h\r\nCookie: AWSELB=00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF'), ctx, node)
    expect(forged?.stickyInsert).toBe(true)
    lb.backends.setHealthy('i-a', false)
    try {
      const moved = route(request(`GET / HTTP/1.1\r\nHost: h\r\n${cookieFor('i-a')}`), ctx, node)
      expect(moved?.backend.instanceId).toBe('i-b')
      expect(moved?.stickyInsert).toBe(true)
    } finally {
      lb.backends.setHealthy('i-a', true)
    }
  })

  test('stickiness wraps whatever selector it is given: the cookie wins, else the inner choice is pinned', () => {
    const calls: string[] = []
    const other = lb.backends.routable('i-b')
    if (other === undefined) throw new Error('i-b is not routable')
    const sticky = new StickySelector({select: (head) => { calls.push(head.target); return {backend: other, stickyInsert: false} }})
    const pinned = sticky.select(request(`GET /pinned HTTP/1.1\r\nHost: h\r\n${cookieFor('i-a')}`), ctx, node)
    expect([pinned?.backend.instanceId, pinned?.stickyInsert, calls]).toEqual(['i-a', false, []])
    const chosen = sticky.select(request('GET /fresh HTTP/1.1\r\nHost: h'), ctx, node)
    expect([chosen?.backend.instanceId, chosen?.stickyInsert, calls]).toEqual(['i-b', true, ['/fresh']])
    expect(new StickySelector({select: () => undefined}).select(request('GET /none HTTP/1.1\r\nHost: h'), ctx, node)).toBeUndefined()
  })

  test('without stickiness the least-outstanding instance is chosen and no cookie is inserted', () => {
    const plainRecord = {...sticky, listeners: [listener('HTTP', 80, 'HTTP', 8080)], policies: []}
    const plain = {...ctx, config: compileListener(plainRecord, listener('HTTP', 80, 'HTTP', 8080), [], 0)}
    const first = route(request('GET / HTTP/1.1\r\nHost: h'), plain, node)
    expect(first?.stickyInsert).toBe(false)
    // Make the first choice busy: the next request must go to the other instance, every time.
    if (first === undefined) throw new Error('no route')
    const busy = [1, 2, 3, 4, 5].map(() => ({destroy: () => undefined, workPrev: undefined, workNext: undefined, workList: undefined}))
    for (const work of busy) first.backend.take(work)
    try {
      for (let i = 0; i < 4; i++) expect(route(request('GET / HTTP/1.1\r\nHost: h'), plain, node)?.backend.instanceId).not.toBe(first.backend.instanceId)
    } finally {
      for (const work of busy) first.backend.drop(work)
    }
  })
})
