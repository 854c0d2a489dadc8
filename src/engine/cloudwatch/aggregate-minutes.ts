import {LATENCY_BUCKETS} from '../metrics/counters.js'
import type {StatisticSet} from './statistics.js'

/**
 * One region's (or one Availability Zone's) AWS/ELB minutes summed over all its load balancers,
 * kept up to date as the history folds each load balancer's minutes (history.ts): what the
 * dimension sets {} and {AvailabilityZone} read, in O(minutes) rather than O(load balancers ×
 * minutes). Per metric, one ring of statistic sets (sample count, sum, minimum, maximum) allocated
 * on its first sample; Latency also keeps a dense histogram per minute for its percentiles.
 */

class SetRing {
  readonly stamps: Uint32Array
  readonly values: Float64Array

  constructor(capacity: number) {
    this.stamps = new Uint32Array(capacity)
    this.values = new Float64Array(capacity * 4)
  }
}

export class AggregateMinutes {
  private readonly rings = new Map<string, SetRing>()
  private histograms: {stamps: Uint32Array; counts: Uint32Array} | undefined

  constructor(private readonly capacity: number) {}

  /** Adds one load balancer's (or node's) statistic set of `metric` in `minute`. */
  add(metric: string, minute: number, set: StatisticSet): void {
    let ring = this.rings.get(metric)
    if (ring === undefined) {
      ring = new SetRing(this.capacity)
      this.rings.set(metric, ring)
    }
    const slot = minute % this.capacity
    const at = slot * 4
    const values = ring.values
    const minimum = set.minimum ?? NaN
    const maximum = set.maximum ?? NaN
    if (ring.stamps[slot] !== minute) {
      ring.stamps[slot] = minute
      values[at] = set.sampleCount
      values[at + 1] = set.sum
      values[at + 2] = minimum
      values[at + 3] = maximum
    } else {
      values[at] = (values[at] ?? 0) + set.sampleCount
      values[at + 1] = (values[at + 1] ?? 0) + set.sum
      // NaN (a part without minimum or maximum) stays NaN: the bucket has none.
      values[at + 2] = Math.min(values[at + 2] ?? NaN, minimum)
      values[at + 3] = Math.max(values[at + 3] ?? NaN, maximum)
    }
    if (set.histogram !== undefined) this.addHistogram(minute, set.histogram)
  }

  private addHistogram(minute: number, histogram: Uint32Array): void {
    const kept = this.histograms ??= {stamps: new Uint32Array(this.capacity), counts: new Uint32Array(this.capacity * LATENCY_BUCKETS)}
    const slot = minute % this.capacity
    const at = slot * LATENCY_BUCKETS
    if (kept.stamps[slot] !== minute) {
      kept.stamps[slot] = minute
      kept.counts.fill(0, at, at + LATENCY_BUCKETS)
    }
    for (let bucket = 0; bucket < LATENCY_BUCKETS; bucket++) kept.counts[at + bucket] = (kept.counts[at + bucket] ?? 0) + (histogram[bucket] ?? 0)
  }

  /** The sum of every part added for `metric` in `minute`, or undefined when none was. */
  read(metric: string, minute: number): StatisticSet | undefined {
    const ring = this.rings.get(metric)
    const slot = minute % this.capacity
    if (ring === undefined || ring.stamps[slot] !== minute || minute === 0) return undefined
    const values = ring.values
    const at = slot * 4
    const minimum = values[at + 2] ?? NaN
    const maximum = values[at + 3] ?? NaN
    const set: StatisticSet = {
      sampleCount: values[at] ?? 0, sum: values[at + 1] ?? 0,
      minimum: Number.isNaN(minimum) ? undefined : minimum, maximum: Number.isNaN(maximum) ? undefined : maximum,
    }
    const histograms = this.histograms
    if (histograms !== undefined && histograms.stamps[slot] === minute) set.histogram = histograms.counts.slice(slot * LATENCY_BUCKETS, (slot + 1) * LATENCY_BUCKETS)
    return set
  }

  bytes(): number {
    let total = (this.histograms?.stamps.byteLength ?? 0) + (this.histograms?.counts.byteLength ?? 0)
    for (const ring of this.rings.values()) total += ring.stamps.byteLength + ring.values.byteLength
    return total
  }
}
