import type {IncomingHttpHeaders} from 'node:http'
import {SignatureDoesNotMatch, type ServiceError} from '../model/errors.js'
import {isKnownRegion, unknownRegionMessage} from '../model/regions.js'
import type {QueryParams} from './query-parser.js'

/**
 * Which region a request addresses:
 *  - SigV4: the credential scope `AKID/DATE/REGION/SERVICE/aws4_request`, from the `Authorization`
 *    header or, for presigned URLs, the `X-Amz-Credential` parameter;
 *  - SigV2 (the legacy Java tools) and unsigned requests carry no region: the AWS host name of a
 *    mounted service (`elasticloadbalancing.eu-west-1.amazonaws.com`, `ec2.eu-west-1.amazonaws.com`;
 *    the registry reads it, registry.ts) gives one, else the default region.
 * A region must be one AWS has (data/aws-regions.json): anything else is refused as AWS refuses a
 * credential scoped to an unknown region, so invented names never become regions of their own.
 */

export function regionFromCredentialScope(credential: string): string | undefined {
  return credential.split('/')[2]
}

export function regionFromAuthorization(header: string | undefined): string | undefined {
  if (header === undefined || !header.startsWith('AWS4-')) return undefined
  const match = /Credential=([^,\s]+)/.exec(header)
  return match?.[1] === undefined ? undefined : regionFromCredentialScope(match[1])
}

/** The SigV4 credential scope a request claims (`AKID/DATE/REGION/SERVICE/aws4_request`), unchecked. */
function claimedCredential(headers: IncomingHttpHeaders, params: QueryParams): string | undefined {
  const header = headers.authorization
  if (header?.startsWith('AWS4-') === true) return /Credential=([^,\s]+)/.exec(header)?.[1]
  return params.get('X-Amz-Credential')
}

/** The signing name (service) a SigV4 request's credential scope claims, unchecked. */
export function signingNameClaimed(headers: IncomingHttpHeaders, params: QueryParams): string | undefined {
  return claimedCredential(headers, params)?.split('/')[3]
}

export type SignatureKind = 'sigv4' | 'sigv2' | 'unsigned'

export function signatureKind(headers: IncomingHttpHeaders, params: QueryParams): SignatureKind {
  if (headers.authorization?.startsWith('AWS4-') === true || params.has('X-Amz-Credential')) return 'sigv4'
  if (params.has('Signature') && params.has('AWSAccessKeyId')) return 'sigv2'
  return 'unsigned'
}

/** AWS's answer to a credential scoped to a region it does not have. */
export function invalidRegion(region: string): ServiceError {
  return new SignatureDoesNotMatch(unknownRegionMessage(region))
}

/**
 * The region the request names (checked against the known list), else `defaultRegion`. `hostRegion`
 * is what its Host header names (ApiRequest.hostRegion).
 */
export function resolveRegion(headers: IncomingHttpHeaders, params: QueryParams, defaultRegion: string, hostRegion?: string): string {
  const presigned = params.get('X-Amz-Credential')
  const region = regionFromAuthorization(headers.authorization) ??
    (presigned === undefined ? undefined : regionFromCredentialScope(presigned)) ??
    hostRegion
  if (region === undefined) return defaultRegion
  if (!isKnownRegion(region)) throw invalidRegion(region)
  return region
}
