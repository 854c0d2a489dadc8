import {defaultDhcpOptions} from '../../model/network/dhcp-options.js'
import {
  InvalidDhcpOptionIdNotFound, InvalidNetworkAclIdNotFound, InvalidSubnetIdNotFound, InvalidVpcIdNotFound,
} from '../../model/network/errors.js'
import type {NetworkModel} from '../../model/network/network-model.js'
import {createSubnet, deleteSubnet, subnetIndex} from '../../model/network/subnets.js'
import {createVpc, deleteVpc, vpcCidr, vpcIndex} from '../../model/network/vpcs.js'
import {regionZones, zoneIdOf} from '../../model/network/zones.js'
import type {NetworkAclRecord, SubnetRecord, VpcRecord} from '../../model/network-types.js'
import type {RegionState, RequestContext} from '../../model/types.js'
import {InvalidParameterCombination, InvalidParameterValue, MissingParameter, UnsupportedOperation} from '../errors.js'
import {optionalBoolean, optionalString, requiredString, type QueryParams} from '../params.js'
import {tagSet, type Wire} from '../views.js'
import {describeSelection, pageView} from './describe.js'
import {dryRun} from './dry-run.js'
import {tagSpecifications} from './tag-params.js'
import {dhcpOptionsView, networkAclView, subnetView, tagMatchers, vpcView} from './views.js'

/**
 * EC2's VPC and subnet calls (and the network ACLs and DHCP options they come with) over the
 * NetworkModel: parameters in, the model's rules, EC2's wire views out.
 */

const VPC_ATTRIBUTES = ['enableDnsSupport', 'enableDnsHostnames', 'enableNetworkAddressUsageMetrics'] as const
type VpcAttribute = typeof VPC_ATTRIBUTES[number]

/** Subnet attributes the engine accepts at their AWS default only (it models no IPv6, DNS64 or customer-owned pools). */
const FIXED_SUBNET_ATTRIBUTES: Readonly<Record<string, string>> = {
  'AssignIpv6AddressOnCreation.Value': 'false',
  'EnableDns64.Value': 'false',
  'MapCustomerOwnedIpOnLaunch.Value': 'false',
  'EnableResourceNameDnsARecordOnLaunch.Value': 'false',
  'EnableResourceNameDnsAAAARecordOnLaunch.Value': 'false',
  'PrivateDnsHostnameTypeOnLaunch': 'ip-name',
  'EnableLniAtDeviceIndex': '0',
}

export class VpcApi {
  constructor(private readonly model: NetworkModel) {}

  createVpc(ctx: RequestContext, params: QueryParams): Wire {
    const cidrText = optionalString(params, 'CidrBlock')
    if (cidrText === undefined) throw new MissingParameter('The request must contain the parameter cidrBlock')
    const cidrBlock = vpcCidr(cidrText)
    const tenancy = optionalString(params, 'InstanceTenancy') ?? 'default'
    if (tenancy !== 'default' && tenancy !== 'dedicated') throw new InvalidParameterValue(`Value (${tenancy}) for parameter instanceTenancy is invalid.`)
    if (optionalBoolean(params, 'AmazonProvidedIpv6CidrBlock') === true) {
      throw new InvalidParameterValue('The engine does not model IPv6: AmazonProvidedIpv6CidrBlock must be false.')
    }
    const tags = tagSpecifications(params, 'vpc')
    dryRun(params)
    const dhcpOptionsId = defaultDhcpOptions(this.model.accountId, ctx.region).dhcpOptionsId
    const vpc = this.model.update(ctx.region, (network, base) =>
      createVpc(network, base, this.model.ids, {cidrBlock, isDefault: false, instanceTenancy: tenancy, dhcpOptionsId, tags}))
    return {vpc: vpcView(vpc, this.model.accountId, 'pending')}
  }

  deleteVpc(ctx: RequestContext, params: QueryParams): Wire {
    const vpcId = requiredString(params, 'VpcId')
    vpcIndex(this.model.network(ctx.region), vpcId)
    dryRun(params)
    this.model.update(ctx.region, (network, base, region) => { deleteVpc(network, base, region, vpcId) })
    return {return: true}
  }

  describeVpcs(ctx: RequestContext, params: QueryParams): Wire {
    const page = describeSelection(this.model.network(ctx.region).vpcs, params, {
      operation: 'DescribeVpcs',
      idParam: 'VpcId',
      idOf: (vpc) => vpc.vpcId,
      notFound: (id) => new InvalidVpcIdNotFound(`The vpc ID '${id}' does not exist`),
      matchers: {
        'vpc-id': (vpc) => [vpc.vpcId],
        'cidr': (vpc) => [vpc.cidrBlock],
        // Undocumented, but AWS answers it (Ansible's ec2_vpc_net looks VPCs up by it).
        'cidr-block': (vpc) => [vpc.cidrBlock],
        'cidr-block-association.cidr-block': (vpc) => [vpc.cidrBlock],
        'cidr-block-association.association-id': (vpc) => [vpc.cidrBlockAssociationId],
        'cidr-block-association.state': () => ['associated'],
        'dhcp-options-id': (vpc) => [vpc.dhcpOptionsId],
        'is-default': (vpc) => [String(vpc.isDefault)],
        'isDefault': (vpc) => [String(vpc.isDefault)],
        'owner-id': () => [this.model.accountId],
        'state': () => ['available'],
        ...tagMatchers<VpcRecord>((vpc) => vpc.tags),
      },
    })
    return pageView('vpcSet', page, (vpc) => vpcView(vpc, this.model.accountId))
  }

  /**
   * ClassicLink is retired: a VPC account gets AWS's answer for that ("The functionality you
   * requested is not available in this region.", which Ansible's ec2_vpc_net reads as "disabled");
   * an EC2-Classic account lists its VPCs with ClassicLink off.
   */
  describeVpcClassicLink(ctx: RequestContext, params: QueryParams): Wire {
    if (this.model.platform === 'vpc') throw new UnsupportedOperation('The functionality you requested is not available in this region.')
    const page = describeSelection(this.model.network(ctx.region).vpcs, params, {
      operation: 'DescribeVpcClassicLink',
      idParam: 'VpcId',
      idOf: (vpc) => vpc.vpcId,
      notFound: (id) => new InvalidVpcIdNotFound(`The vpc ID '${id}' does not exist`),
      matchers: {'is-classic-link-enabled': () => ['false'], ...tagMatchers<VpcRecord>((vpc) => vpc.tags)},
    })
    return {vpcSet: page.items.map((vpc) => ({vpcId: vpc.vpcId, classicLinkEnabled: false, tagSet: tagSet(vpc.tags)}))}
  }

  modifyVpcAttribute(ctx: RequestContext, params: QueryParams): Wire {
    const vpcId = requiredString(params, 'VpcId')
    const given = VPC_ATTRIBUTES.flatMap((attribute) => {
      const value = optionalBoolean(params, `${capitalize(attribute)}.Value`)
      return value === undefined ? [] : [[attribute, value] as const]
    })
    const [change] = given
    if (change === undefined || given.length > 1) {
      throw new InvalidParameterCombination('Fields for multiple attribute types specified: exactly one of enableDnsSupport, enableDnsHostnames or enableNetworkAddressUsageMetrics must be given.')
    }
    vpcIndex(this.model.network(ctx.region), vpcId)
    dryRun(params)
    this.model.update(ctx.region, (network, base) => {
      const vpc = network.vpcs[vpcIndex(base, vpcId)]
      if (vpc !== undefined) vpc[change[0]] = change[1]
    })
    return {return: true}
  }

  describeVpcAttribute(ctx: RequestContext, params: QueryParams): Wire {
    const vpcId = requiredString(params, 'VpcId')
    const attribute = requiredString(params, 'Attribute')
    if (!(VPC_ATTRIBUTES as readonly string[]).includes(attribute)) {
      throw new InvalidParameterValue(`Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`)
    }
    const network = this.model.network(ctx.region)
    const vpc = network.vpcs[vpcIndex(network, vpcId)] as VpcRecord
    return {vpcId, [attribute]: {value: vpc[attribute as VpcAttribute] ?? false}}
  }

  createSubnet(ctx: RequestContext, params: QueryParams): Wire {
    const vpcId = requiredString(params, 'VpcId')
    const cidrBlock = requiredString(params, 'CidrBlock')
    const zone = this.zoneParam(ctx.region, params)
    const tags = tagSpecifications(params, 'subnet')
    dryRun(params)
    const subnet = this.model.update(ctx.region, (network, base) =>
      createSubnet(network, base, this.model.ids, ctx.region, {vpcId, cidrBlock, tags, ...(zone === undefined ? {} : {availabilityZone: zone})}))
    return {subnet: {...subnetView(subnet, ctx.region, this.model.accountId), state: 'pending'}}
  }

  deleteSubnet(ctx: RequestContext, params: QueryParams): Wire {
    const subnetId = requiredString(params, 'SubnetId')
    subnetIndex(this.model.network(ctx.region), subnetId)
    dryRun(params)
    this.model.update(ctx.region, (network, base, region) => { deleteSubnet(network, base, region, subnetId) })
    return {return: true}
  }

  describeSubnets(ctx: RequestContext, params: QueryParams): Wire {
    const region = this.model.region(ctx.region)
    const used = addressesInUse(region)
    const page = describeSelection(region.network?.subnets ?? [], params, {
      operation: 'DescribeSubnets',
      idParam: 'SubnetId',
      idOf: (subnet) => subnet.subnetId,
      notFound: (id) => new InvalidSubnetIdNotFound(`The subnet ID '${id}' does not exist`),
      matchers: {
        'subnet-id': (subnet) => [subnet.subnetId],
        'subnet-arn': (subnet) => [`arn:aws:ec2:${ctx.region}:${this.model.accountId}:subnet/${subnet.subnetId}`],
        'vpc-id': (subnet) => [subnet.vpcId],
        'vpcId': (subnet) => [subnet.vpcId],
        'cidr-block': (subnet) => [subnet.cidrBlock],
        'cidr': (subnet) => [subnet.cidrBlock],
        'cidrBlock': (subnet) => [subnet.cidrBlock],
        'availability-zone': (subnet) => [subnet.availabilityZone],
        'availabilityZone': (subnet) => [subnet.availabilityZone],
        'availability-zone-id': (subnet) => [zoneIdOf(ctx.region, subnet.availabilityZone) ?? ''],
        'default-for-az': (subnet) => [String(subnet.defaultForAz)],
        'defaultForAz': (subnet) => [String(subnet.defaultForAz)],
        'map-public-ip-on-launch': (subnet) => [String(subnet.mapPublicIpOnLaunch)],
        'owner-id': () => [this.model.accountId],
        'state': () => ['available'],
        ...tagMatchers<SubnetRecord>((subnet) => subnet.tags),
      },
    })
    return pageView('subnetSet', page, (subnet) => subnetView(subnet, ctx.region, this.model.accountId, used.get(subnet.subnetId) ?? 0))
  }

  modifySubnetAttribute(ctx: RequestContext, params: QueryParams): Wire {
    const subnetId = requiredString(params, 'SubnetId')
    for (const [name, fixed] of Object.entries(FIXED_SUBNET_ATTRIBUTES)) {
      const value = params.get(name)
      if (value !== undefined && value.toLowerCase() !== fixed) {
        throw new InvalidParameterValue(`The engine models ${name.replace(/\.Value$/, '')} only at its default (${fixed}); '${value}' is not supported.`)
      }
    }
    const mapPublicIp = optionalBoolean(params, 'MapPublicIpOnLaunch.Value')
    subnetIndex(this.model.network(ctx.region), subnetId)
    dryRun(params)
    if (mapPublicIp !== undefined) {
      this.model.update(ctx.region, (network, base) => {
        const subnet = network.subnets[subnetIndex(base, subnetId)]
        if (subnet !== undefined) subnet.mapPublicIpOnLaunch = mapPublicIp
      })
    }
    return {return: true}
  }

  describeNetworkAcls(ctx: RequestContext, params: QueryParams): Wire {
    const page = describeSelection(this.model.network(ctx.region).networkAcls, params, {
      operation: 'DescribeNetworkAcls',
      idParam: 'NetworkAclId',
      idOf: (acl) => acl.networkAclId,
      notFound: (id) => new InvalidNetworkAclIdNotFound(`The networkAcl ID '${id}' does not exist`),
      matchers: {
        'network-acl-id': (acl) => [acl.networkAclId],
        'vpc-id': (acl) => [acl.vpcId],
        'default': (acl) => [String(acl.isDefault)],
        'association.association-id': (acl) => acl.associations.map((a) => a.networkAclAssociationId),
        'association.network-acl-id': (acl) => acl.associations.map(() => acl.networkAclId),
        'association.subnet-id': (acl) => acl.associations.map((a) => a.subnetId),
        'entry.rule-number': (acl) => acl.entries.map((e) => String(e.ruleNumber)),
        'entry.rule-action': (acl) => acl.entries.map((e) => e.ruleAction),
        'entry.protocol': (acl) => acl.entries.map((e) => e.protocol),
        'entry.egress': (acl) => acl.entries.map((e) => String(e.egress)),
        'entry.cidr': (acl) => acl.entries.map((e) => e.cidrBlock ?? ''),
        'owner-id': () => [this.model.accountId],
        ...tagMatchers<NetworkAclRecord>((acl) => acl.tags),
      },
    })
    return pageView('networkAclSet', page, (acl) => networkAclView(acl, this.model.accountId))
  }

  describeDhcpOptions(ctx: RequestContext, params: QueryParams): Wire {
    const options = defaultDhcpOptions(this.model.accountId, ctx.region)
    const page = describeSelection([options], params, {
      operation: 'DescribeDhcpOptions',
      idParam: 'DhcpOptionsId',
      idOf: (set) => set.dhcpOptionsId,
      notFound: (id) => new InvalidDhcpOptionIdNotFound(`The dhcpOption ID '${id}' does not exist`),
      matchers: {
        'dhcp-options-id': (set) => [set.dhcpOptionsId],
        'key': (set) => set.configurations.map((c) => c.key),
        'value': (set) => set.configurations.flatMap((c) => c.values),
        'owner-id': () => [this.model.accountId],
      },
    })
    return pageView('dhcpOptionsSet', page, (set) => dhcpOptionsView(set, this.model.accountId))
  }

  /** `AvailabilityZone` or `AvailabilityZoneId` (the zone it names). */
  private zoneParam(region: string, params: QueryParams): string | undefined {
    const zone = optionalString(params, 'AvailabilityZone')
    const zoneId = optionalString(params, 'AvailabilityZoneId')
    if (zoneId === undefined) return zone
    if (zone !== undefined) throw new InvalidParameterCombination('Only one of AvailabilityZone or AvailabilityZoneId may be specified.')
    const named = regionZones(region).find((candidate) => zoneIdOf(region, candidate) === zoneId)
    if (named === undefined) throw new InvalidParameterValue(`Value (${zoneId}) for parameter availabilityZoneId is invalid. The zone id does not exist in the region '${region}'.`)
    return named
  }
}

/** Addresses taken in each subnet: its instances that are not terminated, and one load-balancer node per load balancer in it. */
export function addressesInUse(region: RegionState): Map<string, number> {
  const used = new Map<string, number>()
  const add = (subnetId: string) => used.set(subnetId, (used.get(subnetId) ?? 0) + 1)
  for (const instance of region.instances) if (instance.state !== 'terminated' && instance.subnetId !== undefined) add(instance.subnetId)
  for (const lb of region.loadBalancers) lb.subnets.forEach(add)
  return used
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
