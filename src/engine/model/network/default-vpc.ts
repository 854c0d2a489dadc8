import type {NetworkState, Platform, SubnetRecord} from '../network-types.js'
import type {EngineState, RegionState} from '../types.js'
import {defaultDhcpOptions} from './dhcp-options.js'
import {stableIds} from './ids.js'
import {newVpcBundle} from './vpcs.js'
import {regionZones} from './zones.js'

/**
 * The default VPC every account has in every Region since 2013-12 (AWS: "Default VPC and default
 * subnets"): 172.31.0.0/16 with DNS support and host names, a default /20 subnet per zone
 * (172.31.0.0/20, 172.31.16.0/20, …) that gives instances public addresses, an internet gateway
 * attached, the main route table sending 0.0.0.0/0 there, the default network ACL and the
 * `default` security group. Its ids follow from the account and the Region, so a Region shows the
 * same default VPC when read before its first write (virtually, see `withDefaultNetwork`) as after
 * (stored, see Store.updateRegion).
 */

export const DEFAULT_VPC_CIDR = '172.31.0.0/16'

/** What a state without `platform` is: written before VPC support, so a 2011 EC2-Classic account. */
export function platformOf(state: EngineState): Platform {
  return state.platform ?? 'ec2-classic'
}

const built = new Map<string, NetworkState>()

/** The Region's default network (one frozen object per account and Region). */
export function defaultNetwork(accountId: string, region: string): NetworkState {
  const key = `${accountId}/${region}`
  let network = built.get(key)
  if (network === undefined) {
    network = deepFreeze(buildDefaultNetwork(accountId, region))
    built.set(key, network)
  }
  return network
}

function buildDefaultNetwork(accountId: string, region: string): NetworkState {
  const ids = stableIds(accountId, region, 'default-vpc')
  const bundle = newVpcBundle(ids, {
    cidrBlock: DEFAULT_VPC_CIDR, isDefault: true, instanceTenancy: 'default', dhcpOptionsId: defaultDhcpOptions(accountId, region).dhcpOptionsId,
  })
  const vpcId = bundle.vpc.vpcId
  const subnets: SubnetRecord[] = regionZones(region).map((zone, index) => ({
    subnetId: ids('subnet'),
    vpcId,
    cidrBlock: `172.31.${index * 16}.0/20`,
    availabilityZone: zone,
    defaultForAz: true,
    mapPublicIpOnLaunch: true,
    tags: [],
  }))
  const internetGatewayId = ids('igw')
  return {
    vpcs: [bundle.vpc],
    subnets,
    securityGroups: [bundle.defaultSecurityGroup],
    internetGateways: [{internetGatewayId, attachments: [{vpcId}], tags: []}],
    routeTables: [{
      ...bundle.mainRouteTable,
      routes: [...bundle.mainRouteTable.routes, {destinationCidrBlock: '0.0.0.0/0', gatewayId: internetGatewayId, origin: 'CreateRoute'}],
    }],
    networkAcls: [{
      ...bundle.defaultNetworkAcl,
      associations: subnets.map((subnet) => ({networkAclAssociationId: ids('aclassoc'), subnetId: subnet.subnetId})),
    }],
  }
}

const seededRegions = new WeakMap<RegionState, RegionState>()
const seededEmpty = new Map<string, RegionState>()

/**
 * `region` as a VPC account reads it: with its default network when none is stored yet (a Region
 * never written). The same object for the same stored region, so readers may compare references.
 */
export function withDefaultNetwork(accountId: string, regionName: string, region: RegionState | undefined): RegionState {
  if (region?.network !== undefined) return region
  if (region === undefined) {
    const key = `${accountId}/${regionName}`
    let seeded = seededEmpty.get(key)
    if (seeded === undefined) {
      seeded = Object.freeze({loadBalancers: [], instances: [], network: defaultNetwork(accountId, regionName)})
      seededEmpty.set(key, seeded)
    }
    return seeded
  }
  let seeded = seededRegions.get(region)
  if (seeded === undefined) {
    seeded = Object.freeze({...region, network: defaultNetwork(accountId, regionName)})
    seededRegions.set(region, seeded)
  }
  return seeded
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}
