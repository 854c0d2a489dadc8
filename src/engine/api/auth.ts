import type {IncomingHttpHeaders} from 'node:http'
import type {QueryParams} from './query-parser.js'

/**
 * Which region a request addresses. The engine accepts any signature (it has no secrets to check
 * against) and only reads where the caller meant to go:
 *  - SigV4: the credential scope `AKID/DATE/REGION/SERVICE/aws4_request`, from the `Authorization`
 *    header or, for presigned URLs, the `X-Amz-Credential` parameter;
 *  - SigV2 (the legacy Java tools) and unsigned requests carry no region: an AWS-style host name
 *    (`elasticloadbalancing.eu-west-1.amazonaws.com`) gives one, else the default region.
 */

const REGION_NAME = /^[a-z]{2}(?:-[a-z0-9]+)+-\d+$/

export function regionFromCredentialScope(credential: string): string | undefined {
  const region = credential.split('/')[2]
  return region !== undefined && REGION_NAME.test(region) ? region : undefined
}

export function regionFromAuthorization(header: string | undefined): string | undefined {
  if (header === undefined || !header.startsWith('AWS4-')) return undefined
  const match = /Credential=([^,\s]+)/.exec(header)
  return match?.[1] === undefined ? undefined : regionFromCredentialScope(match[1])
}

export function regionFromHost(host: string | undefined): string | undefined {
  const match = /^elasticloadbalancing\.([a-z0-9-]+)\.amazonaws\.com(?::\d+)?$/i.exec(host ?? '')
  const region = match?.[1]?.toLowerCase()
  return region !== undefined && REGION_NAME.test(region) ? region : undefined
}

export type SignatureKind = 'sigv4' | 'sigv2' | 'unsigned'

export function signatureKind(headers: IncomingHttpHeaders, params: QueryParams): SignatureKind {
  if (headers.authorization?.startsWith('AWS4-') === true || params.has('X-Amz-Credential')) return 'sigv4'
  if (params.has('Signature') && params.has('AWSAccessKeyId')) return 'sigv2'
  return 'unsigned'
}

export function resolveRegion(headers: IncomingHttpHeaders, params: QueryParams, defaultRegion: string): string {
  const presigned = params.get('X-Amz-Credential')
  return regionFromAuthorization(headers.authorization) ??
    (presigned === undefined ? undefined : regionFromCredentialScope(presigned)) ??
    regionFromHost(headers.host) ??
    defaultRegion
}
