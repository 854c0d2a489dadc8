import type {ElbCommandSpec} from '../command.js'
import {toRecordSet} from '../format/records.js'
import {POLICY_TYPE} from '../format/schemas.js'

export const command: ElbCommandSpec = {
  name: 'elb-describe-lb-policy-types',
  summary: 'Describes the definition of LoadBalancerPolicyTypes',
  positional: {kind: 'list', alias: 'policy-types'},
  options: [],
  async run(args, call) {
    const result = await (await call.elb()).describeLoadBalancerPolicyTypes(
      args.names.length === 0 ? {} : {PolicyTypeNames: [...args.names]},
    )
    return {kind: 'records', sets: [toRecordSet(POLICY_TYPE, result.PolicyTypeDescriptions ?? [])], empty: 'No PolicyTypes found'}
  },
}
