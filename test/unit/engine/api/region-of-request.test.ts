import {ServiceError} from '../../../../src/engine/model/errors.js'
import {regionFromAuthorization, resolveRegion, signatureKind} from '../../../../src/engine/api/region-of-request.js'
import {ServiceRegistry} from '../../../../src/engine/api/registry.js'
import {ec2ApiService, type Ec2Implementation} from '../../../../src/engine/api/services/ec2.js'
import {elbService, type ElbImplementation} from '../../../../src/engine/api/services/elb.js'
import {iamService, type IamImplementation} from '../../../../src/engine/api/services/iam.js'

const registry = new ServiceRegistry([elbService({} as ElbImplementation), iamService({} as IamImplementation), ec2ApiService({} as Ec2Implementation)])
/** The region a Host header names, as the pipeline reads it (ApiRequest.hostRegion). */
const hostRegion = (host: string): string | undefined => registry.regionOfHost(host)

const SIGV4 = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-1/elasticloadbalancing/aws4_request, ' +
  'SignedHeaders=content-type;host;x-amz-date, Signature=abcdef'

describe('region resolution', () => {
  it('reads the SigV4 credential scope from the Authorization header', () => {
    expect(regionFromAuthorization(SIGV4)).toBe('eu-west-1')
    expect(regionFromAuthorization('AWS4-HMAC-SHA256 Credential=AKID/20260101/not a region/x/aws4_request')).toBe('not')
    expect(regionFromAuthorization('AWS AKID:signature')).toBeUndefined()
    expect(regionFromAuthorization(undefined)).toBeUndefined()
  })

  it('reads presigned X-Amz-Credential, then an AWS host name, then falls back to the default', () => {
    expect(resolveRegion({}, new Map([['X-Amz-Credential', 'AKID/20260101/ap-southeast-2/elasticloadbalancing/aws4_request']]), 'us-east-1'))
      .toBe('ap-southeast-2')
    expect(resolveRegion({}, new Map(), 'us-east-1', hostRegion('elasticloadbalancing.us-west-2.amazonaws.com'))).toBe('us-west-2')
    expect(resolveRegion({host: '127.0.0.1:4566'}, new Map([['SignatureVersion', '2']]), 'eu-central-1', hostRegion('127.0.0.1:4566'))).toBe('eu-central-1')
    expect(resolveRegion({authorization: SIGV4}, new Map(), 'us-east-1', hostRegion('elasticloadbalancing.us-west-2.amazonaws.com'))).toBe('eu-west-1')
    expect(hostRegion('elasticloadbalancing.amazonaws.com')).toBeUndefined()
  })

  it('reads the region from the host name of every mounted service, and only theirs', () => {
    expect(hostRegion('ec2.eu-west-1.amazonaws.com')).toBe('eu-west-1')
    expect(hostRegion('ELASTICLOADBALANCING.AP-SOUTH-1.amazonaws.com:443')).toBe('ap-south-1')
    expect(hostRegion('elasticloadbalancing.cn-north-1.amazonaws.com.cn')).toBe('cn-north-1')
    // IAM is global; a service the engine does not mount names no region of it.
    expect(hostRegion('iam.amazonaws.com')).toBeUndefined()
    expect(hostRegion('s3.eu-west-1.amazonaws.com')).toBeUndefined()
    expect(registry.serviceForHost('ec2.eu-west-1.amazonaws.com')?.name).toBe('ec2')
  })

  it('refuses a region AWS does not have, as AWS does (issue 9 #7: invented regions bypassed quotas)', () => {
    const refusal = (headers: Record<string, string>, params: [string, string][] = []) => {
      try {
        resolveRegion(headers, new Map(params), 'us-east-1', hostRegion(headers.host ?? ''))
      } catch (error) {
        return error instanceof ServiceError ? [error.code, error.status, error.message] : error
      }
      return 'accepted'
    }
    expect(refusal({authorization: SIGV4.replace('eu-west-1', 'xx-yyy-1')}))
      .toEqual(['SignatureDoesNotMatch', 403, "Credential should be scoped to a valid region, not 'xx-yyy-1'. "])
    expect(refusal({}, [['X-Amz-Credential', 'AKID/20260101/zz-top-9/elasticloadbalancing/aws4_request']]))
      .toEqual(['SignatureDoesNotMatch', 403, "Credential should be scoped to a valid region, not 'zz-top-9'. "])
    expect(refusal({host: 'elasticloadbalancing.mars-north-1.amazonaws.com'}))
      .toEqual(['SignatureDoesNotMatch', 403, "Credential should be scoped to a valid region, not 'mars-north-1'. "])
    for (const region of ['us-east-1', 'eu-west-3', 'ap-southeast-5', 'us-gov-west-1', 'cn-north-1']) {
      expect(refusal({authorization: SIGV4.replace('eu-west-1', region)})).toBe('accepted')
    }
  })

  it('tells SigV4, SigV2 and unsigned requests apart', () => {
    expect(signatureKind({authorization: SIGV4}, new Map())).toBe('sigv4')
    expect(signatureKind({}, new Map([['Signature', 's'], ['AWSAccessKeyId', 'a'], ['SignatureVersion', '2']]))).toBe('sigv2')
    expect(signatureKind({}, new Map())).toBe('unsigned')
  })
})
