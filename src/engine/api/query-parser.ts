import type {IncomingMessage} from 'node:http'
import {MalformedQueryString, RequestEntityTooLarge} from '../model/errors.js'

/** Flattened Query parameters (`Listeners.member.1.Protocol` → `HTTP`), query string and body merged. */
export type QueryParams = ReadonlyMap<string, string>

/**
 * Large enough for the biggest legal request: an IAM CertificateChain may be 2 MiB of text, which
 * form encoding can triple.
 */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024

/** After this much discarded body we stop draining and drop the connection. */
const MAX_DISCARD_BYTES = 64 * 1024 * 1024

/** The client closed the connection before its request body ended. */
export class ClientGoneError extends Error {
  constructor() {
    super('the client closed the connection before the request body ended')
    this.name = 'ClientGoneError'
  }
}

/**
 * Decodes `application/x-www-form-urlencoded` text. Unlike URLSearchParams it refuses broken
 * percent-escapes and invalid UTF-8 instead of guessing, so the caller gets MalformedQueryString.
 */
export function parseFormEncoded(text: string): [string, string][] {
  const pairs: [string, string][] = []
  if (text === '') return pairs
  for (const part of text.split('&')) {
    if (part === '') continue
    const equals = part.indexOf('=')
    const rawKey = equals < 0 ? part : part.slice(0, equals)
    const rawValue = equals < 0 ? '' : part.slice(equals + 1)
    pairs.push([decodeComponent(rawKey), decodeComponent(rawValue)])
  }
  return pairs
}

function decodeComponent(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '))
  } catch {
    throw new MalformedQueryString(`The query string contains a malformed percent-encoded sequence: ${raw.slice(0, 64)}`)
  }
}

function isFormBody(contentType: string | undefined): boolean {
  // The legacy tools and the SDKs send form bodies; a missing type is read the same way.
  if (contentType === undefined || contentType.trim() === '') return true
  return contentType.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded'
}

/**
 * Reads the body up to `maxBodyBytes`. A larger body is drained (so the client can read our answer
 * instead of failing with EPIPE) and reported as RequestEntityTooLarge.
 */
export function readBody(req: IncomingMessage, maxBodyBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBodyBytes) {
        tooLarge = true
        chunks.length = 0
        if (size > maxBodyBytes + MAX_DISCARD_BYTES) req.destroy()
        return
      }
      chunks.push(chunk)
    })
    let ended = false
    req.on('end', () => {
      ended = true
      if (tooLarge) reject(new RequestEntityTooLarge(`The request body exceeds the maximum of ${maxBodyBytes} bytes.`))
      else resolve(Buffer.concat(chunks))
    })
    // A stream error before the end (`aborted`, ECONNRESET) means the same as an early close.
    req.on('error', () => {
      reject(new ClientGoneError())
    })
    req.on('close', () => {
      // The client went away (or we dropped it) before the body ended: nobody is left to answer.
      if (!ended) reject(new ClientGoneError())
    })
  })
}

/** The URL query string and the form body (a body value wins on a clash) as one parameter map. */
export function queryParams(rawQuery: string, body: Buffer, contentType: string | undefined): QueryParams {
  const params = new Map<string, string>()
  for (const [key, value] of parseFormEncoded(rawQuery)) params.set(key, value)
  if (body.length > 0 && isFormBody(contentType)) {
    for (const [key, value] of parseFormEncoded(body.toString('utf8'))) params.set(key, value)
  }
  return params
}
