/**
 * GetMetricData over the wire in each protocol, against a metrics store fed at known seconds (a
 * fixed clock): MetricStat queries, metric-math expressions, ReturnData, Label, ScanBy,
 * MaxDatapoints with NextToken, and AWS's validation (every Id problem at once, ValidationError).
 */
import {CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput, type MetricDataQuery} from '@aws-sdk/client-cloudwatch'
import {cbor, dateToTag} from '@smithy/core/cbor'
import {cloudWatchService} from '../../../src/engine/api/services/cloudwatch.js'
import {CloudWatchService} from '../../../src/engine/cloudwatch/service.js'
import {MetricsStore} from '../../../src/engine/metrics/store.js'
import {startApiServer, TEST_CREDENTIALS, type ApiServerHandle} from '../../helpers/api-server.js'
import {CLOUDWATCH_PROTOCOLS} from '../../helpers/cloudwatch-clients.js'

const NOW = Date.UTC(2026, 0, 2, 3, 30, 30)
const minute = (n: number) => new Date(Date.UTC(2026, 0, 2, 3, n))
let api: ApiServerHandle
let clockAt = NOW

beforeAll(async () => {
  const store = new MetricsStore(() => clockAt)
  const at = (time: number, action: () => void) => { clockAt = time; action() }
  const alpha = store.forLoadBalancer('us-east-1', 'alpha')
  // alpha: 03:10 three answers (one 500), 03:11 two, 03:13 one 503 of its own. beta: 03:11 four, 03:12 one.
  for (let n = 0; n < 3; n++) at(minute(10).getTime() + n * 1000, () => { alpha.backendResponse(n === 0 ? 500 : 200, 0.1) })
  for (let n = 0; n < 2; n++) at(minute(11).getTime() + 30_000, () => { alpha.backendResponse(200, 0.2) })
  at(minute(13).getTime() + 59_000, () => { alpha.elbResponse(503) })
  const beta = store.forLoadBalancer('us-east-1', 'beta')
  for (let n = 0; n < 4; n++) at(minute(11).getTime() + 5000, () => { beta.backendResponse(200, 0.4) })
  at(minute(12).getTime(), () => { beta.backendResponse(200, 0.4) })
  clockAt = NOW
  api = await startApiServer({services: [cloudWatchService(new CloudWatchService(store, () => clockAt))]})
})

afterAll(async () => { await api.close() })

const PROTOCOLS = CLOUDWATCH_PROTOCOLS

const requests = (lb: string, Id: string, Stat = 'Sum', MetricName = 'RequestCount', Period = 60): MetricDataQuery => ({
  Id, MetricStat: {Metric: {Namespace: 'AWS/ELB', MetricName, Dimensions: [{Name: 'LoadBalancerName', Value: lb}]}, Period, Stat},
})
const base = {StartTime: minute(0), EndTime: minute(30), ScanBy: 'TimestampAscending'} as const

/** A result as `Label: minute=value …`, for readable expectations. */
function shape(result: {Id?: string | undefined; Label?: string | undefined; Timestamps?: Date[] | undefined; Values?: number[] | undefined; StatusCode?: string | undefined}): string {
  const points = (result.Timestamps ?? []).map((time, index) => `${time.getUTCMinutes()}=${result.Values?.[index] ?? '?'}`)
  return `${result.Id ?? ''} ${result.Label ?? ''} ${result.StatusCode ?? ''}: ${points.join(' ')}`
}

/** The wire code: SDK v3 keeps it as `Code` (Query, and JSON's x-amzn-query-error), or names the error by it (CBOR). */
function codeOf(failure: unknown): string {
  const {Code, name} = failure as {Code?: string; name: string}
  return Code ?? name
}

describe.each(PROTOCOLS)('over $protocol', ({setting}) => {
  let client: CloudWatchClient
  beforeAll(() => { client = new CloudWatchClient({endpoint: api.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1, ...setting}) })
  afterAll(() => { client.destroy() })
  const send = (input: Partial<GetMetricDataCommandInput>) => client.send(new GetMetricDataCommand({...base, MetricDataQueries: [], ...input}))

  test('MetricStat queries: one value per minute with data, the metric name as label, ScanBy both ways', async () => {
    const answer = await send({MetricDataQueries: [requests('alpha', 'a'), {...requests('beta', 'b'), Label: 'beta requests'}]})
    expect(answer.MetricDataResults?.map(shape)).toEqual(['a RequestCount Complete: 10=3 11=2 13=1', 'b beta requests Complete: 11=4 12=1'])
    expect(answer.Messages).toEqual([])
    expect(answer.NextToken).toBeUndefined()
    const descending = await send({ScanBy: undefined, MetricDataQueries: [requests('alpha', 'a')]})
    expect(descending.MetricDataResults?.map(shape)).toEqual(['a RequestCount Complete: 13=1 11=2 10=3'])
  })

  test('expressions: arithmetic between series and scalars, METRICS(), SUM, FILL, DIFF, RATE; ReturnData false hides the inputs', async () => {
    const answer = await send({MetricDataQueries: [
      {...requests('alpha', 'a'), ReturnData: false},
      {...requests('beta', 'b'), ReturnData: false},
      {Id: 'both', Expression: 'a + b', Label: 'both'},
      {Id: 'total', Expression: 'SUM(METRICS())'},
      {Id: 'filled', Expression: 'FILL(a, 0) * 10'},
      {Id: 'errors', Expression: '100 * FILL(e5, 0) / a', Label: '5XX %'},
      {...requests('alpha', 'e5', 'Sum', 'HTTPCode_Backend_5XX'), ReturnData: false},
      {Id: 'delta', Expression: 'DIFF(a)'},
      {Id: 'perSecond', Expression: 'RATE(FILL(b, REPEAT))'},
      {Id: 'mean', Expression: 'AVG(a)'},
    ], StartTime: minute(9), EndTime: minute(15)})
    expect(answer.MetricDataResults?.map(shape)).toEqual([
      'both both Complete: 11=6',
      // METRICS() is every MetricStat query: alpha, beta and alpha's one 5XX at 03:10.
      'total total Complete: 10=4 11=6 12=1 13=1',
      'filled filled Complete: 9=0 10=30 11=20 12=0 13=10 14=0',
      `errors 5XX % Complete: 10=${100 * 1 / 3} 11=0 13=0`,
      'delta delta Complete: 11=-1 13=-1',
      'perSecond perSecond Complete: 10=0 11=0 12=-0.05 13=0 14=0',
      'mean mean Complete: 9=2 10=2 11=2 12=2 13=2 14=2',
    ])
  })

  test('MaxDatapoints pages the data points with a NextToken, the cut result PartialData', async () => {
    const queries = [requests('alpha', 'a'), requests('beta', 'b')]
    const first = await send({MetricDataQueries: queries, MaxDatapoints: 4})
    expect(first.MetricDataResults?.map(shape)).toEqual(['a RequestCount Complete: 10=3 11=2 13=1', 'b RequestCount PartialData: 11=4'])
    expect(first.NextToken).toEqual(expect.any(String))
    const second = await send({MetricDataQueries: queries, MaxDatapoints: 4, NextToken: first.NextToken})
    expect(second.MetricDataResults?.map(shape)).toEqual(['b RequestCount Complete: 12=1'])
    expect(second.NextToken).toBeUndefined()
  })

  test("a percentile Stat: answered where the minute's samples are all equal", async () => {
    const answer = await send({MetricDataQueries: [requests('alpha', 'p', 'p99'), requests('alpha', 'l', 'p90', 'Latency')]})
    expect(answer.MetricDataResults?.map(shape)).toEqual(['p RequestCount Complete: 10=1 11=1 13=1', 'l Latency Complete: 10=0.1 11=0.2'])
  })

  test('what nobody publishes is an empty result, not an error', async () => {
    const answer = await send({MetricDataQueries: [
      {Id: 'x', MetricStat: {Metric: {Namespace: 'AWS/EC2', MetricName: 'CPUUtilization'}, Period: 300, Stat: 'Average'}},
      {...requests('nobody', 'y')},
    ]})
    expect(answer.MetricDataResults?.map(shape)).toEqual(['x CPUUtilization Complete: ', 'y RequestCount Complete: '])
  })

  test.each([
    [[{...requests('alpha', 'A1')}, {...requests('alpha', '2b')}], 'The value A1 for parameter MetricDataQueries.member.1.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.\n' +
      'The value 2b for parameter MetricDataQueries.member.2.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.'],
    [[requests('alpha', 'a'), requests('beta', 'a')], 'The value a for parameter MetricDataQueries.member.2.Id is not unique.'],
    [[{Id: 'a'}], 'Exactly one of the parameters MetricDataQueries.member.1.MetricStat and MetricDataQueries.member.1.Expression must be specified.'],
    [[{...requests('alpha', 'a'), Expression: 'a'}], 'Exactly one of the parameters MetricDataQueries.member.1.MetricStat and MetricDataQueries.member.1.Expression must be specified.'],
    [[requests('alpha', 'a', 'Avg'), requests('alpha', 'b'), requests('alpha', 'c', 'p999')],
      'The value Avg for parameter MetricDataQueries.member.1.MetricStat.Stat is not a valid statistic.\n' +
      'The value p999 for parameter MetricDataQueries.member.3.MetricStat.Stat is not a valid statistic.'],
    [[requests('alpha', 'a', 'Sum', 'RequestCount', 90)],
      'The value 90 for parameter MetricDataQueries.member.1.MetricStat.Period is invalid: it must be 1, 5, 10, 20, 30 or a multiple of 60.'],
    [[requests('alpha', 'a'), {Id: 'e', Expression: 'a * b'}], 'Error in expression e (MetricDataQueries.member.2.Expression): b is not the Id of a query in this request.'],
    [[requests('alpha', 'a'), {Id: 'e', Expression: 'ANOMALY_DETECTION_BAND(a, 2)'}],
      'Error in expression e (MetricDataQueries.member.2.Expression): The function ANOMALY_DETECTION_BAND is not supported by this engine (it evaluates SUM, AVG, MIN, MAX, METRICS, FILL, RATE, DIFF, ABS, PERIOD).'],
    [[requests('alpha', 'a'), {Id: 'e', Expression: '(a + 1'}], "Error in expression e (MetricDataQueries.member.2.Expression): Expected ')' at the end of the expression."],
    [[requests('alpha', 'a'), {Id: 'e', Expression: 'a $ 2'}], "Error in expression e (MetricDataQueries.member.2.Expression): Unexpected character '$' at position 3."],
    [[{Id: 'e', Expression: 'f + 1'}, {Id: 'f', Expression: 'e * 2'}], 'Error in expression e (MetricDataQueries.member.1.Expression): the expressions refer to each other in a cycle through e.'],
    [[requests('alpha', 'a'), {Id: 'e', Expression: `${'('.repeat(40)}a${')'.repeat(40)}`}], 'Error in expression e (MetricDataQueries.member.2.Expression): The expression is nested deeper than 32 levels.'],
    // 20 × FILL over 100,000 one-minute periods: past the 1,000,000 points one request may make.
    [[requests('alpha', 'a'), ...Array.from({length: 20}, (_, n) => ({Id: `f${n}`, Expression: 'FILL(a, 0)'}))],
      'Error in expression f9 (MetricDataQueries.member.11.Expression): the expressions of this request would make more than 1,000,000 data points.', minute(30 - 100_000)],
  ])('refuses %j with ValidationError', async (queries, message, StartTime = base.StartTime) => {
    const failure = await send({MetricDataQueries: queries, StartTime}).catch((error: unknown) => error)
    expect(failure).toMatchObject({message, $metadata: {httpStatusCode: 400}})
    expect(codeOf(failure)).toBe('ValidationError')
  })

  test('StartTime after EndTime, and a NextToken it did not give, are refused', async () => {
    const reversed = await send({MetricDataQueries: [requests('alpha', 'a')], StartTime: minute(5), EndTime: minute(1)}).catch((error: unknown) => error)
    expect(reversed).toMatchObject({message: 'The parameter StartTime must be less than the parameter EndTime.'})
    expect(codeOf(reversed)).toBe('ValidationError')
    const token = await send({MetricDataQueries: [requests('alpha', 'a')], NextToken: 'forged'}).catch((error: unknown) => error)
    expect(token).toMatchObject({name: 'InvalidNextToken', message: 'The specified NextToken is not valid.', $metadata: {httpStatusCode: 400}})
  })
})

test('RPC v2 CBOR from the codec directly: the expression result comes back as CBOR with epoch-second tags', async () => {
  const response = await fetch(new URL('/service/GraniteServiceVersion20100801/operation/GetMetricData', api.endpoint), {
    method: 'POST', headers: {'smithy-protocol': 'rpc-v2-cbor', 'Content-Type': 'application/cbor', Accept: 'application/cbor'},
    body: cbor.serialize({
      StartTime: dateToTag(minute(0)), EndTime: dateToTag(minute(30)), ScanBy: 'TimestampAscending',
      MetricDataQueries: [{...requests('alpha', 'a'), ReturnData: false}, {Id: 'twice', Expression: 'a * 2'}],
    }),
  })
  expect(response.status).toBe(200)
  expect(response.headers.get('smithy-protocol')).toBe('rpc-v2-cbor')
  const answer = cbor.deserialize(new Uint8Array(await response.arrayBuffer())) as {MetricDataResults: {Id: string; Values: number[]; Timestamps: unknown[]}[]}
  expect(answer.MetricDataResults.map(({Id, Values}) => ({Id, Values}))).toEqual([{Id: 'twice', Values: [6, 4, 2]}])
  expect(answer.MetricDataResults[0]?.Timestamps).toHaveLength(3)
})
