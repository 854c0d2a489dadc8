import {requiredSubject, type ElbCommandSpec} from '../command.js'
import {attributeRecordSets} from './attributes.js'
import {LOAD_BALANCER_NAME, NO_VALUE_RETURNED} from './shared.js'

/** Extension: DescribeLoadBalancerAttributes (API addition after 1.0.17.0). */
export const command: ElbCommandSpec = {
  name: 'elb-describe-lb-attributes',
  summary: 'Describes the attributes of a LoadBalancer.',
  positional: LOAD_BALANCER_NAME,
  options: [],
  async run(args, call) {
    const result = await (await call.elb()).describeLoadBalancerAttributes({LoadBalancerName: requiredSubject(args)})
    return {kind: 'records', sets: attributeRecordSets(result.LoadBalancerAttributes), empty: NO_VALUE_RETURNED}
  },
}
