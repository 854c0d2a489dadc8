/**
 * The one-minute AWS/ELB history over the wire (SDK v3, AWS JSON 1.0), with a clock the test
 * moves: the per-second rings' minutes folded before they leave the rings' hour, a day kept and
 * read back at 60 s (1,440 points, the most one call may ask), older data gone, AWS's period rules
 * for old start times, and the cap on load balancers kept.
 */
import {CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand, type GetMetricStatisticsCommandInput} from '@aws-sdk/client-cloudwatch'
import {jest} from '@jest/globals'
import {cloudWatchService} from '../../../src/engine/api/services/cloudwatch.js'
import {MinuteHistory} from '../../../src/engine/cloudwatch/history.js'
import {NodeHostMinutes, TrafficMinutes} from '../../../src/engine/cloudwatch/minute-rings.js'
import {CloudWatchService} from '../../../src/engine/cloudwatch/service.js'
import {MetricsStore} from '../../../src/engine/metrics/store.js'
import type {EngineState, HealthView} from '../../../src/engine/model/types.js'
import {startApiServer, TEST_CREDENTIALS, type ApiServerHandle} from '../../helpers/api-server.js'

const DAY_MINUTES = 1440
const START = Date.UTC(2026, 2, 1, 0, 0, 0)
let clockAt = START
const store = new MetricsStore(() => clockAt)
const history = new MinuteHistory(store, {minutes: DAY_MINUTES, maxLoadBalancers: 3})
let api: ApiServerHandle
let client: CloudWatchClient

beforeAll(async () => {
  api = await startApiServer({services: [cloudWatchService(new CloudWatchService(store, () => clockAt, history))]})
  client = new CloudWatchClient({endpoint: api.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
})

afterAll(async () => {
  client.destroy()
  await api.close()
})

const minuteAt = (minute: number) => new Date(START + minute * 60_000)
const sum = (input: Partial<GetMetricStatisticsCommandInput>) => client.send(new GetMetricStatisticsCommand({
  Namespace: 'AWS/ELB', MetricName: 'RequestCount', Dimensions: [{Name: 'LoadBalancerName', Value: 'daily'}],
  StartTime: minuteAt(0), EndTime: minuteAt(DAY_MINUTES), Period: 60, Statistics: ['Sum'], ...input,
}))

test('a day of traffic measured second by second is folded every minute and read back whole after the rings moved on', async () => {
  const daily = store.forLoadBalancer('us-east-1', 'daily')
  // (minute % 7) + 1 requests each minute for 24 hours, folded once a minute as the engine's timer does.
  for (let minute = 0; minute < DAY_MINUTES; minute++) {
    clockAt = START + minute * 60_000 + 30_000
    for (let n = 0; n <= minute % 7; n++) daily.backendResponse(200, 0.01)
    history.fold(START + (minute + 1) * 60_000)
  }
  clockAt = START + DAY_MINUTES * 60_000 + 5_000
  const points = (await sum({})).Datapoints ?? []
  expect(points).toHaveLength(DAY_MINUTES)
  expect(points.every((point, minute) => point.Sum === (minute % 7) + 1 && point.Timestamp?.getTime() === minuteAt(minute).getTime())).toBe(true)
  const expected = Array.from({length: DAY_MINUTES}, (_, minute) => (minute % 7) + 1).reduce((a, b) => a + b, 0)
  expect((await sum({Period: 86_400})).Datapoints?.map((point) => point.Sum)).toEqual([expected])

  // An hour later the first hour has left the day kept: its minutes are gone, the rest stay.
  clockAt += 3600_000
  history.fold(clockAt)
  const later = (await sum({Period: 3600})).Datapoints ?? []
  expect(later.map((point) => point.Timestamp?.toISOString())).toEqual(Array.from({length: 23}, (_, hour) => minuteAt((hour + 1) * 60).toISOString()))
})

test('1,441 data points are refused with InvalidParameterCombination; an old start time asks a coarser period or gets no data', async () => {
  const failure = await sum({EndTime: minuteAt(DAY_MINUTES + 1)}).catch((error: unknown) => error)
  expect(failure).toMatchObject({
    Code: 'InvalidParameterCombination', $metadata: {httpStatusCode: 400},
    message: 'You have requested up to 1,441 datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
  })
  // Older than 15 days: 5-minute data only, so a 60-second period answers nothing (not an error).
  const old = {StartTime: new Date(clockAt - 20 * 86_400_000), EndTime: new Date(clockAt - 20 * 86_400_000 + 3600_000)}
  expect((await sum({...old, Period: 60})).Datapoints).toEqual([])
  expect((await sum({...old, Period: 300})).Datapoints).toEqual([])
})

test('at most maxLoadBalancers histories: the one with the oldest data goes first, deleted or not', async () => {
  const now = Math.floor(clockAt / 60_000)
  const traffic = {counts: [1], latencyCount: 0, latencySum: 0, latencyMin: 0, latencyMax: 0}
  history.recordTraffic('us-east-1', 'second', now - 10, traffic)
  history.recordTraffic('us-east-1', 'third', now - 5, traffic)
  const listed = async () => ((await client.send(new ListMetricsCommand({Namespace: 'AWS/ELB', MetricName: 'RequestCount'}))).Metrics ?? [])
    .map((metric) => metric.Dimensions?.map((dimension) => dimension.Value).join(',') ?? '')
  expect(await listed()).toEqual(['daily', 'second', 'third', ''])
  history.recordTraffic('us-east-1', 'fourth', now - 1, traffic)
  // 'daily' was last fed over an hour ago: the oldest newest minute, it goes first.
  expect(history.find('us-east-1', 'daily')).toBeUndefined()
  expect(history.find('us-east-1', 'second')).toBeDefined()
  expect(history.bytes()).toBeGreaterThan(0)
})

describe('host counts per load balancer node, as AWS states the cross-zone rule', () => {
  const zones = ['us-east-1a', 'us-east-1b']
  const instances = [{instanceId: 'i-1', availabilityZone: 'us-east-1a'}, {instanceId: 'i-2', availabilityZone: 'us-east-1a'}, {instanceId: 'i-3', availabilityZone: 'us-east-1b'}]
  const stateWith = (crossZone: boolean) => ({regions: {'us-east-1': {instances: [], loadBalancers: [
    {name: crossZone ? 'crossed' : 'zonal', availabilityZones: zones, instances, attributes: {crossZoneLoadBalancing: crossZone}},
  ]}}}) as unknown as EngineState
  const health = {
    instanceHealth: (_region: string, _lb: string, id: string) => ({state: id === 'i-2' ? 'OutOfService' : 'InService'}),
    drainingInstances: () => [],
  } as unknown as HealthView
  const read = async (lb: string, MetricName: string, Dimensions: {Name: string; Value: string}[] = [{Name: 'LoadBalancerName', Value: lb}]) =>
    (await client.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/ELB', MetricName, Dimensions, StartTime: new Date(clockAt - 60_000), EndTime: new Date(clockAt + 60_000), Period: 120,
      Statistics: ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'],
    }))).Datapoints?.map(({Sum, Average, Minimum, Maximum, SampleCount}) => ({Sum, Average, Minimum, Maximum, SampleCount})) ?? []

  test('without cross-zone each node counts its own zone; with it every node counts them all', async () => {
    for (const crossZone of [false, true]) history.sampleHosts(stateWith(crossZone), health, clockAt)
    // zonal: node a sees 1 healthy + 1 unhealthy, node b 1 healthy; the LB dimension aggregates the nodes' samples.
    expect(await read('zonal', 'HealthyHostCount')).toEqual([{Sum: 2, Average: 1, Minimum: 1, Maximum: 1, SampleCount: 2}])
    expect(await read('zonal', 'UnHealthyHostCount')).toEqual([{Sum: 1, Average: 0.5, Minimum: 0, Maximum: 1, SampleCount: 2}])
    expect(await read('zonal', 'UnHealthyHostCount', [{Name: 'LoadBalancerName', Value: 'zonal'}, {Name: 'AvailabilityZone', Value: 'us-east-1b'}]))
      .toEqual([{Sum: 0, Average: 0, Minimum: 0, Maximum: 0, SampleCount: 1}])
    // crossed: both nodes see all three instances.
    expect(await read('crossed', 'HealthyHostCount')).toEqual([{Sum: 4, Average: 2, Minimum: 2, Maximum: 2, SampleCount: 2}])
    expect(await read('crossed', 'HealthyHostCount', [{Name: 'AvailabilityZone', Value: 'us-east-1b'}, {Name: 'LoadBalancerName', Value: 'crossed'}]))
      .toEqual([{Sum: 2, Average: 2, Minimum: 2, Maximum: 2, SampleCount: 1}])
  })
})

test('SurgeQueueLength: one sample per minute with a queue, its longest length; none while it stayed empty', async () => {
  const now = Math.floor(clockAt / 60_000)
  const quiet = {counts: [5], latencyCount: 0, latencySum: 0, latencyMin: 0, latencyMax: 0}
  history.recordTraffic('us-east-1', 'surging', now - 3, {...quiet, surgeQueueMax: 700})
  history.recordTraffic('us-east-1', 'surging', now - 2, quiet)
  history.recordTraffic('us-east-1', 'surging', now - 1, {...quiet, surgeQueueMax: 1024})
  const points = (await client.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/ELB', MetricName: 'SurgeQueueLength', Dimensions: [{Name: 'LoadBalancerName', Value: 'surging'}],
    StartTime: new Date((now - 5) * 60_000), EndTime: new Date(now * 60_000), Period: 60, Statistics: ['Maximum', 'SampleCount'],
  }))).Datapoints ?? []
  expect(points.map(({Timestamp, Maximum, SampleCount}) => [Timestamp?.getTime(), Maximum, SampleCount]))
    .toEqual([[(now - 3) * 60_000, 700, 1], [(now - 1) * 60_000, 1024, 1]])
})

test('ListMetrics RecentlyActive=PT3H lists only what had data in the past three hours', async () => {
  const own = new MinuteHistory(new MetricsStore(() => clockAt))
  const server = await startApiServer({services: [cloudWatchService(new CloudWatchService(new MetricsStore(() => clockAt), () => clockAt, own))]})
  const reader = new CloudWatchClient({endpoint: server.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
  const now = Math.floor(clockAt / 60_000)
  const traffic = {counts: [2], latencyCount: 0, latencySum: 0, latencyMin: 0, latencyMax: 0}
  own.recordTraffic('us-east-1', 'stale', now - 200, traffic)
  own.recordTraffic('us-east-1', 'fresh', now - 10, traffic)
  const names = async (RecentlyActive?: 'PT3H') => ((await reader.send(new ListMetricsCommand({Namespace: 'AWS/ELB', MetricName: 'RequestCount', RecentlyActive}))).Metrics ?? [])
    .map((metric) => metric.Dimensions?.map((dimension) => dimension.Value).join(',') ?? '')
  try {
    expect(await names()).toEqual(['fresh', 'stale', ''])
    expect(await names('PT3H')).toEqual(['fresh', ''])
  } finally {
    reader.destroy()
    await server.close()
  }
})

test('per-zone traffic and Latency histograms are folded with the minutes, and read back exactly once the per-second rings moved on', async () => {
  let now = clockAt
  const metrics = new MetricsStore(() => now)
  const own = new MinuteHistory(metrics, {minutes: DAY_MINUTES})
  const server = await startApiServer({services: [cloudWatchService(new CloudWatchService(metrics, () => now, own))]})
  const reader = new CloudWatchClient({endpoint: server.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
  const zonal = metrics.forLoadBalancer('us-east-1', 'zonal')
  const first = Math.floor(now / 60_000) + 1
  const MINUTES = 90
  // Each minute: the node in us-east-1a answers 3 requests in 10 ms, the one in us-east-1b one in 500 ms.
  for (let minute = first; minute < first + MINUTES; minute++) {
    now = minute * 60_000 + 20_000
    for (let n = 0; n < 3; n++) zonal.backendResponse(200, 0.01, 'us-east-1a')
    zonal.backendResponse(500, 0.5, 'us-east-1b')
    own.fold(minute * 60_000 + 60_000)
  }
  // Two hours later the per-second rings (an hour) no longer hold any of it: only the folded minutes answer.
  now = (first + MINUTES + 120) * 60_000
  const read = async (MetricName: string, Dimensions: {Name: string; Value: string}[], statistics: {Statistics?: ('Sum' | 'SampleCount')[]; ExtendedStatistics?: string[]}) =>
    (await reader.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/ELB', MetricName, Dimensions, StartTime: new Date(first * 60_000), EndTime: new Date((first + MINUTES) * 60_000), Period: MINUTES * 60, ...statistics,
    }))).Datapoints?.map(({Sum, SampleCount, ExtendedStatistics}) => ({Sum, SampleCount, ExtendedStatistics})) ?? []
  const lb = {Name: 'LoadBalancerName', Value: 'zonal'}
  const zone = (name: string) => ({Name: 'AvailabilityZone', Value: name})
  expect(await read('RequestCount', [lb], {Statistics: ['Sum']})).toEqual([{Sum: 4 * MINUTES}])
  expect(await read('RequestCount', [lb, zone('us-east-1a')], {Statistics: ['Sum']})).toEqual([{Sum: 3 * MINUTES}])
  expect(await read('RequestCount', [zone('us-east-1b')], {Statistics: ['Sum']})).toEqual([{Sum: MINUTES}])
  expect(await read('HTTPCode_Backend_5XX', [lb, zone('us-east-1b')], {Statistics: ['Sum']})).toEqual([{Sum: MINUTES}])
  expect(await read('HTTPCode_Backend_5XX', [lb, zone('us-east-1a')], {Statistics: ['Sum']})).toEqual([])
  // p50 is a fast request, p99 a slow one (±10 %); in us-east-1b all samples are equal: exact.
  const [overall] = await read('Latency', [lb], {ExtendedStatistics: ['p50', 'p99']})
  expect(overall?.ExtendedStatistics?.p50).toBeGreaterThanOrEqual(0.009)
  expect(overall?.ExtendedStatistics?.p50).toBeLessThanOrEqual(0.011)
  expect(overall?.ExtendedStatistics?.p99).toBeGreaterThanOrEqual(0.45)
  expect(overall?.ExtendedStatistics?.p99).toBeLessThanOrEqual(0.55)
  expect(await read('Latency', [lb, zone('us-east-1b')], {ExtendedStatistics: ['p50']})).toEqual([{ExtendedStatistics: {p50: 0.5}}])
  // The region's aggregate keeps the same histogram (one load balancer here).
  expect((await read('Latency', [], {ExtendedStatistics: ['p99']}))[0]?.ExtendedStatistics?.p99).toBe(overall?.ExtendedStatistics?.p99)
  reader.destroy()
  await server.close()
})

test('host counts: one sample per second of the clock, a second the timer skipped sampled late, so a steady minute is whole', () => {
  const own = new MinuteHistory(new MetricsStore(() => clockAt))
  const state = {regions: {'us-east-1': {instances: [], loadBalancers: [
    {name: 'steady', availabilityZones: ['us-east-1a'], instances: [{instanceId: 'i-1', availabilityZone: 'us-east-1a'}], attributes: {crossZoneLoadBalancing: false}},
  ]}}} as unknown as EngineState
  const health = {instanceHealth: () => ({state: 'InService'}), drainingInstances: () => []} as unknown as HealthView
  const minute = Math.floor(clockAt / 60_000) + 10
  let now = minute * 60_000 - 500
  jest.useFakeTimers({doNotFake: ['nextTick', 'setImmediate']})
  try {
    const stop = own.start(() => state, health, () => now)
    // 45 ticks cover the minute's 60 seconds: every third tick the clock has moved two seconds.
    for (let tick = 1; now < (minute + 1) * 60_000 + 500; tick++) {
      now += tick % 3 === 0 ? 2000 : 1000
      jest.advanceTimersByTime(1000)
    }
    stop()
  } finally {
    jest.useRealTimers()
  }
  const samples = own.find('us-east-1', 'steady')?.nodes.get('us-east-1a')?.read(minute)
  expect(samples).toEqual({samples: 60, healthy: {sum: 60, min: 1, max: 1}, unhealthy: {sum: 0, min: 0, max: 0}})
})

test('an hour of traffic: minutes written in any order (a restore beside a live fold) read back each as written; a rewrite replaces', () => {
  const ring = new TrafficMinutes(DAY_MINUTES + 1)
  const base = Math.floor(clockAt / 3_600_000) * 60
  const minuteOf = (n: number) => ({
    counts: [n, 0, 0, 0, n, 0, 0, 0, 0], latencyCount: n, latencySum: n / 10, latencyMin: n / 100, latencyMax: n / 50, ...(n % 4 === 0 ? {} : {surgeQueueMax: n % 4}),
  })
  const order = [50, 10, 59, 0, 30, 31, 29, 45, 1, 58]
  for (const slot of order) ring.write(base + slot, minuteOf(slot + 1))
  ring.write(base + 30, minuteOf(100))
  for (const slot of order) expect(ring.read(base + slot)).toEqual(slot === 30 ? minuteOf(100) : minuteOf(slot + 1))
  expect(ring.read(base + 2)).toBeUndefined()
  expect(ring.counter(base + 2, 0)).toBe(0)
  expect(ring.latencyAt(base + 10)).toEqual({sampleCount: 11, sum: 1.1, minimum: 0.11, maximum: 0.22})
})

test('a node\'s host counts: equal minutes share a run; restored minutes go to their place; expired runs are freed', () => {
  const node = new NodeHostMinutes(DAY_MINUTES + 1)
  const start = Math.floor(clockAt / 60_000)
  const steady = {samples: 60, healthy: {sum: 120, min: 2, max: 2}, unhealthy: {sum: 0, min: 0, max: 0}}
  for (let minute = start; minute < start + 600; minute++) for (let second = 0; second < 60; second++) node.add(minute, 2, 0)
  const emptyBytes = new NodeHostMinutes(1).bytes()
  expect(node.bytes()).toBe(emptyBytes)
  node.add(start + 600, 1, 1)
  expect(node.read(start + 599)).toEqual(steady)
  expect(node.read(start + 600)).toEqual({samples: 1, healthy: {sum: 1, min: 1, max: 1}, unhealthy: {sum: 1, min: 1, max: 1}})
  // Restored out of order before the live minutes: each where it belongs; a minute held is kept.
  const restored = (n: number) => ({samples: n, healthy: {sum: n, min: 1, max: 1}, unhealthy: {sum: 0, min: 0, max: 0}})
  for (const back of [30, 10, 20, 40]) node.put(start - back, restored(back))
  node.put(start + 5, restored(7))
  for (const back of [30, 10, 20, 40]) expect(node.read(start - back)).toEqual(restored(back))
  expect(node.read(start - 15)).toBeUndefined()
  expect(node.read(start + 5)).toEqual(steady)
  expect(node.oldestMinute()).toBe(start - 40)
  node.expire(start + 601)
  expect(node.read(start + 599)).toBeUndefined()
  expect(node.read(start + 600)).toEqual({samples: 1, healthy: {sum: 1, min: 1, max: 1}, unhealthy: {sum: 1, min: 1, max: 1}})
})

test('a node\'s runs against a plain model: samples, restores out of order and expiry in any mix read back the same', () => {
  const node = new NodeHostMinutes(DAY_MINUTES + 1)
  const model = new Map<number, {samples: number; healthy: {sum: number; min: number; max: number}; unhealthy: {sum: number; min: number; max: number}}>()
  const start = Math.floor(clockAt / 60_000)
  let seed = 7
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n
  let live = start
  let oldest = start - 500
  for (let step = 0; step < 3000; step++) {
    const action = random(10)
    if (action < 6) {
      const healthy = random(3)
      node.add(live, healthy, 0)
      const known = model.get(live)
      model.set(live, known === undefined
        ? {samples: 1, healthy: {sum: healthy, min: healthy, max: healthy}, unhealthy: {sum: 0, min: 0, max: 0}}
        : {samples: known.samples + 1, healthy: {sum: known.healthy.sum + healthy, min: Math.min(known.healthy.min, healthy), max: Math.max(known.healthy.max, healthy)}, unhealthy: known.unhealthy})
      if (random(3) === 0) live++
    } else if (action < 9) {
      const minute = oldest + random(start - oldest)
      const samples = {samples: 1 + random(2), healthy: {sum: 1, min: 1, max: 1}, unhealthy: {sum: 0, min: 0, max: 0}}
      node.put(minute, samples)
      if (!model.has(minute)) model.set(minute, samples)
    } else {
      oldest += random(20)
      node.expire(oldest)
      for (const minute of model.keys()) if (minute < oldest && minute !== live) model.delete(minute)
    }
  }
  for (let minute = oldest; minute <= live; minute++) expect([minute, node.read(minute)]).toEqual([minute, model.get(minute)])
})

test('an LB\'s traffic rows against a plain model: writes in any order, rewrites, new fields and expiry read back the same', () => {
  const ring = new TrafficMinutes(DAY_MINUTES + 1)
  const model = new Map<number, unknown>()
  const base = Math.floor(clockAt / 3_600_000) * 60
  let seed = 11
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n
  let oldest = base
  for (let step = 0; step < 4000; step++) {
    if (random(50) === 0) {
      oldest += 60
      ring.expire(oldest)
      for (const minute of model.keys()) if (minute < oldest) model.delete(minute)
      continue
    }
    const minute = oldest + random(4 * 60)
    const counts = Array.from({length: 9}, () => (random(3) === 0 ? random(1000) : 0))
    const latencyCount = random(2) === 0 ? 0 : 1 + random(50)
    const surge = random(4) === 0 ? random(1024) : 0
    const latency = latencyCount === 0 ? {latencySum: 0, latencyMin: 0, latencyMax: 0} : {latencySum: latencyCount / 8, latencyMin: 0.125, latencyMax: 0.5}
    ring.write(minute, {counts, latencyCount, ...latency, surgeQueueMax: surge})
    model.set(minute, {counts, latencyCount, ...latency, ...(surge > 0 ? {surgeQueueMax: surge} : {})})
  }
  for (let minute = oldest; minute < oldest + 4 * 60; minute++) expect([minute, ring.read(minute)]).toEqual([minute, model.get(minute)])
  expect(ring.bytes()).toBeGreaterThan(0)
  // Every hour freed: nothing is left counted.
  ring.expire(oldest + 5 * 60)
  expect(ring.bytes()).toBe(0)
})
