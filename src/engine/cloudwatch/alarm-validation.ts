import {errorClass, InvalidParameterCombination, InvalidParameterValue, MissingParameter, ValidationError} from '../model/errors.js'
import type {AlarmMetric, AlarmRecord} from '../model/alarm-types.js'
import {STATIC_OPERATORS} from './alarm-evaluation.js'
import {PERCENTILE} from './statistics.js'

/**
 * PutMetricAlarm's checks beyond its input shape (decode does types, lengths and enums), in AWS's
 * codes; the wording follows AWS where a capture exists and Eucalyptus's AWS-compatible CloudWatch
 * elsewhere (docs/decisions.md, "CloudWatch alarms: validation"). Metric math (`Metrics`),
 * anomaly-band thresholds (`ThresholdMetricId`) and PromQL (`EvaluationCriteria`) are refused.
 */

export const ResourceNotFound = errorClass('ResourceNotFound', 404)
export const InvalidFormat = errorClass('InvalidFormat')
export const InvalidNextToken = errorClass('InvalidNextToken')
/** Tagging's not-found (TagResource, UntagResource, ListTagsForResource), a shape of its own in the model. */
export const ResourceNotFoundException = errorClass('ResourceNotFoundException', 404)

export interface PutMetricAlarmInput {
  readonly AlarmName: string
  readonly AlarmDescription?: string
  readonly ActionsEnabled?: boolean
  readonly OKActions?: readonly string[]
  readonly AlarmActions?: readonly string[]
  readonly InsufficientDataActions?: readonly string[]
  readonly MetricName?: string
  readonly Namespace?: string
  readonly Statistic?: string
  readonly ExtendedStatistic?: string
  readonly Dimensions?: readonly {readonly Name: string; readonly Value: string}[]
  readonly Period?: number
  readonly Unit?: string
  readonly EvaluationPeriods?: number
  readonly DatapointsToAlarm?: number
  readonly Threshold?: number
  readonly ComparisonOperator?: string
  readonly TreatMissingData?: string
  readonly EvaluateLowSampleCountPercentile?: string
  readonly Metrics?: readonly unknown[]
  readonly Tags?: readonly {readonly Key: string; readonly Value: string}[]
  readonly ThresholdMetricId?: string
  readonly EvaluationCriteria?: unknown
  readonly EvaluationInterval?: number
}

/** What PutMetricAlarm sets: the record without its identity, state and tags. */
export type AlarmConfiguration = Omit<AlarmRecord, 'name' | 'arn' | 'configurationUpdated' | 'tags' | 'state'>

export const TREAT_MISSING_DATA = ['breaching', 'notBreaching', 'ignore', 'missing'] as const
export const MAX_TAGS = 50
const HIGH_RESOLUTION_PERIODS = new Set([10, 20, 30])
const DAY = 86_400
const WEEK = 7 * DAY

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new MissingParameter(`The parameter ${name} is required.`)
  return value
}

/** Action ARNs the service accepts: SNS topics, EC2 automate, Auto Scaling policies, Lambda, SSM, SWF. */
const ACTION_ARN = /^arn:aws[a-z-]*:(sns|automate|autoscaling|lambda|ssm|ssm-incidents|swf|aiops):[a-z0-9-]*:[^:]*:.+$/

function checkActions(actions: readonly string[] | undefined, region: string): readonly string[] {
  for (const action of actions ?? []) {
    if (!ACTION_ARN.test(action)) throw new ValidationError(`Invalid arn syntax: ${action}`)
    const actionRegion = action.split(':')[3]
    if (actionRegion !== '' && actionRegion !== region) {
      throw new ValidationError(`Invalid region ${actionRegion ?? ''} specified. Only ${region} is supported.`)
    }
  }
  return actions ?? []
}

function metricOf(input: PutMetricAlarmInput): AlarmMetric {
  const metricName = required(input.MetricName, 'MetricName')
  const namespace = required(input.Namespace, 'Namespace')
  if ((input.Statistic === undefined) === (input.ExtendedStatistic === undefined)) {
    throw new InvalidParameterCombination('Exactly one of Statistic or ExtendedStatistic must be specified.')
  }
  if (input.ExtendedStatistic !== undefined && !PERCENTILE.test(input.ExtendedStatistic)) {
    throw new InvalidParameterValue(`The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is invalid: this engine evaluates percentiles (p0.0 to p100) only.`)
  }
  const period = required(input.Period, 'Period')
  if (!HIGH_RESOLUTION_PERIODS.has(period) && period % 60 !== 0) {
    throw new InvalidParameterValue('The parameter Period must be 10, 20, 30 or a multiple of 60.')
  }
  return {
    namespace, metricName,
    dimensions: (input.Dimensions ?? []).map((dimension) => ({name: dimension.Name, value: dimension.Value})),
    ...(input.Statistic === undefined ? {} : {statistic: input.Statistic}),
    ...(input.ExtendedStatistic === undefined ? {} : {extendedStatistic: input.ExtendedStatistic}),
    period,
    ...(input.Unit === undefined ? {} : {unit: input.Unit}),
  }
}

/** The configuration a valid PutMetricAlarm sets, or the error AWS answers. */
export function alarmConfiguration(input: PutMetricAlarmInput, region: string): AlarmConfiguration {
  if ((input.Metrics?.length ?? 0) > 0) {
    throw new InvalidParameterValue('Metric math alarms (the Metrics parameter) are not supported by this engine: set MetricName, Namespace, Statistic and Period.')
  }
  if (input.ThresholdMetricId !== undefined || input.EvaluationCriteria !== undefined) {
    throw new InvalidParameterValue('Anomaly detection and PromQL alarms (ThresholdMetricId, EvaluationCriteria) are not supported by this engine.')
  }
  const metric = metricOf(input)
  const evaluationPeriods = required(input.EvaluationPeriods, 'EvaluationPeriods')
  const span = metric.period * evaluationPeriods
  if (metric.period < 3600 && span > DAY) {
    throw new InvalidParameterCombination('Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400).')
  }
  if (span > WEEK) throw new InvalidParameterCombination('Metrics cannot be checked across more than 7 days (EvaluationPeriods * Period must be <= 604800).')
  if (input.DatapointsToAlarm !== undefined && input.DatapointsToAlarm > evaluationPeriods) {
    throw new InvalidParameterValue('DatapointsToAlarm must be less than or equal to EvaluationPeriods')
  }
  const threshold = required(input.Threshold, 'Threshold')
  const comparisonOperator = required(input.ComparisonOperator, 'ComparisonOperator')
  if (!STATIC_OPERATORS.includes(comparisonOperator)) throw new InvalidParameterCombination('ComparisonOperators for ranges require ThresholdMetricId to be set')
  const treat = input.TreatMissingData
  if (treat !== undefined && !(TREAT_MISSING_DATA as readonly string[]).includes(treat)) {
    throw new InvalidParameterValue(`The value ${treat} for parameter TreatMissingData is invalid. Supported values are: ${TREAT_MISSING_DATA.join(', ')}.`)
  }
  const lowSampleCount = input.EvaluateLowSampleCountPercentile
  if (lowSampleCount !== undefined) {
    if (metric.extendedStatistic === undefined) throw new InvalidParameterCombination('EvaluateLowSampleCountPercentile may only be set with a percentile ExtendedStatistic.')
    if (lowSampleCount !== 'evaluate' && lowSampleCount !== 'ignore') {
      throw new InvalidParameterValue(`The value ${lowSampleCount} for parameter EvaluateLowSampleCountPercentile is invalid. Supported values are: evaluate, ignore.`)
    }
  }
  if ((input.Tags?.length ?? 0) > MAX_TAGS) throw new InvalidParameterValue(`An alarm can have at most ${MAX_TAGS} tags.`)
  return {
    ...(input.AlarmDescription === undefined ? {} : {description: input.AlarmDescription}),
    actionsEnabled: input.ActionsEnabled ?? true,
    okActions: checkActions(input.OKActions, region),
    alarmActions: checkActions(input.AlarmActions, region),
    insufficientDataActions: checkActions(input.InsufficientDataActions, region),
    metric,
    evaluationPeriods,
    ...(input.DatapointsToAlarm === undefined ? {} : {datapointsToAlarm: input.DatapointsToAlarm}),
    threshold,
    comparisonOperator,
    ...(treat === undefined ? {} : {treatMissingData: treat}),
    ...(lowSampleCount === undefined ? {} : {evaluateLowSampleCountPercentile: lowSampleCount}),
  }
}
