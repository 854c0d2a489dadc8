import {requiredSubject, type ElbCommandSpec} from '../command.js'
import {LOAD_BALANCER_NAME} from './shared.js'

/** Extension: RemoveTags (tagging API, after 1.0.17.0). */
export const command: ElbCommandSpec = {
  name: 'elb-remove-tags',
  summary: 'Removes tags from a LoadBalancer.',
  positional: LOAD_BALANCER_NAME,
  options: [{name: 'tag', short: 't', kind: 'map', required: true, mapKeys: {required: ['key'], optional: []}}],
  async run(args, call) {
    await (await call.elb()).removeTags({
      LoadBalancerNames: [requiredSubject(args)],
      Tags: (args.maps.get('tag') ?? []).map((map) => ({Key: map['key'] ?? ''})),
    })
    return {kind: 'message', text: 'OK-Removing Tags'}
  },
}
