import {createHash} from 'node:crypto'
import type {NetworkState, SubnetRecord} from '../../model/network-types.js'
import type {InstanceRecord} from '../../model/types.js'
import {privateDnsName, publicDnsName, stableId, type InstanceVpcParts, type Wire} from '../views.js'

/**
 * An instance in a VPC as EC2 shows it (views.ts's InstanceVpcParts): its subnet and VPC, its
 * address in the subnet (what security groups see; its traffic flows over its loopback address,
 * shown as its public address when its subnet maps public addresses), its groups and its primary
 * network interface.
 */

export function instanceInterfaceId(region: string, accountId: string, instanceId: string): string {
  return stableId('eni', accountId, region, instanceId)
}

/** A locally administered unicast MAC, stable per interface id. */
export function macAddress(interfaceId: string): string {
  const bytes = createHash('sha256').update(interfaceId).digest().subarray(0, 5)
  return ['02', ...[...bytes].map((byte) => byte.toString(16).padStart(2, '0'))].join(':')
}

export function groupRefs(network: NetworkState | undefined, ids: readonly string[]): Wire[] {
  return ids.map((groupId) => ({groupId, groupName: network?.securityGroups.find((group) => group.groupId === groupId)?.groupName ?? ''}))
}

export function instanceNetwork(region: string, accountId: string, instance: InstanceRecord, network: NetworkState | undefined): InstanceVpcParts | undefined {
  if (instance.subnetId === undefined || instance.vpcId === undefined || instance.subnetIp === undefined) return undefined
  const subnet: SubnetRecord | undefined = network?.subnets.find((candidate) => candidate.subnetId === instance.subnetId)
  const running = instance.state === 'running' || instance.state === 'pending'
  const publicIp = running && subnet?.mapPublicIpOnLaunch !== false ? instance.privateIp : undefined
  const groups = groupRefs(network, instance.securityGroupIds ?? [])
  const interfaceId = instanceInterfaceId(region, accountId, instance.instanceId)
  const dnsName = privateDnsName(region, instance.subnetIp)
  const association = publicIp === undefined ? {} : {association: {publicIp, publicDnsName: publicDnsName(region, publicIp), ipOwnerId: 'amazon'}}
  return {
    subnetId: instance.subnetId,
    vpcId: instance.vpcId,
    privateIp: instance.subnetIp,
    ...(publicIp === undefined ? {} : {publicIp}),
    groups,
    networkInterface: {
      networkInterfaceId: interfaceId,
      subnetId: instance.subnetId,
      vpcId: instance.vpcId,
      description: '',
      ownerId: accountId,
      status: instance.state === 'terminated' ? 'available' : 'in-use',
      macAddress: macAddress(interfaceId),
      privateIpAddress: instance.subnetIp,
      privateDnsName: dnsName,
      sourceDestCheck: true,
      groupSet: groups,
      attachment: {
        attachmentId: stableId('eni-attach', interfaceId),
        deviceIndex: 0,
        status: 'attached',
        attachTime: new Date(instance.launchTime),
        deleteOnTermination: true,
        networkCardIndex: 0,
      },
      ...association,
      privateIpAddressesSet: [{privateIpAddress: instance.subnetIp, privateDnsName: dnsName, primary: true, ...association}],
      ipv6AddressesSet: [],
      interfaceType: 'interface',
    },
  }
}
