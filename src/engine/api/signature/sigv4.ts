import {createHash, timingSafeEqual} from 'node:crypto'
import {Hash} from '@smithy/core/serde'
import {SignatureV4} from '@smithy/signature-v4'
import {IncompleteSignature, InvalidClientTokenId, RequestExpired, SignatureDoesNotMatch} from '../../model/errors.js'
import {invalidRegion} from '../region-of-request.js'
import type {ApiRequest} from '../context.js'
import {parseFormEncoded} from '../query-parser.js'
import type {AccessKeys} from './credentials-file.js'

/**
 * Verifies a Signature Version 4 request, in the `Authorization` header or in the query string
 * (presigned). The expected signature is computed by the SDK's own signer (@smithy/signature-v4)
 * over the request as received: only the headers the client says it signed, the raw body, the path
 * and query as sent. This module only parses the signature's fields and checks them in AWS's order,
 * with AWS's error codes and messages.
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256'
/** AWS accepts a request whose time is within 15 minutes of its own. */
export const MAX_SKEW_MS = 15 * 60 * 1000
const MAX_PRESIGN_SECONDS = 7 * 24 * 60 * 60
const CONTENT_SHA256 = 'x-amz-content-sha256'

export interface SigV4Scope {
  readonly accessKeyId: string
  readonly date: string
  readonly region: string
  readonly service: string
}

interface SigV4Fields {
  readonly scope: SigV4Scope
  readonly credential: string
  readonly signedHeaders: readonly string[]
  readonly signature: string
  readonly amzDate: string
  /** Presigned only. */
  readonly expires?: number
}

export function isSigV4(request: ApiRequest): boolean {
  return request.headers.authorization?.startsWith('AWS4-') === true ||
    request.params.has('X-Amz-Algorithm') || request.params.has('X-Amz-Credential') || request.params.has('X-Amz-Signature')
}

function parseCredential(credential: string): SigV4Scope {
  const parts = credential.split('/')
  const [accessKeyId, date, region, service, terminator] = parts
  if (parts.length !== 5 || accessKeyId === undefined || date === undefined || region === undefined || service === undefined || terminator !== 'aws4_request') {
    throw new IncompleteSignature(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`)
  }
  return {accessKeyId, date, region, service}
}

function headerFields(header: string): SigV4Fields {
  const space = header.indexOf(' ')
  const algorithm = space < 0 ? header : header.slice(0, space)
  if (algorithm !== ALGORITHM) throw new IncompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'`)
  const components = new Map<string, string>()
  for (const part of header.slice(space + 1).split(',')) {
    const text = part.trim()
    const equals = text.indexOf('=')
    if (equals > 0) components.set(text.slice(0, equals), text.slice(equals + 1))
  }
  const problems: string[] = []
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!components.has(name)) problems.push(`Authorization header requires '${name}' parameter.`)
  }
  if (problems.length > 0) throw new IncompleteSignature(`${problems.join(' ')} Authorization=${header}`)
  return {
    credential: components.get('Credential') ?? '',
    scope: parseCredential(components.get('Credential') ?? ''),
    signedHeaders: (components.get('SignedHeaders') ?? '').split(';'),
    signature: components.get('Signature') ?? '',
    amzDate: '',
  }
}

function queryFields(params: ReadonlyMap<string, string>): SigV4Fields {
  const missing = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date']
    .filter((name) => !params.has(name))
  if (missing.length > 0) {
    throw new IncompleteSignature(`${missing.map((name) => `AWS query-string parameters must include '${name}'.`).join(' ')} Re-examine the query-string parameters.`)
  }
  const algorithm = params.get('X-Amz-Algorithm') ?? ''
  if (algorithm !== ALGORITHM) throw new IncompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'`)
  const credential = params.get('X-Amz-Credential') ?? ''
  const expires = params.get('X-Amz-Expires')
  const seconds = expires === undefined ? undefined : Number(expires)
  if (seconds !== undefined && (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_PRESIGN_SECONDS)) {
    throw new IncompleteSignature(`X-Amz-Expires must be a whole number of seconds from 0 to ${MAX_PRESIGN_SECONDS}, got '${expires ?? ''}'.`)
  }
  return {
    credential,
    scope: parseCredential(credential),
    signedHeaders: (params.get('X-Amz-SignedHeaders') ?? '').split(';'),
    signature: params.get('X-Amz-Signature') ?? '',
    amzDate: params.get('X-Amz-Date') ?? '',
    ...(seconds === undefined ? {} : {expires: seconds}),
  }
}

/** `20260102T030405Z` → Date, or undefined if it is not ISO-8601 basic format. */
export function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text)
  if (match === null) return undefined
  const [, year, month, day, hour, minute, second] = match.map(Number) as [number, number, number, number, number, number, number]
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second))
  return date.getUTCDate() === day ? date : undefined
}

function headerValue(request: ApiRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value.join(',') : value
}

/** The request as the signer sees it: only the signed headers, the path and query as received. */
function signable(request: ApiRequest, signedHeaders: readonly string[], dropFromQuery: readonly string[]) {
  const headers: Record<string, string> = {}
  for (const name of signedHeaders) {
    const value = headerValue(request, name)
    if (value !== undefined) headers[name] = value
  }
  const query: Record<string, string | string[]> = {}
  for (const [key, value] of parseFormEncoded(request.rawQuery)) {
    if (dropFromQuery.includes(key)) continue
    const existing = query[key]
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value]
  }
  let path = request.path
  try {
    path = decodeURIComponent(request.path)
  } catch {
    // An undecodable path is signed as sent.
  }
  return {method: request.method, protocol: 'http:', hostname: headerValue(request, 'host') ?? '', path, query, headers, body: request.rawBody}
}

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

export const MISMATCH = 'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'

/**
 * The signer takes a signed `x-amz-content-sha256` header as the payload's hash without hashing the
 * payload (S3's streaming and UNSIGNED-PAYLOAD modes need that). Every other AWS service hashes the
 * body it received, so a header that is not that hash — another body replayed under a captured
 * signature, or UNSIGNED-PAYLOAD — cannot match the signature AWS computes: SignatureDoesNotMatch.
 */
function payloadHashMatches(request: ApiRequest, signedHeaders: readonly string[]): boolean {
  if (!signedHeaders.includes(CONTENT_SHA256)) return true
  const claimed = headerValue(request, CONTENT_SHA256)
  return claimed === undefined || claimed === createHash('sha256').update(request.rawBody).digest('hex')
}

/**
 * Checks a SigV4 request and returns its scope, or throws AWS's error: IncompleteSignature (a field
 * missing or malformed), SignatureDoesNotMatch (scope date, wrong secret, tampered request),
 * InvalidClientTokenId (unknown key), RequestExpired (clock skew over 15 minutes, presigned URL past
 * its X-Amz-Expires). `validRegion` is checked before the key, as AWS does.
 */
export async function verifySigV4(request: ApiRequest, keys: AccessKeys, now: Date, validRegion: (region: string) => boolean): Promise<SigV4Scope> {
  const header = request.headers.authorization?.startsWith('AWS4-') === true ? request.headers.authorization : undefined
  const presigned = header === undefined
  const fields = header === undefined ? queryFields(request.params) : headerFields(header)
  if (!fields.signedHeaders.includes('host')) {
    throw new IncompleteSignature(presigned
      ? "'Host' must be a 'SignedHeader' in the AWS query-string parameters."
      : "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
  }
  const amzDate = presigned ? fields.amzDate : headerValue(request, 'x-amz-date')
  if (amzDate === undefined) {
    throw new IncompleteSignature(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${header ?? ''}`)
  }
  const signingDate = parseAmzDate(amzDate)
  if (signingDate === undefined) {
    throw new IncompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`)
  }
  const {scope} = fields
  if (!validRegion(scope.region)) throw invalidRegion(scope.region)
  if (scope.date !== amzDate.slice(0, 8)) {
    throw new SignatureDoesNotMatch(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`)
  }
  const secret = keys.get(scope.accessKeyId)
  if (secret === undefined) throw new InvalidClientTokenId('The security token included in the request is invalid.')
  const age = now.getTime() - signingDate.getTime()
  if (fields.expires !== undefined ? age > fields.expires * 1000 || age < -MAX_SKEW_MS : Math.abs(age) > MAX_SKEW_MS) {
    throw new RequestExpired('Request has expired.')
  }
  if (!payloadHashMatches(request, fields.signedHeaders)) throw new SignatureDoesNotMatch(MISMATCH)
  const signer = new SignatureV4({
    credentials: {accessKeyId: scope.accessKeyId, secretAccessKey: secret},
    region: scope.region, service: scope.service, sha256: Hash.bind(null, 'sha256'), applyChecksum: false,
  })
  const signableHeaders = new Set(fields.signedHeaders)
  let expected: string | undefined
  if (presigned) {
    const auth = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature']
    const signed = await signer.presign(signable(request, fields.signedHeaders, auth), {
      signingDate, expiresIn: fields.expires ?? 3600, signableHeaders,
    })
    const value = signed.query?.['X-Amz-Signature']
    expected = typeof value === 'string' ? value : undefined
  } else {
    const signed = await signer.sign(signable(request, fields.signedHeaders, []), {
      signingDate, signableHeaders,
      // The signer adds X-Amz-Date itself: leave it out when the client did not sign it.
      ...(signableHeaders.has('x-amz-date') ? {} : {unsignableHeaders: new Set(['x-amz-date'])}),
    })
    expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers['authorization']))?.[1]
  }
  if (expected === undefined || !sameSignature(expected, fields.signature)) throw new SignatureDoesNotMatch(MISMATCH)
  return scope
}
