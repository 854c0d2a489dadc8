/**
 * The cells of the legacy CloudWatch CLI's (1.0.x) output, as data: numbers as Java's
 * `Double.toString` prints them (`2.0`, `90.0`, `0.41718811881188117`), data-point times as
 * `2015-11-18 17:00:00` (UTC), dimensions as Java's `Map.toString` (`{InstanceId=i-e7e48a8e}`).
 * The tables have no record-type column. Sources: docs/decisions.md › "The mon-* commands".
 */
import type {AlarmHistoryItem, Datapoint, Dimension, Metric, MetricAlarm} from '@aws-sdk/client-cloudwatch'
import {javaDouble} from '../../../engine/cloudwatch/alarm-format.js'
import {elide} from '../dispatch.js'
import {scalar} from './nested.js'
import type {RecordSchema} from './records.js'

/** One owner for Java's `Double.toString`: the engine's, which writes the alarms' reasons with it. */
export {javaDouble}

const number = (value: number | undefined): string | undefined => (value === undefined ? undefined : javaDouble(value))

/** `2015-11-18 17:00:00`: how mon-get-stats prints a data point's time (UTC, to the second). */
export function dataPointTime(value: Date | undefined): string | undefined {
  return value?.toISOString().slice(0, 19).replace('T', ' ')
}

/** `{LoadBalancerName=my-lb, AvailabilityZone=us-east-1a}`; a metric without dimensions is `{}`. */
export function dimensionMap(dimensions: readonly Dimension[] | undefined): string {
  return `{${(dimensions ?? []).map((dimension) => `${dimension.Name ?? ''}=${dimension.Value ?? ''}`).join(', ')}}`
}

/** mon-get-stats: a statistic nobody asked for is empty in every row, so the table drops its column. */
export const DATAPOINT: RecordSchema<Datapoint> = {
  recordType: '',
  columns: [
    {header: 'Time', short: true, value: (point) => dataPointTime(point.Timestamp)},
    {header: 'Samples', short: true, value: (point) => number(point.SampleCount)},
    {header: 'Average', short: true, value: (point) => number(point.Average)},
    {header: 'Sum', short: true, value: (point) => number(point.Sum)},
    {header: 'Minimum', short: true, value: (point) => number(point.Minimum)},
    {header: 'Maximum', short: true, value: (point) => number(point.Maximum)},
    {header: 'Unit', short: true, value: (point) => scalar(point.Unit)},
  ],
}

export const METRIC: RecordSchema<Metric> = {
  recordType: '',
  columns: [
    {header: 'Metric Name', short: true, value: (metric) => scalar(metric.MetricName)},
    {header: 'Namespace', short: true, value: (metric) => scalar(metric.Namespace)},
    {header: 'Dimensions', short: true, value: (metric) => dimensionMap(metric.Dimensions)},
  ],
}

/** `arn:aws:autoscalin...-test00-outpolicy00`: the table's action ARNs (a captured 1.0.x table); the long view prints them whole. */
const elideAction = (text: string): string => elide(text, 40)

const actions = (list: readonly string[] | undefined): string | undefined =>
  list === undefined || list.length === 0 ? undefined : list.join(', ')

/** mon-describe-alarms and mon-describe-alarms-for-metric (the columns of the CLI reference's Output). */
export const ALARM: RecordSchema<MetricAlarm> = {
  recordType: '',
  columns: [
    {header: 'ALARM', short: true, value: (alarm) => scalar(alarm.AlarmName)},
    {header: 'DESCRIPTION', short: false, value: (alarm) => scalar(alarm.AlarmDescription)},
    {header: 'STATE', short: true, value: (alarm) => scalar(alarm.StateValue)},
    {header: 'STATE_REASON', short: false, value: (alarm) => scalar(alarm.StateReason)},
    {header: 'STATE_REASON_DATA', short: false, value: (alarm) => scalar(alarm.StateReasonData)},
    {header: 'ENABLED', short: false, value: (alarm) => (alarm.ActionsEnabled === undefined ? undefined : String(alarm.ActionsEnabled))},
    {header: 'OK_ACTIONS', short: false, value: (alarm) => actions(alarm.OKActions)},
    {header: 'ALARM_ACTIONS', short: true, value: (alarm) => actions(alarm.AlarmActions), tableText: elideAction},
    {header: 'INSUFFICIENT_DATA_ACTIONS', short: false, value: (alarm) => actions(alarm.InsufficientDataActions)},
    {header: 'NAMESPACE', short: true, value: (alarm) => scalar(alarm.Namespace)},
    {header: 'METRIC_NAME', short: true, value: (alarm) => scalar(alarm.MetricName)},
    {header: 'DIMENSIONS', short: false, value: (alarm) => (alarm.Dimensions === undefined ? undefined : dimensionMap(alarm.Dimensions))},
    {header: 'PERIOD', short: true, value: (alarm) => scalar(alarm.Period)},
    {header: 'STATISTIC', short: true, value: (alarm) => scalar(alarm.Statistic)},
    {header: 'EXTENDEDSTATISTIC', short: true, value: (alarm) => scalar(alarm.ExtendedStatistic)},
    {header: 'UNIT', short: false, value: (alarm) => scalar(alarm.Unit)},
    {header: 'EVAL_PERIODS', short: true, value: (alarm) => scalar(alarm.EvaluationPeriods)},
    {header: 'COMPARISON', short: true, value: (alarm) => scalar(alarm.ComparisonOperator)},
    {header: 'THRESHOLD', short: true, value: (alarm) => number(alarm.Threshold)},
  ],
}

export const ALARM_HISTORY: RecordSchema<AlarmHistoryItem> = {
  recordType: '',
  columns: [
    {header: 'ALARM', short: true, value: (item) => scalar(item.AlarmName)},
    {header: 'TIMESTAMP', short: true, value: (item) => item.Timestamp?.toISOString()},
    {header: 'TYPE', short: true, value: (item) => scalar(item.HistoryItemType)},
    {header: 'SUMMARY', short: true, value: (item) => scalar(item.HistorySummary)},
    {header: 'DATA', short: false, value: (item) => scalar(item.HistoryData)},
  ],
}
