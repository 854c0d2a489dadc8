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
    const head = request('GET /a?b=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3')
    expect(head).toMatchObject({method: 'GET', target: '/a?b=1', minor: 1, contentLength: 3, chunked: false, keepAlive: true, classification: 'compliant'})
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
    ['Content-Length: 4\r\nTransfer-Encoding: chunked', 'severe'],
    ['Content-Length: 4\r\nContent-Length: 5', 'severe'],
    ['Content-Length: 4x', 'severe'],
    ['Transfer-Encoding: gzip, chunked', 'severe'],
    ['Bad Name: x', 'severe'],
    ['X: a\u0000b', 'severe'],
    ['Content-Length: 4\r\nContent-Length: 4', 'ambiguous'],
    ['X-Folded: a\r\n  b', 'ambiguous'],
    ['Transfer-Encoding: Chunked', 'acceptable'],
    ['X-Name: caf\u00e9', 'acceptable'],
    ['Transfer-Encoding: chunked', 'compliant'],
  ])('desync classification of %j is %s', (headers, cls) => {
    expect(request(`POST / HTTP/1.1\r\nHost: x\r\n${headers}`).classification).toBe(cls)
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
      'GET / HTTP/1.1\r\nHost: x\r\nConnection: close',
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
