/**
 * The security group ELB provides for load balancers created in the default VPC without
 * SecurityGroups (AWS, "Configure security groups for your Classic Load Balancer"): one per account
 * and default VPC, named `default_elb_<id>`, made with rules that admit all traffic on the ports of
 * the load balancer that first needed it; later load balancers reuse it as it is.
 */
import {randomUUID} from 'node:crypto'
import type {NetworkState, SecurityGroupRecord} from '../network-types.js'
import {randomIds} from '../network/ids.js'
import {baseOf, type Draft} from '../store.js'

export const DEFAULT_ELB_GROUP_PREFIX = 'default_elb_'

/** The description AWS gives the group. */
export const DEFAULT_ELB_GROUP_DESCRIPTION =
  'ELB created security group used when no security group is specified during ELB creation - modifications could impact traffic to future ELBs'

/** The id of `vpcId`'s `default_elb_` group, made now (admitting `listenerPorts` from anywhere) if there is none. */
export function defaultElbGroup(network: Draft<NetworkState>, vpcId: string, listenerPorts: readonly number[]): string {
  const existing = baseOf(network.securityGroups).find((group) => group.vpcId === vpcId && group.groupName.startsWith(DEFAULT_ELB_GROUP_PREFIX))
  if (existing !== undefined) return existing.groupId
  const group: SecurityGroupRecord = {
    groupId: randomIds('sg'),
    groupName: `${DEFAULT_ELB_GROUP_PREFIX}${randomUUID()}`,
    description: DEFAULT_ELB_GROUP_DESCRIPTION,
    vpcId,
    ingress: [...new Set(listenerPorts)].map((port) => ({
      ruleId: randomIds('sgr'), ipProtocol: 'tcp', fromPort: port, toPort: port, cidrIpv4: '0.0.0.0/0',
    })),
    egress: [{ruleId: randomIds('sgr'), ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0'}],
    tags: [],
  }
  network.securityGroups.push(structuredClone(group) as Draft<SecurityGroupRecord>)
  return group.groupId
}
