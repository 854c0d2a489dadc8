import {requiredSubject, type ElbCommandSpec} from '../command.js'
import {LOAD_BALANCER_NAME} from './shared.js'

/** Extension: AddTags (tagging API, after 1.0.17.0). */
export const command: ElbCommandSpec = {
  name: 'elb-add-tags',
  summary: 'Adds tags to a LoadBalancer.',
  positional: LOAD_BALANCER_NAME,
  options: [{name: 'tag', short: 't', kind: 'map', required: true, mapKeys: {required: ['key'], optional: ['value']}}],
  async run(args, call) {
    await (await call.elb()).addTags({
      LoadBalancerNames: [requiredSubject(args)],
      Tags: (args.maps.get('tag') ?? []).map((map) => {
        const value = map['value']
        return {Key: map['key'] ?? '', ...(value === undefined ? {} : {Value: value})}
      }),
    })
    return {kind: 'message', text: 'OK-Adding Tags'}
  },
}
