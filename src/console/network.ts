/**
 * The account's VPC network as the wizard offers it: VPCs, subnets and security groups, read
 * through the engine's EC2 Query API like any EC2 client. An EC2-Classic account has no VPCs.
 */
import {call} from './api.js'
import {items, text} from './xml.js'

export interface Vpc {
  readonly vpcId: string
  readonly cidrBlock: string
  readonly isDefault: boolean
}

export interface Subnet {
  readonly subnetId: string
  readonly vpcId: string
  readonly availabilityZone: string
  readonly cidrBlock: string
}

export interface SecurityGroup {
  readonly groupId: string
  readonly groupName: string
  readonly vpcId: string
  readonly description: string
}

export interface Network {
  readonly vpcs: readonly Vpc[]
  readonly subnets: readonly Subnet[]
  readonly securityGroups: readonly SecurityGroup[]
}

/** Every VPC, subnet and VPC security group of the region (none on EC2-Classic, where EC2 has no VPCs). */
export async function describeNetwork(): Promise<Network> {
  const [vpcs, subnets, groups] = await Promise.all([
    call('ec2', 'DescribeVpcs'), call('ec2', 'DescribeSubnets'), call('ec2', 'DescribeSecurityGroups'),
  ])
  return {
    vpcs: items(vpcs, 'vpcSet').map((vpc) => ({vpcId: text(vpc, 'vpcId'), cidrBlock: text(vpc, 'cidrBlock'), isDefault: text(vpc, 'isDefault') === 'true'})),
    subnets: items(subnets, 'subnetSet').map((subnet) => ({
      subnetId: text(subnet, 'subnetId'), vpcId: text(subnet, 'vpcId'), availabilityZone: text(subnet, 'availabilityZone'), cidrBlock: text(subnet, 'cidrBlock'),
    })),
    securityGroups: items(groups, 'securityGroupInfo').filter((group) => text(group, 'vpcId') !== '').map((group) => ({
      groupId: text(group, 'groupId'), groupName: text(group, 'groupName'), vpcId: text(group, 'vpcId'), description: text(group, 'groupDescription'),
    })),
  }
}
