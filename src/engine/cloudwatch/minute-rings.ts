import {COUNTERS} from '../metrics/series.js'

/**
 * One load balancer's one-minute CloudWatch data in fixed typed-array rings (the slot of minute
 * `m` is `m % capacity`; a slot whose stamp is not `m` holds an older minute and is cleared when
 * reused). Arrays are allocated on first use: a counter that never counted costs nothing.
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

export class TrafficMinutes {
  private readonly stamps: Uint32Array
  private readonly counters: (Uint32Array | undefined)[] = COUNTERS.map(() => undefined)
  private latency: {count: Uint32Array; sum: Float64Array; min: Float64Array; max: Float64Array} | undefined
  /** Allocated when a surge queue first held a request (the data plane's queue holds at most 1,024). */
  private surge: Uint16Array | undefined

  constructor(private readonly capacity: number) {
    this.stamps = new Uint32Array(capacity)
  }

  /** Records a whole minute (folded from the per-second rings, or injected), replacing what was there. */
  write(minute: number, traffic: MinuteTraffic): void {
    const slot = minute % this.capacity
    this.stamps[slot] = minute
    traffic.counts.forEach((count, index) => {
      let counter = this.counters[index]
      if (counter === undefined && count === 0) return
      counter ??= this.counters[index] = new Uint32Array(this.capacity)
      counter[slot] = count
    })
    for (let index = traffic.counts.length; index < this.counters.length; index++) {
      const counter = this.counters[index]
      if (counter !== undefined) counter[slot] = 0
    }
    const surge = traffic.surgeQueueMax ?? 0
    if (this.surge !== undefined || surge > 0) (this.surge ??= new Uint16Array(this.capacity))[slot] = Math.min(surge, 0xffff)
    if (this.latency === undefined && traffic.latencyCount === 0) return
    const latency = this.latency ??= {
      count: new Uint32Array(this.capacity), sum: new Float64Array(this.capacity), min: new Float64Array(this.capacity), max: new Float64Array(this.capacity),
    }
    latency.count[slot] = traffic.latencyCount
    latency.sum[slot] = traffic.latencySum
    latency.min[slot] = traffic.latencyMin
    latency.max[slot] = traffic.latencyMax
  }

  /** One counter of one minute without building the whole minute (0: no data). */
  counter(minute: number, index: number): number {
    const slot = minute % this.capacity
    return this.stamps[slot] === minute ? this.counters[index]?.[slot] ?? 0 : 0
  }

  /** The surge queue's longest length in one minute (0: empty or no data). */
  surgeQueueMax(minute: number): number {
    const slot = minute % this.capacity
    return this.stamps[slot] === minute ? this.surge?.[slot] ?? 0 : 0
  }

  /** The Latency samples of one minute, or undefined when it had none. */
  latencyAt(minute: number): {sampleCount: number; sum: number; minimum: number; maximum: number} | undefined {
    const slot = minute % this.capacity
    const latency = this.latency
    const count = this.stamps[slot] === minute ? latency?.count[slot] ?? 0 : 0
    if (latency === undefined || count === 0) return undefined
    return {sampleCount: count, sum: latency.sum[slot] ?? 0, minimum: latency.min[slot] ?? 0, maximum: latency.max[slot] ?? 0}
  }

  bytes(): number {
    const arrays = [this.stamps, this.surge, ...this.counters, ...Object.values(this.latency ?? {})]
    return arrays.reduce((total, array) => total + (array?.byteLength ?? 0), 0)
  }
}

/** One minute of host-count samples of one load balancer node: count, sum, minimum, maximum. */
export interface HostSamples {
  readonly samples: number
  readonly healthy: {readonly sum: number; readonly min: number; readonly max: number}
  readonly unhealthy: {readonly sum: number; readonly min: number; readonly max: number}
}

/** The HealthyHostCount/UnHealthyHostCount samples of one load balancer node (one zone), per minute. */
export class NodeHostMinutes {
  private readonly stamps: Uint32Array
  private readonly samples: Uint8Array
  private readonly sums: Uint32Array
  /** [healthy min, healthy max, unhealthy min, unhealthy max] per slot. */
  private readonly extremes: Uint16Array

  constructor(private readonly capacity: number) {
    this.stamps = new Uint32Array(capacity)
    this.samples = new Uint8Array(capacity)
    this.sums = new Uint32Array(capacity * 2)
    this.extremes = new Uint16Array(capacity * 4)
  }

  /** One sample (the health sampler takes one a second; at most 255 are kept per minute). */
  add(minute: number, healthy: number, unhealthy: number): void {
    const slot = minute % this.capacity
    const fresh = this.stamps[slot] !== minute
    if (fresh) this.stamps[slot] = minute
    const samples = fresh ? 0 : this.samples[slot] ?? 0
    if (samples === 255) return
    this.samples[slot] = samples + 1
    const [h, u] = [Math.min(healthy, 0xffff), Math.min(unhealthy, 0xffff)]
    this.sums[slot * 2] = (fresh ? 0 : this.sums[slot * 2] ?? 0) + h
    this.sums[slot * 2 + 1] = (fresh ? 0 : this.sums[slot * 2 + 1] ?? 0) + u
    const e = slot * 4
    this.extremes[e] = fresh ? h : Math.min(this.extremes[e] ?? h, h)
    this.extremes[e + 1] = fresh ? h : Math.max(this.extremes[e + 1] ?? h, h)
    this.extremes[e + 2] = fresh ? u : Math.min(this.extremes[e + 2] ?? u, u)
    this.extremes[e + 3] = fresh ? u : Math.max(this.extremes[e + 3] ?? u, u)
  }

  read(minute: number): HostSamples | undefined {
    const slot = minute % this.capacity
    if (this.stamps[slot] !== minute || minute === 0) return undefined
    const e = slot * 4
    return {
      samples: this.samples[slot] ?? 0,
      healthy: {sum: this.sums[slot * 2] ?? 0, min: this.extremes[e] ?? 0, max: this.extremes[e + 1] ?? 0},
      unhealthy: {sum: this.sums[slot * 2 + 1] ?? 0, min: this.extremes[e + 2] ?? 0, max: this.extremes[e + 3] ?? 0},
    }
  }

  bytes(): number {
    return this.stamps.byteLength + this.samples.byteLength + this.sums.byteLength + this.extremes.byteLength
  }
}
