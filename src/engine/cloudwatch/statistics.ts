import {histogramPercentile} from '../metrics/counters.js'
import {errorClass} from '../model/errors.js'
import {asXmlMap} from '../wire/xml.js'

/**
 * CloudWatch's statistics over buckets of samples (pure): a StatisticSet per bucket, the checks
 * GetMetricStatistics makes before it reads anything, and the data points it answers.
 */

export const InvalidParameterValue = errorClass('InvalidParameterValue')
export const InvalidParameterCombination = errorClass('InvalidParameterCombination')

export const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const
export type Statistic = typeof STATISTICS[number]

/** The samples of one bucket, as CloudWatch keeps them: count, sum, minimum, maximum. */
export interface StatisticSet {
  sampleCount: number
  sum: number
  /** Absent where only sums were measured (Latency keeps no per-request minimum or maximum). */
  minimum?: number | undefined
  maximum?: number | undefined
  /**
   * Latency's samples as a log histogram (metrics/counters.ts buckets), where it was kept: its
   * percentiles. It covers the set only while its counts add up to `sampleCount`.
   */
  histogram?: Uint32Array | undefined
}

export function addTo(total: StatisticSet | undefined, part: StatisticSet): StatisticSet {
  // The first part's histogram becomes the total's: every reader hands out a fresh one.
  if (total === undefined) return {...part}
  total.sampleCount += part.sampleCount
  total.sum += part.sum
  total.minimum = total.minimum === undefined || part.minimum === undefined ? undefined : Math.min(total.minimum, part.minimum)
  total.maximum = total.maximum === undefined || part.maximum === undefined ? undefined : Math.max(total.maximum, part.maximum)
  if (part.histogram !== undefined) {
    const histogram = total.histogram ??= new Uint32Array(part.histogram.length)
    for (let bucket = 0; bucket < histogram.length; bucket++) histogram[bucket] = (histogram[bucket] ?? 0) + (part.histogram[bucket] ?? 0)
  }
  return total
}

/** AWS's cap on the data points one GetMetricStatistics call may span. */
export const MAX_DATAPOINTS = 1440

export interface StatisticsWindow {
  /** Epoch seconds, rounded down to the minute (5 minutes, an hour) as CloudWatch does for the data's age. */
  readonly start: number
  readonly end: number
  readonly period: number
  readonly buckets: number
  /** The period does not fit the granularity AWS keeps at that age: no data points, not an error. */
  readonly empty: boolean
}

const DAY_SECONDS = 86_400

/**
 * The granularity CloudWatch keeps data at, by the age of the start time (GetMetricStatistics,
 * Period): one minute up to 15 days, 5 minutes up to 63 days, then an hour.
 */
export function granularityAt(startSeconds: number, nowSeconds: number): number {
  const age = nowSeconds - startSeconds
  if (age > 63 * DAY_SECONDS) return 3600
  return age > 15 * DAY_SECONDS ? 300 : 60
}

/** The tooManyDatapoints error, in AWS's words. */
export function tooManyDatapoints(datapoints: number): InstanceType<typeof InvalidParameterCombination> {
  return new InvalidParameterCombination(`You have requested up to ${datapoints.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`)
}

/** p0.0 to p100 with up to ten decimals (CloudWatch's "Statistics definitions"; decisions.md, "Percentile statistics"). */
export const PERCENTILE = /^p(\d{1,2}(\.\d{0,10})?|100)$/

/** The quantile (0..1) a percentile statistic names (`p99`, `p99.9`), or undefined when it names none. */
export function percentileOf(statistic: string): number | undefined {
  return PERCENTILE.test(statistic) ? Number(statistic.slice(1)) / 100 : undefined
}

/**
 * The checks of GetMetricStatistics, in AWS's order and words (InvalidParameterValue for a bad
 * value, InvalidParameterCombination for what only a combination breaks).
 */
export function statisticsWindow(
  input: {StartTime: Date; EndTime: Date; Period: number; Statistics?: readonly string[]; ExtendedStatistics?: readonly string[]},
  nowSeconds: number = Math.floor(Date.now() / 1000),
): StatisticsWindow {
  const startSeconds = Math.floor(input.StartTime.getTime() / 1000)
  const end = Math.floor(input.EndTime.getTime() / 1000)
  if (startSeconds >= end) throw new InvalidParameterValue('The parameter StartTime must be less than the parameter EndTime.')
  if (input.Period % 60 !== 0) throw new InvalidParameterValue('The parameter Period must be a multiple of 60.')
  const statistics = input.Statistics?.length ?? 0
  const extended = input.ExtendedStatistics?.length ?? 0
  if (statistics === 0 && extended === 0) throw new InvalidParameterCombination('Must specify either Statistics or ExtendedStatistics.')
  if (statistics > 0 && extended > 0) throw new InvalidParameterCombination('Must specify either Statistics or ExtendedStatistics, but not both.')
  input.Statistics?.forEach((statistic, index) => {
    if (!(STATISTICS as readonly string[]).includes(statistic)) {
      throw new InvalidParameterValue(`The parameter Statistics.member.${index + 1} must be a value in the set [ Minimum, Maximum, Average, SampleCount, Sum ].`)
    }
  })
  input.ExtendedStatistics?.forEach((statistic, index) => {
    if (percentileOf(statistic) === undefined) throw new InvalidParameterValue(`The value ${statistic} for parameter ExtendedStatistics.member.${index + 1} is invalid.`)
  })
  const granularity = granularityAt(startSeconds, nowSeconds)
  const start = startSeconds - (((startSeconds % granularity) + granularity) % granularity)
  const buckets = Math.ceil((end - start) / input.Period)
  if (buckets > MAX_DATAPOINTS) throw tooManyDatapoints(buckets)
  return {start, end, period: input.Period, buckets, empty: input.Period % granularity !== 0}
}

export interface Datapoint {
  readonly Timestamp: Date
  readonly SampleCount?: number
  readonly Average?: number
  readonly Sum?: number
  readonly Minimum?: number
  readonly Maximum?: number
  readonly Unit: string
  readonly ExtendedStatistics?: Record<string, number>
}

/**
 * A percentile of a bucket, where the samples allow it. CloudWatch computes percentiles from raw
 * values; for a statistic set only when its SampleCount is 1 or its Minimum equals its Maximum
 * (GetMetricStatistics: "CloudWatch needs raw data points to calculate percentile statistics"), so
 * RequestCount's p99 is 1. Latency keeps a histogram of its samples: the percentile is the geometric
 * middle of the bucket its rank falls in (within ±10 %), kept inside [Minimum, Maximum]. A bucket
 * without either has none, as AWS omits it.
 */
export function percentileValue(set: StatisticSet, quantile: number): number | undefined {
  if (set.sampleCount <= 0 || quantile < 0 || quantile > 1) return undefined
  if (set.minimum !== undefined && (set.minimum === set.maximum || set.sampleCount === 1)) return set.minimum
  const histogram = set.histogram
  if (histogram === undefined || histogram.reduce((total, count) => total + count, 0) !== set.sampleCount) return undefined
  if (quantile === 0 && set.minimum !== undefined) return set.minimum
  if (quantile === 1 && set.maximum !== undefined) return set.maximum
  const value = histogramPercentile(histogram, quantile, true)
  if (value === undefined) return undefined
  return Math.min(set.maximum ?? value, Math.max(set.minimum ?? value, value))
}

/** The data point of one bucket with the statistics asked for (those the bucket has). */
export function datapoint(timestamp: number, set: StatisticSet, statistics: readonly string[], unit: string, extended: readonly string[] = []): Datapoint {
  const values: Record<Statistic, number | undefined> = {
    SampleCount: set.sampleCount,
    Average: set.sampleCount > 0 ? set.sum / set.sampleCount : undefined,
    Sum: set.sum,
    Minimum: set.minimum,
    Maximum: set.maximum,
  }
  const point: Record<string, unknown> = {Timestamp: new Date(timestamp * 1000)}
  for (const statistic of STATISTICS) {
    const value = values[statistic]
    if (statistics.includes(statistic) && value !== undefined) point[statistic] = value
  }
  point.Unit = unit
  const percentiles: Record<string, number> = {}
  for (const statistic of extended) {
    const value = percentileValue(set, percentileOf(statistic) ?? -1)
    if (value !== undefined) percentiles[statistic] = value
  }
  if (Object.keys(percentiles).length > 0) point.ExtendedStatistics = asXmlMap(percentiles)
  return point as unknown as Datapoint
}
