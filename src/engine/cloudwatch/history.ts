import type {MetricsStore} from '../metrics/store.js'
import {COUNTERS, oldestLiveMinute, WINDOW_SECONDS, type LoadBalancerMetrics} from '../metrics/series.js'
import type {EngineState, HealthView} from '../model/types.js'
import {AggregateMinutes} from './aggregate-minutes.js'
import {deleteOldest} from './custom-metrics.js'
import {trafficStatisticSets} from './elb-samples.js'
import {HistogramMinutes} from './histogram-minutes.js'
import {NodeHostMinutes, TrafficMinutes, type HostSamples, type MinuteTraffic} from './minute-rings.js'
import type {StatisticSet} from './statistics.js'

/**
 * The AWS/ELB history CloudWatch answers from: one-minute data per load balancer, kept for
 * `minutes` (24 hours by default) in typed-array rings (minute-rings.ts), independent of how long
 * the engine has run. Traffic is folded once a minute from the metrics store's per-second rings
 * (which keep an hour), so nothing here runs on the request path; the minutes not folded yet are
 * read live from those rings. Host counts are sampled once a second per load balancer node (one
 * node per enabled zone), as AWS's nodes report them. A load balancer's history outlives it, as
 * AWS keeps a deleted load balancer's metrics; at most `maxLoadBalancers` histories are kept (the
 * one with the oldest data goes first).
 */

export const DEFAULT_HISTORY_MINUTES = 24 * 60
/** AWS keeps one-minute data 15 days: more is never useful. */
export const MAX_HISTORY_MINUTES = 15 * 24 * 60
export const DEFAULT_MAX_HISTORY_LOAD_BALANCERS = 2000

/**
 * The history's length from `ELB_LOCAL_CLOUDWATCH_HISTORY_HOURS` (1 to 360, default 24): memory
 * grows with it (docs/benchmarks.md, CloudWatch).
 */
export function historyMinutesFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.ELB_LOCAL_CLOUDWATCH_HISTORY_HOURS
  const hours = raw === undefined || raw === '' ? undefined : Number(raw)
  if (hours === undefined || !Number.isInteger(hours) || hours < 1 || hours > MAX_HISTORY_MINUTES / 60) return DEFAULT_HISTORY_MINUTES
  return hours * 60
}

export interface HistoryOptions {
  readonly minutes?: number
  readonly maxLoadBalancers?: number
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

/** Adds `traffic`'s minute to `kept`: its ring, its histogram, the metric names it has data for. */
function keep(kept: KeptTraffic, capacity: number, minute: number, traffic: MinuteTraffic): void {
  const ring = kept.traffic ??= new TrafficMinutes(capacity)
  ring.write(minute, traffic)
  if (traffic.latencyHistogram !== undefined) (kept.latencyHistograms ??= new HistogramMinutes(capacity)).write(minute, traffic.latencyHistogram)
  for (const name of metricNamesOf(traffic)) kept.seen.set(name, Math.max(kept.seen.get(name) ?? 0, minute))
}

/** The metrics a minute of traffic has data for. */
function metricNamesOf(traffic: MinuteTraffic): string[] {
  const names = COUNTERS.filter((_, index) => (traffic.counts[index] ?? 0) > 0) as string[]
  if (traffic.latencyCount > 0) names.push('Latency')
  if ((traffic.surgeQueueMax ?? 0) > 0) names.push('SurgeQueueLength')
  return names
}

export class MinuteHistory {
  readonly minutes: number
  readonly maxLoadBalancers: number
  private readonly byKey = new Map<string, LoadBalancerHistory>()
  /** Per load balancer, the last minute folded from the per-second rings (later ones are read live). */
  private readonly folded = new Map<string, number>()
  /** region NUL zone ('' for the whole region) → the sum of its load balancers' minutes. */
  private readonly aggregates = new Map<string, AggregateMinutes>()

  constructor(private readonly metrics: MetricsStore, options: HistoryOptions = {}) {
    this.minutes = Math.min(MAX_HISTORY_MINUTES, Math.max(60, Math.floor(options.minutes ?? DEFAULT_HISTORY_MINUTES)))
    this.maxLoadBalancers = Math.max(1, Math.floor(options.maxLoadBalancers ?? DEFAULT_MAX_HISTORY_LOAD_BALANCERS))
  }

  private entry(region: string, name: string, minute: number): LoadBalancerHistory {
    const key = keyOf(region, name)
    let entry = this.byKey.get(key)
    if (entry === undefined) {
      if (this.byKey.size >= this.maxLoadBalancers) deleteOldest(this.byKey, (oldest) => oldest.newest)
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

  private addToAggregate(region: string, zone: string, minute: number, sets: Iterable<[string, StatisticSet]>): void {
    const key = keyOf(region, zone)
    let aggregate = this.aggregates.get(key)
    if (aggregate === undefined) {
      aggregate = new AggregateMinutes(this.minutes + 1)
      this.aggregates.set(key, aggregate)
    }
    for (const [metric, set] of sets) aggregate.add(metric, minute, set)
  }

  /**
   * Records one whole minute of a load balancer's traffic (the fold; history injection for
   * benchmarks), once per load balancer and minute: the region's aggregate adds it.
   */
  recordTraffic(region: string, name: string, minute: number, traffic: MinuteTraffic): void {
    const entry = this.entry(region, name, minute)
    keep(entry, this.minutes + 1, minute, traffic)
    entry.newest = Math.max(entry.newest, minute)
    this.markFolded(region, name, minute)
    this.addToAggregate(region, '', minute, trafficStatisticSets(traffic))
  }

  /** Records one whole minute of the traffic of a load balancer's node in `zone` (once per node and minute). */
  recordZoneTraffic(region: string, name: string, zone: string, minute: number, traffic: MinuteTraffic): void {
    const entry = this.entry(region, name, minute)
    let kept = entry.zones.get(zone)
    if (kept === undefined) {
      kept = {traffic: undefined, latencyHistograms: undefined, seen: new Map()}
      entry.zones.set(zone, kept)
    }
    keep(kept, this.minutes + 1, minute, traffic)
    entry.newest = Math.max(entry.newest, minute)
    this.addToAggregate(region, zone, minute, trafficStatisticSets(traffic))
  }

  /** One host-count sample of one load balancer node. */
  recordHosts(region: string, name: string, zone: string, minute: number, healthy: number, unhealthy: number): void {
    const entry = this.entry(region, name, minute)
    let node = entry.nodes.get(zone)
    if (node === undefined) {
      node = new NodeHostMinutes(this.minutes + 1)
      entry.nodes.set(zone, node)
    }
    node.add(minute, healthy, unhealthy)
    entry.newest = Math.max(entry.newest, minute)
    const sets: [string, StatisticSet][] = [
      ['HealthyHostCount', {sampleCount: 1, sum: healthy, minimum: healthy, maximum: healthy}],
      ['UnHealthyHostCount', {sampleCount: 1, sum: unhealthy, minimum: unhealthy, maximum: unhealthy}],
    ]
    this.addToAggregate(region, '', minute, sets)
    this.addToAggregate(region, zone, minute, sets)
  }

  /**
   * Folds every complete minute the per-second rings hold that is not folded yet (at most the
   * last hour's 60 minutes per load balancer; a minute without traffic writes nothing), all load
   * balancers at once (tests, benchmarks; the engine's timer folds in slices).
   */
  fold(nowMs: number): void {
    for (const {key, metrics} of this.metrics.unordered()) this.foldOne(key.region, key.loadBalancerName, metrics, nowMs)
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
      const traffic = zone === undefined ? liveMinute(live, minute) : live.zoneMinute(zone, minute)
      if (traffic !== undefined) for (const metric of metricNamesOf(traffic)) found.add(metric)
    }
    return found
  }

  hostsAt(entry: LoadBalancerHistory, zone: string, minute: number): HostSamples | undefined {
    return entry.nodes.get(zone)?.read(minute)
  }

  /** The bytes the rings hold (what the benchmark reports next to the process's heap). */
  bytes(): number {
    let total = 0
    for (const entry of this.byKey.values()) {
      for (const kept of [entry, ...entry.zones.values()]) total += (kept.traffic?.bytes() ?? 0) + (kept.latencyHistograms?.bytes() ?? 0)
      for (const node of entry.nodes.values()) total += node.bytes()
    }
    for (const aggregate of this.aggregates.values()) total += aggregate.bytes()
    return total
  }

  /** Starts folding once a minute and sampling host counts once a second; returns the stop. */
  start(state: () => EngineState | undefined, health: HealthView, clock: () => number = Date.now): () => void {
    const sample = setInterval(() => {
      const current = state()
      if (current !== undefined) this.sampleHosts(current, health, clock())
    }, 1000)
    let folding: Promise<void> | undefined
    const fold = setInterval(() => { folding ??= this.foldInSlices(clock()).finally(() => { folding = undefined }) }, 60_000)
    sample.unref()
    fold.unref()
    return () => {
      clearInterval(sample)
      clearInterval(fold)
    }
  }
}
