/**
 * GetMetricStatistics and ListMetrics over the wire against a metrics store fed at known seconds
 * (a fixed clock), so every bucket is known: AWS's checks with its codes, messages and status in
 * each protocol, minute buckets, periods, the no-dimension aggregate, units, and no data (not an
 * error) for what nobody publishes.
 */
import {CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand, type GetMetricStatisticsCommandInput} from '@aws-sdk/client-cloudwatch'
import {cbor, dateToTag} from '@smithy/core/cbor'
import {cloudWatchService} from '../../../src/engine/api/services/cloudwatch.js'
import {CloudWatchService} from '../../../src/engine/cloudwatch/service.js'
import {MinuteHistory} from '../../../src/engine/cloudwatch/history.js'
import {MetricsStore} from '../../../src/engine/metrics/store.js'
import {startApiServer, TEST_CREDENTIALS, type ApiServerHandle} from '../../helpers/api-server.js'
import {CLOUDWATCH_PROTOCOLS, cloudWatchClients} from '../../helpers/cloudwatch-clients.js'

const NOW = Date.UTC(2026, 0, 2, 3, 30, 30)
const minute = (n: number) => new Date(Date.UTC(2026, 0, 2, 3, n))
let api: ApiServerHandle
let clockAt = NOW

beforeAll(async () => {
  const store = new MetricsStore(() => clockAt)
  const history = new MinuteHistory(store)
  const record = (at: Date, action: () => void) => { clockAt = at.getTime(); action() }
  const alpha = store.forLoadBalancer('us-east-1', 'alpha')
  // 03:10: 3 answers (one 503 from an instance) at 0.1 s; 03:11: 2; 03:13: one the LB refused itself.
  for (let n = 0; n < 3; n++) record(new Date(minute(10).getTime() + n * 1000), () => { alpha.backendResponse(n === 0 ? 503 : 200, 0.1) })
  for (let n = 0; n < 2; n++) record(new Date(minute(11).getTime() + 30_000), () => { alpha.backendResponse(200, 0.3) })
  record(new Date(minute(13).getTime() + 59_000), () => { alpha.elbResponse(503) })
  // Host counts: the history samples each LB node (zone) once a second; two samples at 03:12.
  const at12 = minute(12).getTime() / 60_000
  history.recordHosts('us-east-1', 'alpha', 'us-east-1a', at12, 2, 1)
  history.recordHosts('us-east-1', 'alpha', 'us-east-1a', at12, 1, 2)
  const beta = store.forLoadBalancer('us-east-1', 'beta')
  record(new Date(minute(11).getTime() + 5000), () => { beta.backendResponse(200, 0.2) })
  store.forLoadBalancer('eu-west-1', 'alpha').backendResponse(200, 0.1)
  clockAt = NOW
  api = await startApiServer({services: [cloudWatchService(new CloudWatchService(store, () => clockAt, history))]})
})

afterAll(async () => { await api.close() })

const PROTOCOLS = CLOUDWATCH_PROTOCOLS
const clients = cloudWatchClients(() => api.endpoint)
const client = (protocol: string) => clients.client(protocol)

const ALPHA = [{Name: 'LoadBalancerName', Value: 'alpha'}]
const base: GetMetricStatisticsCommandInput = {
  Namespace: 'AWS/ELB', MetricName: 'RequestCount', Dimensions: ALPHA, StartTime: minute(0), EndTime: minute(30), Period: 60, Statistics: ['Sum'],
}

describe.each(PROTOCOLS)('over $protocol', ({protocol}) => {
  const get = async (input: Partial<GetMetricStatisticsCommandInput>) =>
    (await client(protocol).send(new GetMetricStatisticsCommand({...base, ...input}))).Datapoints ?? []

  test('RequestCount: one point per minute with requests, oldest first', async () => {
    expect(await get({Statistics: ['Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum']})).toEqual([
      {Timestamp: minute(10), SampleCount: 3, Average: 1, Sum: 3, Minimum: 1, Maximum: 1, Unit: 'Count'},
      {Timestamp: minute(11), SampleCount: 2, Average: 1, Sum: 2, Minimum: 1, Maximum: 1, Unit: 'Count'},
      {Timestamp: minute(13), SampleCount: 1, Average: 1, Sum: 1, Minimum: 1, Maximum: 1, Unit: 'Count'},
    ])
  })

  test('a longer period sums its minutes; the start is rounded down to the minute', async () => {
    expect(await get({Period: 180, StartTime: new Date(minute(9).getTime() + 42_000)})).toEqual([
      {Timestamp: minute(9), Sum: 5, Unit: 'Count'},
      {Timestamp: minute(12), Sum: 1, Unit: 'Count'},
    ])
  })

  test('status classes, Latency in seconds and sampled host counts', async () => {
    expect(await get({MetricName: 'HTTPCode_Backend_5XX'})).toEqual([{Timestamp: minute(10), Sum: 1, Unit: 'Count'}])
    expect(await get({MetricName: 'HTTPCode_ELB_5XX'})).toEqual([{Timestamp: minute(13), Sum: 1, Unit: 'Count'}])
    const [latency] = await get({MetricName: 'Latency', Period: 1800, Statistics: ['Average', 'SampleCount', 'Minimum', 'Maximum']})
    expect(latency?.SampleCount).toBe(5)
    expect(latency?.Average).toBeCloseTo((3 * 0.1 + 2 * 0.3) / 5, 10)
    expect([latency?.Minimum, latency?.Maximum]).toEqual([0.1, 0.3])
    const hosts = [{Timestamp: minute(12), SampleCount: 2, Average: 1.5, Minimum: 1, Maximum: 2, Unit: 'Count'}]
    const statistics = ['Average', 'Minimum', 'Maximum', 'SampleCount'] as const
    expect(await get({MetricName: 'HealthyHostCount', Statistics: [...statistics]})).toEqual(hosts)
    // The dimension sets AWS publishes: LB + zone (either order), the zone, and the region's aggregate.
    const zone = {Name: 'AvailabilityZone', Value: 'us-east-1a'}
    expect(await get({MetricName: 'HealthyHostCount', Statistics: [...statistics], Dimensions: [zone, ...ALPHA]})).toEqual(hosts)
    expect(await get({MetricName: 'HealthyHostCount', Statistics: [...statistics], Dimensions: [zone]})).toEqual(hosts)
    expect(await get({MetricName: 'HealthyHostCount', Statistics: [...statistics], Dimensions: []})).toEqual(hosts)
    expect(await get({MetricName: 'HealthyHostCount', Dimensions: [{...zone, Value: 'us-east-1b'}]})).toEqual([])
  })

  test('ExtendedStatistics: a percentile where all samples are equal, and from the Latency histogram where they are not', async () => {
    const points = await get({Statistics: undefined, ExtendedStatistics: ['p99', 'p50']})
    expect(points).toEqual([
      {Timestamp: minute(10), Unit: 'Count', ExtendedStatistics: {p99: 1, p50: 1}},
      {Timestamp: minute(11), Unit: 'Count', ExtendedStatistics: {p99: 1, p50: 1}},
      {Timestamp: minute(13), Unit: 'Count', ExtendedStatistics: {p99: 1, p50: 1}},
    ])
    // 03:10's latencies are all 0.1 s; the 30-minute bucket mixes 0.1 and 0.3: its histogram answers.
    expect(await get({MetricName: 'Latency', Statistics: undefined, ExtendedStatistics: ['p90']})).toEqual([
      {Timestamp: minute(10), Unit: 'Seconds', ExtendedStatistics: {p90: 0.1}},
      {Timestamp: minute(11), Unit: 'Seconds', ExtendedStatistics: {p90: 0.3}},
    ])
    expect(await get({MetricName: 'Latency', Period: 1800, Statistics: undefined, ExtendedStatistics: ['p90', 'p50', 'p0', 'p100']})).toEqual([
      {Timestamp: minute(0), Unit: 'Seconds', ExtendedStatistics: {p90: expect.closeTo(0.3, 1) as number, p50: expect.closeTo(0.1, 1) as number, p0: 0.1, p100: 0.3}},
    ])
  })

  test("no dimension: the region's load balancers together", async () => {
    expect(await get({Dimensions: [], Period: 1800})).toEqual([{Timestamp: minute(0), Sum: 7, Unit: 'Count'}])
  })

  test('what nobody publishes is no data, not an error', async () => {
    expect(await get({Namespace: 'AWS/EC2'})).toEqual([])
    expect(await get({MetricName: 'SurgeQueueLength'})).toEqual([])
    expect(await get({Dimensions: [{Name: 'LoadBalancerName', Value: 'nobody'}]})).toEqual([])
    expect(await get({Dimensions: [...ALPHA, {Name: 'AvailabilityZone', Value: 'us-east-1a'}]})).toEqual([])
    expect(await get({Unit: 'Seconds'})).toEqual([])
    expect(await get({StartTime: minute(14), EndTime: minute(20)})).toEqual([])
  })

  test("at most 10 ExtendedStatistics (the model's list length, in Coral's words)", async () => {
    const failure = await client(protocol).send(new GetMetricStatisticsCommand({
      ...base, Statistics: undefined, ExtendedStatistics: Array.from({length: 11}, (_, n) => `p${n + 1}`),
    })).catch((error: unknown) => error)
    expect(failure).toMatchObject({
      name: expect.stringMatching(/^Validation(Exception|Error)$/) as string, $metadata: {httpStatusCode: 400},
      message: "1 validation error detected: Value '[p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11]' at 'extendedStatistics' failed to satisfy constraint: Member must have length less than or equal to 10",
    })
    const ten = await get({Statistics: undefined, ExtendedStatistics: Array.from({length: 10}, (_, n) => `p${n * 10 + 9}.5`)})
    expect(Object.keys(ten[0]?.ExtendedStatistics ?? {})).toHaveLength(10)
  })

  test.each([
    [{Period: 90}, 'InvalidParameterValue', 'The parameter Period must be a multiple of 60.'],
    [{EndTime: minute(0)}, 'InvalidParameterValue', 'The parameter StartTime must be less than the parameter EndTime.'],
    [{StartTime: new Date(minute(0).getTime() - 1441 * 60_000), EndTime: minute(0)}, 'InvalidParameterCombination',
      'You have requested up to 1,441 datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.'],
    [{Statistics: undefined}, 'InvalidParameterCombination', 'Must specify either Statistics or ExtendedStatistics.'],
    [{ExtendedStatistics: ['p99']}, 'InvalidParameterCombination', 'Must specify either Statistics or ExtendedStatistics, but not both.'],
    [{Statistics: ['Sum', 'Avg'] as GetMetricStatisticsCommandInput['Statistics']}, 'InvalidParameterValue',
      'The parameter Statistics.member.2 must be a value in the set [ Minimum, Maximum, Average, SampleCount, Sum ].'],
    [{Statistics: undefined, ExtendedStatistics: ['p99.12345678901']}, 'InvalidParameterValue', 'The value p99.12345678901 for parameter ExtendedStatistics.member.1 is invalid.'],
    [{Statistics: undefined, ExtendedStatistics: ['p50', 'p100.0']}, 'InvalidParameterValue', 'The value p100.0 for parameter ExtendedStatistics.member.2 is invalid.'],
  ])('refuses %j with %s', async (input, code, message) => {
    const failure = await client(protocol).send(new GetMetricStatisticsCommand({...base, ...input})).catch((error: unknown) => error)
    // SDK v3 names the modelled error class; its Query code is what AWS sent (x-amzn-query-error in JSON/CBOR).
    expect(failure).toMatchObject({name: `${code}Exception`, message, $metadata: {httpStatusCode: 400}})
    if (protocol !== 'rpcv2Cbor') expect(failure).toMatchObject({Code: code, Type: 'Sender'})
  })

  test('exactly 1,440 data points is allowed', async () => {
    expect(await get({StartTime: new Date(minute(0).getTime() - 1440 * 60_000), EndTime: minute(0)})).toEqual([])
  })

  test('ListMetrics: the metrics measured, by load balancer, filtered', async () => {
    const list = async (input: object) => ((await client(protocol).send(new ListMetricsCommand(input))).Metrics ?? [])
      .map((metric) => `${metric.MetricName ?? ''} ${metric.Dimensions?.map((d) => `${d.Name ?? ''}=${d.Value ?? ''}`).join(',') ?? ''}`)
    expect(await list({Namespace: 'AWS/ELB'})).toEqual([
      'RequestCount LoadBalancerName=alpha', 'HTTPCode_Backend_2XX LoadBalancerName=alpha', 'HTTPCode_Backend_5XX LoadBalancerName=alpha',
      'HTTPCode_ELB_5XX LoadBalancerName=alpha', 'Latency LoadBalancerName=alpha', 'HealthyHostCount LoadBalancerName=alpha', 'UnHealthyHostCount LoadBalancerName=alpha',
      'HealthyHostCount LoadBalancerName=alpha,AvailabilityZone=us-east-1a', 'UnHealthyHostCount LoadBalancerName=alpha,AvailabilityZone=us-east-1a',
      'RequestCount LoadBalancerName=beta', 'HTTPCode_Backend_2XX LoadBalancerName=beta', 'Latency LoadBalancerName=beta',
      'HealthyHostCount AvailabilityZone=us-east-1a', 'UnHealthyHostCount AvailabilityZone=us-east-1a',
      'RequestCount ', 'HTTPCode_Backend_2XX ', 'HTTPCode_Backend_5XX ', 'HTTPCode_ELB_5XX ', 'Latency ', 'HealthyHostCount ', 'UnHealthyHostCount ',
    ])
    expect(await list({MetricName: 'Latency', Dimensions: [{Name: 'LoadBalancerName', Value: 'beta'}]})).toEqual(['Latency LoadBalancerName=beta'])
    expect(await list({Dimensions: [{Name: 'LoadBalancerName'}], MetricName: 'HTTPCode_ELB_5XX'})).toEqual(['HTTPCode_ELB_5XX LoadBalancerName=alpha'])
    expect(await list({Namespace: 'Custom/App'})).toEqual([])
  })

  test('PutMetricData: Value, Values with Counts and StatisticValues read back per minute; any dimension order', async () => {
    const Namespace = `Custom/${protocol}`
    const queue = [{Name: 'Queue', Value: 'jobs'}, {Name: 'Host', Value: 'a'}]
    await client(protocol).send(new PutMetricDataCommand({Namespace, MetricData: [
      {MetricName: 'Depth', Dimensions: queue, Timestamp: new Date(minute(20).getTime() + 5000), Value: 4, Unit: 'Count'},
      {MetricName: 'Depth', Dimensions: queue, Timestamp: new Date(minute(20).getTime() + 50_000), Values: [1, 10], Counts: [2, 1], Unit: 'Count'},
      {MetricName: 'Depth', Dimensions: queue, Timestamp: minute(22), StatisticValues: {SampleCount: 4, Sum: 8, Minimum: 0.5, Maximum: 3.5}, Unit: 'Count'},
    ]}))
    const points = await get({Namespace, MetricName: 'Depth', Dimensions: [...queue].reverse(), Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum']})
    expect(points).toEqual([
      {Timestamp: minute(20), SampleCount: 4, Sum: 16, Average: 4, Minimum: 1, Maximum: 10, Unit: 'Count'},
      {Timestamp: minute(22), SampleCount: 4, Sum: 8, Average: 2, Minimum: 0.5, Maximum: 3.5, Unit: 'Count'},
    ])
    expect(await get({Namespace, MetricName: 'Depth', Dimensions: queue, Unit: 'Seconds'})).toEqual([])
    expect(await get({Namespace, MetricName: 'Depth', Dimensions: queue.slice(0, 1)})).toEqual([])
    const listed = await client(protocol).send(new ListMetricsCommand({Namespace}))
    expect(listed.Metrics).toEqual([{Namespace, MetricName: 'Depth', Dimensions: [{Name: 'Host', Value: 'a'}, {Name: 'Queue', Value: 'jobs'}]}])
  })

  test.each([
    [{Namespace: 'AWS/ELB', MetricData: [{MetricName: 'RequestCount', Value: 1}]}, 'InvalidParameterValue', 'The value AWS/ for parameter Namespace is invalid.'],
    [{MetricData: [{MetricName: 'Ok', Value: 1}, {MetricName: 'Both', Value: 1, Values: [2]}]}, 'InvalidParameterCombination',
      'The parameters MetricData.member.2.Value and MetricData.member.2.Values are mutually exclusive and you have specified both.'],
    [{MetricData: [{MetricName: 'Counts', Values: [1, 2], Counts: [1]}]}, 'InvalidParameterValue',
      'The parameters MetricData.member.1.Values and MetricData.member.1.Counts must be arrays of the same length.'],
    [{MetricData: [{MetricName: 'Ok', Value: 1}, {MetricName: 'Nothing'}]}, 'MissingParameter', 'The parameter MetricData.member.2.Value is required.'],
  ])('PutMetricData refuses %j with %s and stores nothing', async (input, code, message) => {
    const Namespace = `Refused/${protocol}`
    const failure = await client(protocol).send(new PutMetricDataCommand({Namespace, ...input})).catch((error: unknown) => error)
    const shape = code === 'MissingParameter' ? 'MissingRequiredParameterException' : `${code}Exception`
    expect(failure).toMatchObject({name: shape, message, $metadata: {httpStatusCode: 400}})
    if (protocol !== 'rpcv2Cbor') expect(failure).toMatchObject({Code: code})
    expect((await client(protocol).send(new ListMetricsCommand({Namespace}))).Metrics).toEqual([])
  })
})

test('RPC v2 CBOR: an error names its shape and carries the Query code in x-amzn-query-error', async () => {
  const response = await fetch(new URL('/service/GraniteServiceVersion20100801/operation/GetMetricStatistics', api.endpoint), {
    method: 'POST', headers: {'smithy-protocol': 'rpc-v2-cbor', 'Content-Type': 'application/cbor', Accept: 'application/cbor'},
    body: cbor.serialize({Namespace: 'AWS/ELB', MetricName: 'RequestCount', StartTime: dateToTag(minute(1)), EndTime: dateToTag(minute(0)), Period: 60, Statistics: ['Sum']}),
  })
  expect(response.status).toBe(400)
  expect(response.headers.get('x-amzn-query-error')).toBe('InvalidParameterValue;Sender')
  expect(cbor.deserialize(new Uint8Array(await response.arrayBuffer()))).toEqual({
    __type: 'com.amazonaws.cloudwatch#InvalidParameterValueException', message: 'The parameter StartTime must be less than the parameter EndTime.',
  })
})

test('Query: ISO 8601 timestamps with any zone; one that is not refused with every violation at once', async () => {
  const post = (params: Record<string, string>) => fetch(api.endpoint, {
    method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({Action: 'GetMetricStatistics', Version: '2010-08-01', Namespace: 'AWS/ELB', MetricName: 'RequestCount',
      'Dimensions.member.1.Name': 'LoadBalancerName', 'Dimensions.member.1.Value': 'alpha', Period: '60', 'Statistics.member.1': 'Sum', ...params}).toString(),
  })
  const good = await post({StartTime: '2026-01-02T04:10:00+01:00', EndTime: '2026-01-02T03:11:00Z'})
  expect(good.status).toBe(200)
  expect(await good.text()).toMatch(/<Datapoints>\s*<member>\s*<Timestamp>2026-01-02T03:10:00.000Z<\/Timestamp>\s*<Sum>3<\/Sum>\s*<Unit>Count<\/Unit>\s*<\/member>\s*<\/Datapoints>/)
  const bad = await post({StartTime: 'yesterday', EndTime: '2026-01-02T03:11:00Z', Period: '1.5'})
  expect(bad.status).toBe(400)
  const text = await bad.text()
  expect(text).toContain('<Code>ValidationError</Code>')
  expect(text).toContain("2 validation errors detected: Value 'yesterday' at 'startTime' failed to satisfy constraint: Member must be a valid ISO 8601 timestamp; Value '1.5' at 'period' failed to satisfy constraint: Member must be a valid integer number")
})

afterAll(() => { clients.destroy() })

describe('with signatures verified (--credentials)', () => {
  let signed: ApiServerHandle
  beforeAll(async () => {
    signed = await startApiServer({
      credentials: new Map([[TEST_CREDENTIALS.accessKeyId, TEST_CREDENTIALS.secretAccessKey]]),
      services: [cloudWatchService(new CloudWatchService(new MetricsStore(() => NOW), () => NOW))],
    })
  })
  afterAll(async () => { await signed.close() })

  test.each(PROTOCOLS)('SDK v3 over $protocol signs for `monitoring` and is answered; a wrong secret is refused', async ({setting}) => {
    const make = (secretAccessKey: string) => new CloudWatchClient({
      endpoint: signed.endpoint, region: 'us-east-1', credentials: {accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey}, maxAttempts: 1, ...setting,
    })
    const good = make(TEST_CREDENTIALS.secretAccessKey)
    expect((await good.send(new ListMetricsCommand({}))).Metrics).toEqual([])
    const bad = make('not-the-secret')
    const failure = await bad.send(new ListMetricsCommand({})).catch((error: unknown) => error)
    expect(failure).toMatchObject({$metadata: {httpStatusCode: 403}})
    good.destroy()
    bad.destroy()
  })
})
