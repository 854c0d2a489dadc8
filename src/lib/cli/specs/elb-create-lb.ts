import {listOf, requiredSubject, valueOf, type ElbCommandSpec} from '../command.js'
import {toRecordSet} from '../format/records.js'
import {DNS_NAME} from '../format/schemas.js'
import {listenerFromMap} from './listeners.js'
import {LISTENER_OPTION_KEYS, LOAD_BALANCER_NAME, NO_VALUE_RETURNED} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-create-lb',
  summary: 'Create a new LoadBalancer',
  positional: LOAD_BALANCER_NAME,
  options: [
    {name: 'security-groups', short: 'g', kind: 'list'},
    {name: 'scheme', short: 'i', kind: 'value'},
    {name: 'listener', short: 'l', kind: 'map', required: true, mapKeys: LISTENER_OPTION_KEYS},
    {name: 'subnets', short: 's', kind: 'list'},
    {name: 'availability-zones', short: 'z', kind: 'list'},
  ],
  async run(args, call) {
    const zones = listOf(args, 'availability-zones')
    const subnets = listOf(args, 'subnets')
    const groups = listOf(args, 'security-groups')
    const scheme = valueOf(args, 'scheme')
    const result = await (await call.elb()).createLoadBalancer({
      LoadBalancerName: requiredSubject(args),
      Listeners: (args.maps.get('listener') ?? []).map(listenerFromMap),
      ...(zones === undefined ? {} : {AvailabilityZones: zones}),
      ...(subnets === undefined ? {} : {Subnets: subnets}),
      ...(groups === undefined ? {} : {SecurityGroups: groups}),
      ...(scheme === undefined ? {} : {Scheme: scheme}),
    })
    const dns = result.DNSName
    return {kind: 'records', sets: [toRecordSet(DNS_NAME, dns === undefined ? [] : [dns])], empty: NO_VALUE_RETURNED}
  },
}
