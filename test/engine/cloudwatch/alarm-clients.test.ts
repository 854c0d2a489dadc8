/**
 * Alarms through the clients people script them with, each behind a recording proxy that notes
 * the wire protocol it spoke: aws-cli v1 (botocore 1.43: AWS JSON 1.0) with the issue's
 * put-metric-alarm line, and boto3 on botocore 1.43 (JSON 1.0) and on Debian's 1.29 (Query).
 */
import {cloudWatchService} from '../../../src/engine/api/services/cloudwatch.js'
import {AlarmService} from '../../../src/engine/cloudwatch/alarms.js'
import {CloudWatchService} from '../../../src/engine/cloudwatch/service.js'
import {MetricsStore} from '../../../src/engine/metrics/store.js'
import {Store} from '../../../src/engine/model/store.js'
import {startApiServer, type ApiServerHandle} from '../../helpers/api-server.js'
import {withBotocore} from '../../helpers/boto.js'
import {runProcess} from '../../helpers/processes.js'
import {AWS_CLI_ENV, findAwsCliV1, testWith} from '../../helpers/aws-cli.js'
import {protocolOf, startRecordingProxy, type RecordingProxy} from '../../helpers/recording-proxy.js'

let api: ApiServerHandle
let proxy: RecordingProxy

beforeAll(async () => {
  api = await startApiServer({services: [cloudWatchService(new CloudWatchService(new MetricsStore()), new AlarmService(Store.inMemory()))]})
  proxy = await startRecordingProxy(new URL(api.endpoint))
})

afterAll(async () => {
  await proxy.close()
  await api.close()
})

beforeEach(() => { proxy.clear() })

/** aws-cli v1 by its version, not the bare `aws` (Debian's /usr/bin/aws is v2, which speaks Query: aws-cli-v2.test.ts). */
const awsCliV1 = findAwsCliV1()
const cliTest = testWith(awsCliV1)
const awsV1 = awsCliV1.command ?? 'aws'

cliTest("aws-cli v1: the issue's put-metric-alarm, describe-alarms, set-alarm-state, history, delete — over AWS JSON 1.0", async () => {
  const aws = (...args: string[]) => runProcess(awsV1, ['--output', 'json', '--endpoint-url', proxy.endpoint, 'cloudwatch', ...args], {env: AWS_CLI_ENV})
  const put = await aws('put-metric-alarm', '--alarm-name', 'web-unhealthy', '--metric-name', 'UnHealthyHostCount', '--namespace', 'AWS/ELB',
    '--statistic', 'Average', '--period', '60', '--threshold', '1', '--comparison-operator', 'GreaterThanThreshold',
    '--dimensions', 'Name=LoadBalancerName,Value=web', '--evaluation-periods', '2')
  expect([put.code, put.stderr, put.stdout]).toEqual([0, '', ''])
  const described = await aws('describe-alarms', '--alarm-names', 'web-unhealthy')
  const {MetricAlarms: [alarm]} = JSON.parse(described.stdout) as {MetricAlarms: Record<string, unknown>[]}
  expect(alarm).toMatchObject({AlarmName: 'web-unhealthy', StateValue: 'INSUFFICIENT_DATA', Threshold: 1.0, EvaluationPeriods: 2, Statistic: 'Average'})
  // aws-cli v1 prints a timestamp as the wire carried it (cli_timestamp_format none): JSON's epoch seconds.
  expect(Math.abs(Number(alarm?.AlarmConfigurationUpdatedTimestamp) - Date.now() / 1000)).toBeLessThan(120)

  const set = await aws('set-alarm-state', '--alarm-name', 'web-unhealthy', '--state-value', 'ALARM', '--state-reason', 'testing')
  expect([set.code, set.stderr]).toEqual([0, ''])
  const history = JSON.parse((await aws('describe-alarm-history', '--alarm-name', 'web-unhealthy', '--history-item-type', 'StateUpdate')).stdout) as
    {AlarmHistoryItems: {HistorySummary: string}[]}
  expect(history.AlarmHistoryItems.map((item) => item.HistorySummary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to ALARM'])

  const refused = await aws('delete-alarms', '--alarm-names', 'web-unhealthy', 'not-there')
  expect(refused.code).toBe(255)
  expect(refused.stderr).toContain('An error occurred (ResourceNotFound) when calling the DeleteAlarms operation: 1 of the specified alarms were not found: [not-there]')
  expect(JSON.parse((await aws('describe-alarms')).stdout)).toEqual({MetricAlarms: [], CompositeAlarms: []})
  expect(new Set(proxy.seen.map(protocolOf))).toEqual(new Set(['awsJson1_0']))
  expect(proxy.seen[0]?.target).toBe('GraniteServiceVersion20100801.PutMetricAlarm')
})

const SCRIPT = `
import boto3, json, sys
client = boto3.client('cloudwatch', endpoint_url=sys.argv[1], region_name='us-east-1')
name = 'boto-' + sys.argv[2]
client.put_metric_alarm(AlarmName=name, Namespace='AWS/ELB', MetricName='HTTPCode_Backend_5XX',
  Dimensions=[{'Name': 'LoadBalancerName', 'Value': 'web'}], Statistic='Sum', Period=300, EvaluationPeriods=1,
  Threshold=10, ComparisonOperator='GreaterThanOrEqualToThreshold', TreatMissingData='notBreaching',
  Tags=[{'Key': 'team', 'Value': 'web'}])
alarm = client.describe_alarms(AlarmNames=[name])['MetricAlarms'][0]
for_metric = client.describe_alarms_for_metric(Namespace='AWS/ELB', MetricName='HTTPCode_Backend_5XX',
  Dimensions=[{'Name': 'LoadBalancerName', 'Value': 'web'}])['MetricAlarms']
tags = client.list_tags_for_resource(ResourceARN=alarm['AlarmArn'])['Tags']
try:
  client.set_alarm_state(AlarmName=name, StateValue='OK', StateReason='x', StateReasonData='{oops')
  error = None
except client.exceptions.InvalidFormatFault as caught:
  error = caught.response['Error']['Code']
client.delete_alarms(AlarmNames=[name])
print(json.dumps({'state': alarm['StateValue'], 'threshold': alarm['Threshold'], 'treat': alarm['TreatMissingData'],
  'forMetric': [a['AlarmName'] for a in for_metric], 'tags': tags, 'error': error}))
`

async function botoRun(python: string, label: string): Promise<Record<string, unknown>> {
  const result = await runProcess(python, ['-c', SCRIPT, proxy.endpoint, label], {env: AWS_CLI_ENV})
  expect(result.stderr).toBe('')
  return JSON.parse(result.stdout) as Record<string, unknown>
}

const expected = (label: string) => ({
  state: 'INSUFFICIENT_DATA', threshold: 10, treat: 'notBreaching', forMetric: [`boto-${label}`], tags: [{Key: 'team', Value: 'web'}], error: 'InvalidFormat',
})

withBotocore('python3', /^1\.4/)('boto3 on botocore 1.43: alarms over AWS JSON 1.0', async () => {
  expect(await botoRun('python3', 'json')).toEqual(expected('json'))
  expect(new Set(proxy.seen.map(protocolOf))).toEqual(new Set(['awsJson1_0']))
})

withBotocore('/usr/bin/python3', /^1\.29\./)("boto3 on Debian's botocore 1.29: alarms over Query", async () => {
  expect(await botoRun('/usr/bin/python3', 'query')).toEqual(expected('query'))
  expect(new Set(proxy.seen.map(protocolOf))).toEqual(new Set(['awsQuery']))
  expect(proxy.seen[0]?.body).toContain('Action=PutMetricAlarm')
})
