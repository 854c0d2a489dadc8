import {errorClass} from '../model/errors.js'
import {addTo, InvalidParameterCombination, InvalidParameterValue, type StatisticSet} from './statistics.js'

/**
 * Metrics published with PutMetricData, kept in memory at one-minute resolution and bounded: at
 * most MAX_CUSTOM_METRICS metrics (then LimitExceeded) and MAX_MINUTES_PER_METRIC minute buckets
 * each (the oldest dropped first). A metric is its region, namespace, name and dimension set.
 */

export const MAX_CUSTOM_METRICS = 10_000
export const MAX_MINUTES_PER_METRIC = 1440
/** AWS takes data points up to two weeks old and two hours ahead. */
const OLDEST_MS = 14 * 24 * 3600_000
const NEWEST_MS = 2 * 3600_000

export const LimitExceeded = errorClass('LimitExceeded')
export const MissingParameter = errorClass('MissingParameter')

export interface Dimension {
  readonly Name: string
  readonly Value: string
}

export interface MetricDatum {
  readonly MetricName: string
  readonly Dimensions?: readonly Dimension[]
  readonly Timestamp?: Date
  readonly Value?: number
  readonly StatisticValues?: {readonly SampleCount: number; readonly Sum: number; readonly Minimum: number; readonly Maximum: number}
  readonly Values?: readonly number[]
  readonly Counts?: readonly number[]
  readonly Unit?: string
}

export interface MinuteBucket {
  /** Epoch seconds of the minute. */
  readonly minute: number
  readonly unit: string
  readonly set: StatisticSet
}

export interface CustomMetric {
  readonly region: string
  readonly namespace: string
  readonly metricName: string
  /** Sorted by name: the same set in any order is the same metric. */
  readonly dimensions: readonly Dimension[]
  /** `${minute}|${unit}` → bucket: data of another unit in the same minute is its own series. */
  readonly buckets: Map<string, MinuteBucket>
}

function sortedDimensions(dimensions: readonly Dimension[]): Dimension[] {
  return [...dimensions].sort((a, b) => a.Name.localeCompare(b.Name) || a.Value.localeCompare(b.Value))
}

export function metricKey(region: string, namespace: string, metricName: string, dimensions: readonly Dimension[]): string {
  return JSON.stringify([region, namespace, metricName, sortedDimensions(dimensions).map((d) => [d.Name, d.Value])])
}

const invalidValue = (value: number, parameter: string) => new InvalidParameterValue(`The value ${value} for parameter ${parameter} is invalid.`)

/** The samples one datum carries, after AWS's checks of that datum (`n` is its 1-based index). */
function samplesOf(datum: MetricDatum, n: number): StatisticSet {
  const at = `MetricData.member.${n}`
  const exclusive = (other: string) => new InvalidParameterCombination(`The parameters ${at}.Value and ${at}.${other} are mutually exclusive and you have specified both.`)
  if (datum.Value !== undefined && datum.Values !== undefined) throw exclusive('Values')
  if (datum.Value !== undefined && datum.StatisticValues !== undefined) throw exclusive('StatisticValues')
  if (datum.Value !== undefined) {
    if (!Number.isFinite(datum.Value)) throw invalidValue(datum.Value, `${at}.Value`)
    return {sampleCount: 1, sum: datum.Value, minimum: datum.Value, maximum: datum.Value}
  }
  if (datum.StatisticValues !== undefined) {
    const {SampleCount, Sum, Minimum, Maximum} = datum.StatisticValues
    for (const [name, value] of Object.entries({SampleCount, Sum, Minimum, Maximum})) {
      if (!Number.isFinite(value)) throw invalidValue(value, `${at}.StatisticValues.${name}`)
    }
    if (SampleCount <= 0) throw invalidValue(SampleCount, `${at}.StatisticValues.SampleCount`)
    if (Maximum < Minimum) throw new InvalidParameterValue(`The parameter ${at}.StatisticValues.Maximum must be greater than ${at}.StatisticValues.Minimum.`)
    return {sampleCount: SampleCount, sum: Sum, minimum: Minimum, maximum: Maximum}
  }
  const values = datum.Values ?? []
  if (values.length === 0) throw new MissingParameter(`The parameter ${at}.Value is required.`)
  const counts = datum.Counts
  if (counts !== undefined && counts.length !== values.length) {
    throw new InvalidParameterValue(`The parameters ${at}.Values and ${at}.Counts must be arrays of the same length.`)
  }
  let set: StatisticSet | undefined
  values.forEach((value, index) => {
    const count = counts?.[index] ?? 1
    if (!Number.isFinite(value)) throw invalidValue(value, `${at}.Values.member.${index + 1}`)
    if (!Number.isFinite(count) || count < 0) throw invalidValue(count, `${at}.Counts.member.${index + 1}`)
    if (count > 0) set = addTo(set, {sampleCount: count, sum: value * count, minimum: value, maximum: value})
  })
  return set ?? {sampleCount: 0, sum: 0}
}

export class CustomMetrics {
  private readonly metrics = new Map<string, CustomMetric>()
  /** Told of each bucket a put changed (the persistence writes it at its next minute). */
  sink: ((metric: CustomMetric, bucket: MinuteBucket) => void) | undefined

  /** Checks every datum first, then stores them all: a refused call stores nothing. */
  put(region: string, namespace: string, data: readonly MetricDatum[], now: number): void {
    if (namespace.startsWith('AWS/')) throw new InvalidParameterValue('The value AWS/ for parameter Namespace is invalid.')
    const checked = data.map((datum, index) => {
      const time = datum.Timestamp?.getTime() ?? now
      if (time < now - OLDEST_MS || time > now + NEWEST_MS) {
        throw new InvalidParameterValue(`The parameter MetricData.member.${index + 1}.Timestamp must specify a time no more than two weeks in the past or two hours in the future.`)
      }
      return {datum, samples: samplesOf(datum, index + 1), minute: Math.floor(time / 60_000) * 60}
    })
    const fresh = new Set(checked.map(({datum}) => metricKey(region, namespace, datum.MetricName, datum.Dimensions ?? []))
      .filter((key) => !this.metrics.has(key)))
    if (this.metrics.size + fresh.size > MAX_CUSTOM_METRICS) {
      throw new LimitExceeded(`This engine keeps at most ${MAX_CUSTOM_METRICS} custom metrics.`)
    }
    for (const {datum, samples, minute} of checked) {
      if (samples.sampleCount === 0) continue
      const dimensions = datum.Dimensions ?? []
      const key = metricKey(region, namespace, datum.MetricName, dimensions)
      let metric = this.metrics.get(key)
      if (metric === undefined) {
        metric = {region, namespace, metricName: datum.MetricName, dimensions: sortedDimensions(dimensions), buckets: new Map()}
        this.metrics.set(key, metric)
      }
      const unit = datum.Unit ?? 'None'
      const bucketKey = `${minute}|${unit}`
      let bucket = metric.buckets.get(bucketKey)
      if (bucket === undefined) metric.buckets.set(bucketKey, bucket = {minute, unit, set: {...samples}})
      else addTo(bucket.set, samples)
      if (metric.buckets.size > MAX_MINUTES_PER_METRIC) deleteOldest(metric.buckets, (bucket) => bucket.minute)
      this.sink?.(metric, bucket)
    }
  }

  /**
   * A bucket read back from disk (not persisted again), within the same bounds as a put; a bucket
   * a put filled meanwhile is kept as it is.
   */
  restore(metric: Pick<CustomMetric, 'region' | 'namespace' | 'metricName' | 'dimensions'>, bucket: MinuteBucket): void {
    const key = metricKey(metric.region, metric.namespace, metric.metricName, metric.dimensions)
    let known = this.metrics.get(key)
    if (known === undefined) {
      if (this.metrics.size >= MAX_CUSTOM_METRICS) return
      known = {...metric, dimensions: sortedDimensions(metric.dimensions), buckets: new Map()}
      this.metrics.set(key, known)
    }
    const bucketKey = `${bucket.minute}|${bucket.unit}`
    if (known.buckets.has(bucketKey)) return
    known.buckets.set(bucketKey, {minute: bucket.minute, unit: bucket.unit, set: {...bucket.set}})
    if (known.buckets.size > MAX_MINUTES_PER_METRIC) deleteOldest(known.buckets, (kept) => kept.minute)
  }

  find(region: string, namespace: string, metricName: string, dimensions: readonly Dimension[]): CustomMetric | undefined {
    return this.metrics.get(metricKey(region, namespace, metricName, dimensions))
  }

  all(): IterableIterator<CustomMetric> {
    return this.metrics.values()
  }
}

/** Deletes the entry of `map` whose minute is oldest (one pass): how the bounded stores make room. */
export function deleteOldest<K, V>(map: Map<K, V>, minuteOf: (value: V) => number): void {
  let oldest: K | undefined
  let oldestMinute = Infinity
  for (const [key, value] of map) {
    if (minuteOf(value) < oldestMinute) {
      oldestMinute = minuteOf(value)
      oldest = key
    }
  }
  if (oldest !== undefined) map.delete(oldest)
}
