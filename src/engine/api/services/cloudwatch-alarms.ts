import type {AlarmService, DescribeAlarmsForMetricInput, SetAlarmStateInput, TagInput} from '../../cloudwatch/alarms.js'
import type {PutMetricAlarmInput} from '../../cloudwatch/alarm-validation.js'
import type {DispatchMap} from '../service.js'

/**
 * CloudWatch's alarm operations: their names and the AlarmService method each calls. Mixed into
 * the CloudWatch service (cloudwatch.ts), whose implementation reaches them as `.alarms`.
 */

export const CLOUDWATCH_ALARM_ACTIONS = [
  'PutMetricAlarm', 'DescribeAlarms', 'DescribeAlarmsForMetric', 'DescribeAlarmHistory', 'DeleteAlarms', 'SetAlarmState',
  'EnableAlarmActions', 'DisableAlarmActions', 'TagResource', 'UntagResource', 'ListTagsForResource',
] as const

export type CloudWatchAlarmAction = typeof CLOUDWATCH_ALARM_ACTIONS[number]

export type AlarmOperations = Pick<AlarmService, Uncapitalize<CloudWatchAlarmAction>>

type AlarmNames = {AlarmNames: readonly string[]}

export const CLOUDWATCH_ALARM_DISPATCH = {
  PutMetricAlarm: ({alarms}, ctx, input) => alarms.putMetricAlarm(ctx, input as unknown as PutMetricAlarmInput),
  DescribeAlarms: ({alarms}, ctx, input) => alarms.describeAlarms(ctx, input),
  DescribeAlarmsForMetric: ({alarms}, ctx, input) => alarms.describeAlarmsForMetric(ctx, input as unknown as DescribeAlarmsForMetricInput),
  DescribeAlarmHistory: ({alarms}, ctx, input) => alarms.describeAlarmHistory(ctx, input),
  DeleteAlarms: ({alarms}, ctx, input) => alarms.deleteAlarms(ctx, input as unknown as AlarmNames),
  SetAlarmState: ({alarms}, ctx, input) => alarms.setAlarmState(ctx, input as unknown as SetAlarmStateInput),
  EnableAlarmActions: ({alarms}, ctx, input) => alarms.enableAlarmActions(ctx, input as unknown as AlarmNames),
  DisableAlarmActions: ({alarms}, ctx, input) => alarms.disableAlarmActions(ctx, input as unknown as AlarmNames),
  TagResource: ({alarms}, ctx, input) => alarms.tagResource(ctx, input as unknown as TagInput),
  UntagResource: ({alarms}, ctx, input) => alarms.untagResource(ctx, input as unknown as TagInput),
  ListTagsForResource: ({alarms}, ctx, input) => alarms.listTagsForResource(ctx, input as unknown as TagInput),
} satisfies DispatchMap<CloudWatchAlarmAction, {readonly alarms: AlarmOperations}>
