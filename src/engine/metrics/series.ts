/**
 * One load balancer's CloudWatch-style metrics at 1-second resolution for the last hour, in
 * fixed typed-array ring buffers: recording a request touches a few array slots and allocates
 * nothing. The slot of second `s` is `s % WINDOW_SECONDS`; a slot whose stamp is not `s` holds an
 * older second and is cleared when reused. p99 comes from a fixed log-scale histogram of the
 * current second, folded into one number when the second is over.
 */

import {
  BACKEND_BASE, CONNECTION_ERRORS, COUNTERS, ELB_4XX, ELB_5XX, REQUESTS, SPILLOVERS, type CounterName,
} from './counters.js'
import {HistogramRing, NodeMinutes, type RecentMinute} from './recent-minutes.js'

export const WINDOW_SECONDS = 3600

/** The oldest minute the per-second rings still hold whole at `nowMs` (epoch minutes). */
export function oldestLiveMinute(nowMs: number): number {
  return Math.ceil((Math.floor(nowMs / 1000) - WINDOW_SECONDS + 1) / 60)
}

export {COUNTERS, bucketUpperBound, latencyBucket, type CounterName} from './counters.js'

const COUNTER_COUNT = COUNTERS.length

/** Traffic arrays, allocated on the first request (a load balancer without traffic costs nothing). */
class TrafficRing {
  readonly stamps = new Uint32Array(WINDOW_SECONDS)
  readonly counts = new Uint32Array(WINDOW_SECONDS * COUNTER_COUNT)
  readonly latencySum = new Float64Array(WINDOW_SECONDS)
  readonly latencyCount = new Uint32Array(WINDOW_SECONDS)
  /** Each second's fastest and slowest sample (CloudWatch's Latency Minimum and Maximum). */
  readonly latencyMin = new Float64Array(WINDOW_SECONDS)
  readonly latencyMax = new Float64Array(WINDOW_SECONDS)
  readonly p99 = new Float32Array(WINDOW_SECONDS)
  /** SurgeQueueLength: the longest the queue was in the second (AWS's useful statistic is Maximum). */
  readonly surgeMax = new Uint16Array(WINDOW_SECONDS)
  /** The last minute's Latency histogram per second (`histogramSecond`'s not yet folded into `p99`). */
  readonly secondHistograms = new HistogramRing()
  histogramSecond = 0
  /** Each minute's Latency histogram (CloudWatch's percentiles). */
  readonly minuteHistograms = new HistogramRing()
  /** Since the engine started, for Prometheus. */
  readonly totals = new Float64Array(COUNTER_COUNT)
  latencyTotal = 0
  latencyTotalCount = 0

  /** The slot of `second`, cleared if it last held an older second. */
  slot(second: number): number {
    const slot = second % WINDOW_SECONDS
    if (this.stamps[slot] !== second) {
      this.stamps[slot] = second
      this.counts.fill(0, slot * COUNTER_COUNT, slot * COUNTER_COUNT + COUNTER_COUNT)
      this.latencySum[slot] = 0
      this.latencyCount[slot] = 0
      this.latencyMin[slot] = 0
      this.latencyMax[slot] = 0
      this.p99[slot] = 0
      this.surgeMax[slot] = 0
    }
    return slot
  }

  count(second: number, counter: number): void {
    const index = this.slot(second) * COUNTER_COUNT + counter
    this.counts[index] = (this.counts[index] ?? 0) + 1
    this.totals[counter] = (this.totals[counter] ?? 0) + 1
  }

  latency(second: number, seconds: number): void {
    if (second !== this.histogramSecond) this.foldHistogram(second)
    const slot = this.slot(second)
    this.latencySum[slot] = (this.latencySum[slot] ?? 0) + seconds
    const first = this.latencyCount[slot] === 0
    this.latencyCount[slot] = (this.latencyCount[slot] ?? 0) + 1
    if (first || seconds < (this.latencyMin[slot] ?? 0)) this.latencyMin[slot] = seconds
    if (first || seconds > (this.latencyMax[slot] ?? 0)) this.latencyMax[slot] = seconds
    this.secondHistograms.add(second, seconds)
    this.minuteHistograms.add(Math.floor(second / 60), seconds)
    this.latencyTotal += seconds
    this.latencyTotalCount += 1
  }

  /** Turns the pending histogram into its second's p99 once `now` has moved past that second. */
  foldHistogram(now: number): void {
    const second = this.histogramSecond
    this.histogramSecond = now
    if (second === now) return
    const slot = second % WINDOW_SECONDS
    const samples = this.stamps[slot] === second ? this.latencyCount[slot] ?? 0 : 0
    if (samples > 0) this.p99[slot] = this.secondHistograms.percentile(second, 0.99)
  }
}

/** Host counts, sampled once a second from the health checker. */
class HostRing {
  readonly stamps = new Uint32Array(WINDOW_SECONDS)
  readonly healthy = new Uint16Array(WINDOW_SECONDS)
  readonly unhealthy = new Uint16Array(WINDOW_SECONDS)
  lastHealthy = 0
  lastUnhealthy = 0
}

export type StatusClass = 2 | 3 | 4 | 5

function histogramField(histogram: Uint32Array | undefined): {latencyHistogram?: Uint32Array} {
  return histogram === undefined ? {} : {latencyHistogram: histogram}
}

/** The per-second view of one metric, oldest first; `null` where nothing was measured. */
export interface SeriesPoints {
  readonly start: number
  readonly step: number
  readonly timestamps: number[]
  readonly metrics: Record<string, (number | null)[]>
}

export interface MeasuredSecond {
  readonly traffic?: {
    readonly counts: readonly number[]
    readonly latencySum: number
    readonly latencyCount: number
    /** The second's fastest and slowest Latency sample (0 when it had none). */
    readonly latencyMin: number
    readonly latencyMax: number
    /** SurgeQueueLength: the longest the queue was in the second. */
    readonly surgeQueueLength: number
    /** Its Latency histogram, for a second of the last minute (time-scaled percentile alarms). */
    readonly latencyHistogram?: Uint32Array
  }
  readonly hosts?: {readonly healthy: number; readonly unhealthy: number}
}

export class LoadBalancerMetrics {
  private traffic: TrafficRing | undefined
  private hosts: HostRing | undefined
  /** Zone → that LB node's minutes (allocated on its first request). */
  private readonly nodes = new Map<string, NodeMinutes>()
  /** The surge queue's length now (sampled each second while not empty, so a stuck queue shows). */
  private surgeLength = 0

  constructor(private readonly clock: () => number = Date.now) {}

  private ring(): TrafficRing {
    return (this.traffic ??= new TrafficRing())
  }

  /** The minutes of the node in `zone` ('' is no zone: counted for the load balancer only). */
  private node(zone: string): NodeMinutes | undefined {
    if (zone === '') return undefined
    let node = this.nodes.get(zone)
    if (node === undefined) {
      node = new NodeMinutes()
      this.nodes.set(zone, node)
    }
    return node
  }

  /** A request answered by an instance (`status` 100-599) after `latencySeconds`, on the node in `zone`. */
  backendResponse(status: number, latencySeconds: number, zone = ''): void {
    const second = Math.floor(this.clock() / 1000)
    const ring = this.ring()
    const node = this.node(zone)
    const minute = Math.floor(second / 60)
    ring.count(second, REQUESTS)
    node?.count(minute, REQUESTS)
    const statusClass = Math.floor(status / 100)
    if (statusClass >= 2 && statusClass <= 5) {
      ring.count(second, BACKEND_BASE + statusClass - 2)
      node?.count(minute, BACKEND_BASE + statusClass - 2)
    }
    ring.latency(second, latencySeconds)
    node?.latency(minute, latencySeconds)
  }

  /** A TCP/SSL connection forwarded to an instance (and its back-end connect time, when measured). */
  connection(connectSeconds?: number, zone = ''): void {
    const second = Math.floor(this.clock() / 1000)
    const ring = this.ring()
    const node = this.node(zone)
    ring.count(second, REQUESTS)
    node?.count(Math.floor(second / 60), REQUESTS)
    if (connectSeconds === undefined) return
    ring.latency(second, connectSeconds)
    node?.latency(Math.floor(second / 60), connectSeconds)
  }

  /** The load balancer answered itself (no healthy instance, bad request, timeout…). */
  elbResponse(status: number, zone = ''): void {
    const second = Math.floor(this.clock() / 1000)
    const ring = this.ring()
    const node = this.node(zone)
    ring.count(second, REQUESTS)
    node?.count(Math.floor(second / 60), REQUESTS)
    const counter = status >= 400 && status < 500 ? ELB_4XX : status >= 500 ? ELB_5XX : -1
    if (counter < 0) return
    ring.count(second, counter)
    node?.count(Math.floor(second / 60), counter)
  }

  backendConnectionError(zone = ''): void {
    const second = Math.floor(this.clock() / 1000)
    this.ring().count(second, CONNECTION_ERRORS)
    this.node(zone)?.count(Math.floor(second / 60), CONNECTION_ERRORS)
  }

  /** The zones whose nodes took traffic (each has `zoneMinute`s). */
  zones(): string[] {
    return [...this.nodes.keys()]
  }

  /** One minute of the last hour of the node in `zone`, or undefined when it had no traffic. */
  zoneMinute(zone: string, minute: number, withHistogram = true): RecentMinute | undefined {
    return this.nodes.get(zone)?.read(minute, withHistogram)
  }

  /** The Latency histogram of one minute of the last hour (the whole load balancer), or undefined. */
  latencyHistogram(minute: number): Uint32Array | undefined {
    return this.traffic?.minuteHistograms.read(minute)
  }

  /**
   * The surge queue's length changed (requests waiting for a back end with room): `length` in all,
   * `zoneLength` of them through the node in `zone`.
   */
  surgeQueue(length: number, zone = '', zoneLength = 0): void {
    this.surgeLength = length
    const second = Math.floor(this.clock() / 1000)
    const ring = this.ring()
    const slot = ring.slot(second)
    if (length > (ring.surgeMax[slot] ?? 0)) ring.surgeMax[slot] = length
    const node = this.node(zone)
    if (node === undefined) return
    node.surge(Math.floor(second / 60), zoneLength)
  }

  /** A request through the node in `zone` was refused because the surge queue was full (503). */
  spillover(zone = ''): void {
    const second = Math.floor(this.clock() / 1000)
    this.ring().count(second, SPILLOVERS)
    this.node(zone)?.count(Math.floor(second / 60), SPILLOVERS)
  }

  sampleHosts(healthy: number, unhealthy: number): void {
    if (this.surgeLength > 0) this.surgeQueue(this.surgeLength)
    const second = Math.floor(this.clock() / 1000)
    for (const node of this.nodes.values()) node.sampleSurge(Math.floor(second / 60))
    const hosts = (this.hosts ??= new HostRing())
    const slot = second % WINDOW_SECONDS
    hosts.stamps[slot] = second
    hosts.healthy[slot] = healthy
    hosts.unhealthy[slot] = unhealthy
    hosts.lastHealthy = healthy
    hosts.lastUnhealthy = unhealthy
  }

  /** Totals since start (Prometheus counters) and the current host counts. */
  totals(): {counters: Record<CounterName, number>; latencySum: number; latencyCount: number; healthy: number; unhealthy: number; surgeQueueLength: number} {
    const ring = this.traffic
    const counters = Object.fromEntries(COUNTERS.map((name, index) => [name, ring?.totals[index] ?? 0])) as Record<CounterName, number>
    return {
      counters,
      latencySum: ring?.latencyTotal ?? 0,
      latencyCount: ring?.latencyTotalCount ?? 0,
      healthy: this.hosts?.lastHealthy ?? 0,
      unhealthy: this.hosts?.lastUnhealthy ?? 0,
      surgeQueueLength: this.surgeLength,
    }
  }

  /**
   * The last `rangeSeconds` (up to an hour, ending with the current second) in steps of `step`
   * seconds: counters summed, Latency averaged over its samples, Latency p99 the highest
   * per-second p99 of the step, host counts the last sample of the step.
   */
  points(rangeSeconds: number, step: number): SeriesPoints {
    const now = Math.floor(this.clock() / 1000)
    const range = Math.min(WINDOW_SECONDS, Math.max(1, Math.floor(rangeSeconds)))
    const stepSeconds = Math.max(1, Math.floor(step))
    const steps = Math.ceil(range / stepSeconds)
    const start = now - steps * stepSeconds + 1
    this.traffic?.foldHistogram(now)
    const metrics: Record<string, (number | null)[]> = {}
    for (const name of [...COUNTERS, 'Latency', 'LatencyP99', 'HealthyHostCount', 'UnHealthyHostCount', 'SurgeQueueLength']) metrics[name] = []
    const timestamps: number[] = []
    for (let index = 0; index < steps; index++) {
      const from = start + index * stepSeconds
      timestamps.push(from)
      this.aggregate(from, stepSeconds, metrics)
    }
    return {start, step: stepSeconds, timestamps, metrics}
  }

  /**
   * One minute of the last hour summed from its seconds (counters in COUNTERS order, Latency's
   * samples and histogram, the surge queue's longest length), without a per-second object: what
   * the CloudWatch history folds, and reads live for the minute not folded yet. Undefined: no traffic.
   */
  minuteTraffic(minute: number, withHistogram = true): RecentMinute & {readonly surgeQueueMax: number} | undefined {
    const ring = this.traffic
    if (ring === undefined) return undefined
    const counts = new Array<number>(COUNTER_COUNT).fill(0)
    let latencyCount = 0
    let latencySum = 0
    let latencyMin = Infinity
    let latencyMax = -Infinity
    let surgeQueueMax = 0
    let any = false
    for (let second = minute * 60; second < minute * 60 + 60; second++) {
      const slot = second % WINDOW_SECONDS
      if (ring.stamps[slot] !== second) continue
      any = true
      for (let counter = 0; counter < COUNTER_COUNT; counter++) counts[counter] = (counts[counter] ?? 0) + (ring.counts[slot * COUNTER_COUNT + counter] ?? 0)
      surgeQueueMax = Math.max(surgeQueueMax, ring.surgeMax[slot] ?? 0)
      const samples = ring.latencyCount[slot] ?? 0
      if (samples === 0) continue
      latencyCount += samples
      latencySum += ring.latencySum[slot] ?? 0
      latencyMin = Math.min(latencyMin, ring.latencyMin[slot] ?? 0)
      latencyMax = Math.max(latencyMax, ring.latencyMax[slot] ?? 0)
    }
    if (!any) return undefined
    if (latencyCount === 0) return {counts, latencyCount, latencySum, latencyMin: 0, latencyMax: 0, surgeQueueMax}
    const histogram = withHistogram ? ring.minuteHistograms.read(minute) : undefined
    return {counts, latencyCount, latencySum, latencyMin, latencyMax, surgeQueueMax, ...histogramField(histogram)}
  }

  /**
   * What was measured in one second of the last hour, as kept (counters in COUNTERS order, the
   * latency sum and sample count, the host counts sampled): CloudWatch's statistics are built from
   * these. Undefined parts were not measured in that second.
   */
  measuredSecond(second: number): MeasuredSecond {
    const slot = second % WINDOW_SECONDS
    const ring = this.traffic
    const hosts = this.hosts
    const traffic = ring !== undefined && ring.stamps[slot] === second
      ? {
        counts: Array.from(ring.counts.subarray(slot * COUNTER_COUNT, slot * COUNTER_COUNT + COUNTER_COUNT)),
        latencySum: ring.latencySum[slot] ?? 0, latencyCount: ring.latencyCount[slot] ?? 0,
        latencyMin: ring.latencyMin[slot] ?? 0, latencyMax: ring.latencyMax[slot] ?? 0, surgeQueueLength: ring.surgeMax[slot] ?? 0,
        ...histogramField(ring.secondHistograms.read(second)),
      }
      : undefined
    const sampled = hosts !== undefined && hosts.stamps[slot] === second ? {healthy: hosts.healthy[slot] ?? 0, unhealthy: hosts.unhealthy[slot] ?? 0} : undefined
    return {...(traffic === undefined ? {} : {traffic}), ...(sampled === undefined ? {} : {hosts: sampled})}
  }

  private aggregate(from: number, stepSeconds: number, metrics: Record<string, (number | null)[]>): void {
    const ring = this.traffic
    const sums = new Array<number>(COUNTER_COUNT).fill(0)
    let latencySum = 0
    let latencyCount = 0
    let p99: number | null = null
    let surge: number | null = null
    let healthy: number | null = null
    let unhealthy: number | null = null
    for (let second = from; second < from + stepSeconds; second++) {
      const slot = second % WINDOW_SECONDS
      if (ring !== undefined && ring.stamps[slot] === second) {
        for (let counter = 0; counter < COUNTER_COUNT; counter++) sums[counter] = (sums[counter] ?? 0) + (ring.counts[slot * COUNTER_COUNT + counter] ?? 0)
        latencySum += ring.latencySum[slot] ?? 0
        const samples = ring.latencyCount[slot] ?? 0
        latencyCount += samples
        // The current second's p99 is not folded yet: it is reported once the second is over.
        if (samples > 0 && second !== ring.histogramSecond) p99 = Math.max(p99 ?? 0, ring.p99[slot] ?? 0)
        surge = Math.max(surge ?? 0, ring.surgeMax[slot] ?? 0)
      }
      const hosts = this.hosts
      if (hosts !== undefined && hosts.stamps[slot] === second) {
        healthy = hosts.healthy[slot] ?? 0
        unhealthy = hosts.unhealthy[slot] ?? 0
      }
    }
    const push = (name: string, value: number | null) => { (metrics[name] ??= []).push(value) }
    COUNTERS.forEach((name, counter) => { push(name, sums[counter] ?? 0) })
    push('Latency', latencyCount > 0 ? latencySum / latencyCount : null)
    push('LatencyP99', p99)
    push('HealthyHostCount', healthy)
    push('UnHealthyHostCount', unhealthy)
    push('SurgeQueueLength', surge)
  }
}
