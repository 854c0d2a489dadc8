/**
 * HTTP/1.x message heads and body framing for the layer-7 proxy. Bytes are handled as latin1
 * strings so that every byte round-trips unchanged; bodies are never parsed, only delimited.
 *
 * Desync classification follows aws/http-desync-guardian's four tiers in a reduced form:
 * `severe` framing the proxy could disagree on with the instance (both Content-Length and
 * Transfer-Encoding, a Transfer-Encoding other than `chunked`, conflicting or non-numeric
 * Content-Length, malformed header names, control characters); `ambiguous` (repeated identical
 * Content-Length, obsolete line folding); `acceptable` (non-ASCII header bytes, `Chunked` in odd
 * case); otherwise `compliant`.
 */

export type DesyncClass = 'compliant' | 'acceptable' | 'ambiguous' | 'severe'

export interface HeaderLine {
  readonly name: string
  /** Lower-case name, for lookups. */
  readonly key: string
  readonly value: string
}

export interface RequestHead {
  readonly method: string
  readonly target: string
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  readonly minor: 0 | 1
  readonly headers: readonly HeaderLine[]
  /** -1 when absent. */
  readonly contentLength: number
  readonly chunked: boolean
  /** The client asked for the connection to stay open after the response. */
  readonly keepAlive: boolean
  /** Lower-case header names the Connection header declares hop-by-hop. */
  readonly connectionTokens: readonly string[]
  readonly classification: DesyncClass
  readonly reason?: string
}

export interface ResponseHead {
  readonly minor: 0 | 1
  readonly status: number
  /** The status line exactly as received, without CRLF. */
  readonly statusLine: string
  readonly headers: readonly HeaderLine[]
  readonly contentLength: number
  readonly chunked: boolean
  readonly keepAlive: boolean
  readonly connectionTokens: readonly string[]
}

/** Why the load balancer answers a request itself instead of forwarding it. */
export class RequestRejection {
  constructor(readonly status: 400 | 405 | 408, readonly reason: string) {}
}

export class MalformedResponse {
  constructor(readonly reason: string) {}
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/
 
const NON_ASCII = /[\x80-\xff]/
const DIGITS = /^[0-9]+$/
/** Classic ELB answers 405 when the method is longer than this. */
export const MAX_METHOD_LENGTH = 127

const ORDER: Record<DesyncClass, number> = {compliant: 0, acceptable: 1, ambiguous: 2, severe: 3}

interface HeaderBlock {
  headers: HeaderLine[]
  classification: DesyncClass
  reason?: string
  /** A line that is not a header at all. */
  malformedLine: boolean
}

function worse(block: HeaderBlock, cls: DesyncClass, reason: string): void {
  if (ORDER[cls] > ORDER[block.classification]) {
    block.classification = cls
    block.reason = reason
  }
}

/** Lower-case header names, memoised: the same few names come in every request. */
const lowerNames = new Map<string, string>()

function lowerName(name: string): string {
  let key = lowerNames.get(name)
  if (key === undefined) {
    key = name.toLowerCase()
    if (lowerNames.size < 1024) lowerNames.set(name, key)
  }
  return key
}

function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09
}

/** Parse the header lines of `text` starting at `from` (just after the start line's CRLF). */
function parseHeaderLines(text: string, from: number): HeaderBlock {
  const block: HeaderBlock = {headers: [], classification: 'compliant', malformedLine: false}
  let at = from
  const end = text.length
  while (at < end) {
    let eol = text.indexOf('\r\n', at)
    if (eol === -1) eol = end
    if (eol === at) {
      at += 2
      continue
    }
    const first = text.charCodeAt(at)
    if (isOws(first)) {
      // obs-fold: RFC 7230 lets a proxy replace it by a space before forwarding.
      const line = text.slice(at, eol)
      at = eol + 2
      const previous = block.headers.pop()
      if (previous === undefined) {
        worse(block, 'severe', 'line folding without a header')
        block.malformedLine = true
        continue
      }
      worse(block, 'ambiguous', 'obsolete line folding')
      block.headers.push({...previous, value: `${previous.value} ${line.trim()}`})
      continue
    }
    const colon = text.indexOf(':', at)
    if (colon === -1 || colon >= eol || colon === at) {
      worse(block, 'severe', 'header line without a name')
      block.malformedLine = true
      at = eol + 2
      continue
    }
    const name = text.slice(at, colon)
    if (!TOKEN.test(name)) {
      worse(block, 'severe', `invalid header name ${JSON.stringify(name)}`)
      block.malformedLine = true
      at = eol + 2
      continue
    }
    let valueStart = colon + 1
    let valueEnd = eol
    while (valueStart < valueEnd && isOws(text.charCodeAt(valueStart))) valueStart++
    while (valueEnd > valueStart && isOws(text.charCodeAt(valueEnd - 1))) valueEnd--
    const value = text.slice(valueStart, valueEnd)
    if (CONTROL.test(value)) worse(block, 'severe', `control character in header ${name}`)
    else if (NON_ASCII.test(value)) worse(block, 'acceptable', `non-ASCII byte in header ${name}`)
    block.headers.push({name, key: lowerName(name), value})
    at = eol + 2
  }
  return block
}

interface Framing {
  contentLength: number
  chunked: boolean
  connectionTokens: string[]
  close: boolean
  keepAliveToken: boolean
  /** The body length cannot be determined (bad or conflicting Content-Length, unknown coding). */
  invalid: boolean
}

function framingOf(block: HeaderBlock): Framing {
  let contentLength = -1
  let lengthCount = 0
  let transferEncoding: string | undefined
  let invalid = false
  const connectionTokens: string[] = []
  for (const h of block.headers) {
    if (h.key === 'content-length') {
      for (const part of h.value.split(',')) {
        const v = part.trim()
        if (!DIGITS.test(v) || v.length > 15) {
          worse(block, 'severe', 'invalid Content-Length')
          invalid = true
          continue
        }
        const n = Number(v)
        lengthCount++
        if (contentLength !== -1 && n !== contentLength) {
          worse(block, 'severe', 'conflicting Content-Length values')
          invalid = true
        }
        else if (contentLength !== -1) worse(block, 'ambiguous', 'repeated Content-Length')
        contentLength = n
      }
    } else if (h.key === 'transfer-encoding') {
      transferEncoding = transferEncoding === undefined ? h.value : `${transferEncoding}, ${h.value}`
    } else if (h.key === 'connection') {
      for (const part of h.value.split(',')) {
        const token = part.trim().toLowerCase()
        if (token.length > 0) connectionTokens.push(token)
      }
    }
  }
  let chunked = false
  if (transferEncoding !== undefined) {
    if (transferEncoding.trim().toLowerCase() !== 'chunked') {
      worse(block, 'severe', `unsupported Transfer-Encoding ${JSON.stringify(transferEncoding)}`)
      invalid = true
    }
    else if (transferEncoding.trim() !== 'chunked') worse(block, 'acceptable', 'Transfer-Encoding in unusual case')
    chunked = true
    if (lengthCount > 0) worse(block, 'severe', 'both Content-Length and Transfer-Encoding')
  }
  return {
    contentLength: chunked ? -1 : contentLength,
    chunked,
    connectionTokens,
    close: connectionTokens.includes('close'),
    keepAliveToken: connectionTokens.includes('keep-alive'),
    invalid,
  }
}

/** Parse a request head (the text before the blank line, latin1). */
export function parseRequestHead(text: string): RequestHead | RequestRejection {
  let lineEnd = text.indexOf('\r\n')
  if (lineEnd === -1) lineEnd = text.length
  const requestLine = text.slice(0, lineEnd)
  const firstSpace = requestLine.indexOf(' ')
  const method = firstSpace === -1 ? requestLine : requestLine.slice(0, firstSpace)
  if (method.length > MAX_METHOD_LENGTH) return new RequestRejection(405, 'method longer than 127 characters')
  const parts = requestLine.split(' ')
  if (parts.length !== 3) return new RequestRejection(400, 'malformed request line')
  const [, target = '', version = ''] = parts
  if (!TOKEN.test(method)) return new RequestRejection(400, 'malformed method')
  if (method === 'CONNECT') return new RequestRejection(400, 'CONNECT is not supported')
  if (target.length === 0 || CONTROL.test(target) || NON_ASCII.test(target)) return new RequestRejection(400, 'malformed request target')
  let minor: 0 | 1
  if (version === 'HTTP/1.1') minor = 1
  else if (version === 'HTTP/1.0') minor = 0
  else return new RequestRejection(400, `unsupported protocol version ${JSON.stringify(version)}`)

  const block = parseHeaderLines(text, lineEnd + 2)
  const framing = framingOf(block)
  let hosts = 0
  for (const h of block.headers) if (h.key === 'host') hosts++
  if (hosts > 1) return new RequestRejection(400, 'more than one Host header')
  if (hosts === 0 && minor === 1) return new RequestRejection(400, 'HTTP/1.1 request without Host')
  const head: RequestHead = {
    method,
    target,
    minor,
    headers: block.headers,
    contentLength: framing.contentLength,
    chunked: framing.chunked,
    keepAlive: minor === 1 ? !framing.close : framing.keepAliveToken && !framing.close,
    connectionTokens: framing.connectionTokens,
    classification: block.classification,
    ...(block.reason === undefined ? {} : {reason: block.reason}),
  }
  return head
}

/** Parse a response head from an instance. Anything unparseable is the LB's 502. */
export function parseResponseHead(text: string): ResponseHead | MalformedResponse {
  let lineEnd = text.indexOf('\r\n')
  if (lineEnd === -1) lineEnd = text.length
  const statusLine = text.slice(0, lineEnd)
  const match = /^HTTP\/1\.([01]) ([0-9]{3})(?: .*)?$/.exec(statusLine)
  if (match === null) return new MalformedResponse('malformed status line')
  const block = parseHeaderLines(text, lineEnd + 2)
  const framing = framingOf(block)
  // A response that cannot be delimited safely is not forwarded (both CL and TE is fine: TE wins).
  if (block.malformedLine || framing.invalid) return new MalformedResponse(block.reason ?? 'malformed header')
  const minor = match[1] === '1' ? 1 : 0
  return {
    minor,
    status: Number(match[2]),
    statusLine,
    headers: block.headers,
    // RFC 7230 §3.3.3: Transfer-Encoding overrides Content-Length in a response.
    contentLength: framing.contentLength,
    chunked: framing.chunked,
    keepAlive: minor === 1 ? !framing.close : framing.keepAliveToken && !framing.close,
    connectionTokens: framing.connectionTokens,
  }
}

/** Delimits one message body inside a byte stream without changing it. */
export interface BodyFramer {
  /**
   * Consume bytes of `chunk` from `start`; returns the index just past the last byte that belongs
   * to this body (`chunk.length` when all do), or -1 when the framing is invalid.
   */
  consume(chunk: Buffer, start: number): number
  readonly done: boolean
}

export class LengthFramer implements BodyFramer {
  private remaining: number
  constructor(length: number) {
    this.remaining = length
  }
  get done(): boolean {
    return this.remaining === 0
  }
  consume(chunk: Buffer, start: number): number {
    const take = Math.min(this.remaining, chunk.length - start)
    this.remaining -= take
    return start + take
  }
}

const enum Chunk {
  Size,
  SizeExtension,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  TrailerLine,
  TrailerLf,
  FinalLf,
  Done,
}

const MAX_CHUNK_SIZE_DIGITS = 15

/** RFC 7230 §4.1 chunked coding, validated byte by byte on size lines, skipped over data. */
export class ChunkedFramer implements BodyFramer {
  private state = Chunk.Size
  private size = 0
  private digits = 0
  private remaining = 0

  get done(): boolean {
    return this.state === Chunk.Done
  }

  consume(chunk: Buffer, start: number): number {
    let i = start
    const end = chunk.length
    while (i < end) {
      switch (this.state) {
        case Chunk.Data: {
          const take = Math.min(this.remaining, end - i)
          this.remaining -= take
          i += take
          if (this.remaining === 0) this.state = Chunk.DataCr
          continue
        }
        case Chunk.Size: {
          const c = chunk[i] ?? 0
          const v = hexValue(c)
          if (v >= 0) {
            if (++this.digits > MAX_CHUNK_SIZE_DIGITS) return -1
            this.size = this.size * 16 + v
          } else if (this.digits === 0) {
            return -1
          } else if (c === 0x3b /* ; */ || c === 0x20 || c === 0x09) {
            this.state = Chunk.SizeExtension
          } else if (c === 0x0d) {
            this.state = Chunk.SizeLf
          } else {
            return -1
          }
          break
        }
        case Chunk.SizeExtension: {
          const c = chunk[i] ?? 0
          if (c === 0x0d) this.state = Chunk.SizeLf
          else if (c === 0x0a || c < 0x09) return -1
          break
        }
        case Chunk.SizeLf:
          if (chunk[i] !== 0x0a) return -1
          if (this.size === 0) {
            this.state = Chunk.TrailerStart
          } else {
            this.remaining = this.size
            this.state = Chunk.Data
          }
          this.size = 0
          this.digits = 0
          break
        case Chunk.DataCr:
          if (chunk[i] !== 0x0d) return -1
          this.state = Chunk.DataLf
          break
        case Chunk.DataLf:
          if (chunk[i] !== 0x0a) return -1
          this.state = Chunk.Size
          break
        case Chunk.TrailerStart:
          this.state = chunk[i] === 0x0d ? Chunk.FinalLf : Chunk.TrailerLine
          break
        case Chunk.TrailerLine:
          if (chunk[i] === 0x0d) this.state = Chunk.TrailerLf
          break
        case Chunk.TrailerLf:
          if (chunk[i] !== 0x0a) return -1
          this.state = Chunk.TrailerStart
          break
        case Chunk.FinalLf:
          if (chunk[i] !== 0x0a) return -1
          this.state = Chunk.Done
          return i + 1
        case Chunk.Done:
          return i
      }
      i++
    }
    return i
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  return -1
}

/** A response body delimited by the instance closing the connection. */
export class UntilCloseFramer implements BodyFramer {
  readonly done = false
  consume(chunk: Buffer): number {
    return chunk.length
  }
}

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1')

/** Index of the blank line ending a head (pointing at its `\r\n\r\n`), or -1. */
export function findHeadEnd(buffer: Buffer, from = 0): number {
  return buffer.indexOf(HEAD_END, from)
}

/** Lower-case names of the only response headers the quick scan has to look at. */
const QUICK_SCAN_NAMES = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'proxy-connection', 'upgrade'])
const QUICK_SCAN_LENGTHS = new Set([...QUICK_SCAN_NAMES].map(n => n.length))

/**
 * The common response, recognised without building header records: HTTP/1.1, a non-1xx status,
 * one valid Content-Length or `Transfer-Encoding: chunked`, and no hop-by-hop header other than
 * `Connection: keep-alive`. Anything else returns undefined and takes `parseResponseHead`. The
 * result has no `headers`: it is only for relaying the head unchanged.
 */
export function quickScanResponseHead(text: string): ResponseHead | undefined {
  if (!text.startsWith('HTTP/1.1 ')) return undefined
  const status = Number(text.slice(9, 12))
  if (!(status >= 200 && status <= 599) || (text.length > 12 && text.charCodeAt(12) !== 0x20 && text.charCodeAt(12) !== 0x0d)) return undefined
  let lineEnd = text.indexOf('\r\n')
  if (lineEnd === -1) lineEnd = text.length
  let contentLength = -1
  let chunked = false
  let keepAliveToken = false
  let at = lineEnd + 2
  while (at < text.length) {
    let eol = text.indexOf('\r\n', at)
    if (eol === -1) eol = text.length
    const colon = text.indexOf(':', at)
    if (colon <= at || colon > eol) return undefined
    if (QUICK_SCAN_LENGTHS.has(colon - at)) {
      const name = text.slice(at, colon).toLowerCase()
      if (QUICK_SCAN_NAMES.has(name)) {
        const value = text.slice(colon + 1, eol).trim().toLowerCase()
        if (name === 'content-length') {
          if (contentLength !== -1 || !DIGITS.test(value) || value.length > 15) return undefined
          contentLength = Number(value)
        } else if (name === 'transfer-encoding') {
          if (chunked || value !== 'chunked') return undefined
          chunked = true
        } else if (name === 'connection' && value === 'keep-alive') {
          keepAliveToken = true
        } else {
          return undefined
        }
      }
    }
    at = eol + 2
  }
  if (chunked && contentLength !== -1) return undefined
  if (!chunked && contentLength === -1 && status !== 204 && status !== 304) return undefined
  return {
    minor: 1,
    status,
    statusLine: text.slice(0, lineEnd),
    headers: [],
    contentLength,
    chunked,
    keepAlive: true,
    connectionTokens: keepAliveToken ? ['keep-alive'] : [],
  }
}

/** Request headers the quick scan must see to decide: anything here takes the full parse. */
const QUICK_REQUEST_REWRITES = new Set([
  'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'proxy-connection', 'te', 'upgrade',
  'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port',
])
const QUICK_REQUEST_LENGTHS = new Set([...QUICK_REQUEST_REWRITES, 'host'].map(n => n.length))
// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\xff]|\r(?!\n)|(?<!\r)\n/
const LINE_START_NOT_HEADER = /\r\n(?![!#$%&'*+\-.^_`|~0-9A-Za-z]+:)/
const QUICK_REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]{1,127}) (\/[!-~]*) HTTP\/1\.1(?=\r\n|$)/

/**
 * The common request, recognised without building header records: an HTTP/1.1 request line with
 * an origin-form target, exactly one Host, only well-formed ASCII header lines, and none of the
 * headers the proxy rewrites (framing, hop-by-hop, X-Forwarded-*). Such a request has no body and
 * is compliant, so its head is forwarded as it came plus our X-Forwarded-* lines. Anything else
 * returns undefined and takes `parseRequestHead`. The result has no `headers`.
 */
export function quickScanRequestHead(text: string): RequestHead | undefined {
  const line = QUICK_REQUEST_LINE.exec(text)
  if (line === null || line[1] === 'CONNECT') return undefined
  if (ANY_CONTROL.test(text) || LINE_START_NOT_HEADER.test(text)) return undefined
  let hosts = 0
  let at = line[0].length + 2
  while (at < text.length) {
    let eol = text.indexOf('\r\n', at)
    if (eol === -1) eol = text.length
    const colon = text.indexOf(':', at)
    if (QUICK_REQUEST_LENGTHS.has(colon - at)) {
      const name = text.slice(at, colon).toLowerCase()
      if (name === 'host') hosts++
      else if (QUICK_REQUEST_REWRITES.has(name)) return undefined
    }
    at = eol + 2
  }
  if (hosts !== 1) return undefined
  return {
    method: line[1] ?? '',
    target: line[2] ?? '',
    minor: 1,
    headers: [],
    contentLength: -1,
    chunked: false,
    keepAlive: true,
    connectionTokens: [],
    classification: 'compliant',
  }
}
