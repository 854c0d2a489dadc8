/**
 * The per-zone traffic, the Latency histograms and the region's and zones' aggregates outlive a
 * restart: minutes measured by the data plane's recorder in two zones, folded and written to the
 * segment files, loaded into a new history, answer the same per-zone sums and percentiles over the
 * wire (SDK v3) as before. A histogram on disk is hostile input like the rest: a bad one is
 * clamped or dropped, never trusted.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {GetMetricStatisticsCommand, type Dimension} from '@aws-sdk/client-cloudwatch'
import {cloudWatchService} from '../../../src/engine/api/services/cloudwatch.js'
import {AlarmHistory} from '../../../src/engine/cloudwatch/alarm-history.js'
import {CustomMetrics} from '../../../src/engine/cloudwatch/custom-metrics.js'
import {MinuteHistory} from '../../../src/engine/cloudwatch/history.js'
import {CloudWatchPersistence} from '../../../src/engine/cloudwatch/persistence/cloudwatch-store.js'
import {CloudWatchService} from '../../../src/engine/cloudwatch/service.js'
import {MetricsStore} from '../../../src/engine/metrics/store.js'
import {startApiServer, type ApiServerHandle} from '../../helpers/api-server.js'
import {cloudWatchClients} from '../../helpers/cloudwatch-clients.js'

const home = mkdtempSync(join(tmpdir(), 'elb-local-cw-zones-'))
const dir = join(home, 'cloudwatch')
const FIRST = Math.floor(Date.now() / 60_000) - 30
const NOW = (FIRST + 12) * 60_000 + 5_000
const servers: ApiServerHandle[] = []

afterAll(async () => {
  for (const server of servers) await server.close()
  rmSync(home, {recursive: true, force: true})
})

const persistenceOf = (history: MinuteHistory) =>
  new CloudWatchPersistence({dir, history, custom: new CustomMetrics(), alarmHistory: new AlarmHistory(), log: () => undefined, clock: () => NOW})

async function reader(history: MinuteHistory, store: MetricsStore): Promise<(metric: string, dimensions: Dimension[], statistics: object) => Promise<unknown>> {
  const server = await startApiServer({services: [cloudWatchService(new CloudWatchService(store, () => NOW, history))]})
  servers.push(server)
  const clients = cloudWatchClients(() => server.endpoint)
  return async (MetricName, Dimensions, statistics) => (await clients.client('rpcv2Cbor').send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/ELB', MetricName, Dimensions, StartTime: new Date(FIRST * 60_000), EndTime: new Date((FIRST + 10) * 60_000), Period: 600, ...statistics,
  }))).Datapoints?.map(({Sum, ExtendedStatistics}) => ({Sum, ExtendedStatistics}))
}

test('per-zone sums and percentiles read the same before and after the history is written and loaded back', async () => {
  let at = FIRST * 60_000
  const store = new MetricsStore(() => at)
  const history = new MinuteHistory(store)
  const persistence = persistenceOf(history)
  const lb = store.forLoadBalancer('us-east-1', 'zoned')
  // Ten minutes: each, 4 requests in us-east-1a (20 ms) and 1 in us-east-1b (400 ms, a 503).
  for (let minute = FIRST; minute < FIRST + 10; minute++) {
    at = minute * 60_000 + 30_000
    for (let n = 0; n < 4; n++) lb.backendResponse(200, 0.02, 'us-east-1a')
    lb.backendResponse(503, 0.4, 'us-east-1b')
  }
  history.fold(NOW)
  await persistence.close()
  const questions: [string, Dimension[], object][] = [
    ['RequestCount', [{Name: 'AvailabilityZone', Value: 'us-east-1a'}], {Statistics: ['Sum']}],
    ['HTTPCode_Backend_5XX', [{Name: 'LoadBalancerName', Value: 'zoned'}, {Name: 'AvailabilityZone', Value: 'us-east-1b'}], {Statistics: ['Sum']}],
    ['RequestCount', [], {Statistics: ['Sum']}],
    ['Latency', [{Name: 'LoadBalancerName', Value: 'zoned'}], {ExtendedStatistics: ['p50', 'p99']}],
    ['Latency', [{Name: 'AvailabilityZone', Value: 'us-east-1b'}], {ExtendedStatistics: ['p50']}],
    ['Latency', [], {ExtendedStatistics: ['p90']}],
  ]
  const before = await reader(history, store)
  const answers = await Promise.all(questions.map(([metric, dimensions, statistics]) => before(metric, dimensions, statistics)))
  expect(answers.slice(0, 3)).toEqual([[{Sum: 40}], [{Sum: 10}], [{Sum: 50}]])
  expect(answers[3]).toEqual([{ExtendedStatistics: {p50: expect.closeTo(0.02, 2) as number, p99: expect.closeTo(0.4, 1) as number}}])
  expect(answers[4]).toEqual([{ExtendedStatistics: {p50: 0.4}}])
  expect(answers[5]).toEqual([{ExtendedStatistics: {p90: expect.closeTo(0.4, 1) as number}}])

  const loaded = new MinuteHistory(new MetricsStore(() => NOW))
  const report = await persistenceOf(loaded).load()
  expect(report.dropped).toBe(0)
  const after = await reader(loaded, new MetricsStore(() => NOW))
  expect(await Promise.all(questions.map(([metric, dimensions, statistics]) => after(metric, dimensions, statistics)))).toEqual(answers)
})

test('a histogram read back from disk is clamped to counts; one naming a bucket that is not ours, or of odd length, is dropped', () => {
  const history = new MinuteHistory(new MetricsStore(() => NOW))
  const base = {counts: [3], latencyCount: 3, latencySum: 0.3, latencyMin: 0.1, latencyMax: 0.1}
  const restore = (minute: number, pairs: number[]) => {
    history.restoreTraffic('us-east-1', 'hostile', '', minute, {...base, latencyHistogram: pairs as unknown as Uint32Array})
  }
  restore(FIRST, [0, -5, 2, 7.9, 3, 1e12])
  restore(FIRST + 1, [90, 1])
  restore(FIRST + 2, [1.5, 1])
  restore(FIRST + 3, [1, 1, 2])
  const kept = history.find('us-east-1', 'hostile')?.latencyHistograms
  expect(Array.from(kept?.read(FIRST) ?? []).slice(0, 4)).toEqual([0, 0, 7, 2 ** 25 - 1])
  expect([1, 2, 3].map((n) => kept?.read(FIRST + n))).toEqual([undefined, undefined, undefined])
  // The minutes themselves are kept: only their histograms were refused.
  expect(history.find('us-east-1', 'hostile')?.traffic?.counter(FIRST + 3, 0)).toBe(3)
})
