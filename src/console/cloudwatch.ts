/**
 * Typed wrappers over the CloudWatch actions the Monitoring tab uses (API 2010-08-01, Query, signed
 * for `monitoring` like any client), parsed from AWS's XML: GetMetricData for the charts,
 * DescribeAlarms, PutMetricAlarm and DeleteAlarms for a load balancer's alarms.
 */
import {call, members, type Params} from './api.js'
import {children, text} from './xml.js'

export const ELB_NAMESPACE = 'AWS/ELB'
const LB_DIMENSION = 'LoadBalancerName'
/** GetMetricData's pages the tab follows (its ranges need one); DescribeAlarms' at 100 alarms each (5,000 per region at most). */
const MAX_DATA_PAGES = 10
const MAX_ALARM_PAGES = 50

export interface MetricQuery {
  readonly id: string
  readonly metric: string
  readonly statistic: string
}

/** `LoadBalancerName=lb` as the Query list `{list}.member.1.Name|Value`. */
function lbDimension(list: string, lb: string): Params {
  return {[`${list}.member.1.Name`]: LB_DIMENSION, [`${list}.member.1.Value`]: lb}
}

/**
 * One AWS/ELB statistic per query for the load balancer over [start, end) (Unix seconds) at
 * `period`: query id → (timestamp → value).
 */
export async function loadBalancerMetricData(lb: string, queries: readonly MetricQuery[], window: {start: number; end: number}, period: number): Promise<Map<string, Map<number, number>>> {
  const params: Params = {
    StartTime: new Date(window.start * 1000).toISOString(), EndTime: new Date(window.end * 1000).toISOString(), ScanBy: 'TimestampAscending',
  }
  queries.forEach((query, index) => {
    const prefix = `MetricDataQueries.member.${index + 1}`
    Object.assign(params, {
      [`${prefix}.Id`]: query.id,
      [`${prefix}.MetricStat.Metric.Namespace`]: ELB_NAMESPACE,
      [`${prefix}.MetricStat.Metric.MetricName`]: query.metric,
      ...lbDimension(`${prefix}.MetricStat.Metric.Dimensions`, lb),
      [`${prefix}.MetricStat.Period`]: period,
      [`${prefix}.MetricStat.Stat`]: query.statistic,
    })
  })
  const answer = new Map(queries.map((query) => [query.id, new Map<number, number>()]))
  let token: string | undefined
  let pages = 0
  do {
    const result = await call('cloudwatch', 'GetMetricData', {...params, NextToken: token})
    for (const series of children(result, 'MetricDataResults')) {
      const points = answer.get(text(series, 'Id'))
      const values = children(series, 'Values')
      children(series, 'Timestamps').forEach((timestamp, index) => {
        points?.set(Date.parse(timestamp.textContent) / 1000, Number(values[index]?.textContent))
      })
    }
    token = text(result, 'NextToken') || undefined
  } while (token !== undefined && ++pages < MAX_DATA_PAGES)
  return answer
}

export interface Alarm {
  readonly name: string
  readonly state: string
  readonly reason: string
  readonly updated: string
  readonly namespace: string
  readonly metricName: string
  readonly statistic: string
  readonly dimensions: readonly [string, string][]
  readonly period: number
  readonly evaluationPeriods: number
  readonly datapointsToAlarm?: number | undefined
  readonly threshold: string
  readonly comparison: string
}

function parseAlarm(element: Element): Alarm {
  const datapoints = text(element, 'DatapointsToAlarm')
  return {
    name: text(element, 'AlarmName'),
    state: text(element, 'StateValue'),
    reason: text(element, 'StateReason'),
    updated: text(element, 'StateUpdatedTimestamp'),
    namespace: text(element, 'Namespace'),
    metricName: text(element, 'MetricName'),
    statistic: text(element, 'Statistic') || text(element, 'ExtendedStatistic'),
    dimensions: children(element, 'Dimensions').map((dimension) => [text(dimension, 'Name'), text(dimension, 'Value')] as [string, string]),
    period: Number(text(element, 'Period')),
    evaluationPeriods: Number(text(element, 'EvaluationPeriods')),
    datapointsToAlarm: datapoints === '' ? undefined : Number(datapoints),
    threshold: text(element, 'Threshold'),
    comparison: text(element, 'ComparisonOperator'),
  }
}

/**
 * The metric alarms on the load balancer's AWS/ELB metrics (dimension LoadBalancerName, alone or
 * with AvailabilityZone): DescribeAlarms has no dimension filter, so every page is read and filtered here.
 */
export async function loadBalancerAlarms(lb: string): Promise<Alarm[]> {
  const alarms: Alarm[] = []
  let token: string | undefined
  let pages = 0
  do {
    const result = await call('cloudwatch', 'DescribeAlarms', {...members('AlarmTypes', ['MetricAlarm']), MaxRecords: 100, NextToken: token})
    alarms.push(...children(result, 'MetricAlarms').map(parseAlarm))
    token = text(result, 'NextToken') || undefined
  } while (token !== undefined && ++pages < MAX_ALARM_PAGES)
  return alarms.filter((alarm) => alarm.namespace === ELB_NAMESPACE &&
    alarm.dimensions.some(([name, value]) => name === LB_DIMENSION && value === lb))
}

export interface AlarmInput {
  readonly name: string
  readonly metricName: string
  readonly statistic: string
  readonly comparison: string
  /** As typed: the API checks it (a number, AWS's ValidationError otherwise). */
  readonly threshold: string
  readonly period: number
  readonly evaluationPeriods: string
  /** Absent: every evaluation period must breach (AWS's default). */
  readonly datapointsToAlarm?: string | undefined
}

/** PutMetricAlarm on one of the load balancer's AWS/ELB metrics (dimension LoadBalancerName). */
export async function putLoadBalancerAlarm(lb: string, input: AlarmInput): Promise<void> {
  await call('cloudwatch', 'PutMetricAlarm', {
    AlarmName: input.name, Namespace: ELB_NAMESPACE, MetricName: input.metricName, ...lbDimension('Dimensions', lb),
    Statistic: input.statistic, ComparisonOperator: input.comparison, Threshold: input.threshold,
    Period: input.period, EvaluationPeriods: input.evaluationPeriods, DatapointsToAlarm: input.datapointsToAlarm,
  })
}

/** Whether an alarm of this name exists in the Region, of either kind (DescribeAlarms alone lists only metric alarms). */
export async function alarmExists(name: string): Promise<boolean> {
  const result = await call('cloudwatch', 'DescribeAlarms', {...members('AlarmNames', [name]), ...members('AlarmTypes', ['MetricAlarm', 'CompositeAlarm'])})
  return children(result, 'MetricAlarms').length + children(result, 'CompositeAlarms').length > 0
}

export async function deleteAlarms(names: readonly string[]): Promise<void> {
  await call('cloudwatch', 'DeleteAlarms', members('AlarmNames', names))
}
