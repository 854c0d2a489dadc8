import {requiredSubject, type ElbCommandSpec} from '../command.js'
import {FORCE, LOAD_BALANCER_NAME} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-delete-lb',
  summary: 'Deletes an existing LoadBalancer',
  positional: LOAD_BALANCER_NAME,
  options: [FORCE],
  confirmation:
    '    \n' +
    '    Warning: Deleting a LoadBalancer can lead to service disruption to any\n' +
    '    customers connected to the LoadBalancer. Are you sure you want to delete\n' +
    '    this LoadBalancer? [Ny]',
  async run(args, call) {
    await (await call.elb()).deleteLoadBalancer({LoadBalancerName: requiredSubject(args)})
    return {kind: 'message', text: 'OK-Deleting LoadBalancer'}
  },
}
