import {requiredSubject, valueOf, type ElbCommandSpec} from '../command.js'
import {LOAD_BALANCER_NAME} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-delete-lb-policy',
  summary: 'Delete a LoadBalancer policy.',
  positional: LOAD_BALANCER_NAME,
  options: [{name: 'policy-name', short: 'p', kind: 'value', required: true}],
  async run(args, call) {
    await (await call.elb()).deleteLoadBalancerPolicy({
      LoadBalancerName: requiredSubject(args),
      PolicyName: valueOf(args, 'policy-name') ?? '',
    })
    return {kind: 'message', text: 'OK-Deleting Policy'}
  },
}
