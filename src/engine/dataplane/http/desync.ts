/**
 * Desync classification and message framing of parsed heads, after aws/http-desync-guardian's
 * tiers (what Classic ELB's desync mitigation mode acts on) and RFC 9112 §6. The rule that holds
 * in every mode: what the load balancer forwards has exactly one reading. Framing it cannot
 * determine (bad or conflicting Content-Length, a coding other than `chunked`, chunked twice,
 * Transfer-Encoding in HTTP/1.0) is refused whatever the mode; framing headers are forwarded in
 * canonical form; a Connection option never removes a framing header. The decisions are listed in
 * docs/decisions.md ("Data plane: HTTP framing").
 */

export type DesyncClass = 'compliant' | 'acceptable' | 'ambiguous' | 'severe'

export interface HeaderLine {
  readonly name: string
  /** Lower-case name, for lookups. */
  readonly key: string
  readonly value: string
}

export interface HeaderBlock {
  headers: HeaderLine[]
  classification: DesyncClass
  reason?: string
  /** A line that is not a header at all. */
  malformedLine: boolean
  /** The records differ from the received lines (unfolded, sanitised, dropped, canonicalised). */
  changed: boolean
}

const ORDER: Record<DesyncClass, number> = {compliant: 0, acceptable: 1, ambiguous: 2, severe: 3}

export function worse(block: HeaderBlock, cls: DesyncClass, reason: string): void {
  if (ORDER[cls] > ORDER[block.classification]) {
    block.classification = cls
    block.reason = reason
  }
}

const DIGITS = /^[0-9]+$/
/** OWS is SP and HTAB only; String.prototype.trim would also strip VT, FF, NBSP… (HAProxy CVE-2019-18277). */
const OWS_EDGES = /^[ \t]+|[ \t]+$/g

export function owsTrim(value: string): string {
  return value.replace(OWS_EDGES, '')
}
/** Framing headers: a Connection option naming one of them is dropped, never honoured. */
const FRAMING = new Set(['content-length', 'transfer-encoding'])

/**
 * A header name that common normalisations (case, `_` for `-`, stray punctuation) turn into a
 * framing header without being one (`Transfer_Encoding`, `Content-Length.`): guardian's
 * SuspiciousHeader. Some servers read them as framing (CGI/WSGI map `-` and `_` alike).
 */
export function resemblesFramingHeader(key: string): boolean {
  if (key.length < 13 || key.length > 24 || FRAMING.has(key) || !(key.includes('ength') || key.includes('ncoding'))) return false
  const letters = key.replace(/[^a-z]/g, '')
  return letters === 'contentlength' || letters === 'transferencoding'
}

export interface Framing {
  contentLength: number
  chunked: boolean
  connectionTokens: string[]
  close: boolean
  keepAliveToken: boolean
  /** The body length cannot be determined: RFC 9112 §6.3 makes this a 400 (request) / 502 (response). */
  invalid?: string
  /** Both Content-Length and Transfer-Encoding came: the connection must close afterwards. */
  closeAfter: boolean
}

export interface MessageKind {
  readonly request: boolean
  readonly minor: 0 | 1
  /** Request method (empty for responses). */
  readonly method: string
}

/**
 * Interpret Content-Length, Transfer-Encoding and Connection. Rewrites `block.headers` so that
 * forwarding the records sends canonical framing: one `Content-Length: N`, or
 * `Transfer-Encoding: chunked` and no Content-Length.
 */
export function framingOf(block: HeaderBlock, kind: MessageKind): Framing {
  let contentLength = -1
  let lengthHeaders = 0
  let codings: string[] | undefined
  let codingHeaders = 0
  let invalid: string | undefined
  const connectionTokens: string[] = []
  for (const h of block.headers) {
    if (h.key === 'content-length') {
      lengthHeaders++
      for (const part of h.value.split(',')) {
        const v = owsTrim(part)
        if (!DIGITS.test(v) || v.length > 15) {
          worse(block, 'severe', 'invalid Content-Length')
          invalid ??= 'invalid Content-Length'
          continue
        }
        const n = Number(v)
        if (contentLength !== -1 && n !== contentLength) {
          worse(block, 'severe', 'conflicting Content-Length values')
          invalid ??= 'conflicting Content-Length values'
        } else if (contentLength !== -1) worse(block, 'ambiguous', 'duplicate Content-Length')
        contentLength = n
      }
      if (h.value !== String(contentLength)) block.changed = true
    } else if (h.key === 'transfer-encoding') {
      codingHeaders++
      codings ??= []
      for (const part of h.value.split(',')) codings.push(owsTrim(part))
      if (h.value !== 'chunked') block.changed = true
    } else if (h.key === 'connection') {
      for (const part of h.value.split(',')) {
        const token = owsTrim(part).toLowerCase()
        if (FRAMING.has(token)) {
          // Honouring it would strip the header the body was delimited with (request smuggling).
          if (kind.request) worse(block, 'acceptable', `Connection names the framing header ${token}`)
          continue
        }
        if (token.length > 0) connectionTokens.push(token)
      }
    }
  }
  let chunked = false
  let closeAfter = false
  if (codings !== undefined) {
    chunked = true
    const lower = codings.map(c => c.toLowerCase())
    if (lower.filter(c => c === 'chunked').length > 1) {
      worse(block, 'severe', 'chunked applied more than once')
      invalid ??= 'chunked applied more than once'
    } else if (lower.length !== 1 || lower[0] !== 'chunked') {
      // Only `chunked` alone is supported (Classic ELB: "bad value" → severe).
      worse(block, 'severe', `unsupported Transfer-Encoding ${JSON.stringify(codings.join(', '))}`)
      invalid ??= 'unsupported Transfer-Encoding'
    } else if (codings[0] !== 'chunked') worse(block, 'acceptable', 'Transfer-Encoding in unusual case')
    if (kind.minor === 0) {
      // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
      worse(block, 'ambiguous', 'Transfer-Encoding in HTTP/1.0')
      invalid ??= 'Transfer-Encoding in HTTP/1.0'
    }
    if (lengthHeaders > 0) {
      // RFC 9112 §6.1/§6.3: Transfer-Encoding wins, Content-Length is removed, the connection closes.
      if (kind.request) worse(block, 'ambiguous', 'both Content-Length and Transfer-Encoding')
      closeAfter = true
    }
  }
  if (kind.request && (kind.method === 'GET' || kind.method === 'HEAD')) {
    if (chunked) worse(block, 'ambiguous', `${kind.method} with Transfer-Encoding`)
    else if (contentLength > 0) worse(block, 'ambiguous', `${kind.method} with a body`)
    else if (contentLength === 0) worse(block, 'acceptable', `${kind.method} with Content-Length: 0`)
  }
  if (lengthHeaders + codingHeaders > 1 || (chunked && lengthHeaders > 0)) block.changed = true
  if (block.changed && invalid === undefined) canonicaliseFraming(block, chunked, contentLength)
  return {
    contentLength: chunked ? -1 : contentLength,
    chunked,
    connectionTokens,
    close: connectionTokens.includes('close'),
    keepAliveToken: connectionTokens.includes('keep-alive'),
    ...(invalid === undefined ? {} : {invalid}),
    closeAfter,
  }
}

/** One framing header in canonical form, where the first one was. */
function canonicaliseFraming(block: HeaderBlock, chunked: boolean, contentLength: number): void {
  const out: HeaderLine[] = []
  let placed = false
  for (const h of block.headers) {
    if (h.key !== 'content-length' && h.key !== 'transfer-encoding') {
      out.push(h)
      continue
    }
    if (placed) continue
    if (chunked && h.key === 'transfer-encoding') out.push({name: h.name, key: h.key, value: 'chunked'})
    else if (!chunked) out.push({name: h.name, key: h.key, value: String(contentLength)})
    else continue
    placed = true
  }
  block.headers = out
}

/** Authority of an absolute-form target: reg-name or IP literal, optional port; no userinfo. */
const AUTHORITY = /^(?:[A-Za-z0-9\-._~%!$&'()*+,;=]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{0,5})?$/
const ABSOLUTE_FORM = /^https?:\/\/([^/?]*)([^]*)$/i

export type TargetVerdict = {readonly target: string; readonly host?: string} | {readonly invalid: string}

/**
 * RFC 9112 §3.2: origin-form is forwarded as it is; absolute-form (`http://host/path`) becomes
 * origin-form with the target's authority as Host, as a proxy must forward it; asterisk-form only
 * for OPTIONS; a fragment or anything else is an invalid request-target (400).
 */
export function checkTarget(method: string, target: string): TargetVerdict {
  if (target.includes('#')) return {invalid: 'fragment in request target'}
  if (target.charCodeAt(0) === 0x2f /* / */) return {target}
  if (target === '*') return method === 'OPTIONS' ? {target} : {invalid: 'asterisk-form target outside OPTIONS'}
  const absolute = ABSOLUTE_FORM.exec(target)
  if (absolute === null) return {invalid: 'malformed request target'}
  const [, authority = '', rest = ''] = absolute
  if (!AUTHORITY.test(authority)) return {invalid: 'malformed authority in request target'}
  return {target: rest === '' ? '/' : rest.startsWith('?') ? `/${rest}` : rest, host: authority}
}
