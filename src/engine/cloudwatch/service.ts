import type {MetricsStore} from '../metrics/store.js'
import type {RequestContext} from '../model/types.js'
import {ELB_NAMESPACE, elbBuckets, elbMetricUnit, elbSources, LOAD_BALANCER_NAME, measuredElbMetrics} from './elb-metrics.js'
import {datapoint, statisticsWindow, type Datapoint} from './statistics.js'

/**
 * CloudWatch, API 2010-08-01: GetMetricStatistics and ListMetrics over the AWS/ELB namespace the
 * data plane measures. A namespace, metric or dimension set nobody publishes is no data (an empty
 * answer), never an error, as in AWS.
 */

export interface Dimension {
  readonly Name: string
  readonly Value: string
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

export class CloudWatchService {
  constructor(private readonly metrics: MetricsStore, private readonly clock: () => number = Date.now) {}

  getMetricStatistics(ctx: RequestContext, input: GetMetricStatisticsInput): {Label: string; Datapoints: Datapoint[]} {
    const window = statisticsWindow(input)
    const answer = {Label: input.MetricName, Datapoints: [] as Datapoint[]}
    const unit = elbMetricUnit(input.MetricName)
    const loadBalancer = selectedLoadBalancer(input.Dimensions ?? [])
    if (input.Namespace !== ELB_NAMESPACE || unit === undefined || loadBalancer === null) return answer
    if (input.Unit !== undefined && input.Unit !== unit) return answer
    const now = Math.floor(this.clock() / 1000)
    const sets = elbBuckets(elbSources(this.metrics, ctx.region, loadBalancer), input.MetricName, window, now)
    const statistics = input.Statistics ?? []
    for (const [index, set] of [...sets].sort(([a], [b]) => a - b)) {
      answer.Datapoints.push(datapoint(window.start + index * window.period, set, statistics, unit))
    }
    return answer
  }

  listMetrics(ctx: RequestContext, input: ListMetricsInput): {Metrics: Metric[]} {
    if (input.Namespace !== undefined && input.Namespace !== ELB_NAMESPACE) return {Metrics: []}
    const filters = input.Dimensions ?? []
    const now = Math.floor(this.clock() / 1000)
    const metrics: Metric[] = []
    for (const {key, metrics: source} of this.metrics.entries()) {
      if (key.region !== ctx.region) continue
      const dimensions = [{Name: LOAD_BALANCER_NAME, Value: key.loadBalancerName}]
      const matches = filters.every((filter) => dimensions.some((dimension) =>
        dimension.Name === filter.Name && (filter.Value === undefined || dimension.Value === filter.Value)))
      if (!matches) continue
      for (const name of measuredElbMetrics(source, now)) {
        if (input.MetricName === undefined || input.MetricName === name) metrics.push({Namespace: ELB_NAMESPACE, MetricName: name, Dimensions: dimensions})
      }
    }
    return {Metrics: metrics}
  }
}
