import {ElbService} from '../../../../src/engine/model/elb-service.js'
import type {NetworkState, SecurityGroupRecord, SubnetRecord} from '../../../../src/engine/model/network-types.js'
import {emptyState, Store} from '../../../../src/engine/model/store.js'
import type {InstanceRecord, RequestContext} from '../../../../src/engine/model/types.js'
import {FIXED_NOW, KnownCertificates, REGION, ScriptedHealth} from './fixture.js'

export const ACCOUNT = '123456789012'

function subnet(subnetId: string, vpcId: string, zone: string, cidrBlock: string, defaultForAz = false): SubnetRecord {
  return {subnetId, vpcId, cidrBlock, availabilityZone: zone, defaultForAz, mapPublicIpOnLaunch: defaultForAz, tags: []}
}

function group(groupId: string, vpcId: string, groupName: string): SecurityGroupRecord {
  return {groupId, groupName, description: groupName, vpcId, ingress: [], egress: [], tags: []}
}

/**
 * A VPC account's us-east-1 as the default-VPC code lays it out (a default subnet per zone, an
 * attached internet gateway, the `default` group), plus a custom VPC with no internet gateway.
 */
export function vpcNetwork(): NetworkState {
  const vpc = (vpcId: string, cidrBlock: string, isDefault: boolean) => ({
    vpcId, cidrBlock, cidrBlockAssociationId: `${vpcId}-cidr`, isDefault, instanceTenancy: 'default' as const,
    dhcpOptionsId: 'dopt-1', enableDnsSupport: true, enableDnsHostnames: isDefault, tags: [],
  })
  return {
    vpcs: [vpc('vpc-default', '172.31.0.0/16', true), vpc('vpc-custom', '10.0.0.0/16', false)],
    subnets: [
      subnet('subnet-da', 'vpc-default', 'us-east-1a', '172.31.0.0/20', true),
      subnet('subnet-db', 'vpc-default', 'us-east-1b', '172.31.16.0/20', true),
      subnet('subnet-dc', 'vpc-default', 'us-east-1c', '172.31.32.0/20', true),
      subnet('subnet-ca', 'vpc-custom', 'us-east-1a', '10.0.1.0/24'),
      subnet('subnet-cb', 'vpc-custom', 'us-east-1b', '10.0.2.0/24'),
      subnet('subnet-ca2', 'vpc-custom', 'us-east-1a', '10.0.3.0/24'),
    ],
    securityGroups: [
      group('sg-default', 'vpc-default', 'default'),
      group('sg-web', 'vpc-default', 'web-elb'),
      group('sg-custom', 'vpc-custom', 'default'),
      group('sg-custom-web', 'vpc-custom', 'custom-web'),
    ],
    internetGateways: [{internetGatewayId: 'igw-1', attachments: [{vpcId: 'vpc-default'}], tags: []}],
    routeTables: [],
    networkAcls: [],
  }
}

export interface VpcHarness {
  readonly store: Store
  readonly elb: ElbService
  readonly ctx: RequestContext
}

export function vpcHarness(network: NetworkState = vpcNetwork(), instances: InstanceRecord[] = []): VpcHarness {
  const store = Store.inMemory({
    ...emptyState(ACCOUNT),
    platform: 'vpc',
    regions: {[REGION]: {loadBalancers: [], instances, network}},
  })
  const elb = new ElbService(store, {health: new ScriptedHealth(), certificates: new KnownCertificates(), now: () => FIXED_NOW})
  return {store, elb, ctx: {region: REGION, requestId: 'req-vpc'}}
}

export function instanceIn(instanceId: string, where: {vpcId?: string; subnetId?: string; zone?: string}): InstanceRecord {
  return {
    instanceId,
    privateIp: '127.0.0.20',
    availabilityZone: where.zone ?? 'us-east-1a',
    state: 'running',
    launchTime: FIXED_NOW.toISOString(),
    serve: [],
    ...(where.vpcId === undefined ? {} : {vpcId: where.vpcId}),
    ...(where.subnetId === undefined ? {} : {subnetId: where.subnetId, subnetIp: '172.31.0.20', securityGroupIds: ['sg-default']}),
  }
}
