import {valueOf, type ElbCommandSpec} from '../command.js'
import {toRecordSet} from '../format/records.js'
import {LOAD_BALANCER} from '../format/schemas.js'

export const command: ElbCommandSpec = {
  name: 'elb-describe-lbs',
  summary: 'Describes the state and properties of LoadBalancers',
  positional: {kind: 'list', alias: 'lbs'},
  options: [{name: 'marker', kind: 'value'}],
  async run(args, call) {
    const marker = valueOf(args, 'marker')
    const result = await (await call.elb()).describeLoadBalancers({
      ...(args.names.length === 0 ? {} : {LoadBalancerNames: [...args.names]}),
      ...(marker === undefined ? {} : {Marker: marker}),
    })
    // 1.0.17.0 prints nothing at all when there is no load balancer (no "No LoadBalancers found").
    return {
      kind: 'records',
      sets: [toRecordSet(LOAD_BALANCER, result.LoadBalancerDescriptions ?? [])],
      ...(result.NextMarker === undefined ? {} : {marker: result.NextMarker}),
    }
  },
}
