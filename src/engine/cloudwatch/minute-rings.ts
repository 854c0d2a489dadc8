import {COUNTERS} from '../metrics/series.js'

/**
 * One load balancer's one-minute CloudWatch data, sparse: traffic in hour chunks allocated only for
 * hours that had traffic (and freed when they expire), host counts as runs of equal minutes (a
 * node's counts rarely change, so a day is a few rows). Memory follows the data kept, not the
 * retention: an idle hour costs nothing. Every allocation is counted in a shared `ByteMeter` so
 * the history can hold a global bound (history.ts).
 */

/** One minute of one load balancer's traffic: counters in COUNTERS order and the Latency samples. */
export interface MinuteTraffic {
  readonly counts: readonly number[]
  readonly latencyCount: number
  readonly latencySum: number
  readonly latencyMin: number
  readonly latencyMax: number
  /** The surge queue's longest length in the minute (0 or absent: it was empty, or not measured). */
  readonly surgeQueueMax?: number
  /** Latency's samples as a dense log histogram (metrics/counters.ts buckets), where measured: kept by histogram-minutes.ts. */
  readonly latencyHistogram?: Uint32Array
}

/** The bytes a history's rings hold, shared by all of them (typed arrays plus an estimate per object). */
export interface ByteMeter {
  bytes: number
}

/** What V8 spends on a small object or a typed array besides its elements (measured by bench/cloudwatch.mjs). */
export const OBJECT_OVERHEAD = 200

const HOUR = 60
/** Unsigned per-minute fields after the counters: Latency's sample count, the surge queue's maximum. */
const LATENCY_COUNT = COUNTERS.length
const SURGE = COUNTERS.length + 1

/** The number of bits set in a 32-bit integer. */
function bitCount(value: number): number {
  let n = value - ((value >>> 1) & 0x55555555)
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333)
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
}

/**
 * One hour of traffic: a row per minute written, in minute order, in room that grows with them
 * (2, 4, 8 … 60 rows: an hour with one busy minute costs a few dozen bytes of data). One
 * Uint32Array holds a column per field that ever had a value this hour, one Float64Array
 * Latency's sum, minimum and maximum.
 */
class TrafficHour {
  /** Bit m of `present` (minutes 0–29) or `presentLate` (30–59): the minute was written. */
  present = 0
  presentLate = 0
  rows = 0
  room = 0
  /** The field each column of `u32` holds; the column's rows are `u32[column * room + row]`. */
  fields: number[] = []
  u32 = new Uint32Array(0)
  /** `[row * 3]` sum, `+ 1` minimum, `+ 2` maximum (allocated with the first Latency sample). */
  f64: Float64Array | undefined

  has(slot: number): boolean {
    return slot < 30 ? (this.present & (1 << slot)) !== 0 : (this.presentLate & (1 << (slot - 30))) !== 0
  }

  /** The row of minute `slot` (the minutes written before it). */
  rowOf(slot: number): number {
    return slot < 30 ? bitCount(this.present & ((1 << slot) - 1)) : bitCount(this.present) + bitCount(this.presentLate & ((1 << (slot - 30)) - 1))
  }

  /** The row of minute `slot`, made (in minute order) when it was not written yet. */
  rowFor(slot: number): number {
    const row = this.rowOf(slot)
    if (this.has(slot)) return row
    if (this.rows === this.room) this.resize(this.fields.length, Math.min(HOUR, Math.max(2, this.room * 2)))
    for (let column = 0; column < this.fields.length; column++) {
      const base = column * this.room
      this.u32.copyWithin(base + row + 1, base + row, base + this.rows)
      this.u32[base + row] = 0
    }
    this.f64?.copyWithin((row + 1) * 3, row * 3, this.rows * 3)
    this.f64?.fill(0, row * 3, row * 3 + 3)
    this.rows++
    if (slot < 30) this.present |= 1 << slot
    else this.presentLate |= 1 << (slot - 30)
    return row
  }

  private resize(columns: number, room: number): void {
    const u32 = new Uint32Array(columns * room)
    for (let column = 0; column < Math.min(columns, this.fields.length); column++) {
      u32.set(this.u32.subarray(column * this.room, column * this.room + this.rows), column * room)
    }
    this.u32 = u32
    if (this.f64 !== undefined && room !== this.room) {
      const f64 = new Float64Array(room * 3)
      f64.set(this.f64.subarray(0, this.rows * 3))
      this.f64 = f64
    }
    this.room = room
  }

  get(field: number, slot: number): number {
    const column = this.fields.indexOf(field)
    return column < 0 || !this.has(slot) ? 0 : this.u32[column * this.room + this.rowOf(slot)] ?? 0
  }

  /** Sets a field of a row (a zero in a field without a column costs nothing). */
  set(field: number, row: number, value: number): void {
    let column = this.fields.indexOf(field)
    if (column < 0) {
      if (value === 0) return
      this.resize(this.fields.length + 1, this.room)
      column = this.fields.push(field) - 1
    }
    this.u32[column * this.room + row] = value
  }

  latency(): Float64Array {
    return this.f64 ??= new Float64Array(this.room * 3)
  }

  bytes(): number {
    return OBJECT_OVERHEAD * 2 + this.u32.byteLength + (this.f64 === undefined ? 0 : OBJECT_OVERHEAD + this.f64.byteLength)
  }
}

export class TrafficMinutes {
  private readonly hours = new Map<number, TrafficHour>()
  private held = 0

  /** `capacity`: the minutes kept; a write frees the hours that fell out of them. */
  constructor(private readonly capacity: number, private readonly meter: ByteMeter = {bytes: 0}) {}

  private account(delta: number): void {
    this.held += delta
    this.meter.bytes += delta
  }

  private hourOf(minute: number): TrafficHour | undefined {
    const hour = this.hours.get(Math.floor(minute / HOUR))
    return hour?.has(minute % HOUR) === true ? hour : undefined
  }

  /** Records a whole minute (folded from the per-second rings, restored or injected), replacing what was there. */
  write(minute: number, traffic: MinuteTraffic): void {
    const key = Math.floor(minute / HOUR)
    let hour = this.hours.get(key)
    const before = hour?.bytes() ?? 0
    if (hour === undefined) {
      this.expire(minute - this.capacity + 1)
      hour = new TrafficHour()
      this.hours.set(key, hour)
    }
    const row = hour.rowFor(minute % HOUR)
    COUNTERS.forEach((_, index) => { hour.set(index, row, traffic.counts[index] ?? 0) })
    hour.set(SURGE, row, Math.min(traffic.surgeQueueMax ?? 0, 0xffffffff))
    hour.set(LATENCY_COUNT, row, traffic.latencyCount)
    if (traffic.latencyCount > 0 || hour.f64 !== undefined) hour.latency().set([traffic.latencySum, traffic.latencyMin, traffic.latencyMax], row * 3)
    this.account(hour.bytes() - before)
  }

  /** One counter of one minute without building the whole minute (0: no data). */
  counter(minute: number, index: number): number {
    return this.hourOf(minute)?.get(index, minute % HOUR) ?? 0
  }

  /** The surge queue's longest length in one minute (0: empty or no data). */
  surgeQueueMax(minute: number): number {
    return this.hourOf(minute)?.get(SURGE, minute % HOUR) ?? 0
  }

  /** The Latency samples of one minute, or undefined when it had none. */
  latencyAt(minute: number): {sampleCount: number; sum: number; minimum: number; maximum: number} | undefined {
    const hour = this.hourOf(minute)
    const slot = minute % HOUR
    const count = hour?.get(LATENCY_COUNT, slot) ?? 0
    if (hour?.f64 === undefined || count === 0) return undefined
    const at = hour.rowOf(slot) * 3
    return {sampleCount: count, sum: hour.f64[at] ?? 0, minimum: hour.f64[at + 1] ?? 0, maximum: hour.f64[at + 2] ?? 0}
  }

  /** The whole minute as it was written (what the history persists), or undefined. */
  read(minute: number): MinuteTraffic | undefined {
    if (this.hourOf(minute) === undefined) return undefined
    const latency = this.latencyAt(minute)
    const surge = this.surgeQueueMax(minute)
    return {
      counts: COUNTERS.map((_, index) => this.counter(minute, index)),
      latencyCount: latency?.sampleCount ?? 0, latencySum: latency?.sum ?? 0, latencyMin: latency?.minimum ?? 0, latencyMax: latency?.maximum ?? 0,
      ...(surge > 0 ? {surgeQueueMax: surge} : {}),
    }
  }

  /** Frees every hour that ends before `oldestMinute`. */
  expire(oldestMinute: number): void {
    for (const [key, hour] of this.hours) {
      if ((key + 1) * HOUR > oldestMinute) continue
      this.hours.delete(key)
      this.account(-hour.bytes())
    }
  }

  /** The first minute of the oldest hour held, or undefined when empty. */
  oldestMinute(): number | undefined {
    let oldest: number | undefined
    for (const key of this.hours.keys()) if (oldest === undefined || key < oldest) oldest = key
    return oldest === undefined ? undefined : oldest * HOUR
  }

  bytes(): number {
    return this.held
  }
}

/** One minute of host-count samples of one load balancer node: count, sum, minimum, maximum. */
export interface HostSamples {
  readonly samples: number
  readonly healthy: {readonly sum: number; readonly min: number; readonly max: number}
  readonly unhealthy: {readonly sum: number; readonly min: number; readonly max: number}
}

/** A run row: first minute, length, then the minute's samples, healthy sum/min/max, unhealthy sum/min/max. */
const ROW = 9

function samplesOf(rows: Uint32Array, at: number): HostSamples {
  return {
    samples: rows[at] ?? 0,
    healthy: {sum: rows[at + 1] ?? 0, min: rows[at + 2] ?? 0, max: rows[at + 3] ?? 0},
    unhealthy: {sum: rows[at + 4] ?? 0, min: rows[at + 5] ?? 0, max: rows[at + 6] ?? 0},
  }
}

const valuesOf = (samples: HostSamples) => [samples.samples, samples.healthy.sum, samples.healthy.min, samples.healthy.max, samples.unhealthy.sum, samples.unhealthy.min, samples.unhealthy.max]

/**
 * The HealthyHostCount/UnHealthyHostCount samples of one load balancer node (one zone): the minute
 * being sampled in plain fields, the closed ones as runs (rows of ROW words, oldest first, from
 * `head`) where consecutive equal minutes share a row.
 */
export class NodeHostMinutes {
  private rows = new Uint32Array(ROW * 4)
  private head = 0
  private end = 0
  private open: {minute: number; values: number[]} | undefined
  private held: number

  /** `capacity`: the minutes kept; closing a minute drops the runs that fell out of them. */
  constructor(private readonly capacity: number, private readonly meter: ByteMeter = {bytes: 0}) {
    this.held = OBJECT_OVERHEAD * 2 + this.rows.byteLength
    meter.bytes += this.held
  }

  private account(delta: number): void {
    this.held += delta
    this.meter.bytes += delta
  }

  /**
   * One sample (the health sampler takes one a second; at most 255 are kept per minute). A sample
   * of a later minute closes the open one, which is returned (what the history persists).
   */
  add(minute: number, healthy: number, unhealthy: number): {minute: number; samples: HostSamples} | undefined {
    let closed: {minute: number; samples: HostSamples} | undefined
    if (this.open !== undefined && this.open.minute !== minute) {
      if (minute < this.open.minute) return undefined
      closed = this.close()
    }
    const [h, u] = [Math.min(healthy, 0xffff), Math.min(unhealthy, 0xffff)]
    const open = this.open ??= {minute, values: [0, 0, h, h, 0, u, u]}
    const values = open.values
    if (values[0] === 255) return closed
    values[0] = (values[0] ?? 0) + 1
    values[1] = (values[1] ?? 0) + h
    values[2] = Math.min(values[2] ?? h, h)
    values[3] = Math.max(values[3] ?? h, h)
    values[4] = (values[4] ?? 0) + u
    values[5] = Math.min(values[5] ?? u, u)
    values[6] = Math.max(values[6] ?? u, u)
    return closed
  }

  private close(): {minute: number; samples: HostSamples} | undefined {
    const open = this.open
    if (open === undefined) return undefined
    this.open = undefined
    this.expire(open.minute - this.capacity + 1)
    this.append(open.minute, open.values)
    return {minute: open.minute, samples: samplesOf(Uint32Array.from(open.values), 0)}
  }

  /** A whole minute restored from disk (any order; a minute already held is kept as it is). */
  put(minute: number, samples: HostSamples): void {
    if (this.open?.minute === minute || this.rowAt(minute) !== undefined) return
    if (this.open !== undefined && minute > this.open.minute) this.close()
    this.append(minute, valuesOf(samples))
  }

  /** Adds a closed minute at its place: after the last row (merged when equal), or inserted. */
  private append(minute: number, values: readonly number[]): void {
    const rows = this.rows
    const last = this.end - ROW
    if (last >= this.head && (rows[last] ?? 0) + (rows[last + 1] ?? 0) === minute && values.every((value, index) => rows[last + 2 + index] === value)) {
      rows[last + 1] = (rows[last + 1] ?? 0) + 1
      return
    }
    if (this.end === this.rows.length) this.grow()
    let at = this.end
    while (at > this.head && (this.rows[at - ROW] ?? 0) > minute) at -= ROW
    this.rows.copyWithin(at + ROW, at, this.end)
    this.rows[at] = minute
    this.rows[at + 1] = 1
    values.forEach((value, index) => { this.rows[at + 2 + index] = value })
    this.end += ROW
  }

  private grow(): void {
    const live = this.rows.subarray(this.head, this.end)
    const grown = new Uint32Array(Math.max(ROW * 4, live.length * 2))
    grown.set(live)
    this.account(grown.byteLength - this.rows.byteLength)
    this.rows = grown
    this.end -= this.head
    this.head = 0
  }

  private rowAt(minute: number): number | undefined {
    let low = this.head / ROW
    let high = this.end / ROW - 1
    while (low <= high) {
      const middle = (low + high) >> 1
      const start = this.rows[middle * ROW] ?? 0
      if (minute < start) high = middle - 1
      else if (minute >= start + (this.rows[middle * ROW + 1] ?? 0)) low = middle + 1
      else return middle * ROW
    }
    return undefined
  }

  read(minute: number): HostSamples | undefined {
    if (this.open?.minute === minute) return samplesOf(Uint32Array.from(this.open.values), 0)
    const at = this.rowAt(minute)
    return at === undefined ? undefined : samplesOf(this.rows, at + 2)
  }

  /** Drops the runs that end before `oldestMinute` and cuts the one reaching past it. */
  expire(oldestMinute: number): void {
    while (this.head < this.end && (this.rows[this.head] ?? 0) + (this.rows[this.head + 1] ?? 0) <= oldestMinute) this.head += ROW
    if (this.head === this.end) this.head = this.end = 0
    const start = this.rows[this.head] ?? 0
    if (this.head < this.end && start < oldestMinute) {
      this.rows[this.head + 1] = (this.rows[this.head + 1] ?? 0) - (oldestMinute - start)
      this.rows[this.head] = oldestMinute
    }
    // Halve the array once three quarters of it are free: memory follows the runs kept.
    if (this.rows.length > ROW * 8 && (this.end - this.head) * 4 < this.rows.length) {
      const kept = this.rows.slice(this.head, this.end)
      const shrunk = new Uint32Array(this.rows.length / 2)
      shrunk.set(kept)
      this.account(shrunk.byteLength - this.rows.byteLength)
      this.rows = shrunk
      this.end = kept.length
      this.head = 0
    }
  }

  /** The oldest minute held, or undefined when empty. */
  oldestMinute(): number | undefined {
    return this.head < this.end ? this.rows[this.head] : this.open?.minute
  }

  /** The newest minute held (the open one first), or undefined when empty. */
  newestMinute(): number | undefined {
    if (this.open !== undefined) return this.open.minute
    return this.end > this.head ? (this.rows[this.end - ROW] ?? 0) + (this.rows[this.end - ROW + 1] ?? 1) - 1 : undefined
  }

  bytes(): number {
    return this.held
  }
}
