import type {Datapoint, Statistic} from '@aws-sdk/client-cloudwatch'
import {listOf, numberOf, requiredSubject, valueOf, type ElbCommandSpec} from '../command.js'
import {DATAPOINT} from '../format/cloudwatch.js'
import {toRecordSet} from '../format/records.js'
import {DIMENSIONS, dimensionsOf, NAMESPACE, timestampOf, UNIT} from './cloudwatch-shared.js'

const HOUR_MS = 3600_000

export const command: ElbCommandSpec = {
  name: 'mon-get-stats',
  summary: 'Get metric statistics.',
  service: 'cloudwatch',
  positional: {kind: 'single', alias: 'metric-name', required: true},
  options: [
    DIMENSIONS,
    {name: 'end-time', kind: 'value'},
    {...NAMESPACE, required: true},
    {name: 'period', kind: 'value', short: 'p'},
    {name: 'start-time', kind: 'value'},
    {name: 'statistics', kind: 'list', short: 's', required: true},
    UNIT,
  ],
  async run(args, call) {
    // The legacy defaults: the last hour up to now, one-minute periods.
    const end = timestampOf(args, 'end-time') ?? new Date()
    const start = timestampOf(args, 'start-time') ?? new Date(end.getTime() - HOUR_MS)
    const dimensions = dimensionsOf(args)
    const unit = valueOf(args, 'unit')
    const result = await (await call.cloudwatch()).getMetricStatistics({
      MetricName: requiredSubject(args),
      Namespace: valueOf(args, 'namespace'),
      ...(dimensions === undefined ? {} : {Dimensions: dimensions}),
      StartTime: start,
      EndTime: end,
      Period: numberOf(args, 'period') ?? 60,
      // Sent as typed: the service judges a statistic's name (its InvalidParameterValue).
      Statistics: listOf(args, 'statistics') as Statistic[],
      ...(unit === undefined ? {} : {Unit: unit as Datapoint['Unit']}),
    })
    // Oldest first, so `tail -1` is the latest minute (the service answers in no set order).
    const points = [...(result.Datapoints ?? [])].sort((a, b) => (a.Timestamp?.getTime() ?? 0) - (b.Timestamp?.getTime() ?? 0))
    return {kind: 'records', sets: [toRecordSet(DATAPOINT, points)]}
  },
}
