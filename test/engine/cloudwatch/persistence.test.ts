/**
 * CloudWatch's segment files as hostile input and its bounds: a damaged segment is skipped with a
 * log line and the others load into a real engine (read back over the wire with SDK v3); a torn
 * last record is ignored; segments past the retention are deleted and not loaded; the history's
 * memory bound holds, oldest data first, said once in the log.
 */
import {appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {CloudWatchClient, DescribeAlarmHistoryCommand, GetMetricStatisticsCommand} from '@aws-sdk/client-cloudwatch'
import {afterAll, beforeAll, expect, test} from '@jest/globals'
import {AlarmHistory} from '../../../src/engine/cloudwatch/alarm-history.js'
import {CustomMetrics} from '../../../src/engine/cloudwatch/custom-metrics.js'
import {historyMinutesFrom, memoryBoundFrom, MinuteHistory} from '../../../src/engine/cloudwatch/history.js'
import {CloudWatchPersistence} from '../../../src/engine/cloudwatch/persistence/cloudwatch-store.js'
import {pack} from '../../../src/engine/cloudwatch/persistence/records.js'
import {frame, segmentName} from '../../../src/engine/cloudwatch/persistence/segments.js'
import {MetricsStore} from '../../../src/engine/metrics/store.js'
import {startTestEngine, TEST_CREDENTIALS, type TestEngine} from '../../helpers/engine.js'

const home = mkdtempSync(join(tmpdir(), 'elb-local-cw-segments-'))
const dir = join(home, 'cloudwatch')
const NOW = Date.now()
const NOW_MINUTE = Math.floor(NOW / 60_000)
const HOUR_MS = 3600_000
const traffic = (requests: number) => ({counts: [requests, requests], latencyCount: requests, latencySum: requests * 0.25, latencyMin: 0.125, latencyMax: 0.5})

/** Writes `minutes` of `requests` a minute for `lb` as an engine whose clock reads `clockMs` would, one frame per minute. */
async function writeSegment(clockMs: number, lb: string, minutes: readonly number[], requests: number): Promise<string> {
  const history = new MinuteHistory(new MetricsStore(() => clockMs))
  const persistence = new CloudWatchPersistence({dir, history, custom: new CustomMetrics(), alarmHistory: new AlarmHistory(), log: () => undefined, clock: () => clockMs})
  for (const minute of minutes) {
    history.recordTraffic('us-east-1', lb, minute, traffic(requests))
    await persistence.flush()
  }
  await persistence.close()
  const written = readdirSync(dir).filter((name) => name.endsWith(`-${String(clockMs).padStart(13, '0')}.seg`))
  expect(written).toHaveLength(1)
  return join(dir, written[0] ?? '')
}

let t: TestEngine
let client: CloudWatchClient
const lines: string[] = []
let expired = ''
let damaged = ''

beforeAll(async () => {
  mkdirSync(dir, {recursive: true})
  // alpha: whole; beta: one byte of its first record flipped; gamma: its last record torn in two.
  await writeSegment(NOW - 3_000, 'alpha', [NOW_MINUTE - 10, NOW_MINUTE - 9], 11)
  const beta = damaged = await writeSegment(NOW - 2_000, 'beta', [NOW_MINUTE - 10], 13)
  const bytes = readFileSync(beta)
  bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0xff
  writeFileSync(beta, bytes)
  const gamma = await writeSegment(NOW - 1_000, 'gamma', [NOW_MINUTE - 10, NOW_MINUTE - 9], 17)
  truncateSync(gamma, readFileSync(gamma).length - 5)
  // Twenty days old: past the retention, never loaded, deleted at the first write.
  expired = await writeSegment(NOW - 20 * 24 * HOUR_MS, 'ancient', [NOW_MINUTE - 20 * 1440], 19)
  // Hostile files: no magic line; a whole record that is not CBOR; one whose values have the wrong types.
  writeFileSync(join(dir, segmentName('elb', Math.floor(NOW / HOUR_MS), 1)), 'garbage that is no segment\n')
  const hostile = join(dir, segmentName('alarms', Math.floor(NOW / HOUR_MS), 2))
  writeFileSync(hostile, 'ELBCW1\n')
  appendFileSync(hostile, frame(Buffer.from('not deflated at all')))
  appendFileSync(hostile, frame(await pack({items: [['us-east-1', 'x', -5, 'StateUpdate', 's', 'd'], ['us-east-1', 'kept', NOW - 60_000, 'StateUpdate', 'Alarm updated from OK to ALARM', '{}']]})))
  t = await startTestEngine({home, log: (line) => lines.push(line)})
  await t.engine.cloudWatchRuntime.loaded
  client = new CloudWatchClient({endpoint: t.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
}, 60_000)

afterAll(async () => {
  client.destroy()
  await t.close()
  rmSync(home, {recursive: true, force: true})
})

const requestSums = async (lb: string) => ((await client.send(new GetMetricStatisticsCommand({
  Namespace: 'AWS/ELB', MetricName: 'RequestCount', Dimensions: [{Name: 'LoadBalancerName', Value: lb}],
  StartTime: new Date((NOW_MINUTE - 30) * 60_000), EndTime: new Date(NOW_MINUTE * 60_000), Period: 60, Statistics: ['Sum'],
}))).Datapoints ?? []).map((point) => [Math.round((point.Timestamp?.getTime() ?? 0) / 60_000) - NOW_MINUTE, point.Sum])

test('a damaged segment is skipped with a log line naming it; the whole ones load', async () => {
  expect(await requestSums('alpha')).toEqual([[-10, 11], [-9, 11]])
  expect(await requestSums('beta')).toEqual([])
  expect(lines.filter((line) => line.includes(damaged))).toEqual([expect.stringMatching(/^WARN CloudWatch history: .* is damaged at byte 7 \(checksum mismatch\): the rest of the file is skipped$/)])
  const latency = (await client.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/ELB', MetricName: 'Latency', Dimensions: [{Name: 'LoadBalancerName', Value: 'alpha'}],
    StartTime: new Date((NOW_MINUTE - 10) * 60_000), EndTime: new Date((NOW_MINUTE - 9) * 60_000), Period: 60, Statistics: ['Average', 'Minimum', 'Maximum', 'SampleCount'],
  }))).Datapoints
  expect(latency?.map(({Average, Minimum, Maximum, SampleCount}) => ({Average, Minimum, Maximum, SampleCount}))).toEqual([{Average: 0.25, Minimum: 0.125, Maximum: 0.5, SampleCount: 11}])
})

test('a torn last record is ignored: the records before it load', async () => {
  expect(await requestSums('gamma')).toEqual([[-10, 17]])
  expect(lines.some((line) => /ignored the torn last record of .*\.seg/.test(line))).toBe(true)
})

test('hostile files: no magic line, a record that does not decode, values of the wrong type — skipped, the rest kept', async () => {
  expect(lines.some((line) => /is not a segment file \(no magic line\): skipped/.test(line))).toBe(true)
  expect(lines.some((line) => /an? alarms record could not be decoded/.test(line))).toBe(true)
  expect(lines.some((line) => /CloudWatch history loaded: \d+ load-balancer minutes from \d+ records in \d+ ms \(\d+ damaged records skipped\)/.test(line))).toBe(true)
  const items = (await client.send(new DescribeAlarmHistoryCommand({AlarmName: 'kept'}))).AlarmHistoryItems ?? []
  expect(items.map((item) => item.HistorySummary)).toEqual(['Alarm updated from OK to ALARM'])
})

test('segments past the retention are not loaded and are deleted at the next write', async () => {
  expect(t.engine.cloudwatch.history.find('us-east-1', 'ancient')).toBeUndefined()
  expect(t.engine.cloudwatch.history.find('us-east-1', 'alpha')).toBeDefined()
  expect(existsSync(expired)).toBe(true)
  await t.engine.cloudWatchRuntime.persistence.flush()
  expect(existsSync(expired)).toBe(false)
  expect(existsSync(join(dir, readdirSync(dir).find((name) => name.startsWith('elb-')) ?? 'none'))).toBe(true)
})

test('the memory bound holds: the oldest hours go first, said once in the log', () => {
  const said: string[] = []
  const bound = 1024 * 1024
  const history = new MinuteHistory(new MetricsStore(() => NOW), {memoryBytes: bound, log: (line) => said.push(line)})
  const first = NOW_MINUTE - 48 * 60
  for (let minute = first; minute < NOW_MINUTE; minute++) {
    for (let lb = 0; lb < 20; lb++) {
      history.recordTraffic('us-east-1', `lb-${lb}`, minute, traffic(50 + lb))
      history.recordHosts('us-east-1', `lb-${lb}`, 'us-east-1a', minute, minute % 2, 0)
    }
    expect(history.bytes()).toBeLessThanOrEqual(bound)
  }
  const ring = history.find('us-east-1', 'lb-0')?.traffic
  expect(ring?.counter(NOW_MINUTE - 1, 0)).toBe(50)
  expect(ring?.counter(first, 0)).toBe(0)
  expect(said).toEqual([expect.stringMatching(/^WARN the CloudWatch history reached its memory bound \(1 MiB, ELB_LOCAL_CLOUDWATCH_MEMORY_MB\)/)])
})

test('a custom metric\'s minute written twice (more data came for it) is read back whole: the last record wins', async () => {
  const own = join(home, 'custom-twice')
  const minute = new Date((NOW_MINUTE - 3) * 60_000 + 5_000)
  const writer = new CustomMetrics()
  const persistence = new CloudWatchPersistence({dir: own, history: new MinuteHistory(new MetricsStore(() => NOW)), custom: writer, alarmHistory: new AlarmHistory(), log: () => undefined, clock: () => NOW})
  writer.put('us-east-1', 'Shop', [{MetricName: 'Orders', Timestamp: minute, Value: 5}], NOW)
  await persistence.flush()
  writer.put('us-east-1', 'Shop', [{MetricName: 'Orders', Timestamp: minute, Value: 7}], NOW)
  await persistence.close()
  const reader = new CustomMetrics()
  await new CloudWatchPersistence({dir: own, history: new MinuteHistory(new MetricsStore(() => NOW)), custom: reader, alarmHistory: new AlarmHistory(), log: () => undefined, clock: () => NOW}).load()
  const buckets = [...reader.find('us-east-1', 'Shop', 'Orders', [])?.buckets.values() ?? []]
  expect(buckets.map((bucket) => bucket.set)).toEqual([{sampleCount: 2, sum: 12, minimum: 5, maximum: 7}])
})

test('the memory bound holds when one steady host-count run spans the whole history: it is cut, nothing loops', () => {
  const bound = 256 * 1024
  const history = new MinuteHistory(new MetricsStore(() => NOW), {memoryBytes: bound})
  const first = NOW_MINUTE - 3 * 1440
  for (let minute = first; minute < NOW_MINUTE; minute++) history.recordHosts('us-east-1', 'steady', 'us-east-1a', minute, 2, 0)
  for (let minute = NOW_MINUTE - 1440; minute < NOW_MINUTE; minute++) {
    for (let lb = 0; lb < 5; lb++) history.recordTraffic('us-east-1', `busy-${lb}`, minute, traffic(10))
  }
  expect(history.bytes()).toBeLessThanOrEqual(bound)
  expect(history.find('us-east-1', 'busy-0')?.traffic?.counter(NOW_MINUTE - 1, 0)).toBe(10)
  const node = history.find('us-east-1', 'steady')?.nodes.get('us-east-1a')
  expect(node?.read(NOW_MINUTE - 2)?.samples).toBe(1)
  expect(node?.read(first)).toBeUndefined()
})

test('retention and bound from the environment: 15 days and 256 MiB by default; hours win over days; out of range ignored', () => {
  expect(historyMinutesFrom({})).toBe(15 * 1440)
  expect(historyMinutesFrom({ELB_LOCAL_CLOUDWATCH_HISTORY_DAYS: '3'})).toBe(3 * 1440)
  expect(historyMinutesFrom({ELB_LOCAL_CLOUDWATCH_HISTORY_HOURS: '24', ELB_LOCAL_CLOUDWATCH_HISTORY_DAYS: '3'})).toBe(1440)
  for (const bad of ['0', '16', '2.5', 'x', ' ']) expect(historyMinutesFrom({ELB_LOCAL_CLOUDWATCH_HISTORY_DAYS: bad})).toBe(15 * 1440)
  expect(historyMinutesFrom({ELB_LOCAL_CLOUDWATCH_HISTORY_HOURS: '361'})).toBe(15 * 1440)
  expect(memoryBoundFrom({})).toBe(256 * 1048576)
  expect(memoryBoundFrom({ELB_LOCAL_CLOUDWATCH_MEMORY_MB: '64'})).toBe(64 * 1048576)
  expect(memoryBoundFrom({ELB_LOCAL_CLOUDWATCH_MEMORY_MB: '8'})).toBe(256 * 1048576)
})
