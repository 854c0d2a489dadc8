import {listOf, requiredSubject, wireNumber, type ElbCommandSpec} from '../command.js'
import {FORCE, LOAD_BALANCER_NAME} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-delete-lb-listeners',
  summary: 'Deletes a listener on an existing LoadBalancer',
  positional: LOAD_BALANCER_NAME,
  options: [{name: 'lb-ports', short: 'l', kind: 'list', required: true}, FORCE],
  confirmation:
    '    \n' +
    '    Warning: Deleting a LoadBalancer listener can lead to service disruption to\n' +
    '    any customers connected to the LoadBalancer listener. Are you sure you want\n' +
    '    to delete this LoadBalancer listener? [Ny]',
  async run(args, call) {
    await (await call.elb()).deleteLoadBalancerListeners({
      LoadBalancerName: requiredSubject(args),
      LoadBalancerPorts: (listOf(args, 'lb-ports') ?? []).map(wireNumber),
    })
    return {kind: 'message', text: 'OK-Deleting LoadBalancer Listener'}
  },
}
