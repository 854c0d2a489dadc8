import type {
  AddAvailabilityZonesInput,
  AddTagsInput,
  ApplySecurityGroupsToLoadBalancerInput,
  AttachLoadBalancerToSubnetsInput,
  ConfigureHealthCheckInput,
  CreateAccessPointInput,
  CreateAppCookieStickinessPolicyInput,
  CreateLBCookieStickinessPolicyInput,
  CreateLoadBalancerListenerInput,
  CreateLoadBalancerPolicyInput,
  DeleteAccessPointInput,
  DeleteLoadBalancerListenerInput,
  DeleteLoadBalancerPolicyInput,
  DeregisterEndPointsInput,
  DescribeEndPointStateInput,
  DescribeLoadBalancerAttributesInput,
  DescribeTagsInput,
  DetachLoadBalancerFromSubnetsInput,
  ModifyLoadBalancerAttributesInput,
  RegisterEndPointsInput,
  RemoveAvailabilityZonesInput,
  RemoveTagsInput,
  SetLoadBalancerListenerSSLCertificateInput,
  SetLoadBalancerPoliciesForBackendServerInput,
  SetLoadBalancerPoliciesOfListenerInput,
} from '@aws-sdk/client-elastic-load-balancing'
import type {ElbService} from '../../model/elb-service.js'
import {elbApiVersions, elbVersionHas} from '../elb-versions.js'
import {serviceSpecs} from '../operations.js'
import {defineService, type ApiService, type DispatchMap} from '../service.js'

/**
 * Classic ELB, API version 2012-06-01 (and every older version, data/elb-api-versions.json): the Actions of its table and the ElbService method each one
 * calls. The casts name the SDK input type the decoder has produced (it checked the table’s shape);
 * inputs without a required member need none.
 */

export const ELB_ACTIONS = [
  'AddTags', 'ApplySecurityGroupsToLoadBalancer', 'AttachLoadBalancerToSubnets', 'ConfigureHealthCheck',
  'CreateAppCookieStickinessPolicy', 'CreateLBCookieStickinessPolicy', 'CreateLoadBalancer',
  'CreateLoadBalancerListeners', 'CreateLoadBalancerPolicy', 'DeleteLoadBalancer', 'DeleteLoadBalancerListeners',
  'DeleteLoadBalancerPolicy', 'DeregisterInstancesFromLoadBalancer', 'DescribeAccountLimits', 'DescribeInstanceHealth',
  'DescribeLoadBalancerAttributes', 'DescribeLoadBalancerPolicies', 'DescribeLoadBalancerPolicyTypes',
  'DescribeLoadBalancers', 'DescribeTags', 'DetachLoadBalancerFromSubnets', 'DisableAvailabilityZonesForLoadBalancer',
  'EnableAvailabilityZonesForLoadBalancer', 'ModifyLoadBalancerAttributes', 'RegisterInstancesWithLoadBalancer',
  'RemoveTags', 'SetLoadBalancerListenerSSLCertificate', 'SetLoadBalancerPoliciesForBackendServer',
  'SetLoadBalancerPoliciesOfListener',
] as const

export type ElbAction = typeof ELB_ACTIONS[number]

/** The model methods the ELB Actions call (ElbService, or a stand-in in an edge test). */
export type ElbImplementation = Pick<ElbService, Uncapitalize<ElbAction>>

export const ELB_DISPATCH = {
  AddTags: (elb, ctx, input) => elb.addTags(ctx, input as AddTagsInput),
  ApplySecurityGroupsToLoadBalancer: (elb, ctx, input) => elb.applySecurityGroupsToLoadBalancer(ctx, input as ApplySecurityGroupsToLoadBalancerInput),
  AttachLoadBalancerToSubnets: (elb, ctx, input) => elb.attachLoadBalancerToSubnets(ctx, input as AttachLoadBalancerToSubnetsInput),
  ConfigureHealthCheck: (elb, ctx, input) => elb.configureHealthCheck(ctx, input as ConfigureHealthCheckInput),
  CreateAppCookieStickinessPolicy: (elb, ctx, input) => elb.createAppCookieStickinessPolicy(ctx, input as CreateAppCookieStickinessPolicyInput),
  CreateLBCookieStickinessPolicy: (elb, ctx, input) => elb.createLBCookieStickinessPolicy(ctx, input as CreateLBCookieStickinessPolicyInput),
  CreateLoadBalancer: (elb, ctx, input) => elb.createLoadBalancer(ctx, input as CreateAccessPointInput),
  CreateLoadBalancerListeners: (elb, ctx, input) => elb.createLoadBalancerListeners(ctx, input as CreateLoadBalancerListenerInput),
  CreateLoadBalancerPolicy: (elb, ctx, input) => elb.createLoadBalancerPolicy(ctx, input as CreateLoadBalancerPolicyInput),
  DeleteLoadBalancer: (elb, ctx, input) => elb.deleteLoadBalancer(ctx, input as DeleteAccessPointInput),
  DeleteLoadBalancerListeners: (elb, ctx, input) => elb.deleteLoadBalancerListeners(ctx, input as DeleteLoadBalancerListenerInput),
  DeleteLoadBalancerPolicy: (elb, ctx, input) => elb.deleteLoadBalancerPolicy(ctx, input as DeleteLoadBalancerPolicyInput),
  DeregisterInstancesFromLoadBalancer: (elb, ctx, input) => elb.deregisterInstancesFromLoadBalancer(ctx, input as DeregisterEndPointsInput),
  DescribeAccountLimits: (elb, ctx, input) => elb.describeAccountLimits(ctx, input),
  DescribeInstanceHealth: (elb, ctx, input) => elb.describeInstanceHealth(ctx, input as DescribeEndPointStateInput),
  DescribeLoadBalancerAttributes: (elb, ctx, input) => elb.describeLoadBalancerAttributes(ctx, input as DescribeLoadBalancerAttributesInput),
  DescribeLoadBalancerPolicies: (elb, ctx, input) => elb.describeLoadBalancerPolicies(ctx, input),
  DescribeLoadBalancerPolicyTypes: (elb, ctx, input) => elb.describeLoadBalancerPolicyTypes(ctx, input),
  DescribeLoadBalancers: (elb, ctx, input) => elb.describeLoadBalancers(ctx, input),
  DescribeTags: (elb, ctx, input) => elb.describeTags(ctx, input as DescribeTagsInput),
  DetachLoadBalancerFromSubnets: (elb, ctx, input) => elb.detachLoadBalancerFromSubnets(ctx, input as DetachLoadBalancerFromSubnetsInput),
  DisableAvailabilityZonesForLoadBalancer: (elb, ctx, input) => elb.disableAvailabilityZonesForLoadBalancer(ctx, input as RemoveAvailabilityZonesInput),
  EnableAvailabilityZonesForLoadBalancer: (elb, ctx, input) => elb.enableAvailabilityZonesForLoadBalancer(ctx, input as AddAvailabilityZonesInput),
  ModifyLoadBalancerAttributes: (elb, ctx, input) => elb.modifyLoadBalancerAttributes(ctx, input as ModifyLoadBalancerAttributesInput),
  RegisterInstancesWithLoadBalancer: (elb, ctx, input) => elb.registerInstancesWithLoadBalancer(ctx, input as RegisterEndPointsInput),
  RemoveTags: (elb, ctx, input) => elb.removeTags(ctx, input as RemoveTagsInput),
  SetLoadBalancerListenerSSLCertificate: (elb, ctx, input) => elb.setLoadBalancerListenerSSLCertificate(ctx, input as SetLoadBalancerListenerSSLCertificateInput),
  SetLoadBalancerPoliciesForBackendServer: (elb, ctx, input) => elb.setLoadBalancerPoliciesForBackendServer(ctx, input as SetLoadBalancerPoliciesForBackendServerInput),
  SetLoadBalancerPoliciesOfListener: (elb, ctx, input) => elb.setLoadBalancerPoliciesOfListener(ctx, input as SetLoadBalancerPoliciesOfListenerInput),
} satisfies DispatchMap<ElbAction, ElbImplementation>

export const ELB_VERSION = '2012-06-01'

export function elbNamespace(version: string): string {
  return `http://elasticloadbalancing.amazonaws.com/doc/${version}/`
}

export function elbService(implementation: ElbImplementation): ApiService {
  return defineService({
    name: 'elb',
    // Every version AWS published (the latest first); older ones lack the Actions added after them.
    versions: elbApiVersions(),
    signingName: 'elasticloadbalancing',
    endpointPrefix: 'elasticloadbalancing',
    shapeName: 'ElasticLoadBalancing_v7',
    protocols: ['awsQuery'],
    spec: serviceSpecs().elb,
    xmlNamespace: (version) => elbNamespace(version !== undefined && elbApiVersions().includes(version) ? version : ELB_VERSION),
    supports: (action, version) => elbVersionHas(version, action),
    actions: ELB_ACTIONS,
    dispatch: ELB_DISPATCH,
    implementation,
  })
}
