import {isWriteOperation, resolveOperation} from '../../../../src/engine/api/dispatch.js'
import {ServiceError} from '../../../../src/engine/model/errors.js'

function failure(params: Record<string, string>): ServiceError {
  try {
    resolveOperation(new Map(Object.entries(params)))
  } catch (error) {
    if (error instanceof ServiceError) return error
    throw error
  }
  throw new Error('resolved')
}

describe('resolveOperation', () => {
  it('dispatches on Version and Action', () => {
    const elb = resolveOperation(new Map([['Action', 'CreateLBCookieStickinessPolicy'], ['Version', '2012-06-01']]))
    expect([elb.service, elb.method, elb.resultWrapper]).toEqual(['elb', 'createLBCookieStickinessPolicy', 'CreateLBCookieStickinessPolicyResult'])
    const iam = resolveOperation(new Map([['Action', 'DeleteServerCertificate'], ['Version', '2010-05-08']]))
    expect([iam.service, iam.method, iam.resultWrapper]).toEqual(['iam', 'deleteServerCertificate', undefined])
  })

  it('infers the service from the Action when Version is missing', () => {
    expect(resolveOperation(new Map([['Action', 'SetLoadBalancerListenerSSLCertificate']])).method).toBe('setLoadBalancerListenerSSLCertificate')
    expect(resolveOperation(new Map([['Action', 'ListServerCertificates']])).service).toBe('iam')
  })

  it('answers MissingAction and InvalidAction', () => {
    expect([failure({}).code, failure({}).message]).toEqual(['MissingAction', 'Missing Action'])
    expect(failure({Action: 'DescribeTargetGroups', Version: '2015-12-01'}).message).toBe('Could not find operation DescribeTargetGroups for version 2015-12-01')
    expect(failure({Action: 'GetServerCertificate', Version: '2012-06-01'}).code).toBe('InvalidAction')
    expect(failure({Action: 'Nope'}).code).toBe('InvalidAction')
    // Names are case-sensitive, as AWS's are.
    expect(failure({Action: 'describeloadbalancers', Version: '2012-06-01'}).code).toBe('InvalidAction')
  })
})

describe('isWriteOperation', () => {
  it('counts everything but Describe*, Get* and List* as a write', () => {
    expect(['CreateLoadBalancer', 'AddTags', 'UploadServerCertificate', 'ModifyLoadBalancerAttributes'].every(isWriteOperation)).toBe(true)
    expect(['DescribeLoadBalancers', 'GetServerCertificate', 'ListServerCertificateTags', 'DescribeAccountLimits'].some(isWriteOperation)).toBe(false)
  })
})
