import type {SecurityGroupRecord, SubnetRecord, VpcRecord} from '../../src/engine/model/network-types.js'
import {networkDraft, newResourceId} from '../../src/engine/model/network/security-groups.js'
import type {Draft, Store} from '../../src/engine/model/store.js'

/**
 * A VPC account's default network, written straight into a store for tests of security groups:
 * the default VPC (172.31.0.0/16), a default subnet per zone given and the `default` group (all
 * traffic in from itself, all out), as EC2 makes them. When the store already has a default VPC
 * (the engine made it), that one is returned.
 */

export interface DefaultNetwork {
  readonly vpc: VpcRecord
  readonly subnets: readonly SubnetRecord[]
  readonly defaultGroup: SecurityGroupRecord
}

export function ensureDefaultNetwork(store: Store, region: string, zones: readonly string[] = [`${region}a`, `${region}b`]): DefaultNetwork {
  const existing = store.region(region).network
  const vpc = existing?.vpcs.find((v) => v.isDefault)
  if (existing !== undefined && vpc !== undefined) {
    const defaultGroup = existing.securityGroups.find((g) => g.vpcId === vpc.vpcId && g.groupName === 'default')
    if (defaultGroup === undefined) throw new Error('the default VPC has no default security group')
    return {vpc, subnets: existing.subnets.filter((s) => s.vpcId === vpc.vpcId), defaultGroup}
  }
  const vpcId = newResourceId('vpc')
  const made: VpcRecord = {
    vpcId, cidrBlock: '172.31.0.0/16', cidrBlockAssociationId: newResourceId('vpc-cidr-assoc'), isDefault: true, instanceTenancy: 'default',
    dhcpOptionsId: newResourceId('dopt'), enableDnsSupport: true, enableDnsHostnames: true, tags: [],
  }
  const subnets: SubnetRecord[] = zones.map((zone, index) => ({
    subnetId: newResourceId('subnet'), vpcId, cidrBlock: `172.31.${index * 16}.0/20`, availabilityZone: zone, defaultForAz: true, mapPublicIpOnLaunch: true, tags: [],
  }))
  const groupId = newResourceId('sg')
  const defaultGroup: SecurityGroupRecord = {
    groupId, groupName: 'default', description: 'default VPC security group', vpcId,
    ingress: [{ruleId: newResourceId('sgr'), ipProtocol: '-1', fromPort: -1, toPort: -1, referencedGroupId: groupId}],
    egress: [{ruleId: newResourceId('sgr'), ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0'}],
    tags: [],
  }
  store.update((state) => {
    state.platform = 'vpc'
    const network = networkDraft(state, region)
    network.vpcs.push(made as Draft<VpcRecord>)
    network.subnets.push(...(subnets as Draft<SubnetRecord>[]))
    network.securityGroups.push(defaultGroup as Draft<SecurityGroupRecord>)
  })
  return {vpc: made, subnets, defaultGroup}
}
