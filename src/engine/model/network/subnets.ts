import type {Draft} from '../draft.js'
import type {NetworkState, SubnetRecord} from '../network-types.js'
import type {RegionState, TagRecord} from '../types.js'
import {cidrWithin, formatCidr, parseCidr} from './addresses.js'
import {
  DependencyViolation, InvalidParameterValue, InvalidSubnetConflict, InvalidSubnetIdMalformed, InvalidSubnetIdNotFound, InvalidSubnetRange,
  SubnetLimitExceeded,
} from './errors.js'
import {isResourceId, type IdSource} from './ids.js'
import {overlapsAny, requireVpc} from './vpcs.js'
import {isZoneOf, regionZones} from './zones.js'

/**
 * Subnets: a /16 to /28 block inside their VPC's, overlapping no other subnet of it, in one zone
 * of the Region. A new subnet joins its VPC's default network ACL and (implicitly) its main route
 * table. It cannot be deleted while an instance or a load balancer is in it.
 */

/** AWS's default quota: 200 subnets per VPC. */
export const MAX_SUBNETS_PER_VPC = 200

export interface NewSubnet {
  readonly vpcId: string
  readonly cidrBlock: string
  readonly availabilityZone?: string
  readonly tags?: readonly TagRecord[]
}

export function createSubnet(network: Draft<NetworkState>, base: NetworkState, ids: IdSource, regionName: string, input: NewSubnet): SubnetRecord {
  const vpc = requireVpc(base, input.vpcId)
  const cidr = parseCidr(input.cidrBlock, true)
  if (cidr === undefined) throw new InvalidParameterValue(`Value (${input.cidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`)
  const vpcBlock = parseCidr(vpc.cidrBlock)
  if (cidr.prefix > 28 || vpcBlock === undefined || !cidrWithin(cidr, vpcBlock)) throw new InvalidSubnetRange(`The CIDR '${input.cidrBlock}' is invalid.`)
  const siblings = base.subnets.filter((subnet) => subnet.vpcId === vpc.vpcId)
  if (overlapsAny(input.cidrBlock, siblings.map((subnet) => subnet.cidrBlock))) {
    throw new InvalidSubnetConflict(`The CIDR '${input.cidrBlock}' conflicts with another subnet`)
  }
  if (siblings.length >= MAX_SUBNETS_PER_VPC) throw new SubnetLimitExceeded('The maximum number of subnets has been reached.')
  const zones = regionZones(regionName)
  const zone = input.availabilityZone ?? zones[siblings.length % zones.length] ?? ''
  if (!isZoneOf(regionName, zone)) {
    throw new InvalidParameterValue(`Value (${zone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.join(', ')}.`)
  }
  const subnet: SubnetRecord = {
    subnetId: ids('subnet'),
    vpcId: vpc.vpcId,
    cidrBlock: formatCidr(cidr),
    availabilityZone: zone,
    defaultForAz: false,
    mapPublicIpOnLaunch: false,
    tags: input.tags ?? [],
  }
  network.subnets.push(structuredClone(subnet) as Draft<SubnetRecord>)
  const acl = base.networkAcls.findIndex((candidate) => candidate.vpcId === vpc.vpcId && candidate.isDefault)
  network.networkAcls[acl]?.associations.push({networkAclAssociationId: ids('aclassoc'), subnetId: subnet.subnetId})
  return subnet
}

export function subnetIndex(base: NetworkState, subnetId: string): number {
  if (!isResourceId('subnet', subnetId)) throw new InvalidSubnetIdMalformed(`Invalid id: "${subnetId}" (expecting "subnet-...")`)
  const index = base.subnets.findIndex((subnet) => subnet.subnetId === subnetId)
  if (index < 0) throw new InvalidSubnetIdNotFound(`The subnet ID '${subnetId}' does not exist`)
  return index
}

export function requireSubnet(base: NetworkState, subnetId: string): SubnetRecord {
  return base.subnets[subnetIndex(base, subnetId)] as SubnetRecord
}

/** Deletes a subnet and its route-table and ACL associations; DependencyViolation while anything runs in it. */
export function deleteSubnet(network: Draft<NetworkState>, base: NetworkState, region: RegionState, subnetId: string): void {
  subnetIndex(base, subnetId)
  const used = region.instances.some((instance) => instance.state !== 'terminated' && instance.subnetId === subnetId) ||
    region.loadBalancers.some((lb) => lb.subnets.includes(subnetId))
  if (used) throw new DependencyViolation(`The subnet '${subnetId}' has dependencies and cannot be deleted.`)
  network.subnets = base.subnets.filter((subnet) => subnet.subnetId !== subnetId) as Draft<SubnetRecord>[]
  base.routeTables.forEach((table, index) => {
    if (!table.associations.some((association) => association.subnetId === subnetId)) return
    const draft = network.routeTables[index]
    if (draft !== undefined) draft.associations = draft.associations.filter((association) => association.subnetId !== subnetId)
  })
  base.networkAcls.forEach((acl, index) => {
    if (!acl.associations.some((association) => association.subnetId === subnetId)) return
    const draft = network.networkAcls[index]
    if (draft !== undefined) draft.associations = draft.associations.filter((association) => association.subnetId !== subnetId)
  })
}

/** The default subnet of `zone` in the Region's default VPC (or of its first zone that has one). */
export function defaultSubnet(base: NetworkState, zone?: string): SubnetRecord | undefined {
  const defaults = base.subnets.filter((subnet) => subnet.defaultForAz)
  return zone === undefined ? defaults[0] : defaults.find((subnet) => subnet.availabilityZone === zone)
}
