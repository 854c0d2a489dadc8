import {requiredSubject, type ElbCommandSpec} from '../command.js'
import {ATTRIBUTE_OPTION_KEYS, attributeRecordSets, attributesFromMaps} from './attributes.js'
import {LOAD_BALANCER_NAME, NO_VALUE_RETURNED} from './shared.js'

/** Extension: ModifyLoadBalancerAttributes (API addition after 1.0.17.0), map options as `--listener`. */
export const command: ElbCommandSpec = {
  name: 'elb-modify-lb-attributes',
  summary: 'Modifies the attributes of a LoadBalancer.',
  positional: LOAD_BALANCER_NAME,
  options: [
    {name: 'access-log', kind: 'map', mapKeys: ATTRIBUTE_OPTION_KEYS['access-log']},
    {name: 'connection-draining', kind: 'map', mapKeys: ATTRIBUTE_OPTION_KEYS['connection-draining']},
    {name: 'connection-settings', kind: 'map', mapKeys: ATTRIBUTE_OPTION_KEYS['connection-settings']},
    {name: 'cross-zone-load-balancing', kind: 'map', mapKeys: ATTRIBUTE_OPTION_KEYS['cross-zone-load-balancing']},
  ],
  async run(args, call) {
    const result = await (await call.elb()).modifyLoadBalancerAttributes({
      LoadBalancerName: requiredSubject(args),
      LoadBalancerAttributes: attributesFromMaps(args.maps),
    })
    return {kind: 'records', sets: attributeRecordSets(result.LoadBalancerAttributes), empty: NO_VALUE_RETURNED}
  },
}
