/**
 * HTTP/1.x message heads for the layer-7 proxy. Bytes are handled as latin1 strings so that every
 * byte round-trips unchanged; bodies are never parsed, only delimited (body-framers.ts).
 *
 * Requests are classified in aws/http-desync-guardian's four tiers (desync.ts), which the LB's
 * desync mitigation mode acts on; framing the proxy cannot determine is refused in every mode.
 */

import {isRequestTargetText} from '../../model/elb/request-target.js'
import {checkTarget, framingOf, owsTrim, resemblesFramingHeader, worse, type DesyncClass, type HeaderBlock, type HeaderLine} from './desync.js'

export type {DesyncClass, HeaderLine} from './desync.js'

export interface RequestHead {
  readonly method: string
  /** Origin-form (absolute-form targets are converted; their authority becomes the Host). */
  readonly target: string
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  readonly minor: 0 | 1
  readonly headers: readonly HeaderLine[]
  /** -1 when absent. */
  readonly contentLength: number
  readonly chunked: boolean
  /** The client asked for the connection to stay open after the response (and may). */
  readonly keepAlive: boolean
  /** Lower-case header names the Connection header declares hop-by-hop (never a framing header). */
  readonly connectionTokens: readonly string[]
  readonly classification: DesyncClass
  readonly reason?: string
  /** The head must be rebuilt from the records: the client's bytes are not what is forwarded. */
  readonly mustRebuild?: true
  /**
   * Quick scan only: where its `Connection: close` line lies in the head (from the line's first
   * byte to the next line's), the one line cut out when the client's bytes are forwarded.
   */
  readonly closeLine?: readonly [number, number]
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
  /** Quick scan only: where its `Connection: keep-alive` line lies (first byte to the next line's). */
  readonly keepAliveLine?: readonly [number, number]
  /** The head must be rebuilt from the records (framing canonicalised). */
  readonly mustRebuild?: true
}

/** Why the load balancer answers a request itself instead of forwarding it. */
export class RequestRejection {
  constructor(readonly status: 400 | 405 | 408, readonly reason: string) {}
}

export class MalformedResponse {
  constructor(readonly reason: string) {}
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** NUL, CR and LF in a field value: "invalid and dangerous" (RFC 9110 §5.5), severe for AWS. */
// eslint-disable-next-line no-control-regex
const DANGEROUS = /[\x00\r\n]/g
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/
const NON_ASCII = /[\x80-\xff]/
const DIGITS = /^[0-9]+$/
/** Classic ELB answers 405 when the method is longer than this. */
export const MAX_METHOD_LENGTH = 127

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
  const block: HeaderBlock = {headers: [], classification: 'compliant', malformedLine: false, changed: false}
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
      // obs-fold: RFC 9112 §5.2 lets the recipient replace it by a space before forwarding.
      const line = text.slice(at, eol)
      at = eol + 2
      block.changed = true
      const previous = block.headers.pop()
      if (previous === undefined) {
        worse(block, 'severe', 'line folding without a header')
        block.malformedLine = true
        continue
      }
      worse(block, 'ambiguous', 'obsolete line folding')
      block.headers.push({...previous, value: `${previous.value} ${sanitise(block, owsTrim(line))}`})
      continue
    }
    const colon = text.indexOf(':', at)
    if (colon === -1 || colon >= eol || colon === at) {
      // Malformed lines are never forwarded (the records are what is sent on).
      worse(block, 'severe', 'header line without a name')
      block.malformedLine = true
      block.changed = true
      at = eol + 2
      continue
    }
    const name = text.slice(at, colon)
    if (!TOKEN.test(name)) {
      // Includes whitespace before the colon (RFC 9112 §5.1: 400).
      worse(block, 'severe', `invalid header name ${JSON.stringify(name)}`)
      block.malformedLine = true
      block.changed = true
      at = eol + 2
      continue
    }
    let valueStart = colon + 1
    let valueEnd = eol
    while (valueStart < valueEnd && isOws(text.charCodeAt(valueStart))) valueStart++
    while (valueEnd > valueStart && isOws(text.charCodeAt(valueEnd - 1))) valueEnd--
    const key = lowerName(name)
    at = eol + 2
    if (resemblesFramingHeader(key)) {
      // Dropped: no instance may read it as framing.
      worse(block, 'ambiguous', `header ${JSON.stringify(name)} resembles a framing header`)
      block.changed = true
      continue
    }
    if ((key === 'content-length' || key === 'transfer-encoding') && (valueStart !== colon + 2 || valueEnd !== eol)) block.changed = true
    let value = text.slice(valueStart, valueEnd)
    if (CONTROL.test(value)) value = sanitise(block, value, name)
    else if (NON_ASCII.test(value)) worse(block, 'acceptable', `non-ASCII byte in header ${name}`)
    block.headers.push({name, key, value})
  }
  return block
}

/** Classify control characters in a value; NUL, CR and LF are replaced by SP (RFC 9110 §5.5). */
function sanitise(block: HeaderBlock, value: string, name = 'a folded header'): string {
  if (!CONTROL.test(value)) return value
  DANGEROUS.lastIndex = 0
  if (DANGEROUS.test(value)) {
    worse(block, 'severe', `NUL, CR or LF in ${name}`)
    block.changed = true
    DANGEROUS.lastIndex = 0
    return value.replace(DANGEROUS, ' ')
  }
  worse(block, 'acceptable', `control character in ${name}`)
  return value
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
  const [, rawTarget = '', version = ''] = parts
  if (!TOKEN.test(method)) return new RequestRejection(400, 'malformed method')
  if (method === 'CONNECT') return new RequestRejection(400, 'CONNECT is not supported')
  if (!isRequestTargetText(rawTarget)) return new RequestRejection(400, 'malformed request target')
  const target = checkTarget(method, rawTarget)
  if ('invalid' in target) return new RequestRejection(400, target.invalid)
  let minor: 0 | 1
  if (version === 'HTTP/1.1') minor = 1
  else if (version === 'HTTP/1.0') minor = 0
  else return new RequestRejection(400, `unsupported protocol version ${JSON.stringify(version)}`)

  const block = parseHeaderLines(text, lineEnd + 2)
  const framing = framingOf(block, {request: true, minor, method})
  // RFC 9112 §6.3: a request whose body length cannot be determined is a 400 in every mode.
  if (framing.invalid !== undefined) return new RequestRejection(400, framing.invalid)
  let hosts = 0
  for (const h of block.headers) if (h.key === 'host') hosts++
  if (hosts > 1) return new RequestRejection(400, 'more than one Host header')
  if (hosts === 0 && minor === 1) return new RequestRejection(400, 'HTTP/1.1 request without Host')
  let headers = block.headers
  if (target.host !== undefined) {
    // RFC 9112 §3.2.2: the target's authority replaces the Host header.
    const host = target.host
    headers = hosts === 0 ? [...headers, {name: 'Host', key: 'host', value: host}] : headers.map(h => (h.key === 'host' ? {...h, value: host} : h))
  }
  const keepAlive = minor === 1 ? !framing.close : framing.keepAliveToken && !framing.close
  return {
    method,
    target: target.target,
    minor,
    headers,
    contentLength: framing.contentLength,
    chunked: framing.chunked,
    keepAlive: keepAlive && !framing.closeAfter,
    connectionTokens: framing.connectionTokens,
    classification: block.classification,
    ...(block.reason === undefined ? {} : {reason: block.reason}),
    ...(block.changed || target.host !== undefined ? {mustRebuild: true as const} : {}),
  }
}

/** Parse a response head from an instance. Anything unparseable is the LB's 502. */
export function parseResponseHead(text: string): ResponseHead | MalformedResponse {
  let lineEnd = text.indexOf('\r\n')
  if (lineEnd === -1) lineEnd = text.length
  const statusLine = text.slice(0, lineEnd)
  const match = /^HTTP\/1\.([01]) ([0-9]{3})(?: .*)?$/.exec(statusLine)
  if (match === null) return new MalformedResponse('malformed status line')
  const minor = match[1] === '1' ? 1 : 0
  const block = parseHeaderLines(text, lineEnd + 2)
  const framing = framingOf(block, {request: false, minor, method: ''})
  // A response that cannot be delimited safely is not forwarded; NUL/CR/LF in a value neither.
  if (block.malformedLine || framing.invalid !== undefined || block.classification === 'severe') return new MalformedResponse(framing.invalid ?? block.reason ?? 'malformed header')
  return {
    minor,
    status: Number(match[2]),
    statusLine,
    headers: block.headers,
    // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length (which framingOf removed).
    contentLength: framing.contentLength,
    chunked: framing.chunked,
    keepAlive: (minor === 1 ? !framing.close : framing.keepAliveToken && !framing.close) && !framing.closeAfter,
    connectionTokens: framing.connectionTokens,
    ...(block.changed ? {mustRebuild: true as const} : {}),
  }
}

export {ChunkedFramer, LengthFramer, UntilCloseFramer, type BodyFramer} from './body-framers.js'

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
  let keepAliveLine: [number, number] | undefined
  let at = lineEnd + 2
  while (at < text.length) {
    let eol = text.indexOf('\r\n', at)
    if (eol === -1) eol = text.length
    const colon = text.indexOf(':', at)
    if (colon <= at || colon > eol) return undefined
    if (QUICK_SCAN_LENGTHS.has(colon - at)) {
      const name = text.slice(at, colon).toLowerCase()
      if (QUICK_SCAN_NAMES.has(name)) {
        const value = owsTrim(text.slice(colon + 1, eol)).toLowerCase()
        if (name === 'content-length') {
          if (contentLength !== -1 || !DIGITS.test(value) || value.length > 15) return undefined
          contentLength = Number(value)
        } else if (name === 'transfer-encoding') {
          if (chunked || value !== 'chunked') return undefined
          chunked = true
        } else if (name === 'connection' && value === 'keep-alive' && keepAliveLine === undefined) {
          keepAliveLine = [at, eol + 2]
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
    connectionTokens: keepAliveLine === undefined ? [] : ['keep-alive'],
    ...(keepAliveLine === undefined ? {} : {keepAliveLine}),
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
const QUICK_REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]{1,127}) (\/[!-"$-~]*) HTTP\/1\.1(?=\r\n|$)/

/**
 * The common request, recognised without building header records: an HTTP/1.1 request line with
 * an origin-form target, exactly one Host, only well-formed ASCII header lines, and none of the
 * headers the proxy rewrites (framing, hop-by-hop, X-Forwarded-*) except one `Connection: close`
 * (the `Connection: close` benchmark and many clients send it; its line is `closeLine`). Such a
 * request has no body and is compliant, so its head is forwarded as it came (less that line) plus
 * our X-Forwarded-* lines. Anything else returns undefined and takes `parseRequestHead`. The
 * result has no `headers`.
 */
export function quickScanRequestHead(text: string): RequestHead | undefined {
  const line = QUICK_REQUEST_LINE.exec(text)
  if (line === null || line[1] === 'CONNECT') return undefined
  if (ANY_CONTROL.test(text) || LINE_START_NOT_HEADER.test(text)) return undefined
  let hosts = 0
  let closeLine: [number, number] | undefined
  let at = line[0].length + 2
  while (at < text.length) {
    let eol = text.indexOf('\r\n', at)
    if (eol === -1) eol = text.length
    const colon = text.indexOf(':', at)
    const length = colon - at
    if (QUICK_REQUEST_LENGTHS.has(length)) {
      const name = lowerName(text.slice(at, colon))
      if (name === 'host') hosts++
      else if (name === 'connection' && closeLine === undefined && owsTrim(text.slice(colon + 1, eol)).toLowerCase() === 'close') closeLine = [at, eol + 2]
      else if (QUICK_REQUEST_REWRITES.has(name) || resemblesFramingHeader(name)) return undefined
    } else if (length >= 13 && length <= 24 && resemblesFramingHeader(lowerName(text.slice(at, colon)))) {
      return undefined
    } else if (length === 5 && lowerName(text.slice(at, colon)) === 'close') {
      return undefined // a header named by `Connection: close` is dropped too: the full parse does that
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
    keepAlive: closeLine === undefined,
    connectionTokens: closeLine === undefined ? [] : ['close'],
    classification: 'compliant',
    ...(closeLine === undefined ? {} : {closeLine}),
  }
}
