import {LATENCY_BUCKETS} from '../metrics/counters.js'
import {OBJECT_OVERHEAD, type ByteMeter, type MinuteTraffic} from './minute-rings.js'

/**
 * The one-minute Latency histograms of one load balancer (or one of its nodes), kept as compactly
 * as the percentiles allow: only minutes with samples, only their non-empty buckets, one 32-bit
 * word each (bucket index in the top 7 bits, its count in the low 25), packed per hour into one
 * Uint32Array with the end offset of each minute. A busy minute whose latencies span ten buckets
 * costs 40 bytes instead of the 360 of a dense histogram; an hour without traffic costs nothing.
 * Hours older than the history's length are dropped as new ones arrive; every allocation is
 * counted in the history's ByteMeter (its memory bound).
 */

const COUNT_BITS = 25
const COUNT_MASK = (1 << COUNT_BITS) - 1
const MINUTES_PER_CHUNK = 60

interface HourChunk {
  /** ends[i]: where minute i of the hour ends in `words` (it starts where i - 1 ends), for i < `filled`. */
  readonly ends: Uint16Array
  /** Minutes 0 .. filled - 1 have their end set; the later ones are empty and end at `used`. */
  filled: number
  /** The words in use; `words` may be longer while the hour is being written (trimmed once it is over). */
  used: number
  words: Uint32Array
}

export class HistogramMinutes {
  private readonly chunks = new Map<number, HourChunk>()
  private held = 0

  /** `capacity`: the minutes kept (the history's length). */
  constructor(private readonly capacity: number, private readonly meter: ByteMeter = {bytes: 0}) {}

  private account(delta: number): void {
    this.held += delta
    this.meter.bytes += delta
  }

  /** Records one minute's dense histogram (LATENCY_BUCKETS counts), replacing what was there. */
  write(minute: number, histogram: ArrayLike<number>): void {
    const hour = Math.floor(minute / MINUTES_PER_CHUNK)
    const packed: number[] = []
    for (let bucket = 0; bucket < Math.min(histogram.length, LATENCY_BUCKETS); bucket++) {
      const count = histogram[bucket] ?? 0
      if (count > 0) packed.push(((bucket << COUNT_BITS) | Math.min(count, COUNT_MASK)) >>> 0)
    }
    let chunk = this.chunks.get(hour)
    if (chunk === undefined) {
      if (packed.length === 0) return
      this.expire(minute - this.capacity + 1)
      this.trimBefore(hour)
      chunk = {ends: new Uint16Array(MINUTES_PER_CHUNK), filled: 0, used: 0, words: new Uint32Array(4 * packed.length)}
      this.chunks.set(hour, chunk)
      this.account(chunkBytes(chunk))
    }
    const before = chunkBytes(chunk)
    const index = minute - hour * MINUTES_PER_CHUNK
    if (index >= chunk.filled) append(chunk, index, packed)
    else replace(chunk, index, packed)
    this.account(chunkBytes(chunk) - before)
  }

  /** One minute's dense histogram (a new array), or undefined when it had no sample. */
  read(minute: number): Uint32Array | undefined {
    const hour = Math.floor(minute / MINUTES_PER_CHUNK)
    const chunk = this.chunks.get(hour)
    if (chunk === undefined) return undefined
    const index = minute - hour * MINUTES_PER_CHUNK
    const start = index === 0 ? 0 : endOf(chunk, index - 1)
    const end = endOf(chunk, index)
    if (end === start) return undefined
    const histogram = new Uint32Array(LATENCY_BUCKETS)
    for (let offset = start; offset < end; offset++) {
      const word = chunk.words[offset] ?? 0
      histogram[word >>> COUNT_BITS] = word & COUNT_MASK
    }
    return histogram
  }

  /** Frees every hour that ends before `oldestMinute`. */
  expire(oldestMinute: number): void {
    for (const [kept, chunk] of this.chunks) {
      if ((kept + 1) * MINUTES_PER_CHUNK > oldestMinute) continue
      this.chunks.delete(kept)
      this.account(-chunkBytes(chunk))
    }
  }

  /** The hours before `hour` are written: their room shrinks to their words. */
  private trimBefore(hour: number): void {
    for (const [kept, chunk] of this.chunks) {
      if (kept >= hour || chunk.words.length === chunk.used) continue
      const before = chunkBytes(chunk)
      chunk.words = chunk.words.slice(0, chunk.used)
      this.account(chunkBytes(chunk) - before)
    }
  }

  /** The first minute of the oldest hour held, or undefined when empty. */
  oldestMinute(): number | undefined {
    return oldestHourStart(this.chunks.keys())
  }

  bytes(): number {
    return this.held
  }
}

/** The first minute of the oldest of `hours` (hour numbers), or undefined when there is none. */
export function oldestHourStart(hours: Iterable<number>): number | undefined {
  let oldest: number | undefined
  for (const hour of hours) if (oldest === undefined || hour < oldest) oldest = hour
  return oldest === undefined ? undefined : oldest * MINUTES_PER_CHUNK
}

function chunkBytes(chunk: HourChunk): number {
  return 2 * OBJECT_OVERHEAD + chunk.ends.byteLength + chunk.words.byteLength
}

function endOf(chunk: HourChunk, index: number): number {
  return index < chunk.filled ? chunk.ends[index] ?? 0 : chunk.used
}

/** A minute after every minute written in the hour (the fold's order): at the end, room doubled when needed. */
function append(chunk: HourChunk, index: number, packed: readonly number[]): void {
  if (chunk.used + packed.length > chunk.words.length) {
    const grown = new Uint32Array(Math.max(2 * chunk.words.length, chunk.used + packed.length))
    grown.set(chunk.words.subarray(0, chunk.used))
    chunk.words = grown
  }
  chunk.words.set(packed, chunk.used)
  for (let empty = chunk.filled; empty < index; empty++) chunk.ends[empty] = chunk.used
  chunk.used += packed.length
  chunk.ends[index] = chunk.used
  chunk.filled = index + 1
}

/** A minute written again: its words replaced, the later minutes moved. */
function replace(chunk: HourChunk, index: number, packed: readonly number[]): void {
  const start = index === 0 ? 0 : chunk.ends[index - 1] ?? 0
  const end = chunk.ends[index] ?? 0
  const words = new Uint32Array(chunk.used - (end - start) + packed.length)
  words.set(chunk.words.subarray(0, start))
  words.set(packed, start)
  words.set(chunk.words.subarray(end, chunk.used), start + packed.length)
  chunk.words = words
  chunk.used = words.length
  const shift = packed.length - (end - start)
  for (let later = index; later < chunk.filled; later++) chunk.ends[later] = (chunk.ends[later] ?? 0) + shift
}

/**
 * A minute's histogram as the rings take it: the data plane's dense Uint32Array as it is, or the
 * persisted pairs (`[bucket, count, …]`, see `persistable`) read back from disk, which are hostile
 * input: a bucket that is not one of ours drops the histogram, a count is clamped to 0..2³²−1.
 */
export function histogramOf(traffic: MinuteTraffic): Uint32Array | undefined {
  const pairs: ArrayLike<number> | undefined = traffic.latencyHistogram
  if (pairs === undefined || pairs instanceof Uint32Array) return pairs
  if (pairs.length % 2 !== 0 || pairs.length > 2 * LATENCY_BUCKETS) return undefined
  const histogram = new Uint32Array(LATENCY_BUCKETS)
  for (let at = 0; at < pairs.length; at += 2) {
    const bucket = pairs[at] ?? -1
    if (!Number.isInteger(bucket) || bucket < 0 || bucket >= LATENCY_BUCKETS) return undefined
    histogram[bucket] = Math.max(0, Math.min(2 ** 32 - 1, Math.floor(pairs[at + 1] ?? 0)))
  }
  return histogram
}

/** The minute with `histogram` in place of the one it came with (none: without one). */
export function withHistogram(traffic: MinuteTraffic, histogram: Uint32Array | undefined): MinuteTraffic {
  const {counts, latencyCount, latencySum, latencyMin, latencyMax, surgeQueueMax} = traffic
  return {
    counts, latencyCount, latencySum, latencyMin, latencyMax,
    ...(surgeQueueMax === undefined ? {} : {surgeQueueMax}), ...(histogram === undefined ? {} : {latencyHistogram: histogram}),
  }
}

/**
 * The whole-minute traffic the persistence writes: the histogram as `[bucket, count, …]` pairs of
 * its non-empty buckets (CBOR has no Uint32Array; the pairs are what `histogramOf` reads back).
 */
export function persistable(traffic: MinuteTraffic): MinuteTraffic {
  const histogram = traffic.latencyHistogram
  if (histogram === undefined) return traffic
  const pairs: number[] = []
  for (let bucket = 0; bucket < histogram.length; bucket++) if ((histogram[bucket] ?? 0) > 0) pairs.push(bucket, histogram[bucket] ?? 0)
  return {...traffic, latencyHistogram: pairs as unknown as Uint32Array}
}
