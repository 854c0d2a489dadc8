import {ServiceError} from '../../../../src/engine/model/errors.js'
import {regionFromAuthorization, regionFromHost, resolveRegion, signatureKind} from '../../../../src/engine/api/auth.js'

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
    expect(resolveRegion({host: 'elasticloadbalancing.us-west-2.amazonaws.com'}, new Map(), 'us-east-1')).toBe('us-west-2')
    expect(resolveRegion({host: '127.0.0.1:4566'}, new Map([['SignatureVersion', '2']]), 'eu-central-1')).toBe('eu-central-1')
    expect(resolveRegion({authorization: SIGV4, host: 'elasticloadbalancing.us-west-2.amazonaws.com'}, new Map(), 'us-east-1')).toBe('eu-west-1')
    expect(regionFromHost('elasticloadbalancing.amazonaws.com')).toBeUndefined()
  })

  it('refuses a region AWS does not have, as AWS does (issue 9 #7: invented regions bypassed quotas)', () => {
    const refusal = (headers: Record<string, string>, params: [string, string][] = []) => {
      try {
        resolveRegion(headers, new Map(params), 'us-east-1')
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
