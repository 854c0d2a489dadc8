import {requiredSubject, listOf, type ElbCommandSpec} from '../command.js'
import {toRecordSet} from '../format/records.js'
import {AVAILABILITY_ZONES} from '../format/schemas.js'
import {LOAD_BALANCER_NAME} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-enable-zones-for-lb',
  summary: 'Add availability zones to existing LoadBalancer',
  positional: LOAD_BALANCER_NAME,
  options: [{name: 'availability-zones', short: 'z', kind: 'list', required: true}],
  async run(args, call) {
    const result = await (await call.elb()).enableAvailabilityZonesForLoadBalancer({
      LoadBalancerName: requiredSubject(args),
      AvailabilityZones: listOf(args, 'availability-zones') ?? [],
    })
    const zones = result.AvailabilityZones ?? []
    // Lower case, unlike elb-disable-zones-for-lb: real 1.0.17.0 text.
    return {kind: 'records', sets: [toRecordSet(AVAILABILITY_ZONES, zones.length > 0 ? [zones] : [])], empty: 'No availability zones found'}
  },
}
