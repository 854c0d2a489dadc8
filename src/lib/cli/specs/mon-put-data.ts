import type {StatisticSet, StandardUnit} from '@aws-sdk/client-cloudwatch'
import {valueOf, wireNumber, type ElbCommandSpec} from '../command.js'
import {MalformedInputError} from '../errors.js'
import type {ParsedCommandLine} from '../spec.js'
import {DIMENSIONS, dimensionsOf, NAMESPACE, timestampOf} from './cloudwatch-shared.js'

const STATISTIC_KEYS = ['SampleCount', 'Sum', 'Maximum', 'Minimum'] as const

/** `--statisticValues "SampleCount=5,Sum=250,Maximum=70,Minimum=30"`: all four, as the help text says. */
function statisticValuesOf(args: ParsedCommandLine): StatisticSet | undefined {
  const maps = args.maps.get('statisticValues')
  if (maps === undefined) return undefined
  const merged: Record<string, string> = {}
  for (const map of maps) Object.assign(merged, map)
  const missing = STATISTIC_KEYS.filter((key) => merged[key] === undefined)
  if (missing.length > 0) {
    throw new MalformedInputError(`--statisticValues needs SampleCount, Sum, Maximum and Minimum; missing: ${missing.join(', ')}`)
  }
  return Object.fromEntries(STATISTIC_KEYS.map((key) => [key, wireNumber(merged[key] ?? '')])) as unknown as StatisticSet
}

export const command: ElbCommandSpec = {
  name: 'mon-put-data',
  summary: 'Put metric data.',
  service: 'cloudwatch',
  positional: {kind: 'none'},
  options: [
    DIMENSIONS,
    {name: 'metric-name', kind: 'value', short: 'm', required: true},
    {...NAMESPACE, required: true},
    {name: 'statisticValues', kind: 'map', short: 's'},
    {name: 'timestamp', kind: 'value', short: 't'},
    {name: 'unit', kind: 'value', short: 'u'},
    {name: 'value', kind: 'value', short: 'v'},
  ],
  async run(args, call) {
    const dimensions = dimensionsOf(args)
    const timestamp = timestampOf(args, 'timestamp')
    const value = valueOf(args, 'value')
    const statistics = statisticValuesOf(args)
    const unit = valueOf(args, 'unit')
    // Both or neither of --value/--statisticValues go to the service as given: it names the rule.
    await (await call.cloudwatch()).putMetricData({
      Namespace: valueOf(args, 'namespace'),
      MetricData: [{
        MetricName: valueOf(args, 'metric-name'),
        ...(dimensions === undefined ? {} : {Dimensions: dimensions}),
        ...(timestamp === undefined ? {} : {Timestamp: timestamp}),
        ...(value === undefined ? {} : {Value: wireNumber(value)}),
        ...(statistics === undefined ? {} : {StatisticValues: statistics}),
        ...(unit === undefined ? {} : {Unit: unit as StandardUnit}),
      }],
    })
    // Success prints nothing (docs/decisions.md › "The mon-* commands").
    return {kind: 'records', sets: []}
  },
}
