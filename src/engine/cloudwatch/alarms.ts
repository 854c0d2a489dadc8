import {escapeLogText} from '../log-escape.js'
import {InvalidParameterValue} from '../model/errors.js'
import type {AlarmRecord, AlarmState, AlarmStateValue} from '../model/alarm-types.js'
import {baseOf, type Draft, type Store} from '../model/store.js'
import type {RequestContext} from '../model/types.js'
import {AlarmHistory, configurationItem, failedActionItem, stateItem} from './alarm-history.js'
import {alarmConfiguration, InvalidFormat, MAX_TAGS, ResourceNotFound, ResourceNotFoundException, type PutMetricAlarmInput} from './alarm-validation.js'
import {decodeToken, encodeToken, historyItemView, metricAlarmView, type MetricAlarmView} from './alarm-views.js'
import {LimitExceeded} from './custom-metrics.js'

/**
 * CloudWatch metric alarms (API 2010-08-01): the alarms are records in the store (region key
 * `alarms`, journaled and snapshotted), their history is runtime (alarm-history.ts). The evaluator
 * (alarm-evaluator.ts) moves them between states through `applyStates`, as SetAlarmState does.
 */

export const MAX_ALARMS_PER_REGION = 5000
const DEFAULT_MAX_RECORDS = 50
const INITIAL_REASON = 'Unchecked: Initial alarm creation'

export interface DescribeAlarmsInput {
  readonly AlarmNames?: readonly string[]
  readonly AlarmNamePrefix?: string
  readonly AlarmTypes?: readonly string[]
  readonly ChildrenOfAlarmName?: string
  readonly ParentsOfAlarmName?: string
  readonly StateValue?: string
  readonly ActionPrefix?: string
  readonly MaxRecords?: number
  readonly NextToken?: string
}

export interface DescribeAlarmsForMetricInput {
  readonly MetricName: string
  readonly Namespace: string
  readonly Statistic?: string
  readonly ExtendedStatistic?: string
  readonly Dimensions?: readonly {readonly Name: string; readonly Value: string}[]
  readonly Period?: number
  readonly Unit?: string
}

export interface DescribeAlarmHistoryInput {
  readonly AlarmName?: string
  readonly AlarmTypes?: readonly string[]
  readonly HistoryItemType?: string
  readonly StartDate?: Date
  readonly EndDate?: Date
  readonly MaxRecords?: number
  readonly NextToken?: string
  readonly ScanBy?: string
}

export interface SetAlarmStateInput {
  readonly AlarmName: string
  readonly StateValue: AlarmStateValue
  readonly StateReason: string
  readonly StateReasonData?: string
}

export interface TagInput {
  readonly ResourceARN: string
  readonly Tags?: readonly {readonly Key: string; readonly Value: string}[]
  readonly TagKeys?: readonly string[]
}

/** A state an alarm moves to: from an evaluation or from SetAlarmState. */
export interface StateChange {
  /** The record the change was computed from: a change to an alarm updated since is dropped. */
  readonly alarm: AlarmRecord
  readonly value: AlarmStateValue
  readonly reason: string
  readonly reasonData?: string
}

export interface AlarmServiceOptions {
  readonly history?: AlarmHistory
  readonly clock?: () => number
  readonly log?: (line: string) => void
}

const iso = (epochMs: number) => new Date(epochMs).toISOString()

function actionsFor(alarm: AlarmRecord, value: AlarmStateValue): readonly string[] {
  if (value === 'ALARM') return alarm.alarmActions
  return value === 'OK' ? alarm.okActions : alarm.insufficientDataActions
}

/** Why an action cannot run here: there is no SNS, Auto Scaling, EC2 automation or Lambda behind the engine. */
function actionError(action: string): string {
  return action.split(':')[2] === 'sns'
    ? 'elb-local has no SNS: the notification was not delivered'
    : 'elb-local cannot execute this action'
}

export class AlarmService {
  readonly history: AlarmHistory
  private readonly clock: () => number
  private readonly log: (line: string) => void

  constructor(private readonly store: Store, options: AlarmServiceOptions = {}) {
    this.history = options.history ?? new AlarmHistory()
    this.clock = options.clock ?? Date.now
    this.log = options.log ?? (() => undefined)
  }

  /** The regions that have alarms. */
  regions(): string[] {
    return Object.entries(this.store.state.regions).filter(([, region]) => (region.alarms?.length ?? 0) > 0).map(([name]) => name)
  }

  /** The region's alarms, in creation order. */
  alarms(region: string): readonly AlarmRecord[] {
    return this.store.region(region).alarms ?? []
  }

  private find(region: string, name: string): AlarmRecord | undefined {
    return this.alarms(region).find((alarm) => alarm.name === name)
  }

  putMetricAlarm(ctx: RequestContext, input: PutMetricAlarmInput): object {
    const configuration = alarmConfiguration(input, ctx.region)
    const now = this.clock()
    const existing = this.find(ctx.region, input.AlarmName)
    if (existing === undefined && this.alarms(ctx.region).length >= MAX_ALARMS_PER_REGION) {
      throw new LimitExceeded(`The maximum number of alarms (${MAX_ALARMS_PER_REGION}) for this Region has been reached.`)
    }
    const initial: AlarmState = {value: 'INSUFFICIENT_DATA', reason: INITIAL_REASON, updated: iso(now), transitioned: iso(now)}
    const record: AlarmRecord = {
      name: input.AlarmName,
      arn: existing?.arn ?? `arn:aws:cloudwatch:${ctx.region}:${this.store.state.accountId}:alarm:${input.AlarmName}`,
      ...configuration,
      configurationUpdated: iso(now),
      // An update keeps the state and the tags (AWS ignores Tags on an update).
      tags: existing?.tags ?? (input.Tags ?? []).map((tag) => ({key: tag.Key, value: tag.Value})),
      state: existing?.state ?? initial,
    }
    this.store.updateRegion(ctx.region, (region) => {
      const alarms = (region.alarms ??= [])
      const index = baseOf(alarms).findIndex((alarm) => alarm.name === record.name)
      const draft = record as Draft<AlarmRecord>
      if (index === -1) alarms.push(draft)
      else alarms[index] = draft
    })
    this.history.add(ctx.region, configurationItem(record, existing === undefined ? 'Create' : 'Update', now, existing))
    return {}
  }

  describeAlarms(ctx: RequestContext, input: DescribeAlarmsInput): {CompositeAlarms: []; MetricAlarms: MetricAlarmView[]; NextToken?: string} {
    const metricAlarms = input.AlarmTypes === undefined || input.AlarmTypes.includes('MetricAlarm')
    const composites = input.ChildrenOfAlarmName !== undefined || input.ParentsOfAlarmName !== undefined
    const names = input.AlarmNames === undefined ? undefined : new Set(input.AlarmNames)
    const after = decodeToken(input.NextToken, 'string')
    const limit = input.MaxRecords ?? DEFAULT_MAX_RECORDS
    const matching = !metricAlarms || composites ? [] : this.alarms(ctx.region).filter((alarm) =>
      (names === undefined || names.has(alarm.name)) &&
      (input.AlarmNamePrefix === undefined || alarm.name.startsWith(input.AlarmNamePrefix)) &&
      (input.StateValue === undefined || alarm.state.value === input.StateValue) &&
      (input.ActionPrefix === undefined || [...alarm.okActions, ...alarm.alarmActions, ...alarm.insufficientDataActions]
        .some((action) => action.startsWith(input.ActionPrefix ?? ''))) &&
      (after === undefined || alarm.name > after))
    matching.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    const page = matching.slice(0, limit)
    const last = page.at(-1)
    return {
      CompositeAlarms: [],
      MetricAlarms: page.map(metricAlarmView),
      ...(matching.length > limit && last !== undefined ? {NextToken: encodeToken(last.name)} : {}),
    }
  }

  describeAlarmsForMetric(ctx: RequestContext, input: DescribeAlarmsForMetricInput): {MetricAlarms: MetricAlarmView[]} {
    const wanted = (input.Dimensions ?? []).map((dimension) => `${dimension.Name}\u0000${dimension.Value}`).sort()
    return {
      MetricAlarms: this.alarms(ctx.region).filter(({metric}) => {
        const dimensions = metric.dimensions.map((dimension) => `${dimension.name}\u0000${dimension.value}`).sort()
        return metric.metricName === input.MetricName && metric.namespace === input.Namespace &&
          (input.Statistic === undefined || metric.statistic === input.Statistic) &&
          (input.ExtendedStatistic === undefined || metric.extendedStatistic === input.ExtendedStatistic) &&
          (input.Period === undefined || metric.period === input.Period) && (input.Unit === undefined || metric.unit === input.Unit) &&
          dimensions.length === wanted.length && dimensions.every((dimension, index) => dimension === wanted[index])
      }).map(metricAlarmView),
    }
  }

  describeAlarmHistory(ctx: RequestContext, input: DescribeAlarmHistoryInput): {AlarmHistoryItems: Record<string, unknown>[]; NextToken?: string} {
    if (input.AlarmTypes !== undefined && !input.AlarmTypes.includes('MetricAlarm')) return {AlarmHistoryItems: []}
    const after = decodeToken(input.NextToken, 'number')
    const {items, more} = this.history.query(ctx.region, {
      ...(input.AlarmName === undefined ? {} : {alarmName: input.AlarmName}),
      ...(input.HistoryItemType === undefined ? {} : {type: input.HistoryItemType}),
      ...(input.StartDate === undefined ? {} : {start: input.StartDate.getTime()}),
      ...(input.EndDate === undefined ? {} : {end: input.EndDate.getTime()}),
      ...(after === undefined ? {} : {after}),
      ascending: input.ScanBy === 'TimestampAscending',
      limit: input.MaxRecords ?? DEFAULT_MAX_RECORDS,
    })
    const last = items.at(-1)
    return {AlarmHistoryItems: items.map(historyItemView), ...(more && last !== undefined ? {NextToken: encodeToken(last.seq)} : {})}
  }

  /** Deletes the alarms named; as AWS, the known ones go even when some names are unknown (then ResourceNotFound). */
  deleteAlarms(ctx: RequestContext, input: {AlarmNames: readonly string[]}): object {
    const names = new Set(input.AlarmNames)
    const deleted = this.alarms(ctx.region).filter((alarm) => names.has(alarm.name))
    if (deleted.length > 0) {
      this.store.updateRegion(ctx.region, (region) => {
        region.alarms = baseOf<Draft<AlarmRecord>[]>(region.alarms ?? []).filter((alarm) => !names.has(alarm.name))
      })
      const now = this.clock()
      for (const alarm of deleted) this.history.add(ctx.region, configurationItem(alarm, 'Delete', now))
    }
    const found = new Set(deleted.map((alarm) => alarm.name))
    const unknown = [...names].filter((name) => !found.has(name))
    if (unknown.length > 0) throw new ResourceNotFound(`${unknown.length} of the specified alarms were not found: [${unknown.join(', ')}]`)
    return {}
  }

  setAlarmState(ctx: RequestContext, input: SetAlarmStateInput): object {
    const alarm = this.find(ctx.region, input.AlarmName)
    if (alarm === undefined) throw new ResourceNotFound(`Alarm ${input.AlarmName} not found`)
    if (input.StateReasonData !== undefined) {
      try {
        JSON.parse(input.StateReasonData)
      } catch {
        throw new InvalidFormat('StateReasonData was not syntactically valid JSON')
      }
    }
    this.applyStates(ctx.region, [{alarm, value: input.StateValue, reason: input.StateReason,
      ...(input.StateReasonData === undefined ? {} : {reasonData: input.StateReasonData})}], true)
    return {}
  }

  enableAlarmActions(ctx: RequestContext, input: {AlarmNames: readonly string[]}): object {
    this.setActionsEnabled(ctx.region, input.AlarmNames, true)
    return {}
  }

  disableAlarmActions(ctx: RequestContext, input: {AlarmNames: readonly string[]}): object {
    this.setActionsEnabled(ctx.region, input.AlarmNames, false)
    return {}
  }

  /** Unknown names are ignored, as AWS does. */
  private setActionsEnabled(region: string, alarmNames: readonly string[], enabled: boolean): void {
    const names = new Set(alarmNames)
    if (!this.alarms(region).some((alarm) => names.has(alarm.name) && alarm.actionsEnabled !== enabled)) return
    this.store.updateRegion(region, (draft) => {
      for (const alarm of draft.alarms ?? []) if (names.has(alarm.name)) alarm.actionsEnabled = enabled
    })
  }

  tagResource(ctx: RequestContext, input: TagInput): object {
    const alarm = this.byArn(ctx.region, input.ResourceARN)
    const tags = new Map(alarm.tags.map((tag) => [tag.key, tag.value ?? '']))
    for (const tag of input.Tags ?? []) tags.set(tag.Key, tag.Value)
    if (tags.size > MAX_TAGS) throw new InvalidParameterValue(`An alarm can have at most ${MAX_TAGS} tags.`)
    this.replaceTags(ctx.region, alarm, tags)
    return {}
  }

  untagResource(ctx: RequestContext, input: TagInput): object {
    const alarm = this.byArn(ctx.region, input.ResourceARN)
    const tags = new Map(alarm.tags.map((tag) => [tag.key, tag.value ?? '']))
    for (const key of input.TagKeys ?? []) tags.delete(key)
    this.replaceTags(ctx.region, alarm, tags)
    return {}
  }

  listTagsForResource(ctx: RequestContext, input: TagInput): {Tags: {Key: string; Value: string}[]} {
    return {Tags: this.byArn(ctx.region, input.ResourceARN).tags.map((tag) => ({Key: tag.key, Value: tag.value ?? ''}))}
  }

  private byArn(region: string, arn: string): AlarmRecord {
    const alarm = this.alarms(region).find((candidate) => candidate.arn === arn)
    if (alarm !== undefined) return alarm
    if (!/^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:(alarm|insight-rule|metric-stream):.+$/.test(arn)) {
      throw new InvalidParameterValue(`The value ${arn} for parameter ResourceARN is invalid.`)
    }
    throw new ResourceNotFoundException(`The specified resource ${arn} does not exist.`)
  }

  private replaceTags(region: string, alarm: AlarmRecord, tags: ReadonlyMap<string, string>): void {
    this.store.updateRegion(region, (draft) => {
      const target = (draft.alarms ?? []).find((candidate) => candidate.name === alarm.name)
      if (target !== undefined) target.tags = [...tags].map(([key, value]) => ({key, value}))
    })
  }

  /**
   * Moves alarms to new states in one write: each change whose alarm is unchanged since it was
   * read. A change of value records a StateUpdate and runs the new state's actions (recorded as
   * failed: nothing here can deliver them); an unchanged value updates nothing unless `forced`
   * (SetAlarmState), as AWS leaves an alarm's state alone while its evaluation agrees.
   */
  applyStates(region: string, changes: readonly StateChange[], forced = false): void {
    const now = this.clock()
    const applied: {change: StateChange; state: AlarmState}[] = []
    this.store.updateRegion(region, (draft) => {
      const alarms = draft.alarms ?? []
      const indexes = new Map(baseOf(alarms).map((alarm, index) => [alarm.name, index]))
      for (const change of changes) {
        const index = indexes.get(change.alarm.name)
        if (index === undefined || baseOf(alarms)[index] !== change.alarm) continue
        const before = change.alarm.state
        if (!forced && before.value === change.value) continue
        const state: AlarmState = {
          value: change.value, reason: change.reason, ...(change.reasonData === undefined ? {} : {reasonData: change.reasonData}),
          updated: iso(now), transitioned: before.value === change.value ? before.transitioned : iso(now),
        }
        alarms[index] = {...change.alarm, state} as Draft<AlarmRecord>
        applied.push({change, state})
      }
    })
    for (const {change, state} of applied) this.recordTransition(region, change.alarm, state, now)
  }

  private recordTransition(region: string, alarm: AlarmRecord, state: AlarmState, now: number): void {
    const before = alarm.state
    this.history.add(region, stateItem(alarm.name, now, before, state))
    this.log(`alarm ${escapeLogText(alarm.name)} (${region}) ${before.value} -> ${state.value}: ${escapeLogText(state.reason)}`)
    if (before.value === state.value || !alarm.actionsEnabled) return
    for (const action of actionsFor(alarm, state.value)) {
      const error = actionError(action)
      this.history.add(region, failedActionItem(alarm.name, now, action, error))
      this.log(`alarm ${escapeLogText(alarm.name)} (${region}) action ${escapeLogText(action)} not executed: ${error}`)
    }
  }
}
