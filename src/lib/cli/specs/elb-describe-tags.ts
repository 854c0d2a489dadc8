import type {ElbCommandSpec} from '../command.js'
import {toRecordSet} from '../format/records.js'
import {TAG, tagRows} from '../format/schemas.js'

/** Extension: DescribeTags (tagging API, after 1.0.17.0); names as for `elb-describe-lbs`. */
export const command: ElbCommandSpec = {
  name: 'elb-describe-tags',
  summary: 'Describes the tags of LoadBalancers.',
  positional: {kind: 'list', alias: 'lbs'},
  options: [],
  async run(args, call) {
    const result = await (await call.elb()).describeTags({LoadBalancerNames: [...args.names]})
    return {kind: 'records', sets: [toRecordSet(TAG, tagRows(result.TagDescriptions))], empty: 'No Tags found'}
  },
}
