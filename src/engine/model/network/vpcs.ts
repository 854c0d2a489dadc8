import type {Draft} from '../draft.js'
import type {RegionState, TagRecord} from '../types.js'
import type {NetworkAclRecord, NetworkState, RouteTableRecord, SecurityGroupRecord, VpcRecord} from '../network-types.js'
import {cidrsOverlap, formatCidr, parseCidr} from './addresses.js'
import {DependencyViolation, InvalidParameterValue, InvalidVpcIdMalformed, InvalidVpcIdNotFound, InvalidVpcRange, VpcLimitExceeded} from './errors.js'
import {isResourceId, type IdSource} from './ids.js'

/**
 * VPCs: a CIDR block of /16 to /28, and what AWS makes with each — a main route table with the
 * `local` route, a default network ACL (allow all, then deny, both ways) and a `default` security
 * group (all from itself in, all out). Deleting one takes those along and needs everything else gone.
 */

/** AWS's default quota: five VPCs per Region. */
export const MAX_VPCS = 5

export interface NewVpc {
  readonly cidrBlock: string
  readonly isDefault: boolean
  readonly instanceTenancy: VpcRecord['instanceTenancy']
  readonly dhcpOptionsId: string
  readonly tags?: readonly TagRecord[]
}

export interface VpcBundle {
  readonly vpc: VpcRecord
  readonly mainRouteTable: RouteTableRecord
  readonly defaultNetworkAcl: NetworkAclRecord
  readonly defaultSecurityGroup: SecurityGroupRecord
}

/** A VPC's block: well formed, /16 to /28, no host bits (AWS: InvalidVpc.Range "The CIDR '…' is invalid."). */
export function vpcCidr(text: string): string {
  const cidr = parseCidr(text)
  if (cidr === undefined) throw new InvalidParameterValue(`Value (${text}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`)
  if (cidr.prefix < 16 || cidr.prefix > 28) throw new InvalidVpcRange(`The CIDR '${text}' is invalid.`)
  return formatCidr(cidr)
}

export function newVpcBundle(ids: IdSource, input: NewVpc): VpcBundle {
  const vpcId = ids('vpc')
  const groupId = ids('sg')
  const vpc: VpcRecord = {
    vpcId,
    cidrBlock: input.cidrBlock,
    cidrBlockAssociationId: ids('vpc-cidr-assoc'),
    isDefault: input.isDefault,
    instanceTenancy: input.instanceTenancy,
    dhcpOptionsId: input.dhcpOptionsId,
    // AWS: DNS resolution is on for every VPC, DNS host names only for the default VPC.
    enableDnsSupport: true,
    enableDnsHostnames: input.isDefault,
    tags: input.tags ?? [],
  }
  return {
    vpc,
    mainRouteTable: {
      routeTableId: ids('rtb'),
      vpcId,
      routes: [{destinationCidrBlock: input.cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable'}],
      associations: [{associationId: ids('rtbassoc'), main: true}],
      tags: [],
    },
    defaultNetworkAcl: {
      networkAclId: ids('acl'),
      vpcId,
      isDefault: true,
      entries: [true, false].flatMap((egress) => [
        {ruleNumber: 100, protocol: '-1', ruleAction: 'allow' as const, egress, cidrBlock: '0.0.0.0/0'},
        {ruleNumber: 32767, protocol: '-1', ruleAction: 'deny' as const, egress, cidrBlock: '0.0.0.0/0'},
      ]),
      associations: [],
      tags: [],
    },
    defaultSecurityGroup: {
      groupId,
      groupName: 'default',
      description: 'default VPC security group',
      vpcId,
      ingress: [{ruleId: ids('sgr'), ipProtocol: '-1', fromPort: -1, toPort: -1, referencedGroupId: groupId}],
      egress: [{ruleId: ids('sgr'), ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0'}],
      tags: [],
    },
  }
}

export function addVpcBundle(network: Draft<NetworkState>, bundle: VpcBundle): void {
  network.vpcs.push(structuredClone(bundle.vpc) as Draft<VpcRecord>)
  network.routeTables.push(structuredClone(bundle.mainRouteTable) as Draft<RouteTableRecord>)
  network.networkAcls.push(structuredClone(bundle.defaultNetworkAcl) as Draft<NetworkAclRecord>)
  network.securityGroups.push(structuredClone(bundle.defaultSecurityGroup) as Draft<SecurityGroupRecord>)
}

export function createVpc(network: Draft<NetworkState>, base: NetworkState, ids: IdSource, input: NewVpc): VpcRecord {
  if (base.vpcs.length >= MAX_VPCS) throw new VpcLimitExceeded('The maximum number of VPCs has been reached.')
  const bundle = newVpcBundle(ids, input)
  addVpcBundle(network, bundle)
  return bundle.vpc
}

/** The VPC's position in `base.vpcs`, or AWS's Malformed / NotFound. */
export function vpcIndex(base: NetworkState, vpcId: string): number {
  if (!isResourceId('vpc', vpcId)) throw new InvalidVpcIdMalformed(`Invalid id: "${vpcId}" (expecting "vpc-...")`)
  const index = base.vpcs.findIndex((vpc) => vpc.vpcId === vpcId)
  if (index < 0) throw new InvalidVpcIdNotFound(`The vpc ID '${vpcId}' does not exist`)
  return index
}

export function requireVpc(base: NetworkState, vpcId: string): VpcRecord {
  return base.vpcs[vpcIndex(base, vpcId)] as VpcRecord
}

/**
 * Deletes a VPC with its main route table, default ACL and default group; refuses (DependencyViolation)
 * while subnets, an attached internet gateway, other route tables or groups, or instances remain.
 */
export function deleteVpc(network: Draft<NetworkState>, base: NetworkState, region: RegionState, vpcId: string): void {
  vpcIndex(base, vpcId)
  const inVpc = (record: {readonly vpcId?: string}) => record.vpcId === vpcId
  const dependent = base.subnets.some(inVpc) ||
    base.internetGateways.some((igw) => igw.attachments.some(inVpc)) ||
    base.routeTables.some((table) => inVpc(table) && !table.associations.some((a) => a.main)) ||
    base.securityGroups.some((group) => inVpc(group) && group.groupName !== 'default') ||
    base.networkAcls.some((acl) => inVpc(acl) && !acl.isDefault) ||
    region.instances.some((instance) => instance.state !== 'terminated' && instance.vpcId === vpcId) ||
    region.loadBalancers.some((lb) => lb.vpcId === vpcId)
  if (dependent) throw new DependencyViolation(`The vpc '${vpcId}' has dependencies and cannot be deleted.`)
  const keep = <T extends {readonly vpcId?: string}>(records: readonly T[]) => records.filter((record) => !inVpc(record))
  network.vpcs = keep(base.vpcs) as Draft<VpcRecord>[]
  network.routeTables = keep(base.routeTables) as Draft<RouteTableRecord>[]
  network.networkAcls = keep(base.networkAcls) as Draft<NetworkAclRecord>[]
  network.securityGroups = keep(base.securityGroups) as Draft<SecurityGroupRecord>[]
}

/** Whether `cidr` overlaps any of `blocks` (a subnet against its VPC's other subnets). */
export function overlapsAny(cidr: string, blocks: readonly string[]): boolean {
  const wanted = parseCidr(cidr)
  return wanted !== undefined && blocks.some((block) => {
    const other = parseCidr(block)
    return other !== undefined && cidrsOverlap(wanted, other)
  })
}
