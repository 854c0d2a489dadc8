import {requiredSubject, listOf, type ElbCommandSpec} from '../command.js'
import {toRecordSet} from '../format/records.js'
import {SUBNETS} from '../format/schemas.js'
import {LOAD_BALANCER_NAME} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-detach-lb-from-subnets',
  summary: 'Detach existing LoadBalancer from Subnets in VPC.',
  positional: LOAD_BALANCER_NAME,
  options: [{name: 'subnets', short: 's', kind: 'list', required: true}],
  async run(args, call) {
    const result = await (await call.elb()).detachLoadBalancerFromSubnets({
      LoadBalancerName: requiredSubject(args),
      Subnets: listOf(args, 'subnets') ?? [],
    })
    const subnets = result.Subnets ?? []
    return {kind: 'records', sets: [toRecordSet(SUBNETS, subnets.length > 0 ? [subnets] : [])], empty: 'No Subnets found'}
  },
}
