import {RequestHeadScan, withCrlf} from '../../../../src/engine/dataplane/http/head-scan.js'

/** Feeds `text` in reads of `step` bytes, resuming 3 bytes back as the front connection does. */
function scanInReads(text: string, step: number): RequestHeadScan & {found: boolean} {
  const scan = new RequestHeadScan()
  const bytes = Buffer.from(text, 'latin1')
  let found = false
  for (let end = Math.min(step, bytes.length), from = 0; !found; end = Math.min(end + step, bytes.length)) {
    found = scan.find(bytes.subarray(0, end), from)
    if (end === bytes.length) break
    from = Math.max(0, end - 3)
  }
  return Object.assign(scan, {found})
}

describe('RequestHeadScan', () => {
  it.each([
    ['CRLF head', 'GET / HTTP/1.1\r\nHost: x\r\n\r\nBODY', 'GET / HTTP/1.1\r\nHost: x\r\n'.length, false],
    ['bare-LF head', 'GET / HTTP/1.1\nHost: x\n\nBODY', 'GET / HTTP/1.1\nHost: x\n'.length, true],
    ['one bare LF inside a CRLF head', 'GET / HTTP/1.1\r\nHost: x\nX: y\r\n\r\nBODY', 'GET / HTTP/1.1\r\nHost: x\nX: y\r\n'.length, true],
    ['LF then CRLF ends the head', 'GET / HTTP/1.1\nHost: x\n\r\nBODY', 'GET / HTTP/1.1\nHost: x\n'.length, true],
  ])('%s: found at once and byte by byte, with the same end and bare-LF verdict', (_name, text, lastLineEnd, bareLf) => {
    for (const step of [text.length, 1, 2, 5]) {
      const scan = scanInReads(text, step)
      expect({found: scan.found, lastLineEnd: scan.lastLineEnd, rest: text.slice(scan.restStart), bareLf: scan.bareLf})
        .toEqual({found: true, lastLineEnd, rest: 'BODY', bareLf})
    }
  })

  it('an incomplete head is not found; reset forgets a bare LF', () => {
    const scan = new RequestHeadScan()
    expect(scan.find(Buffer.from('GET / HTTP/1.1\nHost: x\n'), 0)).toBe(false)
    expect(scan.bareLf).toBe(true)
    scan.reset()
    expect(scan.find(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 0)).toBe(true)
    expect(scan.bareLf).toBe(false)
  })

  it('withCrlf makes every line ending CRLF', () => {
    expect(withCrlf('GET / HTTP/1.1\nHost: x\r\nX: y\n')).toBe('GET / HTTP/1.1\r\nHost: x\r\nX: y\r\n')
  })
})
