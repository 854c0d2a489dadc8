import type {SecurityGroupRecord, SubnetRecord, VpcRecord} from '../../src/engine/model/network-types.js'
import type {Store} from '../../src/engine/model/store.js'

/**
 * The default network a VPC account's Region has from the start (model/network/default-vpc.ts):
 * its default VPC (172.31.0.0/16), default subnets (one /20 per zone) and `default` group.
 */

export interface DefaultNetwork {
  readonly vpc: VpcRecord
  readonly subnets: readonly SubnetRecord[]
  readonly defaultGroup: SecurityGroupRecord
}

export function ensureDefaultNetwork(store: Store, region: string): DefaultNetwork {
  const network = store.region(region).network
  const vpc = network?.vpcs.find((v) => v.isDefault)
  const defaultGroup = network?.securityGroups.find((g) => g.vpcId === vpc?.vpcId && g.groupName === 'default')
  if (network === undefined || vpc === undefined || defaultGroup === undefined) throw new Error(`${region} has no default VPC (an EC2-Classic account?)`)
  return {vpc, subnets: network.subnets.filter((s) => s.vpcId === vpc.vpcId), defaultGroup}
}
