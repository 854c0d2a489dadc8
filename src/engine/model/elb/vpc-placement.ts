/**
 * Where a load balancer lives in a VPC account: its VPC, subnets (one per zone), security groups
 * and source group, and AWS's rules for each. Pure functions over a region's network records; the
 * ELB operations call them inside their store mutations, so a refused request changes nothing.
 * Error texts and their sources: messages.ts and docs/decisions.md, "Classic ELB in a VPC: errors".
 */
import type {SourceSecurityGroup} from '@aws-sdk/client-elastic-load-balancing'
import {InvalidConfigurationRequest, InvalidSecurityGroup, InvalidSubnet, SubnetNotFound} from '../errors.js'
import type {NetworkState, SecurityGroupRecord, SubnetRecord, VpcRecord} from '../network-types.js'
import {platformOf} from '../network/default-vpc.js'
import type {EngineState, InstanceRecord, LoadBalancerRecord} from '../types.js'
import {messages} from './messages.js'
import {unique} from './validation.js'

/** AWS's quota of security groups per load balancer. */
export const MAX_SECURITY_GROUPS = 5

/** EC2-Classic load balancers answer with the group every ELB's traffic comes from. */
const CLASSIC_SOURCE_SECURITY_GROUP = {OwnerAlias: 'amazon-elb', GroupName: 'amazon-elb-sg'}

export interface Placement {
  readonly vpcId: string
  /** In the order given; AvailabilityZones follow them. */
  readonly subnets: readonly string[]
  readonly availabilityZones: readonly string[]
}

export function defaultVpcOf(network: NetworkState | undefined): VpcRecord | undefined {
  return network?.vpcs.find((vpc) => vpc.isDefault)
}

/** CreateLoadBalancer by zones in a VPC account: each zone's default subnet of the default VPC. */
export function placeByZones(network: NetworkState | undefined, zones: readonly string[]): Placement {
  const vpc = defaultVpcOf(network)
  if (network === undefined || vpc === undefined) throw new InvalidConfigurationRequest(messages.defaultVpcNotFound)
  return {vpcId: vpc.vpcId, subnets: defaultSubnetsOf(network, vpc.vpcId, zones), availabilityZones: [...zones]}
}

/** The default subnet of each zone in `vpcId`, in the zones' order. */
export function defaultSubnetsOf(network: NetworkState, vpcId: string, zones: readonly string[]): string[] {
  const byZone = new Map<string, string>()
  for (const subnet of network.subnets) {
    if (subnet.vpcId === vpcId && subnet.defaultForAz) byZone.set(subnet.availabilityZone, subnet.subnetId)
  }
  return zones.map((zone) => {
    const subnet = byZone.get(zone)
    if (subnet === undefined) throw new InvalidConfigurationRequest(messages.noDefaultSubnet(zone))
    return subnet
  })
}

/**
 * Subnets given by id (CreateLoadBalancer, AttachLoadBalancerToSubnets): all must exist, lie in one
 * VPC (the load balancer's, when it has one) and be one per zone, counting those already attached.
 */
export function placeBySubnets(
  network: NetworkState | undefined,
  subnetIds: readonly string[],
  existing?: {readonly vpcId: string; readonly subnets: readonly string[]},
): Placement {
  const wanted = unique([...(existing?.subnets ?? []), ...subnetIds])
  const known = indexSubnets(network)
  const missing = unique(subnetIds).filter((id) => !known.has(id))
  if (missing.length > 0) throw new SubnetNotFound(messages.subnetNotFound(missing))
  const records = wanted.flatMap((id) => known.get(id) ?? [])
  const vpcId = existing?.vpcId ?? (records[0] as SubnetRecord).vpcId
  const zones = new Set<string>()
  for (const subnet of records) {
    if (subnet.vpcId !== vpcId) throw new InvalidConfigurationRequest(messages.subnetOutsideVpc(subnet.subnetId, vpcId))
    if (zones.has(subnet.availabilityZone)) throw new InvalidConfigurationRequest(messages.subnetsShareZone)
    zones.add(subnet.availabilityZone)
  }
  return {vpcId, subnets: wanted, availabilityZones: [...zones]}
}

/** An internet-facing load balancer needs an internet gateway attached to its VPC. */
export function requireInternetGateway(network: NetworkState | undefined, vpcId: string, scheme: LoadBalancerRecord['scheme']): void {
  if (scheme !== 'internet-facing') return
  const attached = network?.internetGateways.some((gateway) => gateway.attachments.some((a) => a.vpcId === vpcId)) ?? false
  if (!attached) throw new InvalidSubnet(messages.noInternetGateway(vpcId))
}

/**
 * The groups a load balancer in `vpcId` gets: those given (existing, in that VPC, at most five), or
 * the VPC's `default` group when none are (AWS, for a non-default VPC; the default VPC's load
 * balancers get ELB's own group instead: default-elb-group.ts).
 */
export function securityGroupsFor(network: NetworkState | undefined, vpcId: string, groupIds: readonly string[] | undefined): string[] {
  const given = unique(groupIds ?? [])
  if (given.length === 0) {
    const fallback = network?.securityGroups.find((group) => group.vpcId === vpcId && group.groupName === 'default')
    return fallback === undefined ? [] : [fallback.groupId]
  }
  if (given.length > MAX_SECURITY_GROUPS) throw new InvalidConfigurationRequest(messages.tooManySecurityGroups)
  const known = indexGroups(network)
  for (const id of given) {
    const group = known.get(id)
    if (group === undefined) throw new InvalidSecurityGroup(messages.securityGroupsNotFound)
    if (group.vpcId !== vpcId) throw new InvalidConfigurationRequest(messages.securityGroupOutsideVpc(id, vpcId))
  }
  return given
}

/**
 * The VPC an instance is in: its own, or, in a VPC account, the default VPC for a record that names
 * none (launched without a subnet, which EC2 places in its zone's default subnet); none on EC2-Classic.
 */
export function instanceVpcOf(instance: InstanceRecord, state: EngineState, network: NetworkState | undefined): string | undefined {
  if (instance.vpcId !== undefined) return instance.vpcId
  return platformOf(state) === 'vpc' ? defaultVpcOf(network)?.vpcId : undefined
}

/** DescribeLoadBalancers' SourceSecurityGroup: the account and the name of the load balancer's first group in a VPC. */
export function sourceSecurityGroupOf(lb: LoadBalancerRecord, accountId: string, network: NetworkState | undefined): SourceSecurityGroup {
  if (lb.vpcId === undefined) return {...CLASSIC_SOURCE_SECURITY_GROUP}
  const first = lb.securityGroups[0]
  const group = first === undefined ? undefined : network?.securityGroups.find((g) => g.groupId === first)
  return {OwnerAlias: accountId, GroupName: group?.groupName ?? first ?? 'default'}
}

function indexSubnets(network: NetworkState | undefined): Map<string, SubnetRecord> {
  return new Map((network?.subnets ?? []).map((subnet) => [subnet.subnetId, subnet]))
}

function indexGroups(network: NetworkState | undefined): Map<string, SecurityGroupRecord> {
  return new Map((network?.securityGroups ?? []).map((group) => [group.groupId, group]))
}
