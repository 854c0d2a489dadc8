import type {MetricsStore} from '../metrics/store.js'
import {oldestLiveMinute, WINDOW_SECONDS, type LoadBalancerMetrics} from '../metrics/series.js'
import type {EngineState, HealthView} from '../model/types.js'
import {AggregateMinutes} from './aggregate-minutes.js'
import {deleteOldest} from './custom-metrics.js'
import {hostStatisticSets, metricNamesOf, trafficStatisticSets} from './elb-samples.js'
import {HistogramMinutes, histogramOf, persistable, withHistogram} from './histogram-minutes.js'
import {DEFAULT_HISTORY_MINUTES, DEFAULT_MEMORY_BOUND_BYTES, MAX_HISTORY_MINUTES} from './history-config.js'
import {NodeHostMinutes, TrafficMinutes, type ByteMeter, type HostSamples, type MinuteTraffic} from './minute-rings.js'
import type {StatisticSet} from './statistics.js'

/**
 * The AWS/ELB history CloudWatch answers from: one-minute data per load balancer, kept for
 * `minutes` (15 days by default, history-config.ts) in sparse rings (minute-rings.ts) whose bytes
 * are bounded by `memoryBytes` (the oldest data goes first), so memory never depends on how long
 * the engine has run. Traffic is folded once a minute from the metrics store's per-second rings
 * (which keep an hour), so nothing here runs on the request path; the minutes not folded yet are
 * read live from those rings. Host counts are sampled once a second per load balancer node (one
 * node per enabled zone), as AWS's nodes report them; each node's traffic is kept beside the load
 * balancer's (the AvailabilityZone dimension), and the region's and each zone's sums are kept as
 * minutes are recorded (aggregate-minutes.ts). A load balancer's history outlives it, as
 * AWS keeps a deleted load balancer's metrics; at most `maxLoadBalancers` histories are kept (the
 * one with the oldest data goes first). Every whole minute recorded goes to the `sink` (the
 * persistence, cloudwatch/persistence/); what is restored from disk does not.
 */

export {historyMinutesFrom, memoryBoundFrom} from './history-config.js'
export const DEFAULT_MAX_HISTORY_LOAD_BALANCERS = 2000

export interface HistoryOptions {
  readonly minutes?: number
  readonly maxLoadBalancers?: number
  /** The bound on the rings' bytes (default 256 MiB). */
  readonly memoryBytes?: number
  /** Where the one warning that the bound was reached goes. */
  readonly log?: (line: string) => void
}

/** Where each whole minute recorded goes (the persistence). `zone` is '' for the load balancer's own traffic. */
export interface HistorySink {
  traffic(region: string, name: string, zone: string, minute: number, traffic: MinuteTraffic): void
  hosts(region: string, name: string, zone: string, minute: number, samples: HostSamples): void
}

/** The traffic minutes of a load balancer, or of one of its nodes (zones). */
export interface KeptTraffic {
  traffic: TrafficMinutes | undefined
  /** Latency's histogram per minute (its percentiles). */
  latencyHistograms: HistogramMinutes | undefined
  /** Metric name (COUNTERS, Latency, SurgeQueueLength) → newest minute it had data: what ListMetrics lists. */
  readonly seen: Map<string, number>
}

/** One load balancer's history. */
export interface LoadBalancerHistory extends KeptTraffic {
  readonly region: string
  readonly name: string
  /** Zone → that node's host-count samples. */
  readonly nodes: Map<string, NodeHostMinutes>
  /** Zone → the traffic of that node (the AvailabilityZone dimension of request metrics). */
  readonly zones: Map<string, KeptTraffic>
  /** Newest minute with any data: the eviction order. */
  newest: number
}

const keyOf = (region: string, name: string) => `${region}\u0000${name}`

/** The longest the timer's fold runs before it lets the event loop go on. */
const FOLD_SLICE_MS = 10

/** The traffic of one minute as the per-second rings still hold it (undefined when none). */
export function liveMinute(metrics: LoadBalancerMetrics, minute: number): MinuteTraffic | undefined {
  return metrics.minuteTraffic(minute)
}

export class MinuteHistory {
  readonly minutes: number
  readonly maxLoadBalancers: number
  readonly memoryBytes: number
  private readonly byKey = new Map<string, LoadBalancerHistory>()
  /** Per load balancer, the last minute folded from the per-second rings (later ones are read live). */
  private readonly folded = new Map<string, number>()
  /** region NUL zone ('' for the whole region) → the sum of its load balancers' minutes. */
  private readonly aggregates = new Map<string, AggregateMinutes>()
  private readonly meter: ByteMeter = {bytes: 0}
  private readonly log: (line: string) => void
  private boundReached = false
  sink: HistorySink | undefined

  constructor(private readonly metrics: MetricsStore, options: HistoryOptions = {}) {
    this.minutes = Math.min(MAX_HISTORY_MINUTES, Math.max(60, Math.floor(options.minutes ?? DEFAULT_HISTORY_MINUTES)))
    this.maxLoadBalancers = Math.max(1, Math.floor(options.maxLoadBalancers ?? DEFAULT_MAX_HISTORY_LOAD_BALANCERS))
    this.memoryBytes = Math.max(1, Math.floor(options.memoryBytes ?? DEFAULT_MEMORY_BOUND_BYTES))
    this.log = options.log ?? (() => undefined)
  }

  private entry(region: string, name: string, minute: number): LoadBalancerHistory {
    const key = keyOf(region, name)
    let entry = this.byKey.get(key)
    if (entry === undefined) {
      if (this.byKey.size >= this.maxLoadBalancers) {
        deleteOldest(this.byKey, (oldest) => oldest.newest)
        this.recount()
      }
      entry = {region, name, traffic: undefined, latencyHistograms: undefined, nodes: new Map(), zones: new Map(), newest: minute, seen: new Map()}
      this.byKey.set(key, entry)
    }
    return entry
  }

  find(region: string, name: string): LoadBalancerHistory | undefined {
    return this.byKey.get(keyOf(region, name))
  }

  /** Every load balancer with a history in `region` (deleted ones included). */
  inRegion(region: string): LoadBalancerHistory[] {
    return [...this.byKey.values()].filter((entry) => entry.region === region)
  }

  /** The oldest minute still kept at `nowMinute`: a whole `minutes` before the current one. */
  oldestMinute(nowMinute: number): number {
    return nowMinute - this.minutes
  }

  /**
   * The minutes of a whole region (`zone` '') or of one zone summed over its load balancers (what
   * the dimension sets {} and {AvailabilityZone} read); undefined until one had data.
   */
  aggregate(region: string, zone: string): AggregateMinutes | undefined {
    return this.aggregates.get(keyOf(region, zone))
  }

  private addToAggregates(region: string, zones: readonly string[], minute: number, sets: readonly [string, StatisticSet][]): void {
    for (const zone of zones) {
      const key = keyOf(region, zone)
      let aggregate = this.aggregates.get(key)
      if (aggregate === undefined) {
        aggregate = new AggregateMinutes(this.minutes + 1, this.meter)
        this.aggregates.set(key, aggregate)
      }
      for (const [metric, set] of sets) aggregate.add(metric, minute, set)
    }
  }

  /**
   * Records one whole minute of a load balancer's traffic (the fold; history injection for
   * benchmarks), persisted; once per load balancer and minute: the region's aggregate adds it.
   */
  recordTraffic(region: string, name: string, minute: number, traffic: MinuteTraffic): void {
    this.restoreTraffic(region, name, '', minute, traffic)
    this.sink?.traffic(region, name, '', minute, persistable(traffic))
  }

  /** Records one whole minute of the traffic of a load balancer's node in `zone` (once per node and minute), persisted. */
  recordZoneTraffic(region: string, name: string, zone: string, minute: number, traffic: MinuteTraffic): void {
    this.restoreTraffic(region, name, zone, minute, traffic)
    this.sink?.traffic(region, name, zone, minute, persistable(traffic))
  }

  /** One whole minute of a load balancer's (zone '') or node's traffic, recorded or read back from disk (not persisted again). */
  restoreTraffic(region: string, name: string, zone: string, minute: number, traffic: MinuteTraffic): void {
    const entry = this.entry(region, name, minute)
    let kept: KeptTraffic | undefined = entry
    if (zone !== '') {
      kept = entry.zones.get(zone)
      if (kept === undefined) {
        kept = {traffic: undefined, latencyHistograms: undefined, seen: new Map()}
        entry.zones.set(zone, kept)
      }
    }
    const histogram = histogramOf(traffic)
    const minuteTraffic = histogram === traffic.latencyHistogram ? traffic : withHistogram(traffic, histogram)
    ;(kept.traffic ??= new TrafficMinutes(this.minutes + 1, this.meter)).write(minute, minuteTraffic)
    if (histogram !== undefined) (kept.latencyHistograms ??= new HistogramMinutes(this.minutes + 1, this.meter)).write(minute, histogram)
    for (const metric of metricNamesOf(traffic)) kept.seen.set(metric, Math.max(kept.seen.get(metric) ?? 0, minute))
    entry.newest = Math.max(entry.newest, minute)
    if (zone === '') this.markFolded(region, name, minute)
    this.addToAggregates(region, [zone], minute, trafficStatisticSets(minuteTraffic))
    this.holdBound()
  }

  private node(region: string, name: string, zone: string, minute: number): NodeHostMinutes {
    const entry = this.entry(region, name, minute)
    let node = entry.nodes.get(zone)
    if (node === undefined) {
      node = new NodeHostMinutes(this.minutes + 1, this.meter)
      entry.nodes.set(zone, node)
    }
    entry.newest = Math.max(entry.newest, minute)
    return node
  }

  /** One host-count sample of one load balancer node; the minute it closes is persisted. */
  recordHosts(region: string, name: string, zone: string, minute: number, healthy: number, unhealthy: number): void {
    const closed = this.node(region, name, zone, minute).add(minute, healthy, unhealthy)
    if (closed !== undefined) this.sink?.hosts(region, name, zone, closed.minute, closed.samples)
    const sample = {samples: 1, healthy: {sum: healthy, min: healthy, max: healthy}, unhealthy: {sum: unhealthy, min: unhealthy, max: unhealthy}}
    this.addToAggregates(region, ['', zone], minute, hostStatisticSets(sample))
    this.holdBound()
  }

  /** One whole minute of a node's host counts read back from disk (not persisted again). */
  restoreHosts(region: string, name: string, zone: string, minute: number, samples: HostSamples): void {
    this.node(region, name, zone, minute).put(minute, samples)
    this.addToAggregates(region, ['', zone], minute, hostStatisticSets(samples))
    this.holdBound()
  }

  /**
   * Folds every complete minute the per-second rings hold that is not folded yet (at most the
   * last hour's 60 minutes per load balancer; a minute without traffic writes nothing), all load
   * balancers at once (tests, the engine's close; its timer folds in slices), then frees what the
   * retention no longer covers.
   */
  fold(nowMs: number): void {
    for (const {key, metrics} of this.metrics.unordered()) this.foldOne(key.region, key.loadBalancerName, metrics, nowMs)
    this.expire(this.oldestMinute(Math.floor(nowMs / 60_000)))
  }

  /** The fold of one load balancer (what a read of it does first: its minutes then come from the history). */
  foldLoadBalancer(region: string, name: string, nowMs: number): void {
    const metrics = this.metrics.find(region, name)
    if (metrics !== undefined) this.foldOne(region, name, metrics, nowMs)
  }

  /**
   * The once-a-minute fold, yielding to the event loop every FOLD_SLICE_MS: with a thousand busy
   * load balancers a whole fold takes tens of milliseconds (the first, which allocates the rings,
   * hundreds). Reads meanwhile see the load balancers not folded yet live (elb-metrics.ts).
   */
  async foldInSlices(nowMs: number): Promise<void> {
    let sliceStart = performance.now()
    for (const {key, metrics} of this.metrics.unordered()) {
      this.foldOne(key.region, key.loadBalancerName, metrics, nowMs)
      if (performance.now() - sliceStart < FOLD_SLICE_MS) continue
      await new Promise((resolve) => setImmediate(resolve))
      sliceStart = performance.now()
    }
    this.expire(this.oldestMinute(Math.floor(nowMs / 60_000)))
  }

  private foldOne(region: string, name: string, metrics: LoadBalancerMetrics, nowMs: number): void {
    const current = Math.floor(nowMs / 60_000)
    const from = Math.max(oldestLiveMinute(nowMs), this.foldedThrough(region, name) + 1)
    for (let minute = from; minute < current; minute++) {
      const traffic = liveMinute(metrics, minute)
      if (traffic === undefined) continue
      this.recordTraffic(region, name, minute, traffic)
      for (const zone of metrics.zones()) {
        const zoneTraffic = metrics.zoneMinute(zone, minute)
        if (zoneTraffic !== undefined) this.recordZoneTraffic(region, name, zone, minute, zoneTraffic)
      }
    }
    this.markFolded(region, name, current - 1)
  }

  /** Frees every minute before `oldestMinute`, and the histories left empty. */
  expire(oldestMinute: number): void {
    for (const [key, entry] of this.byKey) {
      for (const kept of [entry, ...entry.zones.values()]) {
        kept.traffic?.expire(oldestMinute)
        kept.latencyHistograms?.expire(oldestMinute)
      }
      for (const node of entry.nodes.values()) node.expire(oldestMinute)
      if (entry.newest < oldestMinute) {
        this.byKey.delete(key)
        this.folded.delete(key)
        this.meter.bytes -= entryBytes(entry)
      }
    }
    for (const aggregate of this.aggregates.values()) aggregate.expire(oldestMinute)
  }

  /**
   * Over the memory bound: drops the oldest hour held, everywhere, then the next, until under it
   * (said once in the log). A run of host counts reaching past the hour is cut, not dropped.
   */
  private holdBound(): void {
    if (this.meter.bytes <= this.memoryBytes) return
    let oldest = Infinity
    let newest = -Infinity
    for (const entry of this.byKey.values()) {
      for (const kept of [entry, ...entry.zones.values()]) {
        oldest = Math.min(oldest, kept.traffic?.oldestMinute() ?? Infinity, kept.latencyHistograms?.oldestMinute() ?? Infinity)
      }
      for (const node of entry.nodes.values()) oldest = Math.min(oldest, node.oldestMinute() ?? Infinity)
      newest = Math.max(newest, entry.newest)
    }
    for (const aggregate of this.aggregates.values()) oldest = Math.min(oldest, aggregate.oldestMinute() ?? Infinity)
    for (let cutoff = (Math.floor(oldest / 60) + 1) * 60; this.meter.bytes > this.memoryBytes && cutoff <= newest + 60; cutoff += 60) this.expire(cutoff)
    if (this.boundReached) return
    this.boundReached = true
    this.log(`WARN the CloudWatch history reached its memory bound (${(this.memoryBytes / 1048576).toFixed(0)} MiB, ` +
      'ELB_LOCAL_CLOUDWATCH_MEMORY_MB): its oldest minutes are dropped first, so less than the retention is kept')
  }

  /** Recomputes the meter from the rings (after a whole history was dropped). */
  private recount(): void {
    this.meter.bytes = this.bytesHeld()
  }

  /** The last minute of a load balancer folded into the history (later ones are read live). */
  foldedThrough(region: string, name: string): number {
    return this.folded.get(keyOf(region, name)) ?? 0
  }

  private markFolded(region: string, name: string, minute: number): void {
    const key = keyOf(region, name)
    if ((this.folded.get(key) ?? 0) < minute) this.folded.set(key, minute)
  }

  /**
   * One host-count sample per load balancer node (each enabled zone): with cross-zone load
   * balancing every node counts the instances of all zones, else only those of its own zone
   * (AWS: "If cross-zone load balancing is enabled, the number of healthy instances for the
   * LoadBalancerName dimension is calculated across all Availability Zones. Otherwise, it is
   * calculated per Availability Zone.").
   */
  sampleHosts(state: EngineState, health: HealthView, nowMs: number): void {
    const minute = Math.floor(nowMs / 60_000)
    for (const [region, regionState] of Object.entries(state.regions)) {
      for (const lb of regionState.loadBalancers) {
        if (lb.instances.length === 0) continue
        const byZone = new Map<string, {healthy: number; unhealthy: number}>()
        const total = {healthy: 0, unhealthy: 0}
        for (const instance of lb.instances) {
          const inService = health.instanceHealth(region, lb.name, instance.instanceId)?.state === 'InService'
          const zone = byZone.get(instance.availabilityZone) ?? {healthy: 0, unhealthy: 0}
          byZone.set(instance.availabilityZone, zone)
          for (const counts of [zone, total]) {
            if (inService) counts.healthy++
            else counts.unhealthy++
          }
        }
        for (const zone of lb.availabilityZones) {
          const counts = lb.attributes.crossZoneLoadBalancing ? total : byZone.get(zone) ?? {healthy: 0, unhealthy: 0}
          this.recordHosts(region, lb.name, zone, minute, counts.healthy, counts.unhealthy)
        }
      }
    }
  }

  /**
   * One minute of a load balancer's (or its node's in `zone`) traffic not folded yet, read live from
   * the metrics store (without its Latency histogram unless `withHistogram`: a copy per minute).
   */
  liveTrafficAt(region: string, name: string, minute: number, nowMs: number, zone?: string, withHistogram = true): MinuteTraffic | undefined {
    if (minute * 60 <= Math.floor(nowMs / 1000) - WINDOW_SECONDS) return undefined
    const live = this.metrics.find(region, name)
    if (live === undefined) return undefined
    return zone === undefined ? live.minuteTraffic(minute, withHistogram) : live.zoneMinute(zone, minute, withHistogram)
  }

  /**
   * The metric names with traffic data in the live (not yet folded) minutes of a load balancer, or
   * of its node in `zone`.
   */
  liveMetricNames(region: string, name: string, nowMs: number, zone?: string): Set<string> {
    const found = new Set<string>()
    const live = this.metrics.find(region, name)
    if (live === undefined) return found
    const folded = this.foldedThrough(region, name)
    const current = Math.floor(nowMs / 60_000)
    for (let minute = Math.max(oldestLiveMinute(nowMs), folded + 1); minute <= current; minute++) {
      const traffic = zone === undefined ? live.minuteTraffic(minute, false) : live.zoneMinute(zone, minute, false)
      if (traffic !== undefined) for (const metric of metricNamesOf(traffic)) found.add(metric)
    }
    return found
  }

  hostsAt(entry: LoadBalancerHistory, zone: string, minute: number): HostSamples | undefined {
    return entry.nodes.get(zone)?.read(minute)
  }

  /** The bytes the rings hold (what the bound holds; the benchmark reports it next to the process's heap). */
  bytes(): number {
    return this.meter.bytes
  }

  private bytesHeld(): number {
    let total = 0
    for (const entry of this.byKey.values()) total += entryBytes(entry)
    for (const aggregate of this.aggregates.values()) total += aggregate.bytes()
    return total
  }

  /**
   * Starts sampling host counts once a second — exactly one sample per second of the clock, a
   * second the timer skipped (it drifts) sampled late, so a steady node's minutes are equal and
   * share a run — and folding each minute a second after it ended (`onFold` follows: the
   * persistence's write). Returns the stop.
   */
  start(state: () => EngineState | undefined, health: HealthView, clock: () => number = Date.now, onFold: () => void = () => undefined): () => void {
    let sampled = Math.floor(clock() / 1000) - 1
    const sample = setInterval(() => {
      const current = state()
      const second = Math.floor(clock() / 1000)
      for (let at = Math.max(sampled + 1, second - 59); current !== undefined && at <= second; at++) this.sampleHosts(current, health, at * 1000)
      sampled = Math.max(sampled, second)
    }, 1000)
    sample.unref()
    let fold: NodeJS.Timeout | undefined
    let stopped = false
    const foldNext = () => {
      if (stopped) return
      fold = setTimeout(() => {
        void this.foldInSlices(clock()).then(() => {
          onFold()
          foldNext()
        })
      }, 60_000 - ((clock() - 1000) % 60_000))
      fold.unref()
    }
    foldNext()
    return () => {
      clearInterval(sample)
      stopped = true
      clearTimeout(fold)
    }
  }
}

/** The bytes of one load balancer's rings: its traffic, its nodes' traffic and host counts, their histograms. */
function entryBytes(entry: LoadBalancerHistory): number {
  let total = 0
  for (const kept of [entry, ...entry.zones.values()]) total += (kept.traffic?.bytes() ?? 0) + (kept.latencyHistograms?.bytes() ?? 0)
  for (const node of entry.nodes.values()) total += node.bytes()
  return total
}
