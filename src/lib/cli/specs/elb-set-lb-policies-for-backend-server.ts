import {listOf, numberOf, requiredSubject, type ElbCommandSpec} from '../command.js'
import {LOAD_BALANCER_NAME} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-set-lb-policies-for-backend-server',
  summary: 'Set LoadBalancer policies for backend servers.',
  positional: LOAD_BALANCER_NAME,
  options: [
    {name: 'instance-port', short: 'i', kind: 'value', required: true},
    // Given with no value it clears the policies.
    {name: 'policy-names', short: 'p', kind: 'list', required: true, optionalValue: true},
  ],
  async run(args, call) {
    await (await call.elb()).setLoadBalancerPoliciesForBackendServer({
      LoadBalancerName: requiredSubject(args),
      InstancePort: numberOf(args, 'instance-port') ?? 0,
      PolicyNames: listOf(args, 'policy-names') ?? [],
    })
    return {kind: 'message', text: 'OK-Setting Policies'}
  },
}
