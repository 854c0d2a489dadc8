import {numberOf, requiredSubject, valueOf, type ElbCommandSpec} from '../command.js'
import {toRecordSet} from '../format/records.js'
import {HEALTH_CHECK} from '../format/schemas.js'
import {LOAD_BALANCER_NAME, NO_VALUE_RETURNED} from './shared.js'

export const command: ElbCommandSpec = {
  name: 'elb-configure-healthcheck',
  summary: 'Configure the parameters for checking the health of instances registered with a LoadBalancer.',
  positional: LOAD_BALANCER_NAME,
  options: [
    {name: 'target', short: 't', kind: 'value', required: true},
    {name: 'interval', kind: 'value', required: true},
    {name: 'timeout', kind: 'value', required: true},
    {name: 'unhealthy-threshold', kind: 'value', required: true},
    {name: 'healthy-threshold', kind: 'value', required: true},
  ],
  async run(args, call) {
    const result = await (await call.elb()).configureHealthCheck({
      LoadBalancerName: requiredSubject(args),
      HealthCheck: {
        Target: valueOf(args, 'target') ?? '',
        Interval: numberOf(args, 'interval') ?? 0,
        Timeout: numberOf(args, 'timeout') ?? 0,
        UnhealthyThreshold: numberOf(args, 'unhealthy-threshold') ?? 0,
        HealthyThreshold: numberOf(args, 'healthy-threshold') ?? 0,
      },
    })
    const check = result.HealthCheck
    return {kind: 'records', sets: [toRecordSet(HEALTH_CHECK, check === undefined ? [] : [check])], empty: NO_VALUE_RETURNED}
  },
}
