import {errorClass} from '../model/errors.js'

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
}

export function addTo(total: StatisticSet | undefined, part: StatisticSet): StatisticSet {
  if (total === undefined) return {...part}
  total.sampleCount += part.sampleCount
  total.sum += part.sum
  total.minimum = total.minimum === undefined || part.minimum === undefined ? undefined : Math.min(total.minimum, part.minimum)
  total.maximum = total.maximum === undefined || part.maximum === undefined ? undefined : Math.max(total.maximum, part.maximum)
  return total
}

/** AWS's cap on the data points one GetMetricStatistics call may span. */
export const MAX_DATAPOINTS = 1440

export interface StatisticsWindow {
  /** Epoch seconds, rounded down to the minute as CloudWatch does for data younger than 15 days. */
  readonly start: number
  readonly end: number
  readonly period: number
  readonly buckets: number
}

/**
 * The checks of GetMetricStatistics, in AWS's order and words (InvalidParameterValue for a bad
 * value, InvalidParameterCombination for what only a combination breaks).
 */
export function statisticsWindow(input: {StartTime: Date; EndTime: Date; Period: number; Statistics?: readonly string[]; ExtendedStatistics?: readonly string[]}): StatisticsWindow {
  const startSeconds = Math.floor(input.StartTime.getTime() / 1000)
  const end = Math.floor(input.EndTime.getTime() / 1000)
  if (startSeconds >= end) throw new InvalidParameterValue('The parameter StartTime must be less than the parameter EndTime.')
  if (input.Period % 60 !== 0) throw new InvalidParameterValue('The parameter Period must be a multiple of 60.')
  const statistics = input.Statistics?.length ?? 0
  const extended = input.ExtendedStatistics?.length ?? 0
  if (statistics === 0 && extended === 0) throw new InvalidParameterCombination('Must specify either Statistics or ExtendedStatistics.')
  if (statistics > 0 && extended > 0) throw new InvalidParameterCombination('Must specify either Statistics or ExtendedStatistics, but not both.')
  const start = startSeconds - (((startSeconds % 60) + 60) % 60)
  const buckets = Math.ceil((end - start) / input.Period)
  if (buckets > MAX_DATAPOINTS) {
    throw new InvalidParameterCombination(`You have requested up to ${buckets.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`)
  }
  return {start, end, period: input.Period, buckets}
}

export interface Datapoint {
  readonly Timestamp: Date
  readonly SampleCount?: number
  readonly Average?: number
  readonly Sum?: number
  readonly Minimum?: number
  readonly Maximum?: number
  readonly Unit: string
}

/** The data point of one bucket with the statistics asked for (those the bucket has). */
export function datapoint(timestamp: number, set: StatisticSet, statistics: readonly string[], unit: string): Datapoint {
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
  return point as unknown as Datapoint
}
