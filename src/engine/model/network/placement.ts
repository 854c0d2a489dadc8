import type {NetworkState, SubnetRecord} from '../network-types.js'
import type {RegionState} from '../types.js'
import {cidrContains, parseCidr, parseIpv4, stableAddressIn} from './addresses.js'
import {errorClass} from '../errors.js'
import {InvalidParameterValue, InvalidSubnetIdNotFound} from './errors.js'
import {defaultSubnet} from './subnets.js'

/**
 * Where an instance goes in a VPC and which private address it shows there: its subnet (the one
 * named, else the default subnet of its zone), its security groups (those named, else the VPC's
 * `default`), and an address inside the subnet — stable per instance id, never one the subnet's
 * other instances or load-balancer nodes have. Its traffic still flows over its loopback address.
 */

const InvalidGroupNotFound = errorClass('InvalidGroup.NotFound')
const InvalidIpAddressInUse = errorClass('InvalidIPAddress.InUse')
const VpcIdNotSpecified = errorClass('VPCIdNotSpecified')
const InsufficientFreeAddressesInSubnet = errorClass('InsufficientFreeAddressesInSubnet')

export interface SubnetPlacement {
  readonly vpcId: string
  readonly subnetId: string
  readonly availabilityZone: string
  readonly cidrBlock: string
  readonly securityGroupIds: readonly string[]
  /** An address inside the subnet the caller asked for (PrivateIpAddress). */
  readonly requestedIp?: string
}

export interface PlacementRequest {
  readonly subnetId?: string
  readonly availabilityZone?: string
  readonly securityGroupIds?: readonly string[]
  /** Security group names (`SecurityGroup.N`): groups of the subnet's VPC with those names. */
  readonly securityGroupNames?: readonly string[]
  readonly requestedIp?: string
}

/** The subnet and groups of a launch, or EC2's error for what does not exist. */
export function placeInstance(network: NetworkState, request: PlacementRequest): SubnetPlacement {
  let subnet: SubnetRecord | undefined
  if (request.subnetId !== undefined) {
    subnet = network.subnets.find((candidate) => candidate.subnetId === request.subnetId)
    if (subnet === undefined) throw new InvalidSubnetIdNotFound(`The subnet ID '${request.subnetId}' does not exist`)
  } else {
    subnet = defaultSubnet(network, request.availabilityZone)
    if (subnet === undefined) {
      throw new VpcIdNotSpecified(request.availabilityZone === undefined
        ? 'No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.'
        : `No default subnet for availability zone: '${request.availabilityZone}'.`)
    }
  }
  if (request.availabilityZone !== undefined && request.availabilityZone !== subnet.availabilityZone) {
    throw new InvalidParameterValue(`Value (${request.availabilityZone}) for parameter availabilityZone is invalid. Subnet '${subnet.subnetId}' is in ${subnet.availabilityZone}.`)
  }
  const groups = network.securityGroups.filter((group) => group.vpcId === subnet.vpcId)
  const ids = [...(request.securityGroupIds ?? [])]
  for (const id of ids) {
    if (!groups.some((group) => group.groupId === id)) throw new InvalidGroupNotFound(`The security group '${id}' does not exist in VPC '${subnet.vpcId}'`)
  }
  for (const name of request.securityGroupNames ?? []) {
    const group = groups.find((candidate) => candidate.groupName === name)
    if (group === undefined) throw new InvalidGroupNotFound(`The security group '${name}' does not exist in VPC '${subnet.vpcId}'`)
    ids.push(group.groupId)
  }
  const fallback = groups.find((group) => group.groupName === 'default')
  const securityGroupIds = ids.length > 0 ? [...new Set(ids)] : fallback === undefined ? [] : [fallback.groupId]
  if (request.requestedIp !== undefined) {
    const cidr = parseCidr(subnet.cidrBlock)
    const address = parseIpv4(request.requestedIp)
    if (cidr === undefined || address === undefined || !cidrContains(cidr, address)) {
      throw new InvalidParameterValue(`Address ${request.requestedIp} does not fall within the subnet's address range`)
    }
  }
  return {
    vpcId: subnet.vpcId, subnetId: subnet.subnetId, availabilityZone: subnet.availabilityZone, cidrBlock: subnet.cidrBlock, securityGroupIds,
    ...(request.requestedIp === undefined ? {} : {requestedIp: request.requestedIp}),
  }
}

/** The private address of a load balancer's node in a subnet (stable: the same name, the same subnet, the same address). */
export function loadBalancerNodeAddress(lbName: string, subnet: Pick<SubnetRecord, 'cidrBlock'>): string {
  const cidr = parseCidr(subnet.cidrBlock)
  return (cidr === undefined ? undefined : stableAddressIn(cidr, `elb:${lbName}`)) ?? ''
}

/** Addresses in `subnetId` that instances (not terminated) and load-balancer nodes hold. */
export function takenInSubnet(region: RegionState, subnet: Pick<SubnetRecord, 'subnetId' | 'cidrBlock'>): Set<string> {
  const taken = new Set<string>()
  for (const instance of region.instances) {
    if (instance.subnetId === subnet.subnetId && instance.subnetIp !== undefined && instance.state !== 'terminated') taken.add(instance.subnetIp)
  }
  for (const lb of region.loadBalancers) if (lb.subnets.includes(subnet.subnetId)) taken.add(loadBalancerNodeAddress(lb.name, subnet))
  return taken
}

/** The address an instance shows in its subnet: the one asked for (if free), else its stable one. Adds it to `taken`. */
export function allocateSubnetAddress(placement: SubnetPlacement, instanceId: string, taken: Set<string>): string {
  let address = placement.requestedIp
  if (address !== undefined && taken.has(address)) throw new InvalidIpAddressInUse(`Address ${address} is in use.`)
  const cidr = parseCidr(placement.cidrBlock)
  address ??= cidr === undefined ? undefined : stableAddressIn(cidr, instanceId, taken)
  if (address === undefined) {
    throw new InsufficientFreeAddressesInSubnet(`There are not enough free addresses in subnet '${placement.subnetId}' to satisfy the requested number of instances.`)
  }
  taken.add(address)
  return address
}
