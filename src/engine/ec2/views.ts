import {createHash} from 'node:crypto'
import type {InstanceRecord, InstanceState, LoadBalancerRecord, TagRecord} from '../model/types.js'

/**
 * The EC2 wire view (2016-11-15 element names, in AWS's order) of the engine's records. Lists are
 * arrays (serialized as `<item>`s); absent optional elements are left out.
 */

export type Wire = {readonly [name: string]: WireValue}
export type WireValue = string | number | boolean | Date | Wire | readonly WireValue[] | undefined

/** EC2's instance state codes (the low byte of `instanceState.code`). */
const STATE_CODES: Readonly<Record<InstanceState, number>> = {pending: 0, running: 16, terminated: 48, stopped: 80}

export function stateCode(state: InstanceState): number {
  return STATE_CODES[state]
}

export function stateView(state: InstanceState): Wire {
  return {code: STATE_CODES[state], name: state}
}

/** The default image and type reported for instances `elb-local run-instances` launched. */
export const DEFAULT_IMAGE_ID = 'ami-00000000'
export const DEFAULT_INSTANCE_TYPE = 'm1.small'

const dashed = (ip: string) => ip.replace(/\./g, '-')

/** EC2-Classic host names: `ip-10-1-2-3.ec2.internal` in us-east-1, `….REGION.compute.internal` elsewhere. */
export function privateDnsName(region: string, ip: string): string {
  return region === 'us-east-1' ? `ip-${dashed(ip)}.ec2.internal` : `ip-${dashed(ip)}.${region}.compute.internal`
}

export function publicDnsName(region: string, ip: string): string {
  return region === 'us-east-1' ? `ec2-${dashed(ip)}.compute-1.amazonaws.com` : `ec2-${dashed(ip)}.${region}.compute.amazonaws.com`
}

export function tagSet(tags: readonly TagRecord[] | undefined): Wire[] {
  return (tags ?? []).map((tag) => ({key: tag.key, value: tag.value ?? ''}))
}

/** A stable pseudo id for something the engine has one of per account (`sg-…`, `eni-…`). */
export function stableId(prefix: string, ...parts: string[]): string {
  return `${prefix}-${createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 17)}`
}

export interface SecurityGroup {
  readonly ownerId: string
  readonly groupId: string
  readonly groupName: string
  readonly groupDescription: string
}

/**
 * The groups an EC2-Classic account sees: its own `default` group, which every instance is in, and
 * Elastic Load Balancing's source group `amazon-elb/amazon-elb-sg` (DescribeLoadBalancers'
 * SourceSecurityGroup), which back ends let in.
 */
export function securityGroups(accountId: string): SecurityGroup[] {
  return [
    {ownerId: accountId, groupId: stableId('sg', accountId, 'default'), groupName: 'default', groupDescription: 'default group'},
    {ownerId: 'amazon-elb', groupId: stableId('sg', 'amazon-elb', 'amazon-elb-sg'), groupName: 'amazon-elb-sg', groupDescription: 'ELB created security group used when no security group is specified during ELB creation - modifications could impact traffic to future ELBs'},
  ]
}

/** What an instance in a VPC adds (ec2/network/instance-network.ts); absent for EC2-Classic instances. */
export interface InstanceVpcParts {
  readonly subnetId: string
  readonly vpcId: string
  readonly privateIp: string
  readonly publicIp?: string
  readonly groups: readonly Wire[]
  readonly networkInterface: Wire
}

/**
 * An instance in EC2's element order. EC2-Classic: its loopback address is its only one, private and
 * (while it runs) public. In a VPC (`vpc`): its subnet address is its private address; its loopback
 * address (what carries its traffic) is its public one while it runs in a subnet that maps them.
 */
export function instanceView(region: string, accountId: string, instance: InstanceRecord, launchIndex: number, vpc?: InstanceVpcParts): Wire {
  const running = instance.state === 'running' || instance.state === 'pending'
  const terminated = instance.state === 'terminated'
  const privateIp = vpc?.privateIp ?? instance.privateIp
  const publicIp = vpc === undefined ? (running ? instance.privateIp : undefined) : vpc.publicIp
  const classicGroup = securityGroups(accountId)[0]
  const groups = vpc?.groups ?? (classicGroup === undefined ? [] : [{groupId: classicGroup.groupId, groupName: classicGroup.groupName}])
  const tags = tagSet(instance.tags)
  return {
    instanceId: instance.instanceId,
    imageId: instance.imageId ?? DEFAULT_IMAGE_ID,
    instanceState: stateView(instance.state),
    privateDnsName: terminated ? '' : privateDnsName(region, privateIp),
    dnsName: publicIp === undefined ? '' : publicDnsName(region, publicIp),
    reason: '',
    amiLaunchIndex: launchIndex,
    productCodes: [],
    instanceType: instance.instanceType ?? DEFAULT_INSTANCE_TYPE,
    launchTime: new Date(instance.launchTime),
    placement: {availabilityZone: instance.availabilityZone, groupName: '', tenancy: 'default'},
    monitoring: {state: 'disabled'},
    ...(vpc === undefined || terminated ? {} : {subnetId: vpc.subnetId, vpcId: vpc.vpcId}),
    ...(terminated ? {} : {privateIpAddress: privateIp}),
    ...(publicIp === undefined ? {} : {ipAddress: publicIp}),
    ...(vpc === undefined ? {} : {sourceDestCheck: true}),
    groupSet: groups,
    architecture: 'x86_64',
    rootDeviceType: 'instance-store',
    blockDeviceMapping: [],
    virtualizationType: 'hvm',
    ...(tags.length > 0 ? {tagSet: tags} : {}),
    hypervisor: 'xen',
    networkInterfaceSet: vpc === undefined || terminated ? [] : [vpc.networkInterface],
    ebsOptimized: false,
    ...(vpc === undefined ? {} : {
      enaSupport: false,
      privateDnsNameOptions: {hostnameType: 'ip-name', enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false},
      metadataOptions: {state: 'applied', httpTokens: 'optional', httpPutResponseHopLimit: 1, httpEndpoint: 'enabled', httpProtocolIpv6: 'disabled', instanceMetadataTags: 'disabled'},
    }),
  }
}

/** The network interface a Classic load balancer holds in its first zone (what ELB waiters look for). */
export function loadBalancerInterfaceView(region: string, accountId: string, lb: LoadBalancerRecord): Wire {
  return {
    networkInterfaceId: loadBalancerInterfaceId(region, accountId, lb),
    availabilityZone: lb.availabilityZones[0] ?? `${region}a`,
    description: `ELB ${lb.name}`,
    groupSet: [],
    interfaceType: 'interface',
    macAddress: '02:00:00:00:00:00',
    ownerId: accountId,
    privateDnsName: privateDnsName(region, lb.localAddress),
    privateIpAddress: lb.localAddress,
    requesterId: 'amazon-elb',
    requesterManaged: true,
    sourceDestCheck: true,
    status: 'in-use',
    tagSet: [],
  }
}

export function loadBalancerInterfaceId(region: string, accountId: string, lb: LoadBalancerRecord): string {
  return stableId('eni', accountId, region, lb.name, lb.createdTime)
}
