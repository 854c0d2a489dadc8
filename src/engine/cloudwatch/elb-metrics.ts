import {COUNTERS, WINDOW_SECONDS, type LoadBalancerMetrics, type MeasuredSecond} from '../metrics/series.js'
import type {MetricsStore} from '../metrics/store.js'
import {addTo, type StatisticSet} from './statistics.js'

/**
 * The AWS/ELB namespace, read from what the data plane measured (engine/metrics/): each second
 * kept for the last hour becomes samples of its minute's bucket. Request metrics count one sample
 * of value 1 per event (AWS: "Minimum, Maximum, and Average are all 1"), so a bucket with no
 * request has no data point; Latency is the average of its samples (the data plane keeps no
 * per-request minimum or maximum); host counts are one sample per second sampled.
 */

export const ELB_NAMESPACE = 'AWS/ELB'
export const LOAD_BALANCER_NAME = 'LoadBalancerName'

/** Each AWS/ELB metric the engine measures, its unit and how one second becomes samples. */
interface ElbMetric {
  readonly unit: string
  readonly samples: (second: MeasuredSecond) => StatisticSet | undefined
}

const ELB_METRICS: ReadonlyMap<string, ElbMetric> = new Map<string, ElbMetric>([
  ...COUNTERS.map((name, index) => [name, {unit: 'Count', samples: (second: MeasuredSecond) => {
    const count = second.traffic?.counts[index] ?? 0
    return count === 0 ? undefined : {sampleCount: count, sum: count, minimum: 1, maximum: 1}
  }}] as [string, ElbMetric]),
  ['Latency', {unit: 'Seconds', samples: (second) => {
    const traffic = second.traffic
    return traffic === undefined || traffic.latencyCount === 0 ? undefined : {sampleCount: traffic.latencyCount, sum: traffic.latencySum}
  }}],
  ...(['HealthyHostCount', 'UnHealthyHostCount'] as const).map((name) => [name, {unit: 'Count', samples: (second: MeasuredSecond) => {
    if (second.hosts === undefined) return undefined
    const value = name === 'HealthyHostCount' ? second.hosts.healthy : second.hosts.unhealthy
    return {sampleCount: 1, sum: value, minimum: value, maximum: value}
  }}] as [string, ElbMetric]),
])

export const ELB_METRIC_NAMES: readonly string[] = [...ELB_METRICS.keys()]

export function elbMetricUnit(metricName: string): string | undefined {
  return ELB_METRICS.get(metricName)?.unit
}

export interface Buckets {
  readonly start: number
  readonly end: number
  readonly period: number
}

/**
 * The StatisticSet of each bucket (index → set) of `metricName` over the load balancers given,
 * from the seconds of [start, end) still kept (the last hour); buckets without samples are absent.
 */
export function elbBuckets(sources: readonly LoadBalancerMetrics[], metricName: string, buckets: Buckets, now: number): Map<number, StatisticSet> {
  const metric = ELB_METRICS.get(metricName)
  const sets = new Map<number, StatisticSet>()
  if (metric === undefined) return sets
  const from = Math.max(buckets.start, now - WINDOW_SECONDS + 1)
  const to = Math.min(buckets.end - 1, now)
  for (const source of sources) {
    for (let second = from; second <= to; second++) {
      const samples = metric.samples(source.measuredSecond(second))
      if (samples === undefined) continue
      const index = Math.floor((second - buckets.start) / buckets.period)
      sets.set(index, addTo(sets.get(index), samples))
    }
  }
  return sets
}

/** The AWS/ELB metric names with a sample in the last hour for one load balancer. */
export function measuredElbMetrics(source: LoadBalancerMetrics, now: number): string[] {
  const found = new Set<string>()
  for (let second = now - WINDOW_SECONDS + 1; second <= now; second++) {
    const measured = source.measuredSecond(second)
    if (measured.traffic === undefined && measured.hosts === undefined) continue
    for (const [name, metric] of ELB_METRICS) if (!found.has(name) && metric.samples(measured) !== undefined) found.add(name)
    if (found.size === ELB_METRICS.size) break
  }
  return ELB_METRIC_NAMES.filter((name) => found.has(name))
}

/** The recorders of a region's load balancers: one named, or all of them (no dimension). */
export function elbSources(store: MetricsStore, region: string, loadBalancerName: string | undefined): LoadBalancerMetrics[] {
  if (loadBalancerName !== undefined) {
    const one = store.find(region, loadBalancerName)
    return one === undefined ? [] : [one]
  }
  return store.entries().filter((entry) => entry.key.region === region).map((entry) => entry.metrics)
}
