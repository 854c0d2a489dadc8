import {createHmac, timingSafeEqual} from 'node:crypto'
import {IncompleteSignature, InvalidClientTokenId, RequestExpired, SignatureDoesNotMatch} from '../../model/errors.js'
import type {ApiRequest} from '../context.js'
import type {AccessKeys} from './credentials-file.js'
import {MAX_SKEW_MS, MISMATCH} from './sigv4.js'

/**
 * Verifies a Signature Version 2 request, as the legacy Java tools send them (HTTP GET, everything
 * in the query string). Written by hand: no maintained library verifies SigV2 (the SDKs dropped it),
 * and the algorithm is short — HMAC over `METHOD\nhost\npath\ncanonical query`, where the canonical
 * query is every parameter but Signature, sorted by name, RFC 3986-encoded.
 */

export function isSigV2(request: ApiRequest): boolean {
  return request.params.has('Signature') || request.params.has('AWSAccessKeyId') || request.params.has('SignatureVersion')
}

/** RFC 3986 percent-encoding (unreserved characters left alone), as SigV2 canonicalises. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
}

export function sigV2StringToSign(request: ApiRequest): string {
  const pairs = [...request.params].filter(([key]) => key !== 'Signature')
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const canonical = pairs.map(([key, value]) => `${encode(key)}=${encode(value)}`).join('&')
  const host = (request.headers.host ?? '').toLowerCase()
  return `${request.method}\n${host}\n${request.path === '' ? '/' : request.path}\n${canonical}`
}

const ALGORITHMS: Readonly<Record<string, string>> = {HmacSHA256: 'sha256', HmacSHA1: 'sha1'}

export function verifySigV2(request: ApiRequest, keys: AccessKeys, now: Date): {accessKeyId: string} {
  const {params} = request
  const missing = ['AWSAccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion'].filter((name) => !params.has(name))
  if (!params.has('Timestamp') && !params.has('Expires')) missing.push('Timestamp')
  if (missing.length > 0) {
    throw new IncompleteSignature(`Request must contain the parameters ${missing.join(', ')} to be signed with Signature Version 2.`)
  }
  const version = params.get('SignatureVersion') ?? ''
  if (version !== '2') throw new IncompleteSignature(`Signature version ${version} is not supported; use 2 or AWS4-HMAC-SHA256.`)
  const method = params.get('SignatureMethod') ?? ''
  const hash = ALGORITHMS[method]
  if (hash === undefined) throw new IncompleteSignature(`Signature method ${method} is not supported; use HmacSHA256 or HmacSHA1.`)
  const expires = params.get('Expires')
  const stamp = Date.parse(params.get('Timestamp') ?? expires ?? '')
  if (Number.isNaN(stamp)) throw new IncompleteSignature(`Timestamp must be an ISO-8601 date and time, got '${params.get('Timestamp') ?? expires ?? ''}'.`)
  const accessKeyId = params.get('AWSAccessKeyId') ?? ''
  const secret = keys.get(accessKeyId)
  if (secret === undefined) throw new InvalidClientTokenId('The security token included in the request is invalid.')
  if (expires !== undefined && !Number.isNaN(Date.parse(expires)) && Date.parse(expires) - now.getTime() > MAX_SKEW_MS) {
    // A signature valid until 2099 could be replayed for decades: Expires may reach as far ahead
    // as Timestamp may be off, 15 minutes (docs/decisions.md).
    throw new IncompleteSignature(`Expires must be within ${MAX_SKEW_MS / 60_000} minutes of the current time, got '${expires}'.`)
  }
  const late = expires !== undefined && !params.has('Timestamp') ? now.getTime() > stamp : Math.abs(now.getTime() - stamp) > MAX_SKEW_MS
  if (late) throw new RequestExpired('Request has expired.')
  const expected = Buffer.from(createHmac(hash, secret).update(sigV2StringToSign(request)).digest('base64'))
  const given = Buffer.from(params.get('Signature') ?? '')
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new SignatureDoesNotMatch(MISMATCH)
  }
  return {accessKeyId}
}
