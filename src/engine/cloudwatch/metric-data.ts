import {errorClass} from '../model/errors.js'
import type {Dimension} from './custom-metrics.js'
import {evaluate} from './metric-math-eval.js'
import {MathError, parseExpression, referencesOf, type MathNode, type MathValue, type Series} from './metric-math.js'
import {granularityAt, percentileOf, percentileValue, STATISTICS, type StatisticSet, type Statistic} from './statistics.js'

/**
 * GetMetricData: MetricStat queries read through the same bucket reader as GetMetricStatistics,
 * expressions evaluated by metric-math(-eval).ts, results in ScanBy order and paged by
 * MaxDatapoints with a NextToken. AWS's checks come first and all at once where AWS lists them
 * together (the Id pattern); a request that fails a check reads nothing.
 */

export const ValidationError = errorClass('ValidationError')
export const InvalidNextToken = errorClass('InvalidNextToken')

/** AWS's default MaxDatapoints, and the most periods one query may span here. */
export const DEFAULT_MAX_DATAPOINTS = 100_800
export const MAX_QUERIES = 500
/** What the expressions of one request may make (FILL, numbers drawn over the grid): bounds a hostile request's work. */
export const MAX_EVALUATED_POINTS = 1_000_000
const ID_PATTERN = /^[a-z][a-zA-Z0-9_]*$/
const SUB_MINUTE_PERIODS = [1, 5, 10, 20, 30]

export interface MetricQuery {
  readonly Namespace: string
  readonly MetricName: string
  readonly Dimensions?: readonly Dimension[]
  readonly Unit?: string
}

export interface MetricDataQuery {
  readonly Id: string
  readonly MetricStat?: {readonly Metric: MetricQuery; readonly Period: number; readonly Stat: string; readonly Unit?: string}
  readonly Expression?: string
  readonly Label?: string
  readonly ReturnData?: boolean
  readonly Period?: number
}

export interface GetMetricDataInput {
  readonly MetricDataQueries: readonly MetricDataQuery[]
  readonly StartTime: Date
  readonly EndTime: Date
  readonly NextToken?: string
  readonly ScanBy?: 'TimestampDescending' | 'TimestampAscending'
  readonly MaxDatapoints?: number
}

export interface MetricDataResult {
  readonly Id: string
  readonly Label: string
  readonly Timestamps: Date[]
  readonly Values: number[]
  readonly StatusCode: 'Complete' | 'PartialData'
  readonly Messages: {Code: string; Value: string}[]
}

export interface GetMetricDataOutput {
  readonly MetricDataResults: MetricDataResult[]
  readonly NextToken?: string
  readonly Messages: {Code: string; Value: string}[]
}

export interface Window {
  readonly start: number
  readonly end: number
  readonly period: number
}

export type BucketReader = (metric: MetricQuery, window: Window) => Map<number, {set: StatisticSet; unit: string}>

const at = (index: number) => `MetricDataQueries.member.${index + 1}`

/** The value of one statistic (`Sum`, `p99`) of a bucket, when the bucket has it. */
function statisticValue(set: StatisticSet, stat: string): number | undefined {
  switch (stat as Statistic) {
    case 'SampleCount': return set.sampleCount
    case 'Sum': return set.sum
    case 'Average': return set.sampleCount > 0 ? set.sum / set.sampleCount : undefined
    case 'Minimum': return set.minimum
    case 'Maximum': return set.maximum
    default: return percentileValue(set, percentileOf(stat) ?? -1)
  }
}

/** AWS's checks of the queries, every Id problem listed at once as AWS does. */
function validate(input: GetMetricDataInput): Map<string, MathNode> {
  const queries = input.MetricDataQueries
  if (queries.length === 0 || queries.length > MAX_QUERIES) {
    throw new ValidationError(`The collection MetricDataQueries must contain from 1 to ${MAX_QUERIES} members.`)
  }
  const idErrors = queries.flatMap((query, index) => ID_PATTERN.test(query.Id) ? []
    : [`The value ${query.Id} for parameter ${at(index)}.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.`])
  if (idErrors.length > 0) throw new ValidationError(idErrors.join('\n'))
  const statErrors = queries.flatMap((query, index) => {
    const stat = query.MetricStat?.Stat
    return stat === undefined || (STATISTICS as readonly string[]).includes(stat) || percentileOf(stat) !== undefined ? []
      : [`The value ${stat} for parameter ${at(index)}.MetricStat.Stat is not a valid statistic.`]
  })
  if (statErrors.length > 0) throw new ValidationError(statErrors.join('\n'))
  const seen = new Set<string>()
  queries.forEach((query, index) => {
    if (seen.has(query.Id)) throw new ValidationError(`The value ${query.Id} for parameter ${at(index)}.Id is not unique.`)
    seen.add(query.Id)
  })
  if (input.StartTime.getTime() >= input.EndTime.getTime()) throw new ValidationError('The parameter StartTime must be less than the parameter EndTime.')
  if (input.MaxDatapoints !== undefined && input.MaxDatapoints < 1) throw new ValidationError(`The value ${input.MaxDatapoints} for parameter MaxDatapoints is invalid.`)
  const expressions = new Map<string, MathNode>()
  queries.forEach((query, index) => {
    const hasStat = query.MetricStat !== undefined
    const hasExpression = query.Expression !== undefined
    if (hasStat === hasExpression) {
      throw new ValidationError(`Exactly one of the parameters ${at(index)}.MetricStat and ${at(index)}.Expression must be specified.`)
    }
    const period = query.MetricStat?.Period ?? query.Period
    if (period !== undefined && !(period % 60 === 0 && period > 0) && !SUB_MINUTE_PERIODS.includes(period)) {
      throw new ValidationError(`The value ${period} for parameter ${at(index)}${hasStat ? '.MetricStat' : ''}.Period is invalid: it must be 1, 5, 10, 20, 30 or a multiple of 60.`)
    }
    if (query.Expression === undefined) return
    try {
      const tree = parseExpression(query.Expression)
      for (const id of referencesOf(tree)) {
        if (!seen.has(id)) throw new MathError(`${id} is not the Id of a query in this request.`)
        if (id === query.Id) throw new MathError('an expression cannot refer to itself.')
      }
      expressions.set(query.Id, tree)
    } catch (error) {
      if (!(error instanceof MathError)) throw error
      throw new ValidationError(`Error in expression ${query.Id} (${at(index)}.Expression): ${error.message}`)
    }
  })
  return expressions
}

function pageOffset(token: string | undefined): number {
  if (token === undefined) return 0
  const match = /^pos-(\d{1,9})$/.exec(token)
  if (match === null) throw new InvalidNextToken('The specified NextToken is not valid.')
  return Number(match[1])
}

/** The grid of a query: its start rounded to the granularity its age allows, its period. */
function gridOf(input: GetMetricDataInput, period: number, nowSeconds: number): Window {
  const startSeconds = Math.floor(input.StartTime.getTime() / 1000)
  const granularity = Math.max(granularityAt(startSeconds, nowSeconds), period < 60 ? period : 60)
  const start = startSeconds - (((startSeconds % granularity) + granularity) % granularity)
  return {start, end: Math.ceil(input.EndTime.getTime() / 1000), period}
}

export function getMetricData(input: GetMetricDataInput, nowMs: number, read: BucketReader): GetMetricDataOutput {
  const expressions = validate(input)
  const offset = pageOffset(input.NextToken)
  const nowSeconds = Math.floor(nowMs / 1000)
  const byId = new Map(input.MetricDataQueries.map((query) => [query.Id, query]))
  const periodOf = (query: MetricDataQuery): number => query.MetricStat?.Period ?? query.Period ?? firstReferencedPeriod(query) ?? 60
  const firstReferencedPeriod = (query: MetricDataQuery): number | undefined => {
    for (const id of referencesOf(expressions.get(query.Id) ?? {kind: 'number', value: 0})) {
      const period = byId.get(id)?.MetricStat?.Period
      if (period !== undefined) return period
    }
    return undefined
  }
  input.MetricDataQueries.forEach((query, index) => {
    const grid = gridOf(input, periodOf(query), nowSeconds)
    const periods = Math.ceil((grid.end - grid.start) / grid.period)
    if (periods > DEFAULT_MAX_DATAPOINTS) {
      throw new ValidationError(`${at(index)} spans ${periods.toLocaleString('en-US')} periods; this engine answers at most ${DEFAULT_MAX_DATAPOINTS.toLocaleString('en-US')} per query. Increase the Period or shorten the time range.`)
    }
  })

  const values = new Map<string, MathValue>()
  const evaluating = new Set<string>()
  let budget = MAX_EVALUATED_POINTS
  const spend = (points: number) => {
    budget -= points
    if (budget < 0) throw new MathError(`the expressions of this request would make more than ${MAX_EVALUATED_POINTS.toLocaleString('en-US')} data points.`)
  }
  const valueOf = (id: string): MathValue => {
    const known = values.get(id)
    if (known !== undefined) return known
    const query = byId.get(id)
    if (query === undefined) throw new MathError(`${id} is not the Id of a query in this request.`)
    if (evaluating.has(id)) throw new MathError(`the expressions refer to each other in a cycle through ${id}.`)
    evaluating.add(id)
    const grid = gridOf(input, periodOf(query), nowSeconds)
    const label = query.Label ?? (query.MetricStat?.Metric.MetricName ?? id)
    let value: MathValue
    if (query.MetricStat !== undefined) {
      const {Metric, Stat, Unit} = query.MetricStat
      const buckets = [...read(Unit === undefined ? Metric : {...Metric, Unit}, grid)].sort(([a], [b]) => a - b)
      const series: {label: string; timestamps: number[]; values: number[]} = {label, timestamps: [], values: []}
      for (const [index, {set}] of buckets) {
        const statistic = statisticValue(set, Stat)
        if (statistic === undefined) continue
        series.timestamps.push(grid.start + index * grid.period)
        series.values.push(statistic)
      }
      value = series
    } else {
      const context = {
        grid,
        resolve: valueOf,
        metrics: (filter: string | undefined) => input.MetricDataQueries
          .filter((candidate) => candidate.MetricStat !== undefined && (filter === undefined || candidate.Id.includes(filter)))
          .map((candidate) => valueOf(candidate.Id) as Series),
        spend,
      }
      const result = evaluate(expressions.get(id) ?? {kind: 'number', value: NaN}, context)
      if (typeof result === 'number') spend(Math.ceil((grid.end - grid.start) / grid.period))
      value = labelled(result, label, grid)
    }
    evaluating.delete(id)
    values.set(id, value)
    return value
  }

  const results: {id: string; series: Series}[] = []
  input.MetricDataQueries.forEach((query, index) => {
    if (query.ReturnData === false) return
    let value: MathValue
    try {
      value = valueOf(query.Id)
    } catch (error) {
      if (!(error instanceof MathError)) throw error
      throw new ValidationError(`Error in expression ${query.Id} (${at(index)}.Expression): ${error.message}`)
    }
    for (const series of Array.isArray(value) ? value as readonly Series[] : [value as Series]) results.push({id: query.Id, series})
  })
  return page(results, input.ScanBy !== 'TimestampAscending', offset, input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS)
}

/** An expression's value as series: a number is a horizontal line over the grid, as a graph shows it. */
function labelled(value: MathValue, label: string, grid: Window): MathValue {
  if (typeof value === 'number') {
    const timestamps: number[] = []
    if (Number.isFinite(value)) for (let t = grid.start; t < grid.end; t += grid.period) timestamps.push(t)
    return {label, timestamps, values: timestamps.map(() => value)}
  }
  if (Array.isArray(value)) return value as readonly Series[]
  return {...(value as Series), label}
}

/** The results from the `offset`-th data point on, at most `max` data points, in ScanBy order. */
function page(results: readonly {id: string; series: Series}[], descending: boolean, offset: number, max: number): GetMetricDataOutput {
  let skip = offset
  let room = max
  let next: number | undefined
  const answers: MetricDataResult[] = []
  for (const {id, series} of results) {
    const order = series.timestamps.map((_, index) => index)
    if (descending) order.reverse()
    const from = Math.min(skip, order.length)
    skip -= from
    const taken = order.slice(from, from + room)
    room -= taken.length
    const partial = from + taken.length < order.length
    if (partial && next === undefined) next = offset + max
    if (from === order.length && order.length > 0) continue
    answers.push({
      Id: id, Label: series.label,
      Timestamps: taken.map((index) => new Date((series.timestamps[index] ?? 0) * 1000)),
      Values: taken.map((index) => series.values[index] ?? 0),
      StatusCode: partial ? 'PartialData' : 'Complete',
      Messages: [],
    })
  }
  return next === undefined ? {MetricDataResults: answers, Messages: []} : {MetricDataResults: answers, NextToken: `pos-${next}`, Messages: []}
}
