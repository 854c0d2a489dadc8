/**
 * Request metrics per Availability Zone and Latency percentiles, over real sockets: a load balancer
 * in two zones with one stand-in instance in each (cross-zone off, so each client connection's LB
 * node sends it to its own zone's instance), each instance slowed by a known delay fault. What the
 * clients saw (which instance answered each request) and the access log's back-end times are the
 * truth the CloudWatch answers are checked against, through SDK v3 in its three protocols.
 */
import {
  GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricAlarmCommand, DescribeAlarmsCommand,
  type Dimension,
} from '@aws-sdk/client-cloudwatch'
import {ConfigureHealthCheckCommand, CreateLoadBalancerCommand, ModifyLoadBalancerAttributesCommand, RegisterInstancesWithLoadBalancerCommand} from '@aws-sdk/client-elastic-load-balancing'
import {eventually, startTestEngine, type TestEngine} from '../../helpers/engine.js'
import {CLOUDWATCH_PROTOCOLS, cloudWatchClients} from '../../helpers/cloudwatch-clients.js'
import {accessLogNow, FIELD, send, setFault, waitForState} from '../faults/fault-helpers.js'

const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)
const LB = 'zoned'
const BUCKET = 'zoned-logs'
const ZONES = ['us-east-1a', 'us-east-1b'] as const
/** The delay fault of each zone's instance (ms): two clusters of Latency a known distance apart. */
const DELAY_MS = {'us-east-1a': 40, 'us-east-1b': 160} as const
const REQUESTS = 24

let t: TestEngine
let address: string
/** Requests answered per zone, from the instance each answer named. */
const answered = new Map<string, number>()
let start: Date
let end: Date
const clients = cloudWatchClients(() => t.endpoint)

const get = (path: string) => send(address, 80 + OFFSET, path)

beforeAll(async () => {
  // 1/60: a 60-second alarm period lasts a second, so the alarm below is evaluated within seconds.
  t = await startTestEngine({portOffset: OFFSET, timeScale: 1 / 60})
  const zoneOf = new Map<string, string>()
  for (const zone of ZONES) {
    const [instance] = await t.runInstances({availabilityZone: zone, serve: [{protocol: 'http', port: 80}]})
    zoneOf.set(instance?.instanceId ?? '', zone)
  }
  await t.elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: LB, AvailabilityZones: [...ZONES], Listeners: [{Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80}],
  }))
  await t.elb.send(new ConfigureHealthCheckCommand({LoadBalancerName: LB, HealthCheck: {Target: 'HTTP:80/', Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 2}}))
  await t.elb.send(new ModifyLoadBalancerAttributesCommand({LoadBalancerName: LB, LoadBalancerAttributes: {
    CrossZoneLoadBalancing: {Enabled: false}, AccessLog: {Enabled: true, S3BucketName: BUCKET, EmitInterval: 5},
  }}))
  await t.elb.send(new RegisterInstancesWithLoadBalancerCommand({LoadBalancerName: LB, Instances: [...zoneOf.keys()].map((InstanceId) => ({InstanceId}))}))
  for (const id of zoneOf.keys()) await waitForState(t, LB, id, 'InService')
  address = t.engine.store.state.regions['us-east-1']?.loadBalancers.find((lb) => lb.name === LB)?.localAddress ?? ''
  for (const [id, zone] of zoneOf) await setFault(t, {kind: 'delay', instanceId: id, delayMs: DELAY_MS[zone as keyof typeof DELAY_MS]})
  start = new Date(Date.now() - 10 * 60_000)
  for (let n = 0; n < REQUESTS; n++) {
    const answer = await get(`/r${n}`)
    expect(answer.status).toBe(200)
    const zone = zoneOf.get((JSON.parse(answer.body) as {instanceId: string}).instanceId) ?? 'none'
    answered.set(zone, (answered.get(zone) ?? 0) + 1)
  }
  end = new Date(Date.now() + 10 * 60_000)
}, 90_000)

afterAll(async () => {
  clients.destroy()
  await (t as TestEngine | undefined)?.close()
})

const byLb = {Name: 'LoadBalancerName', Value: LB}
const inZone = (zone: string) => ({Name: 'AvailabilityZone', Value: zone})

/** The access log's back-end times (s) of the requests answered in `zone` (all when undefined), sorted. */
async function loggedLatencies(zone?: string): Promise<number[]> {
  const lines = await eventually(() => {
    const found = accessLogNow(t.home, BUCKET).filter((fields) => /GET http:\/\/[^ ]+\/r\d+ HTTP/.test(fields.join(' ')))
    return found.length === REQUESTS ? found : undefined
  }, 10_000, 'the access-log lines of every request')
  const instances = t.engine.store.state.regions['us-east-1']?.instances ?? []
  const hostZone = new Map(instances.map((instance) => [instance.privateIp, instance.availabilityZone]))
  return lines
    .filter((fields) => zone === undefined || hostZone.get((fields[FIELD.backend] ?? '').split(':')[0] ?? '') === zone)
    .map((fields) => Number(fields[FIELD.backendTime]))
    .sort((a, b) => a - b)
}

/** The nearest-rank percentile CloudWatch defines, of exact values. */
const exactPercentile = (sorted: readonly number[], quantile: number) => sorted[Math.max(1, Math.ceil(quantile * sorted.length)) - 1] ?? NaN

describe.each(CLOUDWATCH_PROTOCOLS)('over $protocol', ({protocol}) => {
  const sum = async (dimensions: Dimension[], metricName = 'RequestCount') => {
    const answer = await clients.client(protocol).send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/ELB', MetricName: metricName, Dimensions: dimensions, StartTime: start, EndTime: end, Period: 1200, Statistics: ['Sum'],
    }))
    return (answer.Datapoints ?? []).reduce((total, point) => total + (point.Sum ?? 0), 0)
  }

  test('RequestCount per zone, per load balancer and zone, and in total, exactly as the clients were answered', async () => {
    expect([...answered.keys()].sort()).toEqual([...ZONES])
    for (const zone of ZONES) {
      expect(await sum([byLb, inZone(zone)])).toBe(answered.get(zone))
      expect(await sum([inZone(zone), byLb])).toBe(answered.get(zone))
      expect(await sum([inZone(zone)])).toBe(answered.get(zone))
      expect(await sum([byLb, inZone(zone)], 'HTTPCode_Backend_2XX')).toBe(answered.get(zone))
    }
    expect(await sum([byLb])).toBe(REQUESTS)
    expect(await sum([])).toBe(REQUESTS)
    expect(await sum([byLb, inZone('us-east-1c')])).toBe(0)
    // GetMetricData reads the same per-zone series.
    const data = await clients.client(protocol).send(new GetMetricDataCommand({
      StartTime: start, EndTime: end, MetricDataQueries: ZONES.map((zone, index) => ({
        Id: `z${index}`, MetricStat: {Metric: {Namespace: 'AWS/ELB', MetricName: 'RequestCount', Dimensions: [byLb, inZone(zone)]}, Period: 1200, Stat: 'Sum'},
      })),
    }))
    expect(data.MetricDataResults?.map((result) => (result.Values ?? []).reduce((a, b) => a + b, 0))).toEqual(ZONES.map((zone) => answered.get(zone)))
  })

  test('ListMetrics lists the per-zone request metrics of the zones that took requests', async () => {
    const listed = (await clients.client(protocol).send(new ListMetricsCommand({Namespace: 'AWS/ELB', MetricName: 'RequestCount'}))).Metrics ?? []
    const dimensions = listed.map((metric) => (metric.Dimensions ?? []).map((dimension) => `${dimension.Name}=${dimension.Value}`).join(','))
    expect(dimensions.sort()).toEqual([
      '',
      `AvailabilityZone=${ZONES[0]}`, `AvailabilityZone=${ZONES[1]}`,
      `LoadBalancerName=${LB}`, `LoadBalancerName=${LB},AvailabilityZone=${ZONES[0]}`, `LoadBalancerName=${LB},AvailabilityZone=${ZONES[1]}`,
    ].sort())
  })

  test('Latency p50 and p99 per zone and in total are within 10 % of the exact percentiles of the logged back-end times', async () => {
    const read = async (dimensions: Dimension[]) => {
      const answer = await clients.client(protocol).send(new GetMetricStatisticsCommand({
        Namespace: 'AWS/ELB', MetricName: 'Latency', Dimensions: dimensions, StartTime: start, EndTime: end, Period: 1200, ExtendedStatistics: ['p50', 'p99', 'p0', 'p100'],
      }))
      expect(answer.Datapoints).toHaveLength(1)
      return answer.Datapoints?.[0]?.ExtendedStatistics ?? {}
    }
    for (const [dimensions, zone] of [[[byLb], undefined], [[byLb, inZone(ZONES[0])], ZONES[0]], [[inZone(ZONES[1])], ZONES[1]]] as const) {
      const exact = await loggedLatencies(zone)
      const stats = await read([...dimensions])
      for (const [statistic, quantile] of [['p50', 0.5], ['p99', 0.99]] as const) {
        const truth = exactPercentile(exact, quantile)
        expect(Math.abs((stats[statistic] ?? NaN) - truth) / truth).toBeLessThanOrEqual(0.1)
      }
      // p0 and p100 are the exact Minimum and Maximum; the access log prints microseconds.
      expect(stats.p0).toBeCloseTo(exact[0] ?? NaN, 5)
      expect(stats.p100).toBeCloseTo(exact.at(-1) ?? NaN, 5)
    }
    // The two zones' delays are apart: p99 overall is the slow zone's, p50 of the fast zone is its own.
    const all = await read([byLb])
    expect(all.p99).toBeGreaterThan(DELAY_MS['us-east-1b'] / 1000 * 0.9)
    expect((await read([byLb, inZone(ZONES[0])])).p50).toBeLessThan(DELAY_MS['us-east-1b'] / 1000 * 0.9)
    // GetMetricData's Stat takes a percentile too.
    const data = await clients.client(protocol).send(new GetMetricDataCommand({
      StartTime: start, EndTime: end, MetricDataQueries: [{Id: 'p', MetricStat: {Metric: {Namespace: 'AWS/ELB', MetricName: 'Latency', Dimensions: [byLb]}, Period: 1200, Stat: 'p99'}}],
    }))
    expect(data.MetricDataResults?.[0]?.Values).toEqual([all.p99])
  })
})

test('an alarm on Latency p99 goes to ALARM while the slow zone answers', async () => {
  const cloudwatch = clients.client('awsJson1_0')
  await cloudwatch.send(new PutMetricAlarmCommand({
    AlarmName: 'slow-p99', Namespace: 'AWS/ELB', MetricName: 'Latency', Dimensions: [byLb],
    ExtendedStatistic: 'p99', Period: 60, EvaluationPeriods: 1, Threshold: 0.1, ComparisonOperator: 'GreaterThanThreshold',
  }))
  // Traffic while the alarm is evaluated (a period lasts a second at this time scale); bounded.
  let alarmed: {StateValue?: string | undefined; StateReason?: string | undefined} | undefined
  for (let round = 0; round < 60 && alarmed === undefined; round++) {
    await Promise.all([get(`/alarm${round}a`), get(`/alarm${round}b`)])
    const [found] = (await cloudwatch.send(new DescribeAlarmsCommand({AlarmNames: ['slow-p99']}))).MetricAlarms ?? []
    if (found?.StateValue === 'ALARM') alarmed = found
  }
  expect(alarmed?.StateReason).toMatch(/^Threshold Crossed: 1 datapoint \[0\.\d+ \(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d\)\] was greater than the threshold \(0\.1\)\.$/)
}, 60_000)
