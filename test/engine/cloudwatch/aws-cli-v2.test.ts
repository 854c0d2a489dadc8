/**
 * aws-cli v2 (Debian's `awscli`, 2.9.19 here) against the real engine: N requests through a real
 * listener read back as the RequestCount Sum per minute and over the range, GetMetricData, and the
 * issue's UnHealthyHostCount alarm — in JSON, and in `--output text`/`--query` piped through awk and
 * jq as scripts do — and v2's paginator over the engine's NextToken. A recording proxy notes the wire protocol: aws-cli 2.9.19's own botocore model
 * for `monitoring` lists only `query`, so it speaks Query (form-encoded, Action=…&Version=2010-08-01),
 * where aws-cli v1 with botocore 1.43 speaks AWS JSON 1.0 (clients.test.ts).
 */
import {CloudWatchClient, PutMetricAlarmCommand} from '@aws-sdk/client-cloudwatch'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {AWS_CLI_ENV, findAwsCliV2, testWith} from '../../helpers/aws-cli.js'
import {eventually, startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../../helpers/engine.js'
import {sendCountedRequests, startServedLoadBalancer} from '../../helpers/served-lb.js'
import {runProcess, type RunResult} from '../../helpers/processes.js'
import {protocolOf, startRecordingProxy, type RecordingProxy} from '../../helpers/recording-proxy.js'

const cli = findAwsCliV2()
const cliTest = testWith(cli)
const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)
const LB = 'watched-v2'
const REQUESTS = 13
/** aws-cli starts Python for every call (~0.6 s idle, a few seconds on a loaded machine). */
const CLI_TEST_TIMEOUT_MS = 90_000
let t: TestEngine
let proxy: RecordingProxy
let start: string
let end: string
let expectedSum: number

beforeAll(async () => {
  if (cli.command === undefined) return
  t = await startTestEngine({portOffset: OFFSET})
  proxy = await startRecordingProxy(new URL(t.endpoint))
  const {get} = await startServedLoadBalancer(t, LB, OFFSET)
  expectedSum = await sendCountedRequests(t, LB, get, REQUESTS)
  start = new Date(Date.now() - 30 * 60_000).toISOString()
  end = new Date(Date.now() + 5 * 60_000).toISOString()
}, 60_000)

afterAll(async () => {
  await (proxy as RecordingProxy | undefined)?.close()
  await (t as TestEngine | undefined)?.close()
})

beforeEach(() => { (proxy as RecordingProxy | undefined)?.clear() })

/** `aws --endpoint-url PROXY cloudwatch ARGS…` with aws-cli v2. */
const cloudwatch = (...args: string[]): Promise<RunResult> =>
  runProcess(cli.command ?? 'aws', ['--endpoint-url', proxy.endpoint, 'cloudwatch', ...args], {env: AWS_CLI_ENV, timeoutMs: 60_000})

/** A shell pipeline as a script writes it: `$AWS` is aws-cli v2 with the endpoint, `$1`… the arguments. */
const pipeline = (script: string, ...args: string[]): Promise<RunResult> =>
  runProcess('sh', ['-c', `set -e\n${script}`, 'sh', ...args], {env: {...AWS_CLI_ENV, AWS: cli.command, ENDPOINT: proxy.endpoint}, timeoutMs: 60_000})

const REQUEST_COUNT = ['--namespace', 'AWS/ELB', '--metric-name', 'RequestCount', '--dimensions', `Name=LoadBalancerName,Value=${LB}`]

/** Every request since the last clear was Query, each naming its action and API version. */
function expectQuery(...actions: string[]): void {
  expect(proxy.seen.map(protocolOf)).toEqual(actions.map(() => 'awsQuery'))
  expect(proxy.seen.map((seen) => new URLSearchParams(seen.body).get('Action'))).toEqual(actions)
  expect(proxy.seen.every((seen) => new URLSearchParams(seen.body).get('Version') === '2010-08-01' && seen.target === undefined)).toBe(true)
}

cliTest('aws-cli v2 is the one found: /usr/bin/aws says aws-cli/2.', () => {
  expect(cli.version).toMatch(/^aws-cli\/2\./)
})

cliTest('get-metric-statistics: the RequestCount Sum per minute and over the range, over Query', async () => {
  const perMinute = await cloudwatch('get-metric-statistics', ...REQUEST_COUNT, '--start-time', start, '--end-time', end,
    '--period', '60', '--statistics', 'Sum', 'SampleCount', '--output', 'json')
  expect([perMinute.code, perMinute.stderr]).toEqual([0, ''])
  const answer = JSON.parse(perMinute.stdout) as {Label: string; Datapoints: {Timestamp: string; Sum: number; SampleCount: number; Unit: string}[]}
  expect(answer.Label).toBe('RequestCount')
  expect(answer.Datapoints.length).toBeGreaterThan(0)
  expect(answer.Datapoints.reduce((total, point) => total + point.Sum, 0)).toBe(expectedSum)
  for (const point of answer.Datapoints) {
    // aws-cli v2 prints timestamps as ISO 8601 (its cli_timestamp_format default), on the minute.
    expect(point.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+00:00$/)
    expect(point).toEqual({Timestamp: point.Timestamp, Sum: point.Sum, SampleCount: point.Sum, Unit: 'Count'})
  }
  expectQuery('GetMetricStatistics')

  // As scripts read it: the text output's DATAPOINTS rows summed by awk, and one hour-long period.
  const summed = await pipeline(`"$AWS" --endpoint-url "$ENDPOINT" cloudwatch get-metric-statistics --namespace AWS/ELB \\
    --metric-name RequestCount --dimensions "Name=LoadBalancerName,Value=$1" --start-time "$2" --end-time "$3" \\
    --period 60 --statistics Sum --output text | awk '$1 == "DATAPOINTS" { sum += $2 } END { print sum }'`, LB, start, end)
  expect([summed.stdout, summed.stderr]).toEqual([`${String(expectedSum)}\n`, ''])
  const whole = await cloudwatch('get-metric-statistics', ...REQUEST_COUNT, '--start-time', start, '--end-time', end,
    '--period', '3600', '--statistics', 'Sum', '--query', 'Datapoints[].Sum', '--output', 'text')
  expect([whole.stdout, whole.stderr]).toEqual([`${String(expectedSum)}.0\n`, ''])
  expect(proxy.seen.map(protocolOf)).toEqual(['awsQuery', 'awsQuery', 'awsQuery'])
}, CLI_TEST_TIMEOUT_MS)

const METRIC_DATA_QUERIES = JSON.stringify([
  {Id: 'm', MetricStat: {Metric: {Namespace: 'AWS/ELB', MetricName: 'RequestCount', Dimensions: [{Name: 'LoadBalancerName', Value: LB}]}, Period: 60, Stat: 'Sum'}},
  {Id: 'e', Expression: 'm * 2', Label: 'twice'},
])

cliTest('get-metric-data: the same Sum and an expression over it, over Query; jq adds the values up', async () => {
  const data = await cloudwatch('get-metric-data', '--metric-data-queries', METRIC_DATA_QUERIES, '--start-time', start, '--end-time', end,
    '--scan-by', 'TimestampAscending', '--output', 'json')
  expect([data.code, data.stderr]).toEqual([0, ''])
  const results = (JSON.parse(data.stdout) as {MetricDataResults: {Id: string; Label: string; StatusCode: string; Values: number[]; Timestamps: string[]}[]}).MetricDataResults
  expect(results.map(({Id, Label, StatusCode}) => `${Id} ${Label} ${StatusCode}`)).toEqual(['m RequestCount Complete', 'e twice Complete'])
  const sum = (values: readonly number[] | undefined) => (values ?? []).reduce((total, value) => total + value, 0)
  expect([sum(results[0]?.Values), sum(results[1]?.Values)]).toEqual([expectedSum, 2 * expectedSum])
  const times = results[0]?.Timestamps ?? []
  expect(times).toEqual([...times].sort())
  expectQuery('GetMetricData')

  const added = await pipeline(`"$AWS" --endpoint-url "$ENDPOINT" cloudwatch get-metric-data --metric-data-queries "$1" \\
    --start-time "$2" --end-time "$3" --output json | jq -r '.MetricDataResults[] | "\\(.Id) \\(.Values | add)"'`, METRIC_DATA_QUERIES, start, end)
  expect([added.stdout, added.stderr]).toEqual([`m ${String(expectedSum)}\ne ${String(2 * expectedSum)}\n`, ''])
}, CLI_TEST_TIMEOUT_MS)

cliTest("the issue's put-metric-alarm on UnHealthyHostCount; describe-alarms through --query, awk and jq; its errors exit 254", async () => {
  const put = await cloudwatch('put-metric-alarm', '--alarm-name', 'v2-unhealthy', '--metric-name', 'UnHealthyHostCount', '--namespace', 'AWS/ELB',
    '--statistic', 'Average', '--period', '60', '--threshold', '1', '--comparison-operator', 'GreaterThanThreshold',
    '--dimensions', `Name=LoadBalancerName,Value=${LB}`, '--evaluation-periods', '2')
  expect([put.code, put.stderr, put.stdout]).toEqual([0, '', ''])
  expectQuery('PutMetricAlarm')

  // The LB's one instance is healthy: evaluated once a (time-scaled) minute, the alarm goes OK.
  const state = () => pipeline(`"$AWS" --endpoint-url "$ENDPOINT" cloudwatch describe-alarms --alarm-names "$1" --output text \\
    --query 'MetricAlarms[].[AlarmName,StateValue,MetricName,Threshold]' | awk '{ print $2, $4 }'`, 'v2-unhealthy')
  await eventually(async () => (await state()).stdout === 'OK 1.0\n' ? true : undefined, 20_000, 'the alarm to be OK')
  const described = await pipeline(`"$AWS" --endpoint-url "$ENDPOINT" cloudwatch describe-alarms --output json \\
    | jq -r '.MetricAlarms[] | select(.Namespace == "AWS/ELB") | [.AlarmName, .StateValue, .Dimensions[0].Value, .AlarmConfigurationUpdatedTimestamp] | @tsv'`)
  const [name, value, lb, updated] = described.stdout.trimEnd().split('\t')
  expect([name, value, lb, described.stderr]).toEqual(['v2-unhealthy', 'OK', LB, ''])
  expect(Math.abs(Date.parse(updated ?? '') - Date.now())).toBeLessThan(120_000)
  expect(updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/)
  const reason = await cloudwatch('describe-alarms', '--alarm-names', 'v2-unhealthy', '--query', 'MetricAlarms[0].StateReason', '--output', 'text')
  expect(reason.stdout).toMatch(/^Threshold Crossed: (1 datapoint \[0\.0 \(.+?\)\] was|2 datapoints \[0\.0 \(.+?\), 0\.0 \(.+?\)\] were) not greater than the threshold \(1\.0\)\.\n$/)
  const history = await cloudwatch('describe-alarm-history', '--alarm-name', 'v2-unhealthy', '--history-item-type', 'StateUpdate',
    '--query', 'AlarmHistoryItems[].HistorySummary', '--output', 'text')
  expect(history.stdout).toBe('Alarm updated from INSUFFICIENT_DATA to OK\n')

  // aws-cli v2 exits 254 for an error the service answered (v1: 255); its standard retry mode notes
  // the one attempt AWS_MAX_ATTEMPTS allows. As on AWS, the alarms found are deleted all the same.
  proxy.clear()
  const refused = await cloudwatch('delete-alarms', '--alarm-names', 'v2-unhealthy', 'not-there')
  expect(refused.code).toBe(254)
  expect(refused.stderr).toBe('\nAn error occurred (ResourceNotFound) when calling the DeleteAlarms operation (reached max retries: 0): ' +
    '1 of the specified alarms were not found: [not-there]\n')
  const none = await cloudwatch('describe-alarms', '--query', 'length(MetricAlarms)', '--output', 'text')
  expect(none.stdout).toBe('0\n')
  expectQuery('DeleteAlarms', 'DescribeAlarms')
}, CLI_TEST_TIMEOUT_MS)

cliTest("v2's paginator follows the engine's NextToken: list-metrics over 520 metrics, describe-alarms a page at a time", async () => {
  const metrics = Array.from({length: 520}, (_, n) => ({MetricName: `Depth${String(n).padStart(3, '0')}`, Value: n, Unit: 'Count'}))
  const file = join(t.home, 'metric-data.json')
  writeFileSync(file, JSON.stringify(metrics))
  const put = await cloudwatch('put-metric-data', '--namespace', 'Paged', '--metric-data', `file://${file}`)
  expect([put.code, put.stderr]).toEqual([0, ''])
  proxy.clear()
  // AWS's ListMetrics answers 500 to a page: v2 asks again with the NextToken and joins the pages.
  const listed = await cloudwatch('list-metrics', '--namespace', 'Paged', '--query', 'Metrics[].MetricName', '--output', 'json')
  expect(JSON.parse(listed.stdout)).toEqual(expect.arrayContaining(metrics.map((metric) => metric.MetricName)))
  expect((JSON.parse(listed.stdout) as unknown[]).length).toBe(520)
  expectQuery('ListMetrics', 'ListMetrics')
  expect(new URLSearchParams(proxy.seen[1]?.body).get('NextToken')).toEqual(expect.any(String))

  // Two alarms made through SDK v3 (the aws-cli's put-metric-alarm is the test above's).
  const sdk = new CloudWatchClient({endpoint: t.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
  for (const AlarmName of ['paged-a', 'paged-b']) {
    await sdk.send(new PutMetricAlarmCommand({AlarmName, Namespace: 'Paged', MetricName: 'Depth001', Statistic: 'Maximum', Period: 60,
      Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1}))
  }
  sdk.destroy()
  proxy.clear()
  // --page-size is DescribeAlarms' MaxRecords: one alarm a page; the text output prints each page's line.
  const paged = await cloudwatch('describe-alarms', '--alarm-name-prefix', 'paged-', '--page-size', '1', '--query', 'MetricAlarms[].AlarmName', '--output', 'text')
  expect([paged.stdout, paged.stderr]).toEqual(['paged-a\npaged-b\n', ''])
  expect(proxy.seen.map((seen) => new URLSearchParams(seen.body).get('MaxRecords'))).toEqual(['1', '1'])
}, CLI_TEST_TIMEOUT_MS)
