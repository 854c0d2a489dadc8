import type {MetricsStore} from '../metrics/store.js'
import type {RequestContext} from '../model/types.js'
import type {AlarmMetric} from '../model/alarm-types.js'
import {ELB_NAMESPACE, elbBuckets, type Buckets, elbMetricUnit, elbSources, LOAD_BALANCER_NAME, measuredElbMetrics} from './elb-metrics.js'
import {CustomMetrics, type CustomMetric, type Dimension, type MetricDatum} from './custom-metrics.js'
import {addTo, datapoint, statisticsWindow, type Datapoint, type StatisticSet, type StatisticsWindow} from './statistics.js'

/**
 * CloudWatch, API 2010-08-01: GetMetricStatistics and ListMetrics over the AWS/ELB namespace the
 * data plane measures and the custom namespaces PutMetricData fills (custom-metrics.ts). A
 * namespace, metric or dimension set nobody publishes is no data (an empty answer), never an
 * error, as in AWS.
 */

export type {Dimension} from './custom-metrics.js'

export interface PutMetricDataInput {
  readonly Namespace: string
  readonly MetricData: readonly MetricDatum[]
}

export interface GetMetricStatisticsInput {
  readonly Namespace: string
  readonly MetricName: string
  readonly Dimensions?: readonly Dimension[]
  readonly StartTime: Date
  readonly EndTime: Date
  readonly Period: number
  readonly Statistics?: readonly string[]
  readonly ExtendedStatistics?: readonly string[]
  readonly Unit?: string
}

export interface ListMetricsInput {
  readonly Namespace?: string
  readonly MetricName?: string
  readonly Dimensions?: readonly {readonly Name: string; readonly Value?: string}[]
}

export interface Metric {
  readonly Namespace: string
  readonly MetricName: string
  readonly Dimensions: readonly Dimension[]
}

/**
 * The load balancer a dimension set selects: `LoadBalancerName` alone names one, no dimension is
 * the region's aggregate; any other set is a metric the engine does not publish (`null`).
 */
function selectedLoadBalancer(dimensions: readonly Dimension[]): string | undefined | null {
  if (dimensions.length === 0) return undefined
  const [only] = dimensions
  return dimensions.length === 1 && only?.Name === LOAD_BALANCER_NAME ? only.Value : null
}

/** The buckets of a custom metric's minutes in the window with `unit` (any unit when absent). */
function customBuckets(metric: CustomMetric, window: StatisticsWindow, unit: string | undefined): Map<number, {set: StatisticSet; unit: string}> {
  const sets = new Map<number, {set: StatisticSet; unit: string}>()
  for (const bucket of metric.buckets.values()) {
    if (bucket.minute < window.start || bucket.minute >= window.end || (unit !== undefined && bucket.unit !== unit)) continue
    const index = Math.floor((bucket.minute - window.start) / window.period)
    const known = sets.get(index)
    sets.set(index, {set: addTo(known?.set, bucket.set), unit: bucket.unit})
  }
  return sets
}

function matchesFilters(dimensions: readonly Dimension[], filters: NonNullable<ListMetricsInput['Dimensions']>): boolean {
  return filters.every((filter) => dimensions.some((dimension) =>
    dimension.Name === filter.Name && (filter.Value === undefined || dimension.Value === filter.Value)))
}

export class CloudWatchService {
  private readonly custom = new CustomMetrics()

  constructor(private readonly metrics: MetricsStore, private readonly clock: () => number = Date.now) {}

  putMetricData(ctx: RequestContext, input: PutMetricDataInput): object {
    this.custom.put(ctx.region, input.Namespace, input.MetricData, this.clock())
    return {}
  }

  getMetricStatistics(ctx: RequestContext, input: GetMetricStatisticsInput): {Label: string; Datapoints: Datapoint[]} {
    const window = statisticsWindow(input)
    const answer = {Label: input.MetricName, Datapoints: [] as Datapoint[]}
    if (input.Namespace !== ELB_NAMESPACE) {
      const metric = this.custom.find(ctx.region, input.Namespace, input.MetricName, input.Dimensions ?? [])
      if (metric === undefined) return answer
      const buckets = [...customBuckets(metric, window, input.Unit)].sort(([a], [b]) => a - b)
      for (const [index, {set, unit}] of buckets) {
        answer.Datapoints.push(datapoint(window.start + index * window.period, set, input.Statistics ?? [], unit))
      }
      return answer
    }
    const unit = elbMetricUnit(input.MetricName)
    const loadBalancer = selectedLoadBalancer(input.Dimensions ?? [])
    if (unit === undefined || loadBalancer === null) return answer
    if (input.Unit !== undefined && input.Unit !== unit) return answer
    const now = Math.floor(this.clock() / 1000)
    const sets = elbBuckets(elbSources(this.metrics, ctx.region, loadBalancer), input.MetricName, window, now)
    const statistics = input.Statistics ?? []
    for (const [index, set] of [...sets].sort(([a], [b]) => a - b)) {
      answer.Datapoints.push(datapoint(window.start + index * window.period, set, statistics, unit))
    }
    return answer
  }

  /** The AWS/ELB metrics measured in the last hour, then the custom ones, filtered as asked. */
  listMetrics(ctx: RequestContext, input: ListMetricsInput): {Metrics: Metric[]} {
    const filters = input.Dimensions ?? []
    const wanted = (namespace: string, name: string, dimensions: readonly Dimension[]) =>
      (input.Namespace === undefined || input.Namespace === namespace) && (input.MetricName === undefined || input.MetricName === name) &&
      matchesFilters(dimensions, filters)
    const now = Math.floor(this.clock() / 1000)
    const metrics: Metric[] = []
    if (input.Namespace === undefined || input.Namespace === ELB_NAMESPACE) {
      for (const {key, metrics: source} of this.metrics.entries()) {
        const dimensions = [{Name: LOAD_BALANCER_NAME, Value: key.loadBalancerName}]
        if (key.region !== ctx.region || !matchesFilters(dimensions, filters)) continue
        for (const name of measuredElbMetrics(source, now)) {
          if (wanted(ELB_NAMESPACE, name, dimensions)) metrics.push({Namespace: ELB_NAMESPACE, MetricName: name, Dimensions: dimensions})
        }
      }
    }
    for (const metric of this.custom.all()) {
      if (metric.region === ctx.region && wanted(metric.namespace, metric.metricName, metric.dimensions)) {
        metrics.push({Namespace: metric.namespace, MetricName: metric.metricName, Dimensions: metric.dimensions})
      }
    }
    return {Metrics: metrics}
  }

  /**
   * The samples of each period of [start, end) (epoch seconds, periods of any whole number of
   * seconds, as time-scaled alarm evaluation needs): bucket index → StatisticSet. What alarms read.
   */
  periodSamples(region: string, metric: AlarmMetric, window: Buckets): Map<number, StatisticSet> {
    const dimensions = metric.dimensions.map((dimension) => ({Name: dimension.name, Value: dimension.value}))
    if (metric.namespace !== ELB_NAMESPACE) {
      const found = this.custom.find(region, metric.namespace, metric.metricName, dimensions)
      if (found === undefined) return new Map()
      return new Map([...customBuckets(found, {...window, buckets: 0}, metric.unit)].map(([index, {set}]) => [index, set]))
    }
    const unit = elbMetricUnit(metric.metricName)
    const loadBalancer = selectedLoadBalancer(dimensions)
    if (unit === undefined || loadBalancer === null || (metric.unit !== undefined && metric.unit !== unit)) return new Map()
    return elbBuckets(elbSources(this.metrics, region, loadBalancer), metric.metricName, window, Math.floor(this.clock() / 1000))
  }
}
