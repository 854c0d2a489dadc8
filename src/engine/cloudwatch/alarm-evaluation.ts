import type {AlarmRecord, AlarmStateValue} from '../model/alarm-types.js'
import {dataTime, javaDouble, javaJson, reasonTime} from './alarm-format.js'

/**
 * One evaluation of a metric alarm (pure): the datapoints of its evaluation range in, the state
 * it should be in out, with AWS's state reason and StateReasonData. The rules are AWS's ("Evaluating
 * an alarm" and "Configuring how CloudWatch alarms treat missing data", cited in docs/decisions.md):
 *
 * - the range is EvaluationPeriods + EXTRA_PERIODS periods (AWS reads "more data points than the
 *   number specified as Evaluation Periods");
 * - with at least N real datapoints in the range, the N most recent real ones decide (missing ones
 *   skipped, TreatMissingData unused): ALARM when at least M breach, else OK;
 * - with none: `missing` → INSUFFICIENT_DATA, `ignore` → the state stays, `breaching` → ALARM,
 *   `notBreaching` → OK;
 * - with some but fewer than N: `breaching`/`notBreaching` fill the gap with as few missing points
 *   as possible (every real point counts); `missing`/`ignore` judge the real points: ALARM with M
 *   breaching, or (`missing` only) when the oldest breaching point of the last N periods is at least
 *   M periods old and every newer one breaches or is missing ("premature transitions"); OK when a
 *   real point does not breach; otherwise the state stays.
 */

export const EXTRA_PERIODS = 2

export interface RangePoint {
  /** The period's start, epoch milliseconds. */
  readonly timestamp: number
  /** Absent: no datapoint for this period. */
  readonly value?: number
  readonly sampleCount?: number
}

export interface Evaluation {
  readonly value: AlarmStateValue
  readonly reason: string
  /** JSON text (StateReasonData). */
  readonly reasonData: string
}

const OPERATORS: Readonly<Record<string, {words: string; breaches: (value: number, threshold: number) => boolean}>> = {
  GreaterThanThreshold: {words: 'greater than', breaches: (value, threshold) => value > threshold},
  GreaterThanOrEqualToThreshold: {words: 'greater than or equal to', breaches: (value, threshold) => value >= threshold},
  LessThanThreshold: {words: 'less than', breaches: (value, threshold) => value < threshold},
  LessThanOrEqualToThreshold: {words: 'less than or equal to', breaches: (value, threshold) => value <= threshold},
}

/** The comparison operators a metric alarm with a static threshold may use. */
export const STATIC_OPERATORS: readonly string[] = Object.keys(OPERATORS)

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`
const wasWere = (count: number) => (count === 1 ? 'was' : 'were')

interface Real extends RangePoint {
  readonly value: number
  readonly breaching: boolean
}

/**
 * The state `range` (newest period first, EvaluationPeriods + EXTRA_PERIODS of them) puts the
 * alarm in, or undefined when it stays as it is.
 */
export function evaluateAlarm(alarm: AlarmRecord, range: readonly RangePoint[], queryDate: number): Evaluation | undefined {
  const operator = OPERATORS[alarm.comparisonOperator]
  if (operator === undefined) return undefined
  const n = alarm.evaluationPeriods
  const m = alarm.datapointsToAlarm ?? n
  const treat = alarm.treatMissingData ?? 'missing'
  const real: Real[] = []
  for (const point of range) {
    if (point.value !== undefined) real.push({...point, value: point.value, breaching: operator.breaches(point.value, alarm.threshold)})
  }
  const crossed = (points: readonly Real[], value: 'ALARM' | 'OK') => thresholdCrossed(alarm, operator.words, points, value, queryDate)
  if (real.length >= n) {
    const evaluated = real.slice(0, n)
    return crossed(evaluated, evaluated.filter((point) => point.breaching).length >= m ? 'ALARM' : 'OK')
  }
  if (real.length === 0) {
    const periods = range.slice(0, n)
    if (treat === 'ignore') return undefined
    if (treat === 'missing') return insufficientData(alarm, periods, queryDate)
    return noDatapoints(alarm, periods, treat === 'breaching' ? 'ALARM' : 'OK', queryDate)
  }
  const breaching = real.filter((point) => point.breaching).length
  if (treat === 'breaching' || treat === 'notBreaching') {
    const filled = treat === 'breaching' ? n - real.length : 0
    return crossed(real, breaching + filled >= m ? 'ALARM' : 'OK')
  }
  if (breaching >= m || (treat === 'missing' && prematureAlarm(range.slice(0, n), real, m))) return crossed(real, 'ALARM')
  if (real.some((point) => !point.breaching)) return crossed(real, 'OK')
  return undefined
}

/** The oldest breaching point of the last N periods is at least M periods old, and nothing newer is a good point. */
function prematureAlarm(periods: readonly RangePoint[], real: readonly Real[], m: number): boolean {
  const byTime = new Map(real.map((point) => [point.timestamp, point]))
  let oldestBreaching = -1
  for (let index = 0; index < periods.length; index++) {
    const point = byTime.get(periods[index]?.timestamp ?? NaN)
    if (point === undefined) continue
    if (!point.breaching) return false
    oldestBreaching = index
  }
  return oldestBreaching >= 0 && oldestBreaching + 1 >= m
}

function statisticOf(alarm: AlarmRecord): string {
  return alarm.metric.statistic ?? alarm.metric.extendedStatistic ?? ''
}

/** `Threshold Crossed: 2 datapoints [1.0 (07/12/26 22:10:00), …] were greater than the threshold (0.0).` */
function thresholdCrossed(alarm: AlarmRecord, words: string, evaluated: readonly Real[], value: 'ALARM' | 'OK', queryDate: number): Evaluation {
  const n = alarm.evaluationPeriods
  const shown = evaluated.filter((point) => point.breaching === (value === 'ALARM'))
  const list = `[${shown.map((point) => `${javaDouble(point.value)} (${reasonTime(point.timestamp)})`).join(', ')}]`
  const comparison = `${value === 'OK' ? 'not ' : ''}${words} the threshold (${javaDouble(alarm.threshold)})`
  let reason: string
  if (alarm.datapointsToAlarm === undefined) {
    reason = `Threshold Crossed: ${plural(shown.length, 'datapoint')} ${list} ${wasWere(shown.length)} ${comparison}.`
  } else {
    const minimum = value === 'ALARM' ? alarm.datapointsToAlarm : n - alarm.datapointsToAlarm + 1
    const transition = value === 'ALARM' ? 'OK -> ALARM' : 'ALARM -> OK'
    reason = `Threshold Crossed: ${shown.length} out of the last ${n} datapoints ${list} ${wasWere(shown.length)} ${comparison} ` +
      `(minimum ${plural(minimum, 'datapoint')} for ${transition} transition).`
  }
  const oldest = evaluated.at(-1)?.timestamp ?? queryDate
  return {
    value,
    reason,
    reasonData: javaJson({
      version: '1.0',
      queryDate: dataTime(queryDate),
      startDate: dataTime(oldest),
      unit: alarm.metric.unit,
      statistic: statisticOf(alarm),
      period: alarm.metric.period,
      recentDatapoints: [...evaluated].reverse().map((point) => point.value),
      threshold: alarm.threshold,
      evaluatedDatapoints: evaluated.map((point) => ({timestamp: dataTime(point.timestamp), sampleCount: point.sampleCount, value: point.value})),
    }),
  }
}

/** `Insufficient Data: 2 datapoints were unknown.` */
function insufficientData(alarm: AlarmRecord, periods: readonly RangePoint[], queryDate: number): Evaluation {
  return {
    value: 'INSUFFICIENT_DATA',
    reason: `Insufficient Data: ${plural(periods.length, 'datapoint')} ${wasWere(periods.length)} unknown.`,
    reasonData: unknownPointsData(alarm, periods, queryDate),
  }
}

/** `Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching].` */
function noDatapoints(alarm: AlarmRecord, periods: readonly RangePoint[], value: 'ALARM' | 'OK', queryDate: number): Evaluation {
  const count = periods.length
  return {
    value,
    reason: `Threshold Crossed: no datapoints were received for ${plural(count, 'period')} and ${plural(count, 'missing datapoint')} ` +
      `${wasWere(count)} treated as [${value === 'ALARM' ? 'Breaching' : 'NonBreaching'}].`,
    reasonData: unknownPointsData(alarm, periods, queryDate),
  }
}

/** StateReasonData when no period had a datapoint: no startDate, the periods' times only. */
function unknownPointsData(alarm: AlarmRecord, periods: readonly RangePoint[], queryDate: number): string {
  return javaJson({
    version: '1.0',
    queryDate: dataTime(queryDate),
    unit: alarm.metric.unit,
    statistic: statisticOf(alarm),
    period: alarm.metric.period,
    recentDatapoints: [],
    threshold: alarm.threshold,
    evaluatedDatapoints: periods.map((point) => ({timestamp: dataTime(point.timestamp)})),
  })
}
