import {buildService} from '../../../../src/engine/api/operations.js'
import {ServiceRegistry} from '../../../../src/engine/api/registry.js'
import {defineService, isReadAction, type ApiService} from '../../../../src/engine/api/service.js'
import {ELB_ACTIONS, ELB_DISPATCH, elbService, type ElbImplementation} from '../../../../src/engine/api/services/elb.js'
import {ec2ApiService, type Ec2Implementation} from '../../../../src/engine/api/services/ec2.js'
import {iamService, type IamImplementation} from '../../../../src/engine/api/services/iam.js'
import {ServiceError} from '../../../../src/engine/model/errors.js'

const registry = new ServiceRegistry([elbService({} as ElbImplementation), iamService({} as IamImplementation)])

function failure(params: Record<string, string>): ServiceError {
  try {
    registry.resolve(new Map(Object.entries(params)))
  } catch (error) {
    if (error instanceof ServiceError) return error
    throw error
  }
  throw new Error('resolved')
}

describe('ServiceRegistry.resolve', () => {
  it('dispatches on Version and Action', () => {
    const elb = registry.resolve(new Map([['Action', 'CreateLBCookieStickinessPolicy'], ['Version', '2012-06-01']]))
    expect([elb.service.name, elb.operation.action, elb.operation.resultWrapper, elb.version])
      .toEqual(['elb', 'CreateLBCookieStickinessPolicy', 'CreateLBCookieStickinessPolicyResult', '2012-06-01'])
    const iam = registry.resolve(new Map([['Action', 'DeleteServerCertificate'], ['Version', '2010-05-08']]))
    expect([iam.service.name, iam.operation.action, iam.operation.resultWrapper]).toEqual(['iam', 'DeleteServerCertificate', undefined])
  })

  it('infers the service from the Action when Version is missing', () => {
    expect(registry.resolve(new Map([['Action', 'SetLoadBalancerListenerSSLCertificate']])).service.name).toBe('elb')
    const iam = registry.resolve(new Map([['Action', 'ListServerCertificates']]))
    expect([iam.service.name, iam.version]).toEqual(['iam', '2010-05-08'])
  })

  it('answers MissingAction and InvalidAction', () => {
    expect([failure({}).code, failure({}).message]).toEqual(['MissingAction', 'Missing Action'])
    expect(failure({Action: 'DescribeTargetGroups', Version: '2015-12-01'}).message).toBe('Could not find operation DescribeTargetGroups for version 2015-12-01')
    expect(failure({Action: 'GetServerCertificate', Version: '2012-06-01'}).code).toBe('InvalidAction')
    expect(failure({Action: 'Nope'}).message).toBe('Could not find operation Nope for version NO_VERSION_SPECIFIED')
    // Names are case-sensitive, as AWS's are.
    expect(failure({Action: 'describeloadbalancers', Version: '2012-06-01'}).code).toBe('InvalidAction')
  })

  it('answers errors in the namespace of the Version’s service, else the first service’s', () => {
    expect(registry.errorService(new Map([['Version', '2010-05-08']])).name).toBe('iam')
    expect(registry.errorService(new Map([['Version', '1999-01-01']])).name).toBe('elb')
    expect(registry.errorService(new Map()).name).toBe('elb')
  })

  it('without a Version, asks the service the host or the signing name addresses first (ELB and EC2 share DescribeTags)', () => {
    const all = new ServiceRegistry([elbService({} as ElbImplementation), iamService({} as IamImplementation), ec2ApiService({} as Ec2Implementation)])
    const describeTags = new Map([['Action', 'DescribeTags']])
    expect(all.resolve(describeTags).service.name).toBe('elb')
    expect(all.resolve(describeTags, {host: 'ec2.eu-west-1.amazonaws.com'}).service.name).toBe('ec2')
    expect(all.resolve(describeTags, {signingName: 'ec2'}).service.name).toBe('ec2')
    expect(all.resolve(describeTags, {host: 'elasticloadbalancing.eu-west-1.amazonaws.com', signingName: 'ec2'}).service.name).toBe('elb')
    // An Action the addressed service lacks is still found by name.
    expect(all.resolve(new Map([['Action', 'RunInstances']]), {signingName: 'iam'}).service.name).toBe('ec2')
    expect(all.resolve(new Map([['Action', 'DescribeTags'], ['Version', '2012-06-01']]), {signingName: 'ec2'}).service.name).toBe('elb')
  })

  it('refuses two services that claim the same Version', () => {
    expect(() => new ServiceRegistry([elbService({} as ElbImplementation), elbService({} as ElbImplementation)]))
      .toThrow('API version 2012-06-01 is claimed by both elb and elb')
  })
})

describe('defineService', () => {
  const tableOf = (actions: string[]) => buildService('toy', {
    apiVersion: '2020-01-01', xmlNamespace: 'urn:toy',
    operations: Object.fromEntries(actions.map((action) => [action, {params: [], outputMembers: []}])),
  })
  const define = (table: string[], actions: readonly string[]): ApiService => defineService({
    name: 'toy', versions: ['2020-01-01'], signingName: 'toy', endpointPrefix: 'toy', shapeName: 'Toy', protocols: ['awsQuery'],
    spec: tableOf(table), xmlNamespace: () => 'urn:toy', actions,
    dispatch: Object.fromEntries(actions.map((action) => [action, () => action])), implementation: {},
  })

  it('refuses to build when the table has an Action the dispatch map lacks, or the reverse', () => {
    expect(() => define(['DescribeThings', 'DeleteThing'], ['DescribeThings']))
      .toThrow('the toy dispatch map and its operation table disagree: not dispatched [DeleteThing], not in the table []')
    expect(() => define(['DescribeThings'], ['DescribeThings', 'LaunchThing']))
      .toThrow('not dispatched [], not in the table [LaunchThing]')
  })

  it('calls the invoker of the resolved Action, and tells writes from reads', () => {
    const service = define(['DescribeThings', 'DeleteThing'], ['DescribeThings', 'DeleteThing'])
    const operation = service.spec.operations.get('DeleteThing')
    expect(operation).toBeDefined()
    if (operation !== undefined) expect(service.invoke(operation, {region: 'r', requestId: 'q'}, {})).toBe('DeleteThing')
    expect([service.isWrite('DeleteThing'), service.isWrite('DescribeThings')]).toEqual([true, false])
  })

  it('the ELB dispatch map names exactly the Actions of its table', () => {
    // ELB_ACTIONS is what the compiler checks the map against; this ties it to the data file.
    expect(Object.keys(ELB_DISPATCH).sort()).toEqual([...ELB_ACTIONS].sort())
    expect(() => elbService({} as ElbImplementation)).not.toThrow()
  })
})

describe('isReadAction', () => {
  it('counts Describe*, Get* and List* as reads and everything else as a write', () => {
    expect(['CreateLoadBalancer', 'AddTags', 'UploadServerCertificate', 'ModifyLoadBalancerAttributes'].some(isReadAction)).toBe(false)
    expect(['DescribeLoadBalancers', 'GetServerCertificate', 'ListServerCertificateTags', 'DescribeAccountLimits'].every(isReadAction)).toBe(true)
  })
})
