import type {AlarmRecord} from '../model/alarm-types.js'
import type {HistoryItem} from './alarm-history.js'
import {InvalidNextToken} from './alarm-validation.js'

/**
 * Alarm records and history items as the API answers them: AWS's member names in the order of its
 * model (`MetricAlarm`'s xmlOrder: the Query serializer writes members in insertion order), absent
 * optional members left out, timestamps as Dates. And the opaque paging tokens.
 */

export interface MetricAlarmView {
  readonly AlarmName: string
  readonly AlarmArn: string
  readonly [member: string]: unknown
}

export function metricAlarmView(alarm: AlarmRecord): MetricAlarmView {
  const metric = alarm.metric
  const view: Record<string, unknown> = {
    AlarmName: alarm.name,
    AlarmArn: alarm.arn,
    AlarmDescription: alarm.description,
    AlarmConfigurationUpdatedTimestamp: new Date(alarm.configurationUpdated),
    ActionsEnabled: alarm.actionsEnabled,
    OKActions: [...alarm.okActions],
    AlarmActions: [...alarm.alarmActions],
    InsufficientDataActions: [...alarm.insufficientDataActions],
    StateValue: alarm.state.value,
    StateReason: alarm.state.reason,
    StateReasonData: alarm.state.reasonData,
    StateUpdatedTimestamp: new Date(alarm.state.updated),
    MetricName: metric.metricName,
    Namespace: metric.namespace,
    Statistic: metric.statistic,
    Dimensions: metric.dimensions.map((dimension) => ({Name: dimension.name, Value: dimension.value})),
    Period: metric.period,
    Unit: metric.unit,
    EvaluationPeriods: alarm.evaluationPeriods,
    Threshold: alarm.threshold,
    ComparisonOperator: alarm.comparisonOperator,
    ExtendedStatistic: metric.extendedStatistic,
    TreatMissingData: alarm.treatMissingData,
    EvaluateLowSampleCountPercentile: alarm.evaluateLowSampleCountPercentile,
    DatapointsToAlarm: alarm.datapointsToAlarm,
    StateTransitionedTimestamp: new Date(alarm.state.transitioned),
  }
  return Object.fromEntries(Object.entries(view).filter(([, value]) => value !== undefined)) as MetricAlarmView
}

export function historyItemView(item: HistoryItem): Record<string, unknown> {
  return {
    AlarmName: item.alarmName,
    AlarmType: 'MetricAlarm',
    Timestamp: new Date(item.timestamp),
    HistoryItemType: item.type,
    HistorySummary: item.summary,
    HistoryData: item.data,
  }
}

/** A NextToken: the position after which the next page starts, opaque to the caller. */
export function encodeToken(position: string | number): string {
  return Buffer.from(JSON.stringify({after: position}), 'utf8').toString('base64url')
}

export function decodeToken(token: string | undefined, kind: 'string'): string | undefined
export function decodeToken(token: string | undefined, kind: 'number'): number | undefined
export function decodeToken(token: string | undefined, kind: 'string' | 'number'): string | number | undefined {
  if (token === undefined) return undefined
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {after?: unknown}
    if (typeof parsed.after === kind) return parsed.after as string | number
  } catch {
    // Not a token this engine wrote: refused below.
  }
  throw new InvalidNextToken('The NextToken provided is invalid.')
}
