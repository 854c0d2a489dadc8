import type {MetricsStore} from '../metrics/store.js'
import type {RequestContext} from '../model/types.js'
import type {AlarmMetric} from '../model/alarm-types.js'
import {ELB_NAMESPACE, elbBuckets, elbMetricUnit, elbSecondBuckets, elbSelection, isMinuteWindow, listElbMetrics, type Buckets, type ListedElbMetric} from './elb-metrics.js'
import {CustomMetrics, type CustomMetric, type Dimension, type MetricDatum} from './custom-metrics.js'
import {MinuteHistory} from './history.js'
import {getMetricData, type GetMetricDataInput, type GetMetricDataOutput, type MetricQuery} from './metric-data.js'
import {addTo, datapoint, InvalidParameterValue, statisticsWindow, type Datapoint, type StatisticSet} from './statistics.js'

/**
 * CloudWatch, API 2010-08-01: GetMetricStatistics, GetMetricData (metric-data.ts) and ListMetrics
 * over the AWS/ELB namespace (the one-minute history of history.ts, read by elb-metrics.ts) and the
 * custom namespaces PutMetricData fills (custom-metrics.ts). A namespace, metric or dimension set
 * nobody publishes is no data (an empty answer), never an error, as in AWS.
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
  readonly NextToken?: string
  /** `PT3H`: only metrics with data points in the past three hours. */
  readonly RecentlyActive?: string
}

export interface Metric {
  readonly Namespace: string
  readonly MetricName: string
  readonly Dimensions: readonly Dimension[]
}

/** The buckets of a custom metric's minutes in the window with `unit` (any unit when absent). */
function customBuckets(metric: CustomMetric, window: {start: number; end: number; period: number}, unit: string | undefined): Map<number, {set: StatisticSet; unit: string}> {
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

const LIST_PAGE_SIZE = 500
/** ListMetrics' RecentlyActive=PT3H: data points in the past three hours. */
const RECENTLY_ACTIVE_SECONDS = 3 * 3600

export class CloudWatchService {
  readonly custom = new CustomMetrics()
  /** The last AWS/ELB listing ListMetrics built, for its next pages. */
  private lastListing: {region: string; recentSeconds: number | undefined; minute: number; listed: readonly ListedElbMetric[]} | undefined
  readonly history: MinuteHistory

  constructor(private readonly metrics: MetricsStore, private readonly clock: () => number = Date.now, history?: MinuteHistory) {
    this.history = history ?? new MinuteHistory(metrics)
  }

  putMetricData(ctx: RequestContext, input: PutMetricDataInput): object {
    this.custom.put(ctx.region, input.Namespace, input.MetricData, this.clock())
    return {}
  }

  /** The statistic set of each bucket of one metric (index → set, unit); the one reader GetMetricStatistics and GetMetricData share. */
  metricBuckets(region: string, metric: MetricQuery, window: Buckets): Map<number, {set: StatisticSet; unit: string}> {
    const answer = new Map<number, {set: StatisticSet; unit: string}>()
    if (metric.Namespace !== ELB_NAMESPACE) {
      const custom = this.custom.find(region, metric.Namespace, metric.MetricName, metric.Dimensions ?? [])
      return custom === undefined ? answer : customBuckets(custom, window, metric.Unit)
    }
    const unit = elbMetricUnit(metric.MetricName)
    const selection = elbSelection(metric.Dimensions ?? [])
    if (unit === undefined || selection === undefined || (metric.Unit !== undefined && metric.Unit !== unit)) return answer
    const now = this.clock()
    // One load balancer's minutes come from the history once folded; region-wide reads take the
    // aggregates and read what the timer's fold has not reached yet live.
    if (selection.loadBalancerName !== undefined) this.history.foldLoadBalancer(region, selection.loadBalancerName, now)
    // The APIs' periods are whole minutes; only a time-scaled alarm's can be shorter.
    const read = isMinuteWindow(window) ? elbBuckets : elbSecondBuckets
    for (const [index, set] of read(this.history, this.metrics, region, metric.MetricName, selection, window, now)) answer.set(index, {set, unit})
    return answer
  }

  getMetricStatistics(ctx: RequestContext, input: GetMetricStatisticsInput): {Label: string; Datapoints: Datapoint[]} {
    const window = statisticsWindow(input, Math.floor(this.clock() / 1000))
    const answer = {Label: input.MetricName, Datapoints: [] as Datapoint[]}
    if (window.empty) return answer
    const buckets = [...this.metricBuckets(ctx.region, input, window)].sort(([a], [b]) => a - b)
    for (const [index, {set, unit}] of buckets) {
      answer.Datapoints.push(datapoint(window.start + index * window.period, set, input.Statistics ?? [], unit, input.ExtendedStatistics ?? []))
    }
    return answer
  }

  getMetricData(ctx: RequestContext, input: GetMetricDataInput): GetMetricDataOutput {
    return getMetricData(input, this.clock(), (metric, window) => this.metricBuckets(ctx.region, metric, window))
  }

  /**
   * The AWS/ELB metrics with data in the history kept, then the custom ones, filtered as asked,
   * 500 to a page (AWS's page size) with an opaque NextToken.
   */
  listMetrics(ctx: RequestContext, input: ListMetricsInput): {Metrics: Metric[]; NextToken?: string} {
    const filters = input.Dimensions ?? []
    const wanted = (namespace: string, name: string, dimensions: readonly Dimension[]) =>
      (input.Namespace === undefined || input.Namespace === namespace) && (input.MetricName === undefined || input.MetricName === name) &&
      matchesFilters(dimensions, filters)
    const offset = pageOffset(input.NextToken)
    const recent = input.RecentlyActive === 'PT3H' ? RECENTLY_ACTIVE_SECONDS : undefined
    const nowSeconds = Math.floor(this.clock() / 1000)
    const metrics: Metric[] = []
    if (input.Namespace === undefined || input.Namespace === ELB_NAMESPACE) {
      for (const {MetricName, Dimensions} of this.elbListing(ctx.region, recent, input.NextToken !== undefined)) {
        if (wanted(ELB_NAMESPACE, MetricName, Dimensions)) metrics.push({Namespace: ELB_NAMESPACE, MetricName, Dimensions})
      }
    }
    for (const metric of this.custom.all()) {
      const active = recent === undefined || [...metric.buckets.values()].some((bucket) => bucket.minute >= nowSeconds - recent)
      if (metric.region === ctx.region && active && wanted(metric.namespace, metric.metricName, metric.dimensions)) {
        metrics.push({Namespace: metric.namespace, MetricName: metric.metricName, Dimensions: metric.dimensions})
      }
    }
    const page = metrics.slice(offset, offset + LIST_PAGE_SIZE)
    return offset + LIST_PAGE_SIZE < metrics.length ? {Metrics: page, NextToken: pageToken(offset + LIST_PAGE_SIZE)} : {Metrics: page}
  }

  /**
   * The AWS/ELB metrics of a region with data. A first page builds the list (O(load balancers));
   * the next pages, asked within the same minute, page through that list (a client paging through
   * a thousand load balancers' 19,000 metrics does not rebuild them 39 times, and sees one list).
   */
  private elbListing(region: string, recentSeconds: number | undefined, nextPage: boolean): readonly ListedElbMetric[] {
    const now = this.clock()
    const minute = Math.floor(now / 60_000)
    const kept = this.lastListing
    if (nextPage && kept !== undefined && kept.region === region && kept.recentSeconds === recentSeconds && kept.minute === minute) return kept.listed
    const listed = listElbMetrics(this.history, this.metrics, region, now, recentSeconds === undefined ? undefined : recentSeconds / 60)
    this.lastListing = {region, recentSeconds, minute, listed}
    return listed
  }

  /**
   * The samples of each period of [start, end) (epoch seconds, periods of any whole number of
   * seconds, as time-scaled alarm evaluation needs): bucket index → StatisticSet. What alarms read,
   * through the reader GetMetricStatistics uses (the same dimension sets).
   */
  periodSamples(region: string, metric: AlarmMetric, window: Buckets): Map<number, StatisticSet> {
    const query: MetricQuery = {
      Namespace: metric.namespace, MetricName: metric.metricName,
      Dimensions: metric.dimensions.map((dimension) => ({Name: dimension.name, Value: dimension.value})),
      ...(metric.unit === undefined ? {} : {Unit: metric.unit}),
    }
    return new Map([...this.metricBuckets(region, query, window)].map(([index, {set}]) => [index, set]))
  }
}

function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({offset}), 'utf8').toString('base64url')
}

function pageOffset(token: string | undefined): number {
  if (token === undefined) return 0
  try {
    const {offset} = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {offset?: unknown}
    if (typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0) return offset
  } catch {
    // not one of ours: refused below
  }
  throw new InvalidParameterValue(`The value ${token} for parameter NextToken is invalid.`)
}
