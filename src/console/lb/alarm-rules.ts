/**
 * The alarm form's choices and the alarm list's wording (pure). The form offers what PutMetricAlarm
 * takes for a standard-resolution metric and leaves every check to the API, so what is refused is
 * refused with AWS's own code and message, shown at the field the message names.
 */

export const STATISTICS = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'] as const

/** The comparison operators of a static threshold, as AWS's console shows them. */
export const COMPARISONS: readonly [string, string][] = [
  ['GreaterThanThreshold', '>'],
  ['GreaterThanOrEqualToThreshold', '>='],
  ['LessThanThreshold', '<'],
  ['LessThanOrEqualToThreshold', '<='],
]

/** The periods AWS's console offers for a metric kept at one-minute resolution. */
export const ALARM_PERIODS: readonly [number, string][] = [
  [60, '1 minute'], [300, '5 minutes'], [900, '15 minutes'], [3600, '1 hour'], [21_600, '6 hours'], [86_400, '1 day'],
]

export interface AlarmCondition {
  readonly metricName: string
  readonly statistic: string
  readonly comparison: string
  readonly threshold: string
  readonly period: number
  readonly evaluationPeriods: number
  readonly datapointsToAlarm?: number | undefined
}

function periodText(seconds: number): string {
  const known = ALARM_PERIODS.find(([period]) => period === seconds)
  if (known !== undefined) return known[1]
  return seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} seconds`
}

/** `RequestCount Sum > 100 for 2 datapoints within 2 minutes`, as AWS's console words an alarm's threshold. */
export function conditionText(alarm: AlarmCondition): string {
  const symbol = COMPARISONS.find(([operator]) => operator === alarm.comparison)?.[1] ?? alarm.comparison
  const within = periodText(alarm.period * alarm.evaluationPeriods)
  const datapoints = alarm.datapointsToAlarm ?? alarm.evaluationPeriods
  return `${alarm.metricName} ${alarm.statistic} ${symbol} ${alarm.threshold} for ${datapoints} datapoint${datapoints === 1 ? '' : 's'} within ${within}`
}

/**
 * The name the form suggests, after the old AWS console's (`awsec2-<instance>-High-CPU-Utilization`
 * for EC2): `awselb-<LB>-High-RequestCount`, Low for a less-than alarm.
 */
export function suggestedAlarmName(lb: string, metric: string, comparison: string): string {
  return `awselb-${lb}-${comparison.startsWith('Less') ? 'Low' : 'High'}-${metric}`
}

/**
 * The form field an API error is about: the parameter its message names first (`Value 'abc' at
 * 'threshold'`, `The parameter Period must be …`), matched as a whole word in any case; undefined
 * when it names none of them.
 */
export function fieldOfError<Field extends string>(message: string, fields: readonly Field[]): Field | undefined {
  let best: {field: Field; at: number} | undefined
  for (const field of fields) {
    const match = new RegExp(`(^|[^A-Za-z])${field}([^A-Za-z]|$)`, 'i').exec(message)
    if (match !== null && (best === undefined || match.index < best.at)) best = {field, at: match.index}
  }
  return best?.field
}
