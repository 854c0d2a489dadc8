/**
 * A CloudWatch metric alarm as the store keeps it (desired state, journaled record by record in
 * the region's optional `alarms` collection). Its configuration is what PutMetricAlarm set; its
 * state (value, reason, times) is persisted with it so an alarm keeps its state across a restart,
 * as AWS's do. The history of an alarm is kept by engine/cloudwatch/alarm-history.ts (on disk
 * with the CloudWatch data, not in the store).
 */

import type {TagRecord} from './network-types.js'

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'

export interface AlarmDimension {
  readonly name: string
  readonly value: string
}

export interface AlarmMetric {
  readonly namespace: string
  readonly metricName: string
  /** In the order the caller gave them (AWS answers them as given). */
  readonly dimensions: readonly AlarmDimension[]
  /** Exactly one of statistic and extendedStatistic is set. */
  readonly statistic?: string
  readonly extendedStatistic?: string
  readonly period: number
  readonly unit?: string
}

export interface AlarmState {
  readonly value: AlarmStateValue
  readonly reason: string
  /** JSON text, as AWS answers it (StateReasonData). */
  readonly reasonData?: string
  /** ISO 8601 with milliseconds: the last state update (a SetAlarmState to the same value counts). */
  readonly updated: string
  /** The last change of value. */
  readonly transitioned: string
}

export interface AlarmRecord {
  readonly name: string
  readonly arn: string
  readonly description?: string
  /** ISO 8601 with milliseconds. */
  readonly configurationUpdated: string
  readonly actionsEnabled: boolean
  readonly okActions: readonly string[]
  readonly alarmActions: readonly string[]
  readonly insufficientDataActions: readonly string[]
  readonly metric: AlarmMetric
  readonly evaluationPeriods: number
  /** Absent when the caller did not set it (then M = N, and the state reason says so). */
  readonly datapointsToAlarm?: number
  readonly threshold: number
  readonly comparisonOperator: string
  /** Absent: `missing`, AWS's default (and DescribeAlarms leaves it out, as AWS does). */
  readonly treatMissingData?: string
  readonly evaluateLowSampleCountPercentile?: string
  readonly tags: readonly TagRecord[]
  readonly state: AlarmState
}
