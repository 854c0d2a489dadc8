/**
 * Alarms evaluated for real: an UnHealthyHostCount alarm on a load balancer whose one instance is
 * stopped goes to ALARM with AWS's state reason and reason data, records the StateUpdate and the
 * (undeliverable) SNS action in its history and the engine log, and goes back to OK once the
 * instance serves again. The engine runs at time scale 1/60: a 60-second period lasts a second.
 * Then a restart: the alarm, its configuration and its state come back from the store.
 */
import {
  CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, PutMetricAlarmCommand, type MetricAlarm,
} from '@aws-sdk/client-cloudwatch'
import {
  DeregisterInstancesFromLoadBalancerCommand, DescribeInstanceHealthCommand, RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing'
import {eventually, startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../../helpers/engine.js'
import {startServedLoadBalancer} from '../../helpers/served-lb.js'

const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)
const LB = 'alarmed'
const ALARM = 'lb-unhealthy'
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ops'
let t: TestEngine
let cloudwatch: CloudWatchClient
const log: string[] = []

beforeAll(async () => {
  t = await startTestEngine({portOffset: OFFSET, timeScale: 1 / 60, log: (line) => log.push(line)})
  cloudwatch = new CloudWatchClient({endpoint: t.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
  await startServedLoadBalancer(t, LB, OFFSET)
}, 60_000)

afterAll(async () => {
  cloudwatch.destroy()
  await (t as TestEngine | undefined)?.close()
})

async function alarm(): Promise<MetricAlarm> {
  const [found] = (await cloudwatch.send(new DescribeAlarmsCommand({AlarmNames: [ALARM]}))).MetricAlarms ?? []
  if (found === undefined) throw new Error('the alarm is gone')
  return found
}

const inState = (value: string) => async () => { const found = await alarm(); return found.StateValue === value ? found : undefined }
const POINT = String.raw`(\d\.0) \(\d\d/\d\d/\d\d \d\d:\d\d:\d\d\)`
/** OK: of the 2 datapoints evaluated, 1 or 2 were good (one good point is enough for a 2-of-2 alarm), each 0.0. */
const NOT_GREATER = new RegExp(`^Threshold Crossed: (1 datapoint \\[${POINT}\\] was|2 datapoints \\[${POINT}, ${POINT}\\] were) not greater than the threshold \\(0\\.0\\)\\.$`)

test('an UnHealthyHostCount alarm goes to ALARM when the instance stops, and back to OK when it serves again', async () => {
  await cloudwatch.send(new PutMetricAlarmCommand({
    AlarmName: ALARM, Namespace: 'AWS/ELB', MetricName: 'UnHealthyHostCount', Dimensions: [{Name: 'LoadBalancerName', Value: LB}],
    Statistic: 'Maximum', Period: 60, EvaluationPeriods: 2, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold',
    AlarmActions: [TOPIC], AlarmDescription: 'the instance behind the LB is unhealthy',
  }))
  const created = await alarm()
  expect(created).toMatchObject({StateValue: 'INSUFFICIENT_DATA', StateReason: 'Unchecked: Initial alarm creation', ActionsEnabled: true})

  // The first evaluation may see one datapoint only (the host counts started a second ago): fewer
  // than EvaluationPeriods real points, a good one among them, is OK (AWS's missing-data table).
  const ok = await eventually(inState('OK'), 15_000, 'the alarm to be OK')
  expect(ok.StateReason).toMatch(NOT_GREATER)
  expect(NOT_GREATER.exec(ok.StateReason ?? '')?.slice(2).filter(Boolean).every((value) => value === '0.0')).toBe(true)

  const instanceId = t.engine.store.state.regions['us-east-1']?.loadBalancers.find((lb) => lb.name === LB)?.instances[0]?.instanceId ?? ''
  await t.stopInstances(instanceId)
  const alarmed = await eventually(inState('ALARM'), 15_000, 'the alarm to go to ALARM')
  const reason = new RegExp(`^Threshold Crossed: 2 datapoints \\[${POINT}, ${POINT}\\] were greater than the threshold \\(0\\.0\\)\\.$`).exec(alarmed.StateReason ?? '')
  expect(reason?.slice(1)).toEqual(['1.0', '1.0'])
  const data = JSON.parse(alarmed.StateReasonData ?? '') as Record<string, unknown>
  expect(Object.keys(data)).toEqual(['version', 'queryDate', 'startDate', 'statistic', 'period', 'recentDatapoints', 'threshold', 'evaluatedDatapoints'])
  expect(data).toMatchObject({version: '1.0', statistic: 'Maximum', period: 60, recentDatapoints: [1, 1], threshold: 0})
  expect(alarmed.StateReasonData).toContain('"recentDatapoints":[1.0,1.0],"threshold":0.0,"evaluatedDatapoints":[{"timestamp":"')
  expect(data.queryDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/)
  expect(alarmed.StateTransitionedTimestamp?.getTime()).toBe(alarmed.StateUpdatedTimestamp?.getTime())

  const history = (await cloudwatch.send(new DescribeAlarmHistoryCommand({AlarmName: ALARM}))).AlarmHistoryItems ?? []
  // Newest first: the action, the transition to ALARM, the one to OK, the creation.
  expect(history.map((item) => [item.HistoryItemType, item.HistorySummary])).toEqual([
    ['Action', `Failed to execute action ${TOPIC}. Received error: "elb-local has no SNS: the notification was not delivered"`],
    ['StateUpdate', 'Alarm updated from OK to ALARM'],
    ['StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to OK'],
    ['ConfigurationUpdate', `Alarm "${ALARM}" created`],
  ])
  const transition = JSON.parse(history[1]?.HistoryData ?? '') as {oldState: {stateValue: string}; newState: {stateValue: string; stateReason: string}}
  expect(transition.oldState.stateValue).toBe('OK')
  expect(transition.newState).toMatchObject({stateValue: 'ALARM', stateReason: alarmed.StateReason})
  expect(log.some((line) => line.includes(`action ${TOPIC} not executed`))).toBe(true)

  // A started EC2-Classic instance has a new address: it serves again once registered again.
  await t.startInstances(instanceId)
  await t.elb.send(new DeregisterInstancesFromLoadBalancerCommand({LoadBalancerName: LB, Instances: [{InstanceId: instanceId}]}))
  await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: LB, Instances: [{InstanceId: instanceId}]}))
  await eventually(async () => {
    const [state] = (await t.elb.send(new DescribeInstanceHealthCommand({LoadBalancerName: LB}))).InstanceStates ?? []
    return state?.State === 'InService' ? true : undefined
  }, 15_000, 'the instance to be InService')
  const recovered = await eventually(inState('OK'), 20_000, 'the alarm to be OK again')
  expect(recovered.StateReason).toMatch(NOT_GREATER)
  expect(NOT_GREATER.exec(recovered.StateReason ?? '')?.slice(2).filter(Boolean).every((value) => value === '0.0')).toBe(true)
}, 60_000)

test('the alarm and its state outlive a restart of the engine', async () => {
  const before = await alarm()
  const home = t.home
  await t.engine.close()
  const again = await startTestEngine({home, portOffset: OFFSET, timeScale: 1 / 60})
  try {
    const client = new CloudWatchClient({endpoint: again.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
    const [after] = (await client.send(new DescribeAlarmsCommand({AlarmNames: [ALARM]}))).MetricAlarms ?? []
    expect(after).toMatchObject({
      AlarmArn: before.AlarmArn, StateValue: before.StateValue, StateReason: before.StateReason, Threshold: 0,
      AlarmActions: [TOPIC], Dimensions: [{Name: 'LoadBalancerName', Value: LB}],
    })
    client.destroy()
  } finally {
    await again.close()
  }
}, 60_000)
