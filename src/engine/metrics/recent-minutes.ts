/**
 * The last hour of one-minute traffic of one load balancer node (zone), and the minute latency
 * histograms of a whole load balancer: what CloudWatch's AvailabilityZone dimension and percentile
 * statistics are folded from (cloudwatch/history.ts). Fixed typed-array rings allocated on first
 * use; recording a request is a few slot increments and allocates nothing. The slot of minute `m`
 * is `m % RECENT_MINUTES`; a slot whose stamp is not `m` holds an older minute and is cleared when
 * reused.
 */
import {COUNTERS, histogramPercentile, LATENCY_BUCKETS, latencyBucket} from './counters.js'

/** An hour and a little more: every minute the per-second rings (an hour) still hold (for seconds: the last minute). */
export const RECENT_MINUTES = 64
const COUNTER_COUNT = COUNTERS.length

/**
 * Latency samples as a dense log histogram (counters.ts buckets) per minute, or per second: the
 * last RECENT_MINUTES of them.
 */
export class HistogramRing {
  private readonly stamps = new Uint32Array(RECENT_MINUTES)
  private readonly counts = new Uint32Array(RECENT_MINUTES * LATENCY_BUCKETS)

  add(minute: number, seconds: number): void {
    const slot = minute % RECENT_MINUTES
    if (this.stamps[slot] !== minute) {
      this.stamps[slot] = minute
      this.counts.fill(0, slot * LATENCY_BUCKETS, slot * LATENCY_BUCKETS + LATENCY_BUCKETS)
    }
    const index = slot * LATENCY_BUCKETS + latencyBucket(seconds)
    this.counts[index] = (this.counts[index] ?? 0) + 1
  }

  /** A copy of one minute's (second's) histogram, or undefined when it had no sample. */
  read(minute: number): Uint32Array | undefined {
    const slot = minute % RECENT_MINUTES
    if (this.stamps[slot] !== minute || minute === 0) return undefined
    return this.counts.slice(slot * LATENCY_BUCKETS, slot * LATENCY_BUCKETS + LATENCY_BUCKETS)
  }

  /** A percentile of one slot's samples without copying them (0 when it had none). */
  percentile(minute: number, quantile: number): number {
    const slot = minute % RECENT_MINUTES
    if (this.stamps[slot] !== minute) return 0
    return histogramPercentile(this.counts.subarray(slot * LATENCY_BUCKETS, slot * LATENCY_BUCKETS + LATENCY_BUCKETS), quantile) ?? 0
  }
}

/** One minute of a node's traffic as read back (the shape of cloudwatch's MinuteTraffic). */
export interface RecentMinute {
  readonly counts: readonly number[]
  readonly latencyCount: number
  readonly latencySum: number
  readonly latencyMin: number
  readonly latencyMax: number
  readonly latencyHistogram?: Uint32Array
  /** The node's longest surge queue in the minute (0: empty). */
  readonly surgeQueueMax: number
}

/** One load balancer node's counters and Latency per minute, for the last hour. */
export class NodeMinutes {
  private readonly stamps = new Uint32Array(RECENT_MINUTES)
  private readonly counts = new Uint32Array(RECENT_MINUTES * COUNTER_COUNT)
  private readonly latencyCount = new Uint32Array(RECENT_MINUTES)
  private readonly latencySum = new Float64Array(RECENT_MINUTES)
  private readonly latencyMin = new Float64Array(RECENT_MINUTES)
  private readonly latencyMax = new Float64Array(RECENT_MINUTES)
  private readonly histograms = new HistogramRing()
  private readonly surgeMax = new Uint16Array(RECENT_MINUTES)
  /** The node's requests in the surge queue now (sampled each second while not empty). */
  private surgeLength = 0

  private slot(minute: number): number {
    const slot = minute % RECENT_MINUTES
    if (this.stamps[slot] !== minute) {
      this.stamps[slot] = minute
      this.counts.fill(0, slot * COUNTER_COUNT, slot * COUNTER_COUNT + COUNTER_COUNT)
      this.latencyCount[slot] = 0
      this.latencySum[slot] = 0
      this.surgeMax[slot] = 0
    }
    return slot
  }

  /** Once a second: a queue that still holds requests shows in this minute (even without events). */
  sampleSurge(minute: number): void {
    if (this.surgeLength > 0) this.surge(minute, this.surgeLength)
  }

  /** The node's surge queue holds `length` requests now. */
  surge(minute: number, length: number): void {
    this.surgeLength = length
    const slot = this.slot(minute)
    if (length > (this.surgeMax[slot] ?? 0)) this.surgeMax[slot] = Math.min(length, 0xffff)
  }

  count(minute: number, counter: number): void {
    const index = this.slot(minute) * COUNTER_COUNT + counter
    this.counts[index] = (this.counts[index] ?? 0) + 1
  }

  latency(minute: number, seconds: number): void {
    const slot = this.slot(minute)
    const first = this.latencyCount[slot] === 0
    this.latencyCount[slot] = (this.latencyCount[slot] ?? 0) + 1
    this.latencySum[slot] = (this.latencySum[slot] ?? 0) + seconds
    if (first || seconds < (this.latencyMin[slot] ?? 0)) this.latencyMin[slot] = seconds
    if (first || seconds > (this.latencyMax[slot] ?? 0)) this.latencyMax[slot] = seconds
    this.histograms.add(minute, seconds)
  }

  /** What the node measured in one minute of the last hour (its Latency histogram unless not wanted), or undefined when nothing. */
  read(minute: number, withHistogram = true): RecentMinute | undefined {
    const slot = minute % RECENT_MINUTES
    if (this.stamps[slot] !== minute || minute === 0) return undefined
    const latencyCount = this.latencyCount[slot] ?? 0
    const counts = Array.from(this.counts.subarray(slot * COUNTER_COUNT, slot * COUNTER_COUNT + COUNTER_COUNT))
    const surgeQueueMax = this.surgeMax[slot] ?? 0
    if (latencyCount === 0) return {counts, latencyCount, latencySum: 0, latencyMin: 0, latencyMax: 0, surgeQueueMax}
    const histogram = withHistogram ? this.histograms.read(minute) : undefined
    return {
      counts, latencyCount, latencySum: this.latencySum[slot] ?? 0, latencyMin: this.latencyMin[slot] ?? 0, latencyMax: this.latencyMax[slot] ?? 0, surgeQueueMax,
      ...(histogram === undefined ? {} : {latencyHistogram: histogram}),
    }
  }
}
