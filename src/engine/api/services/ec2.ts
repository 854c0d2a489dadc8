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
  // The EC2 networking API (ec2/network/): Ec2Service's vpcs, routing and tagging parts.
  'CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'DescribeVpcAttribute', 'CreateSubnet', 'DeleteSubnet', 'ModifySubnetAttribute',
  'DescribeNetworkAcls', 'DescribeDhcpOptions', 'CreateInternetGateway', 'AttachInternetGateway', 'DetachInternetGateway',
  'DeleteInternetGateway', 'DescribeInternetGateways', 'CreateRouteTable', 'DeleteRouteTable', 'DescribeRouteTables', 'CreateRoute',
  'ReplaceRoute', 'DeleteRoute', 'AssociateRouteTable', 'DisassociateRouteTable', 'ReplaceRouteTableAssociation', 'CreateTags', 'DeleteTags',
  // Security groups (ec2/security-groups.ts)
  'AuthorizeSecurityGroupEgress', 'AuthorizeSecurityGroupIngress', 'CreateSecurityGroup', 'DeleteSecurityGroup',
  'DescribeSecurityGroupRules', 'ModifySecurityGroupRules', 'RevokeSecurityGroupEgress', 'RevokeSecurityGroupIngress',
  'UpdateSecurityGroupRuleDescriptionsEgress', 'UpdateSecurityGroupRuleDescriptionsIngress',
  'ModifyInstanceAttribute', 'DescribeVpcClassicLink',
] as const

export type Ec2Action = typeof EC2_ACTIONS[number]

/**
 * Ec2Service's methods, and its parts that answer whole families of Actions — networking (`vpcs`,
 * `routing`, `tagging`, `interfaces`, `instanceAttributes`; ec2/network/) and security groups
 * (`securityGroups`, ec2/security-groups.ts): the dispatch map's calls into them are compile-checked there.
 */
export type Ec2Implementation = Pick<Ec2Service, Extract<Uncapitalize<Ec2Action>, keyof Ec2Service> | 'vpcs' | 'routing' | 'tagging' | 'interfaces' | 'instanceAttributes' | 'securityGroups'>

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
  DescribeNetworkInterfaces: (ec2, ctx, input) => ec2.interfaces.describeNetworkInterfaces(ctx, params(input)),
  DescribeRegions: (ec2, ctx, input) => ec2.describeRegions(ctx, params(input)),
  DescribeSecurityGroups: (ec2, ctx, input) => ec2.securityGroups.describeSecurityGroups(ctx, params(input)),
  DescribeSubnets: (ec2, ctx, input) => ec2.vpcs.describeSubnets(ctx, params(input)),
  DescribeTags: (ec2, ctx, input) => ec2.tagging.describeTags(ctx, params(input)),
  DescribeVolumes: (ec2) => ec2.describeVolumes(),
  DescribeVpcs: (ec2, ctx, input) => ec2.vpcs.describeVpcs(ctx, params(input)),
  RunInstances: (ec2, ctx, input) => ec2.runInstances(ctx, params(input)),
  StartInstances: (ec2, ctx, input) => ec2.startInstances(ctx, params(input)),
  StopInstances: (ec2, ctx, input) => ec2.stopInstances(ctx, params(input)),
  TerminateInstances: (ec2, ctx, input) => ec2.terminateInstances(ctx, params(input)),
  CreateVpc: (ec2, ctx, input) => ec2.vpcs.createVpc(ctx, params(input)),
  DeleteVpc: (ec2, ctx, input) => ec2.vpcs.deleteVpc(ctx, params(input)),
  ModifyVpcAttribute: (ec2, ctx, input) => ec2.vpcs.modifyVpcAttribute(ctx, params(input)),
  DescribeVpcAttribute: (ec2, ctx, input) => ec2.vpcs.describeVpcAttribute(ctx, params(input)),
  CreateSubnet: (ec2, ctx, input) => ec2.vpcs.createSubnet(ctx, params(input)),
  DeleteSubnet: (ec2, ctx, input) => ec2.vpcs.deleteSubnet(ctx, params(input)),
  ModifySubnetAttribute: (ec2, ctx, input) => ec2.vpcs.modifySubnetAttribute(ctx, params(input)),
  DescribeNetworkAcls: (ec2, ctx, input) => ec2.vpcs.describeNetworkAcls(ctx, params(input)),
  DescribeDhcpOptions: (ec2, ctx, input) => ec2.vpcs.describeDhcpOptions(ctx, params(input)),
  CreateInternetGateway: (ec2, ctx, input) => ec2.routing.createInternetGateway(ctx, params(input)),
  AttachInternetGateway: (ec2, ctx, input) => ec2.routing.attachInternetGateway(ctx, params(input)),
  DetachInternetGateway: (ec2, ctx, input) => ec2.routing.detachInternetGateway(ctx, params(input)),
  DeleteInternetGateway: (ec2, ctx, input) => ec2.routing.deleteInternetGateway(ctx, params(input)),
  DescribeInternetGateways: (ec2, ctx, input) => ec2.routing.describeInternetGateways(ctx, params(input)),
  CreateRouteTable: (ec2, ctx, input) => ec2.routing.createRouteTable(ctx, params(input)),
  DeleteRouteTable: (ec2, ctx, input) => ec2.routing.deleteRouteTable(ctx, params(input)),
  DescribeRouteTables: (ec2, ctx, input) => ec2.routing.describeRouteTables(ctx, params(input)),
  CreateRoute: (ec2, ctx, input) => ec2.routing.createRoute(ctx, params(input)),
  ReplaceRoute: (ec2, ctx, input) => ec2.routing.replaceRoute(ctx, params(input)),
  DeleteRoute: (ec2, ctx, input) => ec2.routing.deleteRoute(ctx, params(input)),
  AssociateRouteTable: (ec2, ctx, input) => ec2.routing.associateRouteTable(ctx, params(input)),
  DisassociateRouteTable: (ec2, ctx, input) => ec2.routing.disassociateRouteTable(ctx, params(input)),
  ReplaceRouteTableAssociation: (ec2, ctx, input) => ec2.routing.replaceRouteTableAssociation(ctx, params(input)),
  CreateTags: (ec2, ctx, input) => ec2.tagging.createTags(ctx, params(input)),
  DeleteTags: (ec2, ctx, input) => ec2.tagging.deleteTags(ctx, params(input)),
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
  ModifyInstanceAttribute: (ec2, ctx, input) => ec2.instanceAttributes.modifyInstanceAttribute(ctx, params(input)),
  DescribeVpcClassicLink: (ec2, ctx, input) => ec2.vpcs.describeVpcClassicLink(ctx, params(input)),
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
