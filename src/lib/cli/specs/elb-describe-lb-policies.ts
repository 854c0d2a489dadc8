import {listOf, type ElbCommandSpec} from '../command.js'
import {toRecordSet} from '../format/records.js'
import {POLICY} from '../format/schemas.js'

export const command: ElbCommandSpec = {
  name: 'elb-describe-lb-policies',
  summary: 'Describes the details of LoadBalancerPolicies',
  positional: {kind: 'single', alias: 'lb', required: false},
  options: [{name: 'policy-names', short: 'p', kind: 'list'}],
  async run(args, call) {
    const names = listOf(args, 'policy-names')
    const result = await (await call.elb()).describeLoadBalancerPolicies({
      ...(args.subject === undefined ? {} : {LoadBalancerName: args.subject}),
      ...(names === undefined ? {} : {PolicyNames: names}),
    })
    return {kind: 'records', sets: [toRecordSet(POLICY, result.PolicyDescriptions ?? [])], empty: 'No Policies found'}
  },
}
