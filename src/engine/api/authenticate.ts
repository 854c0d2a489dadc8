import type {ApiRequest} from './context.js'
import {resolveRegion} from './region-of-request.js'

/**
 * Step 2 of the pipeline: who sent the request and which region it addresses. An authenticator
 * refuses a request by throwing a ServiceError (answered in the service's error envelope).
 */
export interface Identity {
  /** The access key the request was signed with, when it carries one. */
  readonly accessKeyId?: string
  readonly region: string
  /**
   * The service the signature was scoped to, when it was verified: the pipeline then requires it to
   * be the signing name of the service the Action belongs to.
   */
  readonly signingName?: string
}

export interface Authenticator {
  authenticate(request: ApiRequest): Identity | Promise<Identity>
}

/**
 * The default: no secrets to check against, so any signature (or none) is accepted, as every local
 * AWS emulator does; only the region the caller meant is read from it.
 */
export function acceptAnySignature(defaultRegion: string): Authenticator {
  return {
    authenticate: (request) => ({region: resolveRegion(request.headers, request.params, defaultRegion, request.hostRegion)}),
  }
}
