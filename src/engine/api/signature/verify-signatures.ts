import {MissingAuthenticationToken} from '../../model/errors.js'
import {isKnownRegion} from '../../model/regions.js'
import type {IncomingHttpHeaders} from 'node:http'
import {resolveRegion} from '../region-of-request.js'
import type {Authenticator} from '../authenticate.js'
import type {AccessKeys} from './credentials-file.js'
import {isSigV2, verifySigV2} from './sigv2.js'
import {isSigV4, verifySigV4} from './sigv4.js'

export interface SignatureCheckOptions {
  readonly keys: AccessKeys
  readonly defaultRegion: string
  /** The clock requests are checked against (tests move it). */
  readonly now?: () => Date
  /**
   * The engine's owner (the console's session cookie, the owner token): answered without a
   * signature check — the console signs with dummy keys, it has no secret to sign with.
   */
  readonly isOwner?: (headers: IncomingHttpHeaders) => boolean
}

/**
 * The authenticate step when the engine has credentials (`--credentials FILE`): every request must
 * be signed with one of the keys — SigV4 (header or presigned query) or SigV2 (the legacy tools) —
 * else it is refused with AWS's error before anything else is looked at.
 */
export function verifySignatures(options: SignatureCheckOptions): Authenticator {
  const now = options.now ?? (() => new Date())
  return {
    async authenticate(request) {
      if (options.isOwner?.(request.headers) === true) return {region: resolveRegion(request.headers, request.params, options.defaultRegion, request.hostRegion)}
      if (isSigV4(request)) {
        const scope = await verifySigV4(request, options.keys, now(), isKnownRegion)
        return {accessKeyId: scope.accessKeyId, region: scope.region, signingName: scope.service}
      }
      if (isSigV2(request)) {
        const {accessKeyId} = verifySigV2(request, options.keys, now())
        return {accessKeyId, region: request.hostRegion ?? options.defaultRegion}
      }
      throw new MissingAuthenticationToken('Request is missing Authentication Token')
    },
  }
}
