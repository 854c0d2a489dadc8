import type {IncomingHttpHeaders, IncomingMessage} from 'node:http'
import {queryParams, readBody, type QueryParams} from './query-parser.js'

/**
 * One API request as the pipeline's steps see it: everything the client sent, kept as sent (the
 * raw body and headers are what a signature is computed over), plus the parsed parameters.
 */
export interface ApiRequest {
  readonly requestId: string
  readonly receivedAt: Date
  readonly method: string
  /** The path without the query string (`/` for the SDKs; the legacy tools too). */
  readonly path: string
  /** The raw query string after `?` (still percent-encoded), `''` if none. */
  readonly rawQuery: string
  readonly headers: IncomingHttpHeaders
  readonly rawBody: Buffer
  /** Query string and form body merged (a body value wins on a clash); a JSON or CBOR body is not read here. */
  readonly params: QueryParams
  /** The region the Host header names, when it is the AWS host name of a mounted service (registry.ts). */
  readonly hostRegion?: string
}

/** Step 1, parse: reads the whole body (so any error reaches a client still sending) and decodes it. */
export async function parseApiRequest(req: IncomingMessage, requestId: string, maxBodyBytes: number): Promise<ApiRequest> {
  const receivedAt = new Date()
  const rawBody = await readBody(req, maxBodyBytes)
  const url = req.url ?? '/'
  const queryStart = url.indexOf('?')
  const path = queryStart < 0 ? url : url.slice(0, queryStart)
  const rawQuery = queryStart < 0 ? '' : url.slice(queryStart + 1)
  return {
    requestId, receivedAt, method: req.method ?? 'GET', path, rawQuery, headers: req.headers, rawBody,
    params: queryParams(rawQuery, rawBody, req.headers['content-type']),
  }
}
