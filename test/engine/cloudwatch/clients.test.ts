/**
 * CloudWatch over the wire: N requests through a real listener, then the RequestCount Sum read
 * back through aws-cli v1 (v2 in aws-cli-v2.test.ts), boto3 (botocore 1.43 and Debian's 1.29) and
 * SDK v3 (in each of the three protocols), a recording proxy in front of the engine noting which
 * wire protocol each client spoke.
 */
import {CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand} from '@aws-sdk/client-cloudwatch'
import {AwsQueryProtocol} from '@aws-sdk/core/protocols'
import {SmithyRpcV2CborProtocol} from '@smithy/core/cbor'
import {eventually, startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../../helpers/engine.js'
import {sendCountedRequests, startServedLoadBalancer} from '../../helpers/served-lb.js'
import {ensureBuilt, runProcess} from '../../helpers/processes.js'
import {AWS_CLI_ENV, findAwsCliV1, testWith} from '../../helpers/aws-cli.js'
import {withBotocore} from '../../helpers/boto.js'
import {protocolOf, startRecordingProxy, type RecordingProxy} from '../../helpers/recording-proxy.js'

const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)
const LB = 'watched'
const REQUESTS = 17
let t: TestEngine
let proxy: RecordingProxy
let proxyEndpoint: string

let start: Date
let end: Date
let expectedSum: number

beforeAll(async () => {
  ensureBuilt()
  t = await startTestEngine({portOffset: OFFSET})
  proxy = await startRecordingProxy(new URL(t.endpoint))
  proxyEndpoint = proxy.endpoint
  const {get} = await startServedLoadBalancer(t, LB, OFFSET)
  // Whatever the wait above sent (503s included) counts too: the data plane's own total is the truth.
  expectedSum = await sendCountedRequests(t, LB, get, REQUESTS)
  start = new Date(Date.now() - 30 * 60_000)
  end = new Date(Date.now() + 5 * 60_000)
}, 60_000)

afterAll(async () => {
  await proxy.close()
  await (t as TestEngine | undefined)?.close()
})

beforeEach(() => { proxy.clear() })

const sumOf = (datapoints: readonly {Sum?: number | undefined}[]) => datapoints.reduce((total, point) => total + (point.Sum ?? 0), 0)

/** SDK v3's CloudWatch client: AWS JSON 1.0 by default; the other two protocols by its `protocol` setting. */
const SDK_PROTOCOLS = [
  {protocol: 'awsJson1_0', setting: {}, path: '/'},
  {protocol: 'rpcv2Cbor', setting: {protocol: SmithyRpcV2CborProtocol}, path: '/service/GraniteServiceVersion20100801/operation/GetMetricStatistics'},
  {protocol: 'awsQuery', setting: {protocol: AwsQueryProtocol}, path: '/'},
] as const

test.each(SDK_PROTOCOLS)('SDK v3 over $protocol reads the RequestCount Sum in one-minute points', async ({protocol, setting, path}) => {
  const client = new CloudWatchClient({endpoint: proxyEndpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1, ...setting})
  const answer = await client.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/ELB', MetricName: 'RequestCount', Dimensions: [{Name: 'LoadBalancerName', Value: LB}],
    StartTime: start, EndTime: end, Period: 60, Statistics: ['Sum', 'SampleCount', 'Maximum'],
  }))
  expect(answer.Label).toBe('RequestCount')
  expect(sumOf(answer.Datapoints ?? [])).toBe(expectedSum)
  expect(answer.Datapoints?.length).toBeGreaterThan(0)
  for (const point of answer.Datapoints ?? []) {
    expect((point.Timestamp?.getTime() ?? 1) % 60_000).toBe(0)
    expect(point).toEqual({Timestamp: point.Timestamp, Unit: 'Count', Sum: point.Sum, Maximum: 1, SampleCount: point.Sum})
  }
  // Over the range: one hour-long period holds the whole test's traffic.
  const whole = await client.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/ELB', MetricName: 'RequestCount', Dimensions: [{Name: 'LoadBalancerName', Value: LB}],
    StartTime: start, EndTime: end, Period: 3600, Statistics: ['Sum'],
  }))
  expect(whole.Datapoints?.map((point) => point.Sum)).toEqual([expectedSum])
  expect(proxy.seen.map(protocolOf)).toEqual([protocol, protocol])
  expect(proxy.seen[0]?.path).toBe(path)

  const listed = await client.send(new ListMetricsCommand({Namespace: 'AWS/ELB', Dimensions: [{Name: 'LoadBalancerName', Value: LB}]}))
  const names = (listed.Metrics ?? []).map((metric) => metric.MetricName)
  expect(names).toEqual(expect.arrayContaining(['RequestCount', 'HTTPCode_Backend_2XX', 'Latency']))
  expect(names).not.toContain('HTTPCode_Backend_5XX')
  expect(listed.Metrics?.[0]?.Dimensions).toEqual([{Name: 'LoadBalancerName', Value: LB}])
  client.destroy()
})

/** The RequestCount Sum per minute (`m`) and that times two (`e`), over the test's range. */
const METRIC_DATA_QUERIES = [
  {Id: 'm', MetricStat: {Metric: {Namespace: 'AWS/ELB', MetricName: 'RequestCount', Dimensions: [{Name: 'LoadBalancerName', Value: LB}]}, Period: 60, Stat: 'Sum'}},
  {Id: 'e', Expression: 'm * 2', Label: 'twice'},
]

const valuesSum = (values: readonly number[] | undefined) => (values ?? []).reduce((total, value) => total + value, 0)

test.each(SDK_PROTOCOLS)('SDK v3 over $protocol: GetMetricData reads the same Sum and an expression over it', async ({protocol, setting}) => {
  const client = new CloudWatchClient({endpoint: proxyEndpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1, ...setting})
  const answer = await client.send(new GetMetricDataCommand({MetricDataQueries: METRIC_DATA_QUERIES, StartTime: start, EndTime: end}))
  const [metric, expression] = answer.MetricDataResults ?? []
  expect([metric?.Id, metric?.Label, metric?.StatusCode, expression?.Id, expression?.Label]).toEqual(['m', 'RequestCount', 'Complete', 'e', 'twice'])
  expect(valuesSum(metric?.Values)).toBe(expectedSum)
  expect(valuesSum(expression?.Values)).toBe(2 * expectedSum)
  // TimestampDescending is the default order.
  const times = (metric?.Timestamps ?? []).map((time) => time.getTime())
  expect(times).toEqual([...times].sort((a, b) => b - a))
  expect(proxy.seen.map(protocolOf)).toEqual([protocol])
  client.destroy()
})

test('host counts and Latency: one sample per second sampled, Latency in seconds', async () => {
  const client = new CloudWatchClient({endpoint: t.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
  const read = (MetricName: string, Statistics: ('Average' | 'Maximum' | 'Minimum' | 'SampleCount' | 'Sum')[]) => client.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/ELB', MetricName, Dimensions: [{Name: 'LoadBalancerName', Value: LB}], StartTime: start, EndTime: end, Period: 3600, Statistics,
  }))
  // The health counts are sampled once a second: wait for the first sample after InService.
  const healthy = await eventually(async () => {
    const [point] = (await read('HealthyHostCount', ['Maximum', 'Minimum', 'SampleCount'])).Datapoints ?? []
    return point?.Maximum === 1 ? point : undefined
  }, 10_000, 'a HealthyHostCount sample of 1')
  expect(healthy.Unit).toBe('Count')
  expect(healthy.SampleCount).toBeGreaterThanOrEqual(1)
  const [latency] = (await read('Latency', ['Average', 'SampleCount', 'Minimum', 'Maximum'])).Datapoints ?? []
  expect(latency).toEqual({
    Timestamp: latency?.Timestamp, Unit: 'Seconds', Average: latency?.Average, SampleCount: latency?.SampleCount, Minimum: latency?.Minimum, Maximum: latency?.Maximum,
  })
  expect(latency?.Minimum).toBeGreaterThan(0)
  expect(latency?.Minimum).toBeLessThanOrEqual(latency?.Average ?? 0)
  expect(latency?.Maximum).toBeGreaterThanOrEqual(latency?.Average ?? Infinity)
  expect(latency?.Average).toBeGreaterThan(0)
  expect(latency?.Average).toBeLessThan(1)
  expect(latency?.SampleCount).toBeGreaterThanOrEqual(REQUESTS)
  client.destroy()
})

/** aws-cli v1 by its version, not the bare `aws` (Debian's /usr/bin/aws is v2, which speaks Query: aws-cli-v2.test.ts). */
const awsCliV1 = findAwsCliV1()
const cliTest = testWith(awsCliV1)
const awsV1 = awsCliV1.command ?? 'aws'

cliTest('aws-cli v1 (botocore 1.43) reads the same Sum, over AWS JSON 1.0', async () => {
  const result = await runProcess(awsV1, ['--output', 'json', '--endpoint-url', proxyEndpoint, 'cloudwatch', 'get-metric-statistics',
    '--namespace', 'AWS/ELB', '--metric-name', 'RequestCount', '--dimensions', `Name=LoadBalancerName,Value=${LB}`,
    '--start-time', start.toISOString(), '--end-time', end.toISOString(), '--period', '60', '--statistics', 'Sum'], {env: AWS_CLI_ENV})
  expect(result.stderr).toBe('')
  const answer = JSON.parse(result.stdout) as {Label: string; Datapoints: {Sum?: number}[]}
  expect(answer.Label).toBe('RequestCount')
  expect(sumOf(answer.Datapoints)).toBe(expectedSum)
  expect(proxy.seen.map(protocolOf)).toEqual(['awsJson1_0'])
  expect(proxy.seen[0]?.target).toBe('GraniteServiceVersion20100801.GetMetricStatistics')
})

cliTest('aws-cli v1: get-metric-data with an expression, over AWS JSON 1.0', async () => {
  const result = await runProcess(awsV1, ['--output', 'json', '--endpoint-url', proxyEndpoint, 'cloudwatch', 'get-metric-data',
    '--metric-data-queries', JSON.stringify(METRIC_DATA_QUERIES), '--start-time', start.toISOString(), '--end-time', end.toISOString(),
    '--scan-by', 'TimestampAscending'], {env: AWS_CLI_ENV})
  expect(result.stderr).toBe('')
  const answer = JSON.parse(result.stdout) as {MetricDataResults: {Id: string; Values: number[]; StatusCode: string}[]}
  expect(answer.MetricDataResults.map(({Id, StatusCode}) => `${Id} ${StatusCode}`)).toEqual(['m Complete', 'e Complete'])
  expect(valuesSum(answer.MetricDataResults[0]?.Values)).toBe(expectedSum)
  expect(valuesSum(answer.MetricDataResults[1]?.Values)).toBe(2 * expectedSum)
  expect(proxy.seen.map(protocolOf)).toEqual(['awsJson1_0'])
  expect(proxy.seen[0]?.target).toBe('GraniteServiceVersion20100801.GetMetricData')
})

cliTest("aws-cli v1: put-metric-data, then the README's list-metrics", async () => {
  const aws = (...args: string[]) => runProcess(awsV1, ['--output', 'json', '--endpoint-url', t.endpoint, 'cloudwatch', ...args], {env: AWS_CLI_ENV})
  const put = await aws('put-metric-data', '--namespace', 'MyApp', '--metric-name', 'QueueDepth', '--value', '4', '--unit', 'Count')
  expect([put.code, put.stderr]).toEqual([0, ''])
  const listed = await aws('list-metrics', '--namespace', 'MyApp')
  expect(JSON.parse(listed.stdout)).toEqual({Metrics: [{Namespace: 'MyApp', MetricName: 'QueueDepth', Dimensions: []}]})
  const refused = await aws('put-metric-data', '--namespace', 'AWS/ELB', '--metric-name', 'RequestCount', '--value', '1')
  expect(refused.code).toBe(255)
  expect(refused.stderr).toContain('An error occurred (InvalidParameterValue) when calling the PutMetricData operation: The value AWS/ for parameter Namespace is invalid.')
})

const SCRIPT = `
import boto3, json, sys, datetime
client = boto3.client('cloudwatch', endpoint_url=sys.argv[1], region_name='us-east-1')
answer = client.get_metric_statistics(Namespace='AWS/ELB', MetricName='RequestCount',
  Dimensions=[{'Name': 'LoadBalancerName', 'Value': sys.argv[2]}],
  StartTime=datetime.datetime.fromisoformat(sys.argv[3]), EndTime=datetime.datetime.fromisoformat(sys.argv[4]),
  Period=60, Statistics=['Sum'])
data = client.get_metric_data(MetricDataQueries=json.loads(sys.argv[5]),
  StartTime=datetime.datetime.fromisoformat(sys.argv[3]), EndTime=datetime.datetime.fromisoformat(sys.argv[4]))
print(json.dumps({'sum': sum(p['Sum'] for p in answer['Datapoints']), 'botocore': __import__('botocore').__version__,
  'data': {r['Id']: sum(r['Values']) for r in data['MetricDataResults']}}))
`

async function boto3Sum(python: string): Promise<{sum: number; botocore: string; data: Record<string, number>}> {
  const iso = (date: Date) => date.toISOString().replace('Z', '+00:00')
  const result = await runProcess(python, ['-c', SCRIPT, proxyEndpoint, LB, iso(start), iso(end), JSON.stringify(METRIC_DATA_QUERIES)], {env: AWS_CLI_ENV})
  expect(result.stderr).toBe('')
  return JSON.parse(result.stdout) as {sum: number; botocore: string; data: Record<string, number>}
}

withBotocore('python3', /^1\.4/)('boto3 on botocore 1.43 speaks AWS JSON 1.0 and reads the Sum', async () => {
  const answer = await boto3Sum('python3')
  expect(answer.botocore.startsWith('1.4')).toBe(true)
  expect(answer.sum).toBe(expectedSum)
  expect(answer.data).toEqual({m: expectedSum, e: 2 * expectedSum})
  expect(proxy.seen.map(protocolOf)).toEqual(['awsJson1_0', 'awsJson1_0'])
})

withBotocore('/usr/bin/python3', /^1\.29\./)("boto3 on Debian's botocore 1.29 speaks Query and reads the Sum", async () => {
  const answer = await boto3Sum('/usr/bin/python3')
  expect(answer.botocore).toMatch(/^1\.29\./)
  expect(answer.sum).toBe(expectedSum)
  expect(answer.data).toEqual({m: expectedSum, e: 2 * expectedSum})
  expect(proxy.seen.map(protocolOf)).toEqual(['awsQuery', 'awsQuery'])
  expect(proxy.seen[0]?.body).toContain('Action=GetMetricStatistics')
  expect(proxy.seen[1]?.body).toContain('Action=GetMetricData')
})
