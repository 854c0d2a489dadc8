import {ChunkedFramer, LengthFramer, UntilCloseFramer, type BodyFramer, type RequestHead, type ResponseHead} from './parse.js'

/**
 * How a response body is delimited (RFC 7230 §3.3.3): none for HEAD/204/304, chunked, a length, or
 * (an `UntilCloseFramer`) the instance closing, which the client must then learn the same way.
 */
export function responseFramer(request: RequestHead, response: ResponseHead): BodyFramer | undefined {
  if (request.method === 'HEAD' || response.status === 204 || response.status === 304) return undefined
  if (response.chunked) return new ChunkedFramer()
  if (response.contentLength >= 0) return response.contentLength === 0 ? undefined : new LengthFramer(response.contentLength)
  return new UntilCloseFramer()
}

/** How a request body is delimited: chunked, a length, or none. */
export function requestFramer(request: RequestHead): BodyFramer | undefined {
  if (request.chunked) return new ChunkedFramer()
  return request.contentLength > 0 ? new LengthFramer(request.contentLength) : undefined
}
