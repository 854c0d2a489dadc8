/**
 * The evaluator over real metric data with a fixed clock: an alarm on a custom metric published
 * with PutMetricData reads the minutes CloudWatchService keeps, goes to ALARM on M of N, back to
 * OK, and to INSUFFICIENT_DATA when the data stops; an alarm on AWS/ELB reads the data plane's
 * host counts. An alarm edited while its evaluation ran keeps the edit.
 */
import {AlarmEvaluator} from '../../../../src/engine/cloudwatch/alarm-evaluator.js'
import {AlarmService} from '../../../../src/engine/cloudwatch/alarms.js'
import {CloudWatchService} from '../../../../src/engine/cloudwatch/service.js'
import {MetricsStore} from '../../../../src/engine/metrics/store.js'
import {Store} from '../../../../src/engine/model/store.js'

const ctx = {region: 'us-east-1', requestId: 'r'}
const at = (minute: number, second = 0) => Date.UTC(2026, 11, 7, 22, minute, second)

function setUp() {
  let now = at(0)
  const clock = () => now
  const metrics = new MetricsStore(clock)
  const cloudwatch = new CloudWatchService(metrics, clock)
  const alarms = new AlarmService(Store.inMemory(), {clock})
  const evaluator = new AlarmEvaluator(alarms, cloudwatch, {clock})
  const state = (name: string) => alarms.alarms('us-east-1').find((alarm) => alarm.name === name)?.state
  return {metrics, cloudwatch, alarms, evaluator, state, setNow: (time: number) => { now = time }}
}

test('a custom-metric alarm: 2 of 3 breaching minutes is ALARM, then OK, then INSUFFICIENT_DATA', async () => {
  const {cloudwatch, alarms, evaluator, state, setNow} = setUp()
  alarms.putMetricAlarm(ctx, {
    AlarmName: 'queue', Namespace: 'MyApp', MetricName: 'QueueDepth', Statistic: 'Average', Period: 60,
    EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 10, ComparisonOperator: 'GreaterThanThreshold',
  })
  const put = (minute: number, Value: number) => {
    setNow(at(minute, 30))
    cloudwatch.putMetricData(ctx, {Namespace: 'MyApp', MetricData: [{MetricName: 'QueueDepth', Value, Timestamp: new Date(at(minute, 20))}]})
  }
  put(1, 20)
  put(2, 5)
  put(3, 30)
  setNow(at(4, 5))
  await evaluator.tick()
  expect(state('queue')).toMatchObject({value: 'ALARM',
    reason: 'Threshold Crossed: 2 out of the last 3 datapoints [30.0 (07/12/26 22:03:00), 20.0 (07/12/26 22:01:00)] were greater than the threshold (10.0) ' +
      '(minimum 2 datapoints for OK -> ALARM transition).'})
  put(4, 1)
  put(5, 2)
  setNow(at(6, 5))
  await evaluator.tick()
  expect(state('queue')?.value).toBe('OK')
  setNow(at(20, 5))
  await evaluator.tick()
  expect(state('queue')).toMatchObject({value: 'INSUFFICIENT_DATA', reason: 'Insufficient Data: 3 datapoints were unknown.'})
  const summaries = alarms.history.query('us-east-1', {ascending: true, limit: 10}).items.map((item) => item.summary)
  expect(summaries).toEqual(['Alarm "queue" created', 'Alarm updated from INSUFFICIENT_DATA to ALARM', 'Alarm updated from ALARM to OK', 'Alarm updated from OK to INSUFFICIENT_DATA'])
})

test('an AWS/ELB alarm reads the one-minute history, with the dimension sets GetMetricStatistics takes', async () => {
  const {cloudwatch, alarms, evaluator, state, setNow} = setUp()
  const alarm = (AlarmName: string, Dimensions: {Name: string; Value: string}[]) => alarms.putMetricAlarm(ctx, {
    AlarmName, Namespace: 'AWS/ELB', MetricName: 'HealthyHostCount', Dimensions,
    Statistic: 'Minimum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'LessThanThreshold',
  })
  alarm('hosts', [{Name: 'LoadBalancerName', Value: 'web'}])
  alarm('zone-a', [{Name: 'AvailabilityZone', Value: 'us-east-1a'}, {Name: 'LoadBalancerName', Value: 'web'}])
  alarm('zone-b', [{Name: 'LoadBalancerName', Value: 'web'}, {Name: 'AvailabilityZone', Value: 'us-east-1b'}])
  alarm('region-zone-a', [{Name: 'AvailabilityZone', Value: 'us-east-1a'}])
  // Each node's samples, as the history takes them once a second: us-east-1a loses its instances halfway.
  for (let second = 0; second < 60; second += 10) {
    setNow(at(1, second))
    cloudwatch.history.recordHosts('us-east-1', 'web', 'us-east-1a', Math.floor(at(1, second) / 60_000), second < 30 ? 2 : 0, second < 30 ? 0 : 2)
    cloudwatch.history.recordHosts('us-east-1', 'web', 'us-east-1b', Math.floor(at(1, second) / 60_000), 1, 0)
  }
  setNow(at(2, 1))
  await evaluator.tick()
  expect(state('hosts')).toMatchObject({value: 'ALARM', reason: 'Threshold Crossed: 1 datapoint [0.0 (07/12/26 22:01:00)] was less than the threshold (1.0).'})
  expect(state('zone-a')).toMatchObject({value: 'ALARM', reason: 'Threshold Crossed: 1 datapoint [0.0 (07/12/26 22:01:00)] was less than the threshold (1.0).'})
  expect(state('region-zone-a')?.value).toBe('ALARM')
  expect(state('zone-b')).toMatchObject({value: 'OK', reason: 'Threshold Crossed: 1 datapoint [1.0 (07/12/26 22:01:00)] was not less than the threshold (1.0).'})
})

test('time-scaled: a 60-second period lasting a second reads the per-second rings', async () => {
  let now = at(1, 0)
  const clock = () => now
  const metrics = new MetricsStore(clock)
  const alarms = new AlarmService(Store.inMemory(), {clock})
  const evaluator = new AlarmEvaluator(alarms, new CloudWatchService(metrics, clock), {clock, timeScale: 1 / 60})
  alarms.putMetricAlarm(ctx, {
    AlarmName: 'fast', Namespace: 'AWS/ELB', MetricName: 'UnHealthyHostCount', Dimensions: [{Name: 'LoadBalancerName', Value: 'web'}],
    Statistic: 'Maximum', Period: 60, EvaluationPeriods: 2, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold',
  })
  const web = metrics.forLoadBalancer('us-east-1', 'web')
  const stateOf = () => alarms.alarms('us-east-1')[0]?.state
  for (let second = 0; second < 4; second++) {
    now = at(1, second)
    web.sampleHosts(1, 0)
  }
  now = at(1, 4)
  await evaluator.tick()
  expect(stateOf()?.value).toBe('OK')
  for (let second = 4; second < 6; second++) {
    now = at(1, second)
    web.sampleHosts(0, 1)
  }
  now = at(1, 6)
  await evaluator.tick()
  expect(stateOf()).toMatchObject({value: 'ALARM', reason: 'Threshold Crossed: 2 datapoints [1.0 (07/12/26 22:01:05), 1.0 (07/12/26 22:01:04)] were greater than the threshold (0.0).'})
})

test('an alarm updated while its evaluation ran keeps the update; the change is dropped', () => {
  const {alarms, state} = setUp()
  const input = {AlarmName: 'x', Namespace: 'MyApp', MetricName: 'M', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold'}
  alarms.putMetricAlarm(ctx, input)
  const [read] = alarms.alarms('us-east-1')
  alarms.putMetricAlarm(ctx, {...input, Threshold: 2})
  if (read !== undefined) alarms.applyStates('us-east-1', [{alarm: read, value: 'ALARM', reason: 'stale'}])
  expect(state('x')?.value).toBe('INSUFFICIENT_DATA')
  expect(alarms.alarms('us-east-1')[0]?.threshold).toBe(2)
})

test('a Latency p99 alarm evaluates the minute histograms; with EvaluateLowSampleCountPercentile=ignore too few samples keep its state', async () => {
  const {metrics, alarms, evaluator, state, setNow} = setUp()
  const lb = metrics.forLoadBalancer('us-east-1', 'web')
  const alarm = (AlarmName: string, low?: 'ignore' | 'evaluate') => alarms.putMetricAlarm(ctx, {
    AlarmName, Namespace: 'AWS/ELB', MetricName: 'Latency', Dimensions: [{Name: 'LoadBalancerName', Value: 'web'}],
    ExtendedStatistic: 'p99', Period: 60, EvaluationPeriods: 1, Threshold: 0.2, ComparisonOperator: 'GreaterThanThreshold',
    ...(low === undefined ? {} : {EvaluateLowSampleCountPercentile: low}),
  })
  alarm('p99-evaluate')
  alarm('p99-ignore', 'ignore')
  // Minute 1: 20 requests, 19 fast and one slow: p99 is the slow one, above the threshold; the Average is not.
  setNow(at(1, 10))
  for (let n = 0; n < 19; n++) lb.backendResponse(200, 0.01)
  lb.backendResponse(200, 0.4)
  setNow(at(2, 5))
  await evaluator.tick()
  expect(state('p99-evaluate')).toMatchObject({value: 'ALARM'})
  expect(state('p99-evaluate')?.reason).toMatch(/^Threshold Crossed: 1 datapoint \[0\.4 \(07\/12\/26 22:01:00\)\] was greater than the threshold \(0\.2\)\.$/)
  // 20 samples are fewer than the 1,000 a p99 needs: the ignoring alarm stays as it was.
  expect(state('p99-ignore')?.value).toBe('INSUFFICIENT_DATA')
})
