import {LATENCY_BUCKETS} from '../metrics/counters.js'
import {HistogramMinutes, oldestHourStart} from './histogram-minutes.js'
import {OBJECT_OVERHEAD, type ByteMeter} from './minute-rings.js'
import type {StatisticSet} from './statistics.js'

/**
 * One region's (or one Availability Zone's) AWS/ELB minutes summed over all its load balancers,
 * kept up to date as the history folds (or restores) each load balancer's minutes (history.ts):
 * what the dimension sets {} and {AvailabilityZone} read, in O(minutes) rather than O(load
 * balancers × minutes). Sparse like the load balancers' rings: per hour with data, per metric with
 * data, 60 statistic sets (sample count, sum, minimum, maximum); Latency's histograms are summed
 * densely while their hour is being folded and packed (histogram-minutes.ts) once a later hour
 * starts. Every allocation is counted in the history's ByteMeter.
 */

const HOUR = 60
const SET = 4

class AggregateHour {
  /** Metric → 60 sets; a minute whose sample count is 0 has none. */
  readonly sets = new Map<string, Float64Array>()
  /** Latency's histograms of the hour being summed (dense, 60 × LATENCY_BUCKETS), until packed. */
  dense: Uint32Array | undefined

  /** What `AggregateMinutes` accounted for it: the hour, each metric's sets, the dense histograms. */
  bytes(): number {
    return OBJECT_OVERHEAD * (1 + this.sets.size) + this.sets.size * HOUR * SET * 8 + (this.dense === undefined ? 0 : OBJECT_OVERHEAD + this.dense.byteLength)
  }
}

export class AggregateMinutes {
  private readonly hours = new Map<number, AggregateHour>()
  /** The packed histograms of the hours no longer summed. */
  private readonly packed: HistogramMinutes
  private held = 0
  private newestHour = -Infinity

  constructor(capacity: number, private readonly meter: ByteMeter = {bytes: 0}) {
    this.packed = new HistogramMinutes(capacity, meter)
  }

  private account(delta: number): void {
    this.held += delta
    this.meter.bytes += delta
  }

  /** Adds one load balancer's (or node's) statistic set of `metric` in `minute`. */
  add(metric: string, minute: number, set: StatisticSet): void {
    const key = Math.floor(minute / HOUR)
    let hour = this.hours.get(key)
    if (hour === undefined) {
      hour = new AggregateHour()
      this.hours.set(key, hour)
      this.account(OBJECT_OVERHEAD)
    }
    let values = hour.sets.get(metric)
    if (values === undefined) {
      values = new Float64Array(HOUR * SET)
      hour.sets.set(metric, values)
      this.account(OBJECT_OVERHEAD + values.byteLength)
    }
    const at = (minute - key * HOUR) * SET
    const first = values[at] === 0
    values[at] = (values[at] ?? 0) + set.sampleCount
    values[at + 1] = (values[at + 1] ?? 0) + set.sum
    // NaN (a part without minimum or maximum) stays NaN: the minute has none.
    values[at + 2] = first ? set.minimum ?? NaN : Math.min(values[at + 2] ?? NaN, set.minimum ?? NaN)
    values[at + 3] = first ? set.maximum ?? NaN : Math.max(values[at + 3] ?? NaN, set.maximum ?? NaN)
    if (set.histogram !== undefined) this.addHistogram(hour, key, minute, set.histogram)
    if (key > this.newestHour) {
      this.newestHour = key
      this.packOlderThan(key)
    }
  }

  private addHistogram(hour: AggregateHour, key: number, minute: number, histogram: ArrayLike<number>): void {
    if (hour.dense === undefined) {
      hour.dense = new Uint32Array(HOUR * LATENCY_BUCKETS)
      this.account(OBJECT_OVERHEAD + hour.dense.byteLength)
      // An hour already packed (a late minute, a restore out of order) is summed densely again.
      for (let slot = 0; slot < HOUR; slot++) {
        const kept = this.packed.read(key * HOUR + slot)
        if (kept !== undefined) hour.dense.set(kept, slot * LATENCY_BUCKETS)
      }
    }
    const at = (minute - key * HOUR) * LATENCY_BUCKETS
    for (let bucket = 0; bucket < LATENCY_BUCKETS; bucket++) hour.dense[at + bucket] = (hour.dense[at + bucket] ?? 0) + (histogram[bucket] ?? 0)
  }

  /** Packs the dense histograms of the hours before `key`'s previous one (their minutes are folded). */
  private packOlderThan(key: number): void {
    for (const [other, hour] of this.hours) {
      if (other >= key - 1 || hour.dense === undefined) continue
      const before = hour.bytes()
      for (let slot = 0; slot < HOUR; slot++) this.packed.write(other * HOUR + slot, hour.dense.subarray(slot * LATENCY_BUCKETS, (slot + 1) * LATENCY_BUCKETS))
      hour.dense = undefined
      this.account(hour.bytes() - before)
    }
  }

  /** The sum of every part added for `metric` in `minute`, or undefined when none was. */
  read(metric: string, minute: number): StatisticSet | undefined {
    const key = Math.floor(minute / HOUR)
    const hour = this.hours.get(key)
    const values = hour?.sets.get(metric)
    const at = (minute - key * HOUR) * SET
    if (hour === undefined || values === undefined || values[at] === 0) return undefined
    const minimum = values[at + 2] ?? NaN
    const maximum = values[at + 3] ?? NaN
    const set: StatisticSet = {
      sampleCount: values[at] ?? 0, sum: values[at + 1] ?? 0,
      minimum: Number.isNaN(minimum) ? undefined : minimum, maximum: Number.isNaN(maximum) ? undefined : maximum,
    }
    if (metric !== 'Latency') return set
    const slot = minute - key * HOUR
    const histogram = hour.dense === undefined ? this.packed.read(minute) : hour.dense.slice(slot * LATENCY_BUCKETS, (slot + 1) * LATENCY_BUCKETS)
    if (histogram !== undefined) set.histogram = histogram
    return set
  }

  /** Frees every hour that ends before `oldestMinute`. */
  expire(oldestMinute: number): void {
    for (const [key, hour] of this.hours) {
      if ((key + 1) * HOUR > oldestMinute) continue
      this.hours.delete(key)
      this.account(-hour.bytes())
    }
    this.packed.expire(oldestMinute)
  }

  /** The first minute of the oldest hour held, or undefined when empty. */
  oldestMinute(): number | undefined {
    return oldestHourStart(this.hours.keys())
  }

  bytes(): number {
    return this.held + this.packed.bytes()
  }
}
