import {listOf, numberOf, requiredSubject, type ElbCommandSpec} from '../command.js'
import {LOAD_BALANCER_NAME} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-set-lb-policies-of-listener',
  summary: 'Set LoadBalancer policies for a port.',
  positional: LOAD_BALANCER_NAME,
  options: [
    {name: 'lb-port', short: 'l', kind: 'value', required: true},
    // Given with no value it clears the policies; `--policy-name` is the seed tutorial's spelling.
    {name: 'policy-names', short: 'p', kind: 'list', required: true, optionalValue: true, aliases: ['policy-name']},
  ],
  async run(args, call) {
    await (await call.elb()).setLoadBalancerPoliciesOfListener({
      LoadBalancerName: requiredSubject(args),
      LoadBalancerPort: numberOf(args, 'lb-port') ?? 0,
      PolicyNames: listOf(args, 'policy-names') ?? [],
    })
    return {kind: 'message', text: 'OK-Setting Policies'}
  },
}
