import type {DhcpOptions} from '../../model/network/dhcp-options.js'
import {cidrSize, parseCidr} from '../../model/network/addresses.js'
import {zoneIdOf} from '../../model/network/zones.js'
import type {
  InternetGatewayRecord, NetworkAclRecord, NetworkState, RouteRecord, RouteTableRecord, SubnetRecord, VpcRecord,
} from '../../model/network-types.js'
import type {TagRecord} from '../../model/types.js'
import type {Matchers} from '../filtering.js'
import {tagSet, type Wire} from '../views.js'

/** The EC2 wire views (2016-11-15 element names, AWS's order) of the networking records. */

export function vpcView(vpc: VpcRecord, accountId: string, state: 'pending' | 'available' = 'available'): Wire {
  return {
    vpcId: vpc.vpcId,
    ownerId: accountId,
    state,
    cidrBlock: vpc.cidrBlock,
    cidrBlockAssociationSet: [{associationId: vpc.cidrBlockAssociationId, cidrBlock: vpc.cidrBlock, cidrBlockState: {state: 'associated'}}],
    ipv6CidrBlockAssociationSet: [],
    dhcpOptionsId: vpc.dhcpOptionsId,
    tagSet: tagSet(vpc.tags),
    instanceTenancy: vpc.instanceTenancy,
    isDefault: vpc.isDefault,
  }
}

/** `used`: addresses taken in the subnet (instances, load-balancer nodes) besides the five AWS reserves. */
export function subnetView(subnet: SubnetRecord, region: string, accountId: string, used = 0): Wire {
  const cidr = parseCidr(subnet.cidrBlock)
  return {
    subnetId: subnet.subnetId,
    subnetArn: `arn:aws:ec2:${region}:${accountId}:subnet/${subnet.subnetId}`,
    state: 'available',
    vpcId: subnet.vpcId,
    cidrBlock: subnet.cidrBlock,
    ipv6CidrBlockAssociationSet: [],
    availableIpAddressCount: cidr === undefined ? 0 : Math.max(0, cidrSize(cidr) - 5 - used),
    availabilityZone: subnet.availabilityZone,
    availabilityZoneId: zoneIdOf(region, subnet.availabilityZone) ?? '',
    defaultForAz: subnet.defaultForAz,
    mapPublicIpOnLaunch: subnet.mapPublicIpOnLaunch,
    mapCustomerOwnedIpOnLaunch: false,
    assignIpv6AddressOnCreation: false,
    ownerId: accountId,
    tagSet: tagSet(subnet.tags),
    enableDns64: false,
    ipv6Native: false,
    privateDnsNameOptionsOnLaunch: {hostnameType: 'ip-name', enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false},
  }
}

export function internetGatewayView(gateway: InternetGatewayRecord, accountId: string): Wire {
  return {
    internetGatewayId: gateway.internetGatewayId,
    attachmentSet: gateway.attachments.map((attachment) => ({vpcId: attachment.vpcId, state: 'available'})),
    ownerId: accountId,
    tagSet: tagSet(gateway.tags),
  }
}

/** `active`, or `blackhole` when the target is gone (a detached or deleted gateway, a stopped instance). */
export function routeState(route: RouteRecord, network: NetworkState, vpcId: string, liveInstances: ReadonlySet<string>): 'active' | 'blackhole' {
  if (route.gatewayId === 'local') return 'active'
  if (route.gatewayId !== undefined) {
    const gateway = network.internetGateways.find((candidate) => candidate.internetGatewayId === route.gatewayId)
    return gateway?.attachments.some((attachment) => attachment.vpcId === vpcId) === true ? 'active' : 'blackhole'
  }
  return route.instanceId !== undefined && liveInstances.has(route.instanceId) ? 'active' : 'blackhole'
}

export function routeTableView(table: RouteTableRecord, network: NetworkState, accountId: string, liveInstances: ReadonlySet<string>): Wire {
  return {
    routeTableId: table.routeTableId,
    vpcId: table.vpcId,
    ownerId: accountId,
    routeSet: table.routes.map((route) => ({
      destinationCidrBlock: route.destinationCidrBlock,
      ...(route.gatewayId === undefined ? {} : {gatewayId: route.gatewayId}),
      ...(route.instanceId === undefined ? {} : {instanceId: route.instanceId, instanceOwnerId: accountId}),
      state: routeState(route, network, table.vpcId, liveInstances),
      origin: route.origin,
    })),
    associationSet: table.associations.map((association) => ({
      routeTableAssociationId: association.associationId,
      routeTableId: table.routeTableId,
      ...(association.subnetId === undefined ? {} : {subnetId: association.subnetId}),
      main: association.main,
      associationState: {state: 'associated'},
    })),
    propagatingVgwSet: [],
    tagSet: tagSet(table.tags),
  }
}

export function networkAclView(acl: NetworkAclRecord, accountId: string): Wire {
  return {
    networkAclId: acl.networkAclId,
    vpcId: acl.vpcId,
    default: acl.isDefault,
    entrySet: acl.entries.map((entry) => ({
      ruleNumber: entry.ruleNumber,
      protocol: entry.protocol,
      ruleAction: entry.ruleAction,
      egress: entry.egress,
      ...(entry.cidrBlock === undefined ? {} : {cidrBlock: entry.cidrBlock}),
      ...(entry.ipv6CidrBlock === undefined ? {} : {ipv6CidrBlock: entry.ipv6CidrBlock}),
      ...(entry.icmpTypeCode === undefined ? {} : {icmpTypeCode: {code: entry.icmpTypeCode.code, type: entry.icmpTypeCode.type}}),
      ...(entry.portRange === undefined ? {} : {portRange: {from: entry.portRange.from, to: entry.portRange.to}}),
    })),
    associationSet: acl.associations.map((association) => ({
      networkAclAssociationId: association.networkAclAssociationId, networkAclId: acl.networkAclId, subnetId: association.subnetId,
    })),
    tagSet: tagSet(acl.tags),
    ownerId: accountId,
  }
}

export function dhcpOptionsView(options: DhcpOptions, accountId: string): Wire {
  return {
    dhcpOptionsId: options.dhcpOptionsId,
    dhcpConfigurationSet: options.configurations.map((configuration) => ({
      key: configuration.key, valueSet: configuration.values.map((value) => ({value})),
    })),
    ownerId: accountId,
    tagSet: [],
  }
}

/** `tag:KEY`, `tag-key` and `tag-value` over a record's tags. */
export function tagMatchers<T>(tagsOf: (item: T) => readonly TagRecord[]): Matchers<T> {
  return {
    'tag-key': (item) => tagsOf(item).map((tag) => tag.key),
    'tag-value': (item) => tagsOf(item).map((tag) => tag.value ?? ''),
    'tag:': (item, key) => tagsOf(item).filter((tag) => tag.key === key).map((tag) => tag.value ?? ''),
  }
}
