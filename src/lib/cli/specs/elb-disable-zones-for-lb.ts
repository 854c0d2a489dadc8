import {requiredSubject, listOf, type ElbCommandSpec} from '../command.js'
import {toRecordSet} from '../format/records.js'
import {AVAILABILITY_ZONES} from '../format/schemas.js'
import {LOAD_BALANCER_NAME} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-disable-zones-for-lb',
  summary: 'Remove availability zones from an LoadBalancer',
  positional: LOAD_BALANCER_NAME,
  options: [{name: 'availability-zones', short: 'z', kind: 'list', required: true}],
  async run(args, call) {
    const result = await (await call.elb()).disableAvailabilityZonesForLoadBalancer({
      LoadBalancerName: requiredSubject(args),
      AvailabilityZones: listOf(args, 'availability-zones') ?? [],
    })
    const zones = result.AvailabilityZones ?? []
    return {kind: 'records', sets: [toRecordSet(AVAILABILITY_ZONES, zones.length > 0 ? [zones] : [])], empty: 'No Availability Zones found'}
  },
}
