import {MathError, type MathNode, type MathValue, type Series} from './metric-math.js'

/**
 * Evaluates a parsed metric-math expression over time series (metric-math.ts parses). As in
 * CloudWatch: an operator between two series keeps the timestamps both have; one between a series
 * and a number applies to every value; a result that is not a finite number (a division by zero)
 * is no value. SUM/AVG/MIN/MAX of an array of series (METRICS()) is a series, point by point over
 * the values present; of one series, a number.
 */

export interface Grid {
  /** Epoch seconds of the first period, the end (exclusive), the period in seconds. */
  readonly start: number
  readonly end: number
  readonly period: number
}

export interface EvaluationContext {
  readonly grid: Grid
  /** The value of another query (a MetricStat's series or an expression's result). */
  resolve(id: string): MathValue
  /** The MetricStat queries' series whose Id contains `filter` (all of them without one). */
  metrics(filter: string | undefined): Series[]
  /** Accounts for `points` values an expression makes (FILL): throws a MathError past the request's budget. */
  spend(points: number): void
}

const isSeries = (value: MathValue): value is Series => typeof value === 'object' && !Array.isArray(value)
const isArray = (value: MathValue): value is readonly Series[] => Array.isArray(value)

function mapSeries(series: Series, apply: (value: number, index: number) => number, label = series.label): Series {
  const timestamps: number[] = []
  const values: number[] = []
  series.values.forEach((value, index) => {
    const result = apply(value, index)
    if (Number.isFinite(result)) {
      timestamps.push(series.timestamps[index] ?? 0)
      values.push(result)
    }
  })
  return {label, timestamps, values}
}

function combine(a: Series, b: Series, apply: (x: number, y: number) => number): Series {
  const other = new Map(b.timestamps.map((timestamp, index) => [timestamp, b.values[index] ?? NaN]))
  return mapSeries(a, (value, index) => {
    const y = other.get(a.timestamps[index] ?? NaN)
    return y === undefined ? NaN : apply(value, y)
  })
}

const OPERATORS: Record<string, (x: number, y: number) => number> = {
  '+': (x, y) => x + y, '-': (x, y) => x - y, '*': (x, y) => x * y, '/': (x, y) => x / y, '^': (x, y) => x ** y,
}

function binary(op: string, left: MathValue, right: MathValue): MathValue {
  const apply = OPERATORS[op] ?? ((): number => NaN)
  if (isArray(left) && isArray(right)) throw new MathError(`The operator ${op} cannot combine two arrays of time series.`)
  if (isArray(left)) return left.map((series) => binary(op, series, right) as Series)
  if (isArray(right)) return right.map((series) => binary(op, left, series) as Series)
  if (typeof right === 'number') return typeof left === 'number' ? apply(left, right) : mapSeries(left, (value) => apply(value, right))
  if (typeof left === 'number') return mapSeries(right, (value) => apply(left, value))
  return combine(left, right, apply)
}

const AGGREGATES: Record<string, (values: readonly number[]) => number> = {
  SUM: (values) => values.reduce((total, value) => total + value, 0),
  AVG: (values) => values.length === 0 ? NaN : values.reduce((total, value) => total + value, 0) / values.length,
  MIN: (values) => values.length === 0 ? NaN : values.reduce((low, value) => Math.min(low, value), Infinity),
  MAX: (values) => values.length === 0 ? NaN : values.reduce((high, value) => Math.max(high, value), -Infinity),
}

function aggregate(name: string, value: MathValue): MathValue {
  const reduce = AGGREGATES[name] ?? ((): number => NaN)
  if (typeof value === 'number') return value
  if (isSeries(value)) return value.values.length === 0 ? NaN : reduce(value.values)
  const byTimestamp = new Map<number, number[]>()
  for (const series of value) {
    series.timestamps.forEach((timestamp, index) => {
      const list = byTimestamp.get(timestamp) ?? []
      list.push(series.values[index] ?? NaN)
      byTimestamp.set(timestamp, list)
    })
  }
  const timestamps = [...byTimestamp.keys()].sort((a, b) => a - b)
  return mapSeries({label: name, timestamps, values: timestamps.map((timestamp) => reduce(byTimestamp.get(timestamp) ?? []))}, (v) => v)
}

function gridTimestamps(grid: Grid): number[] {
  const timestamps: number[] = []
  for (let at = grid.start; at < grid.end; at += grid.period) timestamps.push(at)
  return timestamps
}

/** FILL(series, value | REPEAT | LINEAR): a value at every timestamp of the grid. */
function fill(series: Series, how: number | 'REPEAT' | 'LINEAR', grid: Grid): Series {
  const known = new Map(series.timestamps.map((timestamp, index) => [timestamp, series.values[index] ?? NaN]))
  const timestamps = gridTimestamps(grid)
  if (typeof how === 'number') return {label: series.label, timestamps, values: timestamps.map((at) => known.get(at) ?? how)}
  if (series.values.length === 0) return {label: series.label, timestamps: [], values: []}
  const values: number[] = []
  let previous = 0
  timestamps.forEach((at) => {
    const value = known.get(at)
    if (value !== undefined) {
      values.push(value)
      return
    }
    // Before the first value and (for LINEAR) after the last: the nearest value, as REPEAT does.
    while (previous < series.timestamps.length - 1 && (series.timestamps[previous + 1] ?? Infinity) < at) previous++
    const [t0, v0, t1, v1] = [series.timestamps[previous] ?? 0, series.values[previous] ?? 0, series.timestamps[previous + 1], series.values[previous + 1]]
    if (at < t0) values.push(v0)
    else if (how === 'REPEAT' || t1 === undefined || v1 === undefined) values.push(v0)
    else values.push(v0 + ((v1 - v0) * (at - t0)) / (t1 - t0))
  })
  return {label: series.label, timestamps, values}
}

function perSeries(value: MathValue, name: string, apply: (series: Series) => Series): MathValue {
  if (typeof value === 'number') throw new MathError(`${name} takes a time series, not a number.`)
  return isArray(value) ? value.map(apply) : apply(value)
}

function change(series: Series, perSecond: boolean): Series {
  const timestamps: number[] = []
  const values: number[] = []
  for (let index = 1; index < series.values.length; index++) {
    const dt = (series.timestamps[index] ?? 0) - (series.timestamps[index - 1] ?? 0)
    const dv = (series.values[index] ?? 0) - (series.values[index - 1] ?? 0)
    timestamps.push(series.timestamps[index] ?? 0)
    values.push(perSecond ? dv / dt : dv)
  }
  return {label: series.label, timestamps, values}
}

function argCount(name: string, args: readonly MathNode[], min: number, max: number): void {
  if (args.length < min || args.length > max) {
    throw new MathError(`${name} takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, not ${args.length}.`)
  }
}

function call(name: string, args: readonly MathNode[], context: EvaluationContext): MathValue {
  const value = (index: number) => evaluate(args[index] as MathNode, context)
  switch (name) {
    case 'METRICS': {
      argCount(name, args, 0, 1)
      const filter = args[0]
      if (filter !== undefined && filter.kind !== 'string') throw new MathError('METRICS takes a string, as in METRICS("errors").')
      return context.metrics(filter?.value)
    }
    case 'SUM': case 'AVG': case 'MIN': case 'MAX':
      argCount(name, args, 1, 1)
      return aggregate(name, value(0))
    case 'FILL': {
      argCount(name, args, 2, 2)
      const how = args[1]
      const mode = how?.kind === 'ref' && ['REPEAT', 'LINEAR'].includes(how.id.toUpperCase()) ? how.id.toUpperCase() as 'REPEAT' | 'LINEAR' : value(1)
      if (typeof mode !== 'number' && typeof mode !== 'string') throw new MathError('FILL takes a number, REPEAT or LINEAR as its second argument.')
      const {grid} = context
      return perSeries(value(0), name, (series) => {
        context.spend(Math.ceil((grid.end - grid.start) / grid.period))
        return fill(series, mode, grid)
      })
    }
    case 'RATE': case 'DIFF':
      argCount(name, args, 1, 1)
      return perSeries(value(0), name, (series) => change(series, name === 'RATE'))
    case 'ABS': {
      argCount(name, args, 1, 1)
      const arg = value(0)
      return typeof arg === 'number' ? Math.abs(arg) : perSeries(arg, name, (series) => mapSeries(series, Math.abs))
    }
    case 'PERIOD':
      argCount(name, args, 1, 1)
      value(0)
      return context.grid.period
    default:
      throw new MathError(`The function ${name} is not supported by this engine.`)
  }
}

export function evaluate(node: MathNode, context: EvaluationContext): MathValue {
  switch (node.kind) {
    case 'number': return node.value
    case 'string': throw new MathError(`A string ("${node.value}") is only an argument of METRICS.`)
    case 'ref': return context.resolve(node.id)
    case 'negate': return binary('*', -1, evaluate(node.arg, context))
    case 'binary': return binary(node.op, evaluate(node.left, context), evaluate(node.right, context))
    case 'call': return call(node.name, node.args, context)
  }
}
