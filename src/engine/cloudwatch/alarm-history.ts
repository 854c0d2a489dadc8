import type {AlarmRecord, AlarmStateValue} from '../model/alarm-types.js'
import {dataTime, javaJson} from './alarm-format.js'

/**
 * Alarm history (DescribeAlarmHistory), kept in memory per region: AWS keeps an alarm's history
 * two weeks, also after the alarm is deleted. Each item goes to the `sink` (the persistence,
 * which writes it within a minute), and a restart restores them (`restore`). Bounded:
 * at most MAX_ITEMS_PER_REGION items, the oldest dropped first, and none older than RETENTION_MS.
 */

export const MAX_ITEMS_PER_REGION = 10_000
export const RETENTION_MS = 14 * 24 * 3600_000

export type HistoryItemType = 'ConfigurationUpdate' | 'StateUpdate' | 'Action'

export interface HistoryItem {
  /** Increasing per engine: the paging position. */
  readonly seq: number
  readonly alarmName: string
  readonly timestamp: number
  readonly type: HistoryItemType
  readonly summary: string
  readonly data: string
}

export interface HistoryQuery {
  readonly alarmName?: string
  readonly type?: string
  readonly start?: number
  readonly end?: number
  readonly ascending: boolean
  /** Items after this seq in the scan order. */
  readonly after?: number
  readonly limit: number
}

export class AlarmHistory {
  private readonly regions = new Map<string, HistoryItem[]>()
  private seq = 0
  sink: ((region: string, item: Omit<HistoryItem, 'seq'>) => void) | undefined

  add(region: string, item: Omit<HistoryItem, 'seq'>): void {
    let items = this.regions.get(region)
    if (items === undefined) this.regions.set(region, items = [])
    items.push({...item, seq: ++this.seq})
    this.sink?.(region, item)
    this.trim(items, item.timestamp)
  }

  /**
   * Items read back from disk (oldest first; not persisted again): they go before the items added
   * since the start, and every item of the region is numbered again in that order.
   */
  restore(region: string, restored: readonly Omit<HistoryItem, 'seq'>[], now: number): void {
    const live = this.regions.get(region) ?? []
    const items = [...restored, ...live].map((item) => ({...item, seq: ++this.seq}))
    this.regions.set(region, items)
    this.trim(items, now)
  }

  private trim(items: HistoryItem[], now: number): void {
    const cutoff = now - RETENTION_MS
    let drop = Math.max(0, items.length - MAX_ITEMS_PER_REGION)
    while (drop < items.length && (items[drop]?.timestamp ?? Infinity) < cutoff) drop++
    if (drop > 0) items.splice(0, drop)
  }

  /** One page of matching items in scan order, and whether more follow. */
  query(region: string, query: HistoryQuery): {items: HistoryItem[]; more: boolean} {
    const items = this.regions.get(region) ?? []
    const matches = (item: HistoryItem) =>
      (query.alarmName === undefined || item.alarmName === query.alarmName) && (query.type === undefined || item.type === query.type) &&
      (query.start === undefined || item.timestamp >= query.start) && (query.end === undefined || item.timestamp <= query.end) &&
      (query.after === undefined || (query.ascending ? item.seq > query.after : item.seq < query.after))
    const page: HistoryItem[] = []
    const step = query.ascending ? 1 : -1
    for (let index = query.ascending ? 0 : items.length - 1; index >= 0 && index < items.length; index += step) {
      const item = items[index]
      if (item === undefined || !matches(item)) continue
      if (page.length === query.limit) return {items: page, more: true}
      page.push(item)
    }
    return {items: page, more: false}
  }
}

/** The alarm as its history's ConfigurationUpdate data writes it (AWS's member names, `okactions` included). */
function alarmDocument(alarm: AlarmRecord): Record<string, unknown> {
  const metric = alarm.metric
  return {
    alarmName: alarm.name,
    alarmDescription: alarm.description,
    alarmArn: alarm.arn,
    alarmConfigurationUpdatedTimestamp: dataTime(Date.parse(alarm.configurationUpdated)),
    namespace: metric.namespace,
    metricName: metric.metricName,
    statistic: metric.statistic,
    extendedStatistic: metric.extendedStatistic,
    unit: metric.unit,
    period: metric.period,
    dimensions: metric.dimensions.map((dimension) => ({value: dimension.value, name: dimension.name})),
    threshold: alarm.threshold,
    comparisonOperator: alarm.comparisonOperator,
    evaluationPeriods: alarm.evaluationPeriods,
    datapointsToAlarm: alarm.datapointsToAlarm,
    treatMissingData: alarm.treatMissingData,
    evaluateLowSampleCountPercentile: alarm.evaluateLowSampleCountPercentile,
    stateValue: alarm.state.value,
    stateUpdatedTimestamp: dataTime(Date.parse(alarm.state.updated)),
    actionsEnabled: alarm.actionsEnabled,
    alarmActions: alarm.alarmActions,
    insufficientDataActions: alarm.insufficientDataActions,
    okactions: alarm.okActions,
  }
}

/** `Alarm "name" created|updated|deleted` and its data (`{"version","type","createdAlarm"…}`). */
export function configurationItem(alarm: AlarmRecord, change: 'Create' | 'Update' | 'Delete', timestamp: number, previous?: AlarmRecord): Omit<HistoryItem, 'seq'> {
  const verb = {Create: 'created', Update: 'updated', Delete: 'deleted'}[change]
  const document = alarmDocument(alarm)
  const data: Record<string, unknown> = {version: '1.0', type: change, [`${verb}Alarm`]: document}
  if (previous !== undefined) {
    const before = alarmDocument(previous)
    data.originalUpdatedFields = Object.fromEntries(Object.entries(before)
      .filter(([name, value]) => name !== 'alarmConfigurationUpdatedTimestamp' && javaJson(value) !== javaJson(document[name])))
  }
  return {
    alarmName: alarm.name,
    timestamp,
    type: 'ConfigurationUpdate',
    summary: `Alarm "${alarm.name}" ${verb}`,
    data: javaJson(data),
  }
}

interface StateSide {
  readonly value: AlarmStateValue
  readonly reason: string
  readonly reasonData?: string | undefined
}

/** `Alarm updated from OK to ALARM` and its data (`{"version","oldState","newState"}`). */
export function stateItem(alarmName: string, timestamp: number, before: StateSide, after: StateSide): Omit<HistoryItem, 'seq'> {
  return {
    alarmName,
    timestamp,
    type: 'StateUpdate',
    summary: `Alarm updated from ${before.value} to ${after.value}`,
    // The reason data is embedded as the JSON text it is (checked on SetAlarmState), numbers as written.
    data: `{"version":"1.0","oldState":${stateJson(before)},"newState":${stateJson(after)}}`,
  }
}

function stateJson(state: StateSide): string {
  const members = [`"stateValue":${JSON.stringify(state.value)}`, `"stateReason":${JSON.stringify(state.reason)}`]
  if (state.reasonData !== undefined) members.push(`"stateReasonData":${state.reasonData}`)
  return `{${members.join(',')}}`
}

/**
 * An action the engine cannot execute (there is no SNS, Auto Scaling or EC2 automation behind it):
 * recorded as AWS records an action that failed, `Failed to execute action ARN. Received error: "…"`.
 */
export function failedActionItem(alarmName: string, timestamp: number, action: string, error: string): Omit<HistoryItem, 'seq'> {
  return {
    alarmName,
    timestamp,
    type: 'Action',
    summary: `Failed to execute action ${action}. Received error: "${error}"`,
    data: javaJson({actionState: 'Failed', stateUpdateTimestamp: timestamp, notificationResource: action, error}),
  }
}
