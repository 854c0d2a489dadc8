import {requiredSubject, type ElbCommandSpec} from '../command.js'
import {listenerFromMap} from './listeners.js'
import {LISTENER_OPTION_KEYS, LOAD_BALANCER_NAME} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-create-lb-listeners',
  summary: 'Create a new LoadBalancer listener',
  positional: LOAD_BALANCER_NAME,
  options: [{name: 'listener', short: 'l', kind: 'map', required: true, mapKeys: LISTENER_OPTION_KEYS}],
  async run(args, call) {
    await (await call.elb()).createLoadBalancerListeners({
      LoadBalancerName: requiredSubject(args),
      Listeners: (args.maps.get('listener') ?? []).map(listenerFromMap),
    })
    return {kind: 'message', text: 'OK-Creating LoadBalancer Listener'}
  },
}
