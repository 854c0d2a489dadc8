import {
  ChunkedFramer,
  LengthFramer,
  MalformedResponse,
  RequestRejection,
  findHeadEnd,
  parseRequestHead,
  parseResponseHead,
  quickScanRequestHead,
  quickScanResponseHead,
  type RequestHead,
} from '../../../../src/engine/dataplane/http/parse.js'

function request(text: string): RequestHead {
  const head = parseRequestHead(text)
  if (head instanceof RequestRejection) throw new Error(`rejected: ${head.reason}`)
  return head
}

describe('dataplane http parse', () => {
  test('a compliant HTTP/1.1 request', () => {
    const head = request('POST /a?b=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3')
    expect(head).toMatchObject({method: 'POST', target: '/a?b=1', minor: 1, contentLength: 3, chunked: false, keepAlive: true, classification: 'compliant'})
  })

  test('keep-alive defaults: 1.1 unless close, 1.0 only with keep-alive', () => {
    expect(request('GET / HTTP/1.1\r\nHost: x\r\nConnection: close').keepAlive).toBe(false)
    expect(request('GET / HTTP/1.0').keepAlive).toBe(false)
    expect(request('GET / HTTP/1.0\r\nConnection: Keep-Alive').keepAlive).toBe(true)
  })

  test.each([
    ['CONNECT host:443 HTTP/1.1\r\nHost: x', 400],
    ['GET /a b HTTP/1.1\r\nHost: x', 400],
    ['GET / HTTP/2.0\r\nHost: x', 400],
    ['GET / HTTP/1.1', 400],
    ['GET / HTTP/1.1\r\nHost: a\r\nHost: b', 400],
    [`${'X'.repeat(128)} / HTTP/1.1\r\nHost: x`, 405],
  ])('the LB refuses %j with %i', (text, status) => {
    const head = parseRequestHead(text)
    expect(head).toBeInstanceOf(RequestRejection)
    expect((head as RequestRejection).status).toBe(status)
  })

  test('a 127-character method is still forwarded', () => {
    expect(request(`${'X'.repeat(127)} / HTTP/1.1\r\nHost: x`).method).toHaveLength(127)
  })

  test.each([
    ['Content-Length: 4\r\nTransfer-Encoding: chunked', 'ambiguous'],
    ['Bad Name: x', 'severe'],
    ['Transfer-Encoding : chunked', 'severe'],
    ['X: a\u0000b', 'severe'],
    ['X: a\rb', 'severe'],
    ['X: a\u0001b', 'acceptable'],
    ['Content-Length: 4\r\nContent-Length: 4', 'ambiguous'],
    ['Content-Length: 4, 4', 'ambiguous'],
    ['X-Folded: a\r\n  b', 'ambiguous'],
    ['Transfer_Encoding: chunked', 'ambiguous'],
    ['Content-Length.: 4', 'ambiguous'],
    ['Transfer-Encoding: Chunked', 'acceptable'],
    ['Connection: Content-Length\r\nContent-Length: 4', 'acceptable'],
    ['X-Name: caf\u00e9', 'acceptable'],
    ['Transfer-Encoding: chunked', 'compliant'],
    ['Transfer-Encoding: \tchunked', 'compliant'],
    ['Content-Length0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: 5\r\nContent-Length: 4', 'compliant'],
  ])('desync classification of %j is %s', (headers, cls) => {
    expect(request(`POST / HTTP/1.1\r\nHost: x\r\n${headers}`).classification).toBe(cls)
  })

  test.each([
    ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5', 'conflicting Content-Length values'],
    ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4x', 'invalid Content-Length'],
    ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ', 'invalid Content-Length'],
    ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3,', 'invalid Content-Length'],
    ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +3', 'invalid Content-Length'],
    ['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked', 'unsupported Transfer-Encoding'],
    ['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked', 'chunked applied more than once'],
    ['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked', 'chunked applied more than once'],
    ['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \u000bchunked', 'unsupported Transfer-Encoding'],
    ['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity', 'unsupported Transfer-Encoding'],
    ['POST / HTTP/1.0\r\nTransfer-Encoding: chunked', 'Transfer-Encoding in HTTP/1.0'],
    ['GET /a#b HTTP/1.1\r\nHost: x', 'fragment in request target'],
    ['GET * HTTP/1.1\r\nHost: x', 'asterisk-form target outside OPTIONS'],
    ['GET abc HTTP/1.1\r\nHost: x', 'malformed request target'],
    // The request-target grammar the health checker's ping paths share (request-target.ts).
    ['GET /a\tb HTTP/1.1\r\nHost: x', 'malformed request target'],
    ['GET /caf\u00e9 HTTP/1.1\r\nHost: x', 'malformed request target'],
    ['GET http://user@h/ HTTP/1.1\r\nHost: x', 'malformed authority in request target'],
  ])('%j is refused in every mode (%s)', (text, reason) => {
    const head = parseRequestHead(text)
    expect(head).toBeInstanceOf(RequestRejection)
    expect(head).toMatchObject({status: 400, reason})
  })

  test('framing headers are forwarded canonical: one Content-Length, or chunked without Content-Length', () => {
    const list = request('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\nContent-Length: 3')
    expect(list.headers.filter(h => h.key === 'content-length')).toEqual([{name: 'Content-Length', key: 'content-length', value: '3'}])
    expect(list).toMatchObject({contentLength: 3, mustRebuild: true, keepAlive: true})
    const both = request('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked')
    expect(both.headers.map(h => h.key)).toEqual(['host', 'transfer-encoding'])
    // RFC 9112 §6.1: the connection closes after a request that had both.
    expect(both).toMatchObject({chunked: true, contentLength: -1, keepAlive: false, mustRebuild: true})
    const tab = request('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \tchunked')
    expect(tab.headers[1]).toEqual({name: 'Transfer-Encoding', key: 'transfer-encoding', value: 'chunked'})
    expect(tab.mustRebuild).toBe(true)
    expect(request('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4').mustRebuild).toBeUndefined()
  })

  test('a Connection option never removes a framing header', () => {
    const head = request('POST /a HTTP/1.1\r\nHost: x\r\nConnection: Content-Length, X-Hop\r\nContent-Length: 38')
    expect(head.connectionTokens).toEqual(['x-hop'])
    expect(head.contentLength).toBe(38)
    expect(head.headers.some(h => h.key === 'content-length')).toBe(true)
    expect(request('POST / HTTP/1.1\r\nHost: x\r\nConnection: transfer-encoding\r\nTransfer-Encoding: chunked').connectionTokens).toEqual([])
  })

  test('NUL, CR and LF in a value are replaced by SP; look-alike framing headers are dropped', () => {
    expect(request('GET / HTTP/1.1\r\nHost: x\r\nX: a\u0000b\rc\nd').headers[1]?.value).toBe('a b c d')
    expect(request('POST / HTTP/1.1\r\nHost: x\r\nTransfer_Encoding: chunked\r\nContent-Length: 1').headers.map(h => h.key)).toEqual(['host', 'content-length'])
  })

  test('GET and HEAD with framing headers (AWS: undefined body semantics)', () => {
    expect(request('GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0').classification).toBe('acceptable')
    expect(request('GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5').classification).toBe('ambiguous')
    expect(request('HEAD / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked').classification).toBe('ambiguous')
  })

  test('absolute-form targets become origin-form with the authority as Host', () => {
    const head = request('GET http://a.example:8080/p?q=1 HTTP/1.1\r\nHost: x')
    expect(head).toMatchObject({target: '/p?q=1', mustRebuild: true})
    expect(head.headers).toEqual([{name: 'Host', key: 'host', value: 'a.example:8080'}])
    expect(request('GET HTTPS://b.example HTTP/1.1\r\nHost: b.example').target).toBe('/')
    expect(request('OPTIONS * HTTP/1.1\r\nHost: x').target).toBe('*')
  })

  test('connection tokens are collected lower-case', () => {
    expect(request('GET / HTTP/1.1\r\nHost: x\r\nConnection: Keep-Alive, X-Custom').connectionTokens).toEqual(['keep-alive', 'x-custom'])
  })

  test('responses: status, framing, Transfer-Encoding wins over Content-Length', () => {
    const res = parseResponseHead('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked')
    expect(res).toMatchObject({status: 200, chunked: true, contentLength: -1})
    expect(parseResponseHead('HTTP/1.0 204')).toMatchObject({status: 204, minor: 0, keepAlive: false})
    expect(parseResponseHead('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2')).toBeInstanceOf(MalformedResponse)
    expect(parseResponseHead('ICY 200 OK')).toBeInstanceOf(MalformedResponse)
  })

  test('findHeadEnd finds the blank line', () => {
    expect(findHeadEnd(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\nbody'))).toBe(23)
    expect(findHeadEnd(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n'))).toBe(-1)
  })

  test('LengthFramer stops at the declared length', () => {
    const f = new LengthFramer(5)
    expect(f.consume(Buffer.from('abc'), 0)).toBe(3)
    expect(f.done).toBe(false)
    expect(f.consume(Buffer.from('defGET'), 0)).toBe(2)
    expect(f.done).toBe(true)
  })

  test('ChunkedFramer delimits chunks, extensions and trailers across arbitrary splits', () => {
    const body = '5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\nNEXT'
    for (let split = 1; split < body.length - 4; split++) {
      const f = new ChunkedFramer()
      const a = Buffer.from(body.slice(0, split))
      const b = Buffer.from(body.slice(split))
      expect(f.consume(a, 0)).toBe(a.length)
      expect(f.consume(b, 0)).toBe(b.length - 4)
      expect(f.done).toBe(true)
    }
  })

  test('ChunkedFramer refuses broken framing', () => {
    expect(new ChunkedFramer().consume(Buffer.from('zz\r\n'), 0)).toBe(-1)
    expect(new ChunkedFramer().consume(Buffer.from('3\r\nabcX'), 0)).toBe(-1)
    expect(new ChunkedFramer().consume(Buffer.from('3\nabc'), 0)).toBe(-1)
    expect(new ChunkedFramer().consume(Buffer.from(`${'f'.repeat(16)}\r\n`), 0)).toBe(-1)
  })

  test.each([
    ['bare LF ending the last chunk', '0\r\n\nGET /hidden HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['bare LF after a chunk size', '3\nabc\r\n0\r\n\r\n'],
    ['bare LF after chunk data', '3\r\nabc\n0\r\n\r\n'],
    ['bare CR after chunk data', '3\r\nabc\r0\r\n\r\n'],
    ['bare LF ending a trailer', '0\r\nX: y\n\r\n'],
    ['NUL in a trailer', '0\r\nX: a\u0000b\r\n\r\n'],
    ['folded trailer', '0\r\nX: a\r\n b\r\n\r\n'],
    ['trailer without a name', '0\r\n: a\r\n\r\n'],
    ['space before a trailer colon', '0\r\nX : a\r\n\r\n'],
    ['framing header as a trailer', '0\r\nContent-Length: 5\r\n\r\n'],
    ['NUL in a chunk extension', '3;a\u0000\r\nabc\r\n0\r\n\r\n'],
    ['bare LF in a chunk extension', '3;a\nabc\r\n0\r\n\r\n'],
    ['whitespace after a size without an extension', '3 \r\nabc\r\n0\r\n\r\n'],
    ['0x prefix', '0x3\r\nabc\r\n0\r\n\r\n'],
    ['sign', '+3\r\nabc\r\n0\r\n\r\n'],
    ['empty size', '\r\nabc\r\n0\r\n\r\n'],
    ['size beyond 2^52', '10000000000000\r\n'],
  ])('ChunkedFramer refuses %s', (_name, body) => {
    expect(new ChunkedFramer().consume(Buffer.from(body, 'latin1'), 0)).toBe(-1)
  })

  test('ChunkedFramer accepts BWS before extensions, quoted extensions and ordinary trailers', () => {
    const body = '3 ;a=1;b="x y"\r\nabc\r\n0\r\nX-Sum: 1\r\nY:\r\n\r\nNEXT'
    const f = new ChunkedFramer()
    expect(f.consume(Buffer.from(body), 0)).toBe(body.length - 4)
    expect(f.done).toBe(true)
  })

  test('quickScanResponseHead takes only plain keep-alive responses', () => {
    const nginx = 'HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 12\r\nConnection: keep-alive'
    expect(quickScanResponseHead(nginx)).toMatchObject({status: 200, contentLength: 12, chunked: false, keepAlive: true, connectionTokens: ['keep-alive']})
    expect(quickScanResponseHead('HTTP/1.1 404 Not Found\r\ntransfer-encoding: chunked')).toMatchObject({status: 404, chunked: true})
    expect(quickScanResponseHead('HTTP/1.1 304 Not Modified\r\nETag: x')).toMatchObject({status: 304, contentLength: -1})
    for (const head of [
      'HTTP/1.0 200 OK\r\nContent-Length: 1',
      'HTTP/1.1 100 Continue',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nKeep-Alive: timeout=5',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip',
      'HTTP/1.1 200 OK\r\nX: y',
      'HTTP/1.1 200 OK\r\nno colon here',
    ]) expect(quickScanResponseHead(head)).toBeUndefined()
  })

  test('quickScanRequestHead takes only plain requests that are forwarded unchanged', () => {
    expect(quickScanRequestHead('GET /a?b=1 HTTP/1.1\r\nHost: x\r\nUser-Agent: wrk\r\nAccept: */*')).toMatchObject({method: 'GET', target: '/a?b=1', minor: 1, classification: 'compliant', keepAlive: true})
    for (const head of [
      'GET / HTTP/1.0\r\nHost: x',
      'GET / HTTP/1.1',
      'GET / HTTP/1.1\r\nHost: a\r\nHost: b',
      'GET http://x/ HTTP/1.1\r\nHost: x',
      'CONNECT / HTTP/1.1\r\nHost: x',
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1',
      'GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive',
      'GET / HTTP/1.1\r\nHost: x\r\nConnection: close, te',
      'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nConnection: close',
      'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nClose: dropped-by-the-token',
      'GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 1.2.3.4',
      'GET / HTTP/1.1\r\nHost: x\r\nTE: trailers',
      'GET / HTTP/1.1\r\nHost: x\r\nBad Name: y',
      'GET / HTTP/1.1\r\nHost: x\r\n folded',
      'GET / HTTP/1.1\r\nHost: x\r\nX: a\u0000b',
      'GET / HTTP/1.1\r\nHost: x\r\nX: caf\u00e9',
      'GET / HTTP/1.1\r\nHost: x\nX: bare-lf',
      `${'M'.repeat(128)} / HTTP/1.1\r\nHost: x`,
    ]) expect(quickScanRequestHead(head)).toBeUndefined()
  })
})
