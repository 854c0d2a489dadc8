import {loadData} from '../../../common/data.js'
import {InvalidAction} from '../../ec2/errors.js'
import type {QueryParams} from '../../ec2/params.js'
import type {Ec2Service} from '../../ec2/service.js'
import {buildService, type ServiceSpec, type WireService} from '../operations.js'
import {defineService, type ApiService, type DispatchMap} from '../service.js'

/**
 * EC2, API version 2016-11-15, for the engine's stand-in instances: the Actions of its table
 * (data/ec2-operations.json) and the Ec2Service method each one calls. It speaks EC2 Query, whose
 * decode step hands the parameters as sent to Ec2Service, which reads EC2's `Name.N` lists itself
 * (ec2/params.ts): the table carries no input shapes.
 */

export const EC2_ACTIONS = [
  'DescribeAccountAttributes', 'DescribeAvailabilityZones', 'DescribeImages', 'DescribeInstanceAttribute',
  'DescribeInstanceCreditSpecifications', 'DescribeInstanceStatus', 'DescribeInstanceTypes', 'DescribeInstances',
  'DescribeNetworkInterfaces', 'DescribeRegions', 'DescribeSecurityGroups', 'DescribeSubnets', 'DescribeTags',
  'DescribeVolumes', 'DescribeVpcs', 'RunInstances', 'StartInstances', 'StopInstances', 'TerminateInstances',
  // Security groups (ec2/security-groups.ts)
  'AuthorizeSecurityGroupEgress', 'AuthorizeSecurityGroupIngress', 'CreateSecurityGroup', 'DeleteSecurityGroup',
  'DescribeSecurityGroupRules', 'ModifySecurityGroupRules', 'RevokeSecurityGroupEgress', 'RevokeSecurityGroupIngress',
  'UpdateSecurityGroupRuleDescriptionsEgress', 'UpdateSecurityGroupRuleDescriptionsIngress',
] as const

export type Ec2Action = typeof EC2_ACTIONS[number]

/** The Actions Ec2Service answers itself; the security-group ones go to its `securityGroups`. */
type SecurityGroupMethod = keyof Ec2Service['securityGroups']
export type Ec2Implementation = Pick<Ec2Service, Exclude<Uncapitalize<Ec2Action>, SecurityGroupMethod> | 'securityGroups'>

/** The EC2 Query protocol's decoded input: the parameters as sent (ec2/params.ts reads them). */
const params = (input: object): QueryParams => input as QueryParams

export const EC2_DISPATCH = {
  DescribeAccountAttributes: (ec2, ctx, input) => ec2.describeAccountAttributes(ctx, params(input)),
  DescribeAvailabilityZones: (ec2, ctx, input) => ec2.describeAvailabilityZones(ctx, params(input)),
  DescribeImages: (ec2, ctx, input) => ec2.describeImages(ctx, params(input)),
  DescribeInstanceAttribute: (ec2, ctx, input) => ec2.describeInstanceAttribute(ctx, params(input)),
  DescribeInstanceCreditSpecifications: (ec2, ctx, input) => ec2.describeInstanceCreditSpecifications(ctx, params(input)),
  DescribeInstanceStatus: (ec2, ctx, input) => ec2.describeInstanceStatus(ctx, params(input)),
  DescribeInstanceTypes: (ec2, ctx, input) => ec2.describeInstanceTypes(ctx, params(input)),
  DescribeInstances: (ec2, ctx, input) => ec2.describeInstances(ctx, params(input)),
  DescribeNetworkInterfaces: (ec2, ctx, input) => ec2.describeNetworkInterfaces(ctx, params(input)),
  DescribeRegions: (ec2, ctx, input) => ec2.describeRegions(ctx, params(input)),
  DescribeSecurityGroups: (ec2, ctx, input) => ec2.securityGroups.describeSecurityGroups(ctx, params(input)),
  DescribeSubnets: (ec2) => ec2.describeSubnets(),
  DescribeTags: (ec2, ctx, input) => ec2.describeTags(ctx, params(input)),
  DescribeVolumes: (ec2) => ec2.describeVolumes(),
  DescribeVpcs: (ec2) => ec2.describeVpcs(),
  RunInstances: (ec2, ctx, input) => ec2.runInstances(ctx, params(input)),
  StartInstances: (ec2, ctx, input) => ec2.startInstances(ctx, params(input)),
  StopInstances: (ec2, ctx, input) => ec2.stopInstances(ctx, params(input)),
  TerminateInstances: (ec2, ctx, input) => ec2.terminateInstances(ctx, params(input)),
  AuthorizeSecurityGroupEgress: (ec2, ctx, input) => ec2.securityGroups.authorizeSecurityGroupEgress(ctx, params(input)),
  AuthorizeSecurityGroupIngress: (ec2, ctx, input) => ec2.securityGroups.authorizeSecurityGroupIngress(ctx, params(input)),
  CreateSecurityGroup: (ec2, ctx, input) => ec2.securityGroups.createSecurityGroup(ctx, params(input)),
  DeleteSecurityGroup: (ec2, ctx, input) => ec2.securityGroups.deleteSecurityGroup(ctx, params(input)),
  DescribeSecurityGroupRules: (ec2, ctx, input) => ec2.securityGroups.describeSecurityGroupRules(ctx, params(input)),
  ModifySecurityGroupRules: (ec2, ctx, input) => ec2.securityGroups.modifySecurityGroupRules(ctx, params(input)),
  RevokeSecurityGroupEgress: (ec2, ctx, input) => ec2.securityGroups.revokeSecurityGroupEgress(ctx, params(input)),
  RevokeSecurityGroupIngress: (ec2, ctx, input) => ec2.securityGroups.revokeSecurityGroupIngress(ctx, params(input)),
  UpdateSecurityGroupRuleDescriptionsEgress: (ec2, ctx, input) => ec2.securityGroups.updateSecurityGroupRuleDescriptionsEgress(ctx, params(input)),
  UpdateSecurityGroupRuleDescriptionsIngress: (ec2, ctx, input) => ec2.securityGroups.updateSecurityGroupRuleDescriptionsIngress(ctx, params(input)),
} satisfies DispatchMap<Ec2Action, Ec2Implementation>

let spec: ServiceSpec | undefined

/** EC2's operation table, built once from its data file. */
export function ec2Spec(): ServiceSpec {
  return spec ??= buildService('ec2', loadData<WireService>('ec2-operations.json'))
}

export function ec2ApiService(implementation: Ec2Implementation): ApiService {
  const table = ec2Spec()
  return defineService({
    name: 'ec2',
    versions: [table.apiVersion],
    signingName: 'ec2',
    endpointPrefix: 'ec2',
    shapeName: 'AmazonEC2',
    protocols: ['ec2Query'],
    spec: table,
    xmlNamespace: () => table.xmlNamespace,
    unknownAction: (action) => new InvalidAction(`The action ${action} is not valid for this web service.`),
    actions: EC2_ACTIONS,
    dispatch: EC2_DISPATCH,
    implementation,
  })
}
