import {COUNTERS, oldestLiveMinute, WINDOW_SECONDS, type MeasuredSecond} from '../metrics/series.js'
import type {MetricsStore} from '../metrics/store.js'
import type {KeptTraffic, LoadBalancerHistory, MinuteHistory} from './history.js'
import type {HostSamples, MinuteTraffic} from './minute-rings.js'
import {counterSet, surgeSet, trafficSet} from './elb-samples.js'
import {addTo, type StatisticSet} from './statistics.js'

/**
 * The AWS/ELB namespace as AWS publishes it ("CloudWatch metrics for your Classic Load Balancer"),
 * read from the one-minute history (history.ts): each metric's unit and what one minute's
 * measurement is as CloudWatch samples. Request metrics (RequestCount, HTTPCode_*) count one
 * sample of value 1 per event ("Minimum, Maximum, and Average all return 1"), so a minute without
 * requests has no data point; BackendConnectionErrors (and any other per-node counter) is one
 * sample per node and minute whose value is the count ("Average, Minimum, and Maximum are
 * reported per load balancer node"); Latency keeps count, sum, minimum and maximum; host counts
 * are one sample per node and second.
 */

export const ELB_NAMESPACE = 'AWS/ELB'
export const LOAD_BALANCER_NAME = 'LoadBalancerName'
export const AVAILABILITY_ZONE = 'AvailabilityZone'

type ElbMetric =
  | {
    readonly kind: 'traffic'
    readonly unit: string
    /** From a whole minute (read live), and from the history's rings without building the minute. */
    readonly set: (traffic: MinuteTraffic) => StatisticSet | undefined
    readonly kept: (kept: KeptTraffic, minute: number) => StatisticSet | undefined
  }
  | {readonly kind: 'hosts'; readonly unit: string; readonly set: (hosts: HostSamples) => StatisticSet | undefined}

const ELB_METRICS: ReadonlyMap<string, ElbMetric> = new Map<string, ElbMetric>([
  ...COUNTERS.map((name, index): [string, ElbMetric] => [name, {
    kind: 'traffic', unit: 'Count',
    set: (traffic) => trafficSet(name, traffic),
    kept: (kept, minute) => counterSet(name, kept.traffic?.counter(minute, index) ?? 0),
  }]),
  ['Latency', {
    kind: 'traffic', unit: 'Seconds',
    set: (traffic) => trafficSet('Latency', traffic),
    kept: (kept, minute): StatisticSet | undefined => {
      const latency = kept.traffic?.latencyAt(minute)
      if (latency === undefined) return undefined
      const histogram = kept.latencyHistograms?.read(minute)
      return histogram === undefined ? latency : {...latency, histogram}
    },
  }],
  // "Reporting criteria: There is a nonzero value"; its useful statistic is Maximum: one sample per
  // node and minute, the queue's longest length in it.
  ['SurgeQueueLength', {
    kind: 'traffic', unit: 'Count',
    set: (traffic) => trafficSet('SurgeQueueLength', traffic),
    kept: (kept, minute) => surgeSet(kept.traffic?.surgeQueueMax(minute) ?? 0),
  }],
  ...(['HealthyHostCount', 'UnHealthyHostCount'] as const).map((name): [string, ElbMetric] => [name, {kind: 'hosts', unit: 'Count', set: (hosts) => {
    const counts = name === 'HealthyHostCount' ? hosts.healthy : hosts.unhealthy
    return hosts.samples === 0 ? undefined : {sampleCount: hosts.samples, sum: counts.sum, minimum: counts.min, maximum: counts.max}
  }}]),
])

export const ELB_METRIC_NAMES: readonly string[] = [...ELB_METRICS.keys()]

export function elbMetricUnit(metricName: string): string | undefined {
  return ELB_METRICS.get(metricName)?.unit
}

/** What a dimension set selects: a load balancer, a zone, both, or neither (the region). */
export interface ElbSelection {
  readonly loadBalancerName?: string
  readonly zone?: string
}

/**
 * The dimension sets AWS publishes for AWS/ELB: none, LoadBalancerName, AvailabilityZone, and
 * the two together (in any order). Any other set is a metric nobody publishes (`undefined`).
 */
export function elbSelection(dimensions: readonly {readonly Name: string; readonly Value: string}[]): ElbSelection | undefined {
  const selection: {loadBalancerName?: string; zone?: string} = {}
  for (const {Name, Value} of dimensions) {
    if (Name === LOAD_BALANCER_NAME && selection.loadBalancerName === undefined) selection.loadBalancerName = Value
    else if (Name === AVAILABILITY_ZONE && selection.zone === undefined) selection.zone = Value
    else return undefined
  }
  return selection
}

export interface MinuteRange {
  /** First and last minute (epoch minutes, inclusive). */
  readonly from: number
  readonly to: number
}

/** The load balancers a selection reads: the one named, or every one with data in the region. */
function selectedNames(history: MinuteHistory, metrics: MetricsStore, region: string, selection: ElbSelection): string[] {
  if (selection.loadBalancerName !== undefined) return [selection.loadBalancerName]
  const names = new Set(history.inRegion(region).map((entry) => entry.name))
  for (const {key} of metrics.entries()) if (key.region === region) names.add(key.loadBalancerName)
  return [...names]
}

/**
 * Calls `visit(minute, set)` for every minute of `range` where `metricName` has data under the
 * selection (several load balancers or nodes in the same minute are visited one by one). A
 * selection without a load balancer reads the region's or the zone's aggregate (kept as the
 * history folds), plus the minute not folded yet of each load balancer: O(minutes), whatever the
 * number of load balancers.
 */
export function visitElbMinutes(
  history: MinuteHistory, metrics: MetricsStore, region: string, metricName: string, selection: ElbSelection,
  range: MinuteRange, nowMs: number, visit: (minute: number, set: StatisticSet) => void,
): void {
  const metric = ELB_METRICS.get(metricName)
  if (metric === undefined) return
  const from = Math.max(range.from, history.oldestMinute(Math.floor(nowMs / 60_000)))
  const to = Math.min(range.to, Math.floor(nowMs / 60_000))
  if (selection.loadBalancerName === undefined) {
    visitAggregate(history, metrics, region, metricName, selection.zone, {from, to}, nowMs, visit)
    return
  }
  const name = selection.loadBalancerName
  const entry = history.find(region, name)
  if (metric.kind === 'traffic') {
    const zone = selection.zone
    const kept = zone === undefined ? entry : entry?.zones.get(zone)
    const folded = history.foldedThrough(region, name)
    for (let minute = from; minute <= to; minute++) {
      let set: StatisticSet | undefined
      if (minute <= folded) {
        set = kept === undefined ? undefined : metric.kept(kept, minute)
      } else {
        const traffic = history.liveTrafficAt(region, name, minute, nowMs, zone, metricName === 'Latency')
        set = traffic === undefined ? undefined : metric.set(traffic)
      }
      if (set !== undefined) visit(minute, set)
    }
    return
  }
  if (entry === undefined) return
  for (const zone of zonesOf(entry, selection)) {
    for (let minute = from; minute <= to; minute++) {
      const samples = history.hostsAt(entry, zone, minute)
      const set = samples === undefined ? undefined : metric.set(samples)
      if (set !== undefined) visit(minute, set)
    }
  }
}

/**
 * The region's (or a zone's) minutes: the aggregate (every load balancer's folded minutes), plus,
 * for each load balancer the fold has not reached yet, its later minutes read live. The timer
 * folds every load balancer once a minute, so that is the current minute, or two at a minute's turn.
 */
function visitAggregate(
  history: MinuteHistory, metrics: MetricsStore, region: string, metricName: string, zone: string | undefined,
  range: MinuteRange, nowMs: number, visit: (minute: number, set: StatisticSet) => void,
): void {
  const metric = ELB_METRICS.get(metricName)
  const aggregate = history.aggregate(region, zone ?? '')
  for (let minute = range.from; minute <= range.to; minute++) {
    const set = aggregate?.read(metricName, minute)
    if (set !== undefined) visit(minute, set)
  }
  // Host counts are sampled into the history (and its aggregates) directly: nothing is live.
  if (metric?.kind !== 'traffic') return
  const oldestLive = Math.max(range.from, oldestLiveMinute(nowMs))
  for (const {key} of metrics.unordered()) {
    if (key.region !== region) continue
    for (let minute = Math.max(oldestLive, history.foldedThrough(region, key.loadBalancerName) + 1); minute <= range.to; minute++) {
      const traffic = history.liveTrafficAt(region, key.loadBalancerName, minute, nowMs, zone, metricName === 'Latency')
      const set = traffic === undefined ? undefined : metric.set(traffic)
      if (set !== undefined) visit(minute, set)
    }
  }
}

function zonesOf(entry: LoadBalancerHistory, selection: ElbSelection): string[] {
  if (selection.zone !== undefined) return entry.nodes.has(selection.zone) ? [selection.zone] : []
  return [...entry.nodes.keys()]
}

export interface Buckets {
  /** Epoch seconds: [start, end) in buckets of `period` seconds. */
  readonly start: number
  readonly end: number
  readonly period: number
}

/** Whether a window's buckets are whole minutes of the history (any CloudWatch API period, an alarm's at time scale 1). */
export function isMinuteWindow(window: Buckets): boolean {
  return window.period % 60 === 0 && window.start % 60 === 0
}

/** The statistic set of each bucket (index → set) of a metric over [start, end) in `period` buckets (whole minutes). */
export function elbBuckets(
  history: MinuteHistory, metrics: MetricsStore, region: string, metricName: string, selection: ElbSelection,
  window: Buckets, nowMs: number,
): Map<number, StatisticSet> {
  const sets = new Map<number, StatisticSet>()
  const range = {from: Math.ceil(window.start / 60), to: Math.ceil(window.end / 60) - 1}
  visitElbMinutes(history, metrics, region, metricName, selection, range, nowMs, (minute, set) => {
    const index = Math.floor((minute * 60 - window.start) / window.period)
    sets.set(index, addTo(sets.get(index), set))
  })
  return sets
}

/** One second of the per-second rings as one minute's traffic (what the metric readers take). */
function secondTraffic(traffic: NonNullable<MeasuredSecond['traffic']>): MinuteTraffic {
  return {...traffic, surgeQueueMax: traffic.surgeQueueLength}
}

/**
 * The statistic set of each bucket of a metric over buckets shorter than (or not aligned on) a
 * minute, which only a time-scaled alarm asks for (`--time-scale 1/60`: a 60-second period lasts
 * one second): read from the per-second rings the history's minutes are folded from, so the last
 * hour only. Those rings count hosts per load balancer, not per node: with an AvailabilityZone
 * dimension they have no data (decisions.md, "Alarms on a time-scaled engine").
 */
export function elbSecondBuckets(
  history: MinuteHistory, metrics: MetricsStore, region: string, metricName: string, selection: ElbSelection,
  window: Buckets, nowMs: number,
): Map<number, StatisticSet> {
  const metric = ELB_METRICS.get(metricName)
  const sets = new Map<number, StatisticSet>()
  if (metric === undefined || selection.zone !== undefined) return sets
  const now = Math.floor(nowMs / 1000)
  const from = Math.max(window.start, now - WINDOW_SECONDS + 1)
  const to = Math.min(window.end - 1, now)
  for (const name of selectedNames(history, metrics, region, selection)) {
    const source = metrics.find(region, name)
    if (source === undefined) continue
    for (let second = from; second <= to; second++) {
      const {traffic, hosts} = source.measuredSecond(second)
      let set: StatisticSet | undefined
      if (metric.kind === 'traffic') {
        set = traffic === undefined ? undefined : metric.set(secondTraffic(traffic))
      } else if (hosts !== undefined) {
        set = metric.set({
          samples: 1, healthy: {sum: hosts.healthy, min: hosts.healthy, max: hosts.healthy},
          unhealthy: {sum: hosts.unhealthy, min: hosts.unhealthy, max: hosts.unhealthy},
        })
      }
      if (set === undefined) continue
      const index = Math.floor((second - window.start) / window.period)
      sets.set(index, addTo(sets.get(index), set))
    }
  }
  return sets
}

export interface ListedElbMetric {
  readonly MetricName: string
  readonly Dimensions: readonly {readonly Name: string; readonly Value: string}[]
}

/**
 * The AWS/ELB metrics with data in the history kept (AWS lists a metric while it has data from the
 * last two weeks; with `recentMinutes`, only those with data that recent): per load balancer, per
 * load balancer and zone (host counts, and the request metrics of the zones whose node took
 * requests), per zone, and the region's aggregate without dimensions.
 */
export function listElbMetrics(history: MinuteHistory, metrics: MetricsStore, region: string, nowMs: number, recentMinutes?: number): ListedElbMetric[] {
  const nowMinute = Math.floor(nowMs / 60_000)
  const oldest = recentMinutes === undefined ? history.oldestMinute(nowMinute) : nowMinute - recentMinutes
  const listed: ListedElbMetric[] = []
  const regionWide = new Set<string>()
  const zoneWide = new Map<string, Set<string>>()
  const recentIn = (kept: KeptTraffic | undefined, found: Set<string>) => {
    for (const [metric, newest] of kept?.seen ?? []) if (newest >= oldest) found.add(metric)
    return found
  }
  for (const name of selectedNames(history, metrics, region, {}).sort()) {
    const entry = history.find(region, name)
    const found = recentIn(entry, history.liveMetricNames(region, name, nowMs))
    const hostZones = entry === undefined || entry.newest < oldest ? [] : [...entry.nodes.keys()]
    if (hostZones.length > 0) for (const metric of HOST_METRICS) found.add(metric)
    const lbDimension = {Name: LOAD_BALANCER_NAME, Value: name}
    for (const metric of ELB_METRIC_NAMES) {
      if (!found.has(metric)) continue
      regionWide.add(metric)
      listed.push({MetricName: metric, Dimensions: [lbDimension]})
    }
    const trafficZones = new Set([...entry?.zones.keys() ?? [], ...metrics.find(region, name)?.zones() ?? []])
    for (const zone of [...new Set([...hostZones, ...trafficZones])].sort()) {
      const inZone = trafficZones.has(zone) ? recentIn(entry?.zones.get(zone), history.liveMetricNames(region, name, nowMs, zone)) : new Set<string>()
      if (hostZones.includes(zone)) for (const metric of HOST_METRICS) inZone.add(metric)
      const names = zoneWide.get(zone) ?? new Set<string>()
      zoneWide.set(zone, names)
      for (const metric of ELB_METRIC_NAMES) {
        if (!inZone.has(metric)) continue
        names.add(metric)
        listed.push({MetricName: metric, Dimensions: [lbDimension, {Name: AVAILABILITY_ZONE, Value: zone}]})
      }
    }
  }
  for (const [zone, names] of [...zoneWide].sort(([a], [b]) => a.localeCompare(b))) {
    for (const metric of ELB_METRIC_NAMES) if (names.has(metric)) listed.push({MetricName: metric, Dimensions: [{Name: AVAILABILITY_ZONE, Value: zone}]})
  }
  for (const metric of ELB_METRIC_NAMES) if (regionWide.has(metric)) listed.push({MetricName: metric, Dimensions: []})
  return listed
}

const HOST_METRICS = ['HealthyHostCount', 'UnHealthyHostCount']
