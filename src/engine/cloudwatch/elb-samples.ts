import {COUNTERS} from '../metrics/counters.js'
import type {HostSamples, MinuteTraffic} from './minute-rings.js'
import type {StatisticSet} from './statistics.js'

/**
 * What one minute of a load balancer's (or node's) traffic is as CloudWatch samples, metric by
 * metric (AWS, "CloudWatch metrics for your Classic Load Balancer"): request counts are one sample
 * of 1 per event ("Minimum, Maximum, and Average all return 1"); BackendConnectionErrors and
 * SpilloverCount one sample per node and minute whose value is the count ("reported per load
 * balancer node"); Latency its samples' count, sum, minimum, maximum and histogram; SurgeQueueLength
 * one sample, the queue's longest length ("Reporting criteria: There is a nonzero value"). What the
 * readers (elb-metrics.ts) and the history's aggregates (history.ts) share.
 */

/** Counters AWS reports per load balancer node rather than one sample per event. */
const PER_NODE_COUNTERS: ReadonlySet<string> = new Set(['BackendConnectionErrors', 'SpilloverCount'])

export function counterSet(name: string, count: number): StatisticSet | undefined {
  if (count === 0) return undefined
  return PER_NODE_COUNTERS.has(name) ? {sampleCount: 1, sum: count, minimum: count, maximum: count} : {sampleCount: count, sum: count, minimum: 1, maximum: 1}
}

export function surgeSet(length: number): StatisticSet | undefined {
  return length === 0 ? undefined : {sampleCount: 1, sum: length, minimum: length, maximum: length}
}

function latencySet(traffic: MinuteTraffic): StatisticSet | undefined {
  if (traffic.latencyCount === 0) return undefined
  const set: StatisticSet = {sampleCount: traffic.latencyCount, sum: traffic.latencySum, minimum: traffic.latencyMin, maximum: traffic.latencyMax}
  if (traffic.latencyHistogram !== undefined) set.histogram = traffic.latencyHistogram
  return set
}

const TRAFFIC_METRICS: readonly string[] = [...COUNTERS, 'Latency', 'SurgeQueueLength']

/** One traffic metric's statistic set in a minute (undefined: no data). */
export function trafficSet(metric: string, traffic: MinuteTraffic): StatisticSet | undefined {
  if (metric === 'Latency') return latencySet(traffic)
  if (metric === 'SurgeQueueLength') return surgeSet(traffic.surgeQueueMax ?? 0)
  const index = (COUNTERS as readonly string[]).indexOf(metric)
  return index < 0 ? undefined : counterSet(metric, traffic.counts[index] ?? 0)
}

/** The statistic set of each traffic metric with data in one minute (what the region's and zones' aggregates add up). */
export function trafficStatisticSets(traffic: MinuteTraffic): [string, StatisticSet][] {
  const sets: [string, StatisticSet][] = []
  for (const metric of TRAFFIC_METRICS) {
    const set = trafficSet(metric, traffic)
    if (set !== undefined) sets.push([metric, set])
  }
  return sets
}

/** The metrics a minute of traffic has data for. */
export function metricNamesOf(traffic: MinuteTraffic): string[] {
  const names = COUNTERS.filter((_, index) => (traffic.counts[index] ?? 0) > 0) as string[]
  if (traffic.latencyCount > 0) names.push('Latency')
  if ((traffic.surgeQueueMax ?? 0) > 0) names.push('SurgeQueueLength')
  return names
}

/** One minute of a node's host-count samples as the two metrics' statistic sets. */
export function hostStatisticSets(samples: HostSamples): [string, StatisticSet][] {
  return [
    ['HealthyHostCount', {sampleCount: samples.samples, sum: samples.healthy.sum, minimum: samples.healthy.min, maximum: samples.healthy.max}],
    ['UnHealthyHostCount', {sampleCount: samples.samples, sum: samples.unhealthy.sum, minimum: samples.unhealthy.min, maximum: samples.unhealthy.max}],
  ]
}
