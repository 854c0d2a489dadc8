import {requiredSubject, listOf, type ElbCommandSpec} from '../command.js'
import {toRecordSet} from '../format/records.js'
import {SECURITY_GROUPS} from '../format/schemas.js'
import {LOAD_BALANCER_NAME} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-apply-security-groups-to-lb',
  summary: 'Apply VPC security groups to LoadBalancer.',
  positional: LOAD_BALANCER_NAME,
  options: [{name: 'security-groups', short: 'g', kind: 'list', required: true}],
  async run(args, call) {
    const result = await (await call.elb()).applySecurityGroupsToLoadBalancer({
      LoadBalancerName: requiredSubject(args),
      SecurityGroups: listOf(args, 'security-groups') ?? [],
    })
    const groups = result.SecurityGroups ?? []
    return {kind: 'records', sets: [toRecordSet(SECURITY_GROUPS, groups.length > 0 ? [groups] : [])], empty: 'No Security Groups found'}
  },
}
