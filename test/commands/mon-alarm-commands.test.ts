/**
 * The mon-* alarm commands' requests and output against the CloudWatch API shapes (the SDK's client
 * mocked, so it can answer the captured goldens' own alarms and ARNs; mon-alarms-engine.test.ts runs
 * the commands against the engine's alarm API). The goldens are real CloudWatch CLI 1.0.x output captured in
 * a public blog post (mon-describe-alarms --headers, mon-describe-alarm-history) and the CLI
 * reference's texts (OK-Set alarm state value); see docs/decisions.md › "The mon-* commands".
 */
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand,
  EnableAlarmActionsCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch'
import {mockClient} from 'aws-sdk-client-mock'
import 'aws-sdk-client-mock-jest'
import {MOCK_TARGET, runCli} from './run-cli.js'

/** The message unwrapped (the legacy word wrap breaks long lines with `\n `), first line only. */
const firstLine = (stderr: string): string => stderr.replace(/\n /g, ' ').split('\n')[0] ?? ''

const cloudwatch = mockClient(CloudWatchClient)
beforeEach(() => cloudwatch.reset())

const POLICY = 'arn:aws:autoscaling:ap-northeast-1:910777643605:scalingPolicy'
const OUT = `${POLICY}:801eb489-69c7-4ecd-8b5c-60e7509c9dbf:autoScalingGroupName/demo00-test00-group00:policyName/demo00-test00-outpolicy00`
const IN = `${POLICY}:0ce7a750-7fa1-46fc-a316-d2647013aa3f:autoScalingGroupName/demo00-test00-group00:policyName/demo00-test00-inpolicy00`
const GROUP = [{Name: 'AutoScalingGroupName', Value: 'demo00-test00-group00'}]

const ALARMS = [
  {
    AlarmName: 'demo00-test00-AddCapacity01', StateValue: 'OK' as const, AlarmActions: [OUT], Namespace: 'AWS/EC2', MetricName: 'CPUUtilization',
    Period: 60, Statistic: 'Average' as const, EvaluationPeriods: 2, ComparisonOperator: 'GreaterThanOrEqualToThreshold' as const, Threshold: 90,
    Dimensions: GROUP, ActionsEnabled: true, OKActions: [], InsufficientDataActions: [], StateReason: 'Threshold Crossed', StateReasonData: '{}',
  },
  {
    AlarmName: 'demo00-test00-RemoveCapacity01', StateValue: 'ALARM' as const, AlarmActions: [IN], Namespace: 'AWS/EC2', MetricName: 'CPUUtilization',
    Period: 60, Statistic: 'Average' as const, EvaluationPeriods: 2, ComparisonOperator: 'LessThanOrEqualToThreshold' as const, Threshold: 40,
    Dimensions: GROUP, ActionsEnabled: true,
  },
]

describe('mon-describe-alarms', () => {
  test('--headers: the captured 1.0.x table (action ARNs elided to 40, thresholds as Java doubles)', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({MetricAlarms: ALARMS})
    const run = await runCli('mon-describe-alarms', ['--region', 'ap-northeast-1', '--headers', ...MOCK_TARGET])
    expect(cloudwatch).toHaveReceivedCommandWith(DescribeAlarmsCommand, {})
    expect(run).toEqual({
      stdout:
        'ALARM                           STATE  ALARM_ACTIONS                             NAMESPACE  METRIC_NAME     PERIOD  STATISTIC  EVAL_PERIODS  COMPARISON                     THRESHOLD\n' +
        'demo00-test00-AddCapacity01     OK     arn:aws:autoscalin...-test00-outpolicy00  AWS/EC2    CPUUtilization  60      Average    2             GreaterThanOrEqualToThreshold  90.0\n' +
        'demo00-test00-RemoveCapacity01  ALARM  arn:aws:autoscalin...0-test00-inpolicy00  AWS/EC2    CPUUtilization  60      Average    2             LessThanOrEqualToThreshold     40.0\n',
      stderr: '', code: 0,
    })
  })

  test('--show-long: every column, whole ARNs, dimensions as a map, (nil) for what is absent', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({MetricAlarms: [ALARMS[0] ?? {}]})
    const run = await runCli('mon-describe-alarms', ['--show-long', '--headers', ...MOCK_TARGET])
    expect(run.stdout).toBe(
      'ALARM,DESCRIPTION,STATE,STATE_REASON,STATE_REASON_DATA,ENABLED,OK_ACTIONS,ALARM_ACTIONS,INSUFFICIENT_DATA_ACTIONS,NAMESPACE,METRIC_NAME,' +
        'DIMENSIONS,PERIOD,STATISTIC,EXTENDEDSTATISTIC,UNIT,EVAL_PERIODS,COMPARISON,THRESHOLD\n' +
        `demo00-test00-AddCapacity01,(nil),OK,Threshold Crossed,{},true,(nil),${OUT},(nil),AWS/EC2,CPUUtilization,` +
        '{AutoScalingGroupName=demo00-test00-group00},60,Average,(nil),(nil),2,GreaterThanOrEqualToThreshold,90.0\n',
    )
  })

  test('names, prefixes and state go to the API; every page is read', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolvesOnce({MetricAlarms: [ALARMS[0] ?? {}], NextToken: 'page-2'}).resolvesOnce({MetricAlarms: [ALARMS[1] ?? {}]})
    const run = await runCli('mon-describe-alarms', ['a', 'b', '--alarm-name-prefix', 'demo', '--action-prefix', 'arn:aws:sns', '--state-value', 'ALARM', ...MOCK_TARGET])
    expect(cloudwatch).toHaveReceivedNthCommandWith(1, DescribeAlarmsCommand,
      {AlarmNames: ['a', 'b'], AlarmNamePrefix: 'demo', ActionPrefix: 'arn:aws:sns', StateValue: 'ALARM'})
    expect(cloudwatch).toHaveReceivedNthCommandWith(2, DescribeAlarmsCommand, {NextToken: 'page-2'})
    expect(run.stdout.split('\n').filter((line) => line !== '').map((line) => line.split(/ +/)[0]))
      .toEqual(['demo00-test00-AddCapacity01', 'demo00-test00-RemoveCapacity01'])
  })

  test('an endpoint that always answers a NextToken: the listing stops after 1,000 pages', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({MetricAlarms: [], NextToken: 'again'})
    expect(await runCli('mon-describe-alarms', [...MOCK_TARGET])).toEqual({stdout: '', stderr: '', code: 0})
    expect(cloudwatch).toHaveReceivedCommandTimes(DescribeAlarmsCommand, 1000)
  })

  test('no alarm: nothing printed, exit 0', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({MetricAlarms: []})
    expect(await runCli('mon-describe-alarms', [...MOCK_TARGET])).toEqual({stdout: '', stderr: '', code: 0})
  })
})

test('mon-describe-alarms-for-metric: the metric\'s members as given, the alarm table', async () => {
  cloudwatch.on(DescribeAlarmsForMetricCommand).resolves({MetricAlarms: [ALARMS[1] ?? {}]})
  const run = await runCli('mon-describe-alarms-for-metric', ['--metric-name', 'CPUUtilization', '--namespace', 'AWS/EC2',
    '--dimensions', 'AutoScalingGroupName=demo00-test00-group00', '--period', '60', '--statistic', 'Average', ...MOCK_TARGET])
  expect(cloudwatch).toHaveReceivedCommandWith(DescribeAlarmsForMetricCommand, {
    MetricName: 'CPUUtilization', Namespace: 'AWS/EC2', Dimensions: GROUP, Period: 60, Statistic: 'Average',
  })
  expect(run.stdout).toBe('demo00-test00-RemoveCapacity01  ALARM  arn:aws:autoscalin...0-test00-inpolicy00  AWS/EC2  CPUUtilization  60  Average  2  LessThanOrEqualToThreshold  40.0\n')
})

test('mon-describe-alarm-history: the captured 1.0.x lines, one listing per alarm name', async () => {
  cloudwatch.on(DescribeAlarmHistoryCommand).resolves({
    AlarmHistoryItems: [
      {AlarmName: 'demo00-test00-RemoveCapacity01', Timestamp: new Date('2013-07-22T09:02:45.790Z'), HistoryItemType: 'Action', HistorySummary: `Successfully executed action ${IN}`, HistoryData: '{}'},
      {AlarmName: 'demo00-test00-RemoveCapacity01', Timestamp: new Date('2013-07-22T09:02:45.759Z'), HistoryItemType: 'StateUpdate', HistorySummary: 'Alarm updated from OK to ALARM'},
      {AlarmName: 'demo00-test00-AddCapacity02', Timestamp: new Date('2013-07-22T08:46:41.129Z'), HistoryItemType: 'ConfigurationUpdate', HistorySummary: 'Alarm "demo00-test00-AddCapacity02" deleted'},
    ],
  })
  const run = await runCli('mon-describe-alarm-history', ['--region', 'ap-northeast-1', ...MOCK_TARGET])
  expect(run.stdout).toBe(
    `demo00-test00-RemoveCapacity01  2013-07-22T09:02:45.790Z  Action               Successfully executed action ${IN}\n` +
      'demo00-test00-RemoveCapacity01  2013-07-22T09:02:45.759Z  StateUpdate          Alarm updated from OK to ALARM\n' +
      'demo00-test00-AddCapacity02     2013-07-22T08:46:41.129Z  ConfigurationUpdate  Alarm "demo00-test00-AddCapacity02" deleted\n',
  )
  cloudwatch.reset()
  cloudwatch.on(DescribeAlarmHistoryCommand).resolves({AlarmHistoryItems: []})
  await runCli('mon-describe-alarm-history', ['a', 'b', '--history-item-type', 'StateUpdate', '--start-date', '2013-07-01', ...MOCK_TARGET])
  const since = new Date('2013-07-01T00:00:00Z')
  expect(cloudwatch).toHaveReceivedNthCommandWith(1, DescribeAlarmHistoryCommand, {AlarmName: 'a', HistoryItemType: 'StateUpdate', StartDate: since})
  expect(cloudwatch).toHaveReceivedNthCommandWith(2, DescribeAlarmHistoryCommand, {AlarmName: 'b', HistoryItemType: 'StateUpdate', StartDate: since})
})

describe('mon-put-metric-alarm', () => {
  test('the blog\'s command line: OK-Created Alarm, and the request AWS gets', async () => {
    cloudwatch.on(PutMetricAlarmCommand).resolves({})
    const run = await runCli('mon-put-metric-alarm', ['--alarm-name', 'demo00-test00-AddCapacity01', '--metric-name', 'CPUUtilization', '--namespace=AWS/EC2',
      '--statistic', 'Average', '--period', '60', '--threshold', '90', '--comparison-operator', 'GreaterThanOrEqualToThreshold',
      '--dimensions', 'AutoScalingGroupName=demo00-test00-group00', '--evaluation-periods', '2', '--alarm-actions', OUT, '--region', 'ap-northeast-1', ...MOCK_TARGET])
    expect(run).toEqual({stdout: 'OK-Created Alarm\n', stderr: '', code: 0})
    expect(cloudwatch).toHaveReceivedCommandWith(PutMetricAlarmCommand, {
      AlarmName: 'demo00-test00-AddCapacity01', MetricName: 'CPUUtilization', Namespace: 'AWS/EC2', Statistic: 'Average', Period: 60, Threshold: 90,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', Dimensions: GROUP, EvaluationPeriods: 2, AlarmActions: [OUT],
    })
  })

  test('missing required options are named before any call; a bad --actions-enabled is refused', async () => {
    const run = await runCli('mon-put-metric-alarm', ['my-alarm', '--metric-name', 'Latency', ...MOCK_TARGET])
    expect(run.code).toBe(1)
    expect(firstLine(run.stderr)).toBe(
      'mon-put-metric-alarm:  Malformed input-Missing argument(s): --comparison-operator  --evaluation-periods  --namespace  --period  --threshold',
    )
    const enabled = await runCli('mon-put-metric-alarm', ['a', '--metric-name', 'M', '--namespace', 'N', '--period', '60', '--threshold', '1',
      '--comparison-operator', 'GreaterThanThreshold', '--evaluation-periods', '1', '--actions-enabled', 'maybe', ...MOCK_TARGET])
    expect(enabled.code).toBe(1)
    expect(firstLine(enabled.stderr)).toBe("mon-put-metric-alarm:  Malformed input-Invalid value for --actions-enabled: 'maybe' is not true or false")
    expect(cloudwatch).not.toHaveReceivedCommand(PutMetricAlarmCommand)
  })
})

test('mon-set-alarm-state: OK-Set alarm state value', async () => {
  cloudwatch.on(SetAlarmStateCommand).resolves({})
  const run = await runCli('mon-set-alarm-state', ['my-alarm', '--state-value', 'OK', '--state-reason', 'testing', ...MOCK_TARGET])
  expect(run).toEqual({stdout: 'OK-Set alarm state value\n', stderr: '', code: 0})
  expect(cloudwatch).toHaveReceivedCommandWith(SetAlarmStateCommand, {AlarmName: 'my-alarm', StateValue: 'OK', StateReason: 'testing'})
})

describe('mon-delete-alarms, mon-enable-alarm-actions, mon-disable-alarm-actions', () => {
  test('names as words or --alarm-name, -f skips the prompt', async () => {
    cloudwatch.on(DeleteAlarmsCommand).resolves({}).on(EnableAlarmActionsCommand).resolves({}).on(DisableAlarmActionsCommand).resolves({})
    expect(await runCli('mon-delete-alarms', ['my-alarm1', 'my-alarm2', '-f', ...MOCK_TARGET])).toEqual({stdout: 'OK-Deleted alarms\n', stderr: '', code: 0})
    expect(cloudwatch).toHaveReceivedCommandWith(DeleteAlarmsCommand, {AlarmNames: ['my-alarm1', 'my-alarm2']})
    expect(await runCli('mon-enable-alarm-actions', ['--alarm-name', 'a', 'b', ...MOCK_TARGET])).toEqual({stdout: 'OK-Enabled alarm actions\n', stderr: '', code: 0})
    expect(cloudwatch).toHaveReceivedCommandWith(EnableAlarmActionsCommand, {AlarmNames: ['a', 'b']})
    expect(await runCli('mon-disable-alarm-actions', ['a', ...MOCK_TARGET])).toEqual({stdout: 'OK-Disabled alarm actions\n', stderr: '', code: 0})
    expect(cloudwatch).toHaveReceivedCommandWith(DisableAlarmActionsCommand, {AlarmNames: ['a']})
  })

  test('the delete prompt: declined is exit 2 and no call; y deletes', async () => {
    cloudwatch.on(DeleteAlarmsCommand).resolves({})
    const declined = await runCli('mon-delete-alarms', ['my-alarm', ...MOCK_TARGET], {stdin: ['n']})
    expect(declined.code).toBe(2)
    expect(declined.stderr).toBe('mon-delete-alarms:  User stopped the execution of mon-delete-alarms.\n\n')
    expect(cloudwatch).not.toHaveReceivedCommand(DeleteAlarmsCommand)
    const confirmed = await runCli('mon-delete-alarms', ['my-alarm', ...MOCK_TARGET], {stdin: ['y']})
    expect(confirmed).toEqual({stdout: '    Are you sure you want to delete these Alarms? [Ny]OK-Deleted alarms\n', stderr: '', code: 0})
  })

  test('no name: Missing argument(s): --alarm-name, before any prompt', async () => {
    for (const name of ['mon-delete-alarms', 'mon-enable-alarm-actions', 'mon-disable-alarm-actions']) {
      const run = await runCli(name, [...MOCK_TARGET])
      expect(run.code).toBe(1)
      expect(run.stdout).toBe('')
      expect(run.stderr.split('\n')[0]).toBe(`${name}:  Malformed input-Missing argument(s): --alarm-name`)
    }
  })
})

test('a service error on an alarm call: the legacy 404 text, exit 32', async () => {
  cloudwatch.on(SetAlarmStateCommand).rejects(Object.assign(new Error('Alarm nope does not exist.'), {
    name: 'ResourceNotFound', $metadata: {httpStatusCode: 404, requestId: 'req-1'},
  }))
  const run = await runCli('mon-set-alarm-state', ['nope', '--state-value', 'OK', '--state-reason', 'x', ...MOCK_TARGET])
  expect(run.code).toBe(32)
  expect(run.stderr.replace(/\n /g, ' ')).toBe('mon-set-alarm-state:  Could not find the resource you requested: Alarm nope does not exist.  AWSRequestId:req-1\n\n')
})

test('credentials as the elb-* commands take them: a missing credential file, one of -I/-S alone, a good file', async () => {
  const missing = await runCli('mon-describe-alarms', ['--aws-credential-file', '/nowhere/credentials', '-U', 'http://127.0.0.1:9/'])
  expect(missing.code).toBe(1)
  expect(firstLine(missing.stderr)).toBe('mon-describe-alarms:  Malformed input-File not found: /nowhere/credentials')
  const half = await runCli('mon-describe-alarms', ['-I', 'AKIDONLY', '-U', 'http://127.0.0.1:9/'])
  expect(firstLine(half.stderr)).toBe('mon-describe-alarms:  Malformed input-No Credentials were provided - cannot access the service')
  cloudwatch.on(DescribeAlarmsCommand).resolves({MetricAlarms: []})
  const file = await runCli('mon-describe-alarms', ['-U', 'http://127.0.0.1:9/'], {
    env: {AWS_CREDENTIAL_FILE: '/creds'}, files: {'/creds': 'AWSAccessKeyId=AKIDFILE\nAWSSecretKey=secret\n'},
  })
  expect(file).toEqual({stdout: '', stderr: '', code: 0})
  expect(cloudwatch).toHaveReceivedCommand(DescribeAlarmsCommand)
})
