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

test('an AWS/ELB alarm reads the host counts the data plane sampled', async () => {
  const {metrics, alarms, evaluator, state, setNow} = setUp()
  alarms.putMetricAlarm(ctx, {
    AlarmName: 'hosts', Namespace: 'AWS/ELB', MetricName: 'HealthyHostCount', Dimensions: [{Name: 'LoadBalancerName', Value: 'web'}],
    Statistic: 'Minimum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'LessThanThreshold',
  })
  const web = metrics.forLoadBalancer('us-east-1', 'web')
  for (let second = 0; second < 60; second += 10) {
    setNow(at(1, second))
    web.sampleHosts(second < 30 ? 2 : 0, second < 30 ? 0 : 2)
  }
  setNow(at(2, 1))
  await evaluator.tick()
  expect(state('hosts')).toMatchObject({value: 'ALARM', reason: 'Threshold Crossed: 1 datapoint [0.0 (07/12/26 22:01:00)] was less than the threshold (1.0).'})
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
