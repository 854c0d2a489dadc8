import type {ElbCommandSpec} from '../command.js'
import {ALARM} from '../format/cloudwatch.js'
import {toRecordSet} from '../format/records.js'
import {METRIC_OPTIONS, metricOf} from './cloudwatch-shared.js'

export const command: ElbCommandSpec = {
  name: 'mon-describe-alarms-for-metric',
  summary: 'Show alarms for a given metric.',
  service: 'cloudwatch',
  positional: {kind: 'none'},
  options: METRIC_OPTIONS,
  async run(args, call) {
    const result = await (await call.cloudwatch()).describeAlarmsForMetric(metricOf(args))
    return {kind: 'records', sets: [toRecordSet(ALARM, result.MetricAlarms ?? [])]}
  },
}
