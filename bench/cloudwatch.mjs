// CloudWatch benchmark (docs/benchmarks.md, "CloudWatch"): a day of one-minute AWS/ELB history on
// CW_LBS load balancers (default 1,000, each with two zones' nodes taking ⅔ and ⅓ of its requests,
// Latency with a histogram) injected into the engine's MinuteHistory — the path the
// per-minute fold uses, not the request path — and written to segment files minute by minute as
// the engine does (memory, disk), loaded back (time, event-loop hold), the 15-day default on a
// sparse load (memory), then, over loopback through SDK v3 (AWS JSON 1.0):
// GetMetricStatistics over one day at 60 s for one load balancer, the region-wide and one zone's
// aggregate over the day at 60 s and 3,600 s, percentiles, and ListMetrics over every load
// balancer (all pages), each with the longest the event loop was held. Bounded: CW_ROUNDS
// calls each (default 20). Run with `node --expose-gc bench/cloudwatch.mjs` after `npm run build`
// (bench/cloudwatch.sh does both).
import {spawn} from 'node:child_process'
import {mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {monitorEventLoopDelay} from 'node:perf_hooks'
import {CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand} from '@aws-sdk/client-cloudwatch'
import {createApiServer} from '../dist/engine/api/server.js'
import {cloudWatchService} from '../dist/engine/api/services/cloudwatch.js'
import {AlarmHistory} from '../dist/engine/cloudwatch/alarm-history.js'
import {CustomMetrics} from '../dist/engine/cloudwatch/custom-metrics.js'
import {MinuteHistory} from '../dist/engine/cloudwatch/history.js'
import {CloudWatchPersistence} from '../dist/engine/cloudwatch/persistence/cloudwatch-store.js'
import {CloudWatchService} from '../dist/engine/cloudwatch/service.js'
import {MetricsStore} from '../dist/engine/metrics/store.js'

const LBS = Number(process.env.CW_LBS ?? 1000)
const ROUNDS = Number(process.env.CW_ROUNDS ?? 20)
/** Set CW_SPARSE=0 to skip the 15-day sparse load (about a minute of injection). */
const SPARSE = process.env.CW_SPARSE !== '0'
const DAY = 1440
const REGION = 'us-east-1'
const ZONES = ['us-east-1a', 'us-east-1b']
const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`
const gc = () => { globalThis.gc?.(); globalThis.gc?.() }
const nameOf = (lb) => `lb-${String(lb).padStart(4, '0')}`
/** A minute's Latency histogram: `requests` spread over eight buckets (≈ 5-80 ms) as 1:2:4:8:8:4:2:1. */
function histogramOf(requests) {
  const histogram = new Uint32Array(90)
  const shares = [1, 2, 4, 8, 8, 4, 2, 1]
  let left = requests
  shares.forEach((share, index) => {
    const count = index === shares.length - 1 ? left : Math.floor((requests * share) / 30)
    histogram[28 + 2 * index] = count
    left -= count
  })
  return histogram
}
const minuteOf = (requests, errors4xx, errors5xx) => ({
  counts: [requests, requests - errors4xx - errors5xx, 0, errors4xx, errors5xx, 0, 0, 0],
  latencyCount: requests, latencySum: requests * 0.02, latencyMin: 0.005, latencyMax: 0.08, latencyHistogram: histogramOf(requests),
})
/** A web site's minute: 50-250 requests, a few 4XX, now and then a 5XX; latency 5-80 ms. */
const busyMinute = (lb, minute) => minuteOf(50 + ((minute * 7 + lb) % 200), minute % 5 === 0 ? 3 : 0, minute % 97 === 0 ? 1 : 0)
/** The same minute on each zone's node: the first takes ⅔ of the requests and the 4XX, the second the rest and the 5XX. */
function recordZones(history, lb, minute) {
  const requests = 50 + ((minute * 7 + lb) % 200)
  const first = Math.round((requests * 2) / 3)
  history.recordZoneTraffic(REGION, nameOf(lb), ZONES[0], minute, minuteOf(first, minute % 5 === 0 ? 3 : 0, 0))
  history.recordZoneTraffic(REGION, nameOf(lb), ZONES[1], minute, minuteOf(requests - first, 0, minute % 97 === 0 ? 1 : 0))
}
const persistenceFor = (dir, history) => new CloudWatchPersistence({dir, history, custom: new CustomMetrics(), alarmHistory: new AlarmHistory(), log: console.log})
const diskBytes = (dir) => readdirSync(dir).reduce((total, name) => total + statSync(join(dir, name)).size, 0)

// 1. A busy day on every load balancer, written to disk minute by minute as the engine's fold does.
const dir = join(mkdtempSync(join(tmpdir(), 'elb-local-cw-bench-')), 'cloudwatch')
gc()
const before = process.memoryUsage()
const store = new MetricsStore()
const history = new MinuteHistory(store)
const writer = persistenceFor(dir, history)
const now = Math.floor(Date.now() / 60_000)
const injectStarted = performance.now()
for (let minute = now - DAY; minute < now; minute++) {
  for (let lb = 0; lb < LBS; lb++) {
    history.recordTraffic(REGION, nameOf(lb), minute, busyMinute(lb, minute))
    recordZones(history, lb, minute)
    // One host-count sample per node and minute (the engine takes 60; the runs are the same).
    for (const zone of ZONES) history.recordHosts(REGION, nameOf(lb), zone, minute, 2, 0)
  }
  await writer.flush()
}
await writer.close()
const injectMs = performance.now() - injectStarted
gc()
const after = process.memoryUsage()
console.log(`history: ${LBS} busy load balancers × ${DAY} minutes injected and written in ${(injectMs / 1000).toFixed(1)} s (retention ${history.minutes / 1440} days, bound ${mib(history.memoryBytes)})`)
console.log(`memory: rings ${mib(history.bytes())} (${(history.bytes() / LBS / 1024).toFixed(1)} KiB per load balancer); ` +
  `process +${mib(after.rss - before.rss)} RSS, +${mib(after.heapUsed - before.heapUsed)} heap, +${mib(after.arrayBuffers - before.arrayBuffers)} array buffers`)
console.log(`disk: ${mib(diskBytes(dir))} in ${readdirSync(dir).length} segment files (${(diskBytes(dir) / LBS / DAY).toFixed(1)} bytes per load-balancer minute, host counts included)`)

// 2. Loading it back, as a start does: its time and the longest the event loop was held.
async function measureLoad() {
  const loaded = new MinuteHistory(new MetricsStore())
  const delay = monitorEventLoopDelay({resolution: 5})
  delay.enable()
  const report = await persistenceFor(dir, loaded).load()
  delay.disable()
  console.log(`load: ${report.minutes} load-balancer minutes from ${report.frames} records in ${(report.ms / 1000).toFixed(1)} s; ` +
    `event loop held at most ${(delay.max / 1e6).toFixed(0)} ms (p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms); rings ${mib(loaded.bytes())}`)
}
await measureLoad()

// 2b. The engine itself started on that home: when its API answers, how long a request waits while
//     the history loads behind it, and when the load is done (its log line).
async function measureEngineStart() {
  const started = performance.now()
  const child = spawn(process.execPath, ['dist/engine/cli-entry.js', '--home', join(dir, '..'), '--port', '0', '--background'], {
    stdio: ['ignore', 'pipe', 'ignore'], env: {...process.env, ELB_LOCAL_INSTANCE_NETWORK: '127.0.247', ELB_LOCAL_LB_NETWORK: '127.247'},
  })
  let output = ''
  child.stdout.on('data', (chunk) => { output += chunk })
  const waitFor = async (pattern) => { while (!pattern.test(output)) await new Promise((resolve) => setTimeout(resolve, 10)) }
  await waitFor(/engine listening on (http:\/\/\S+)/)
  const listening = performance.now() - started
  const endpoint = /engine listening on (http:\/\/\S+)/.exec(output)[1]
  let slowest = 0
  let answered = 0
  while (!/CloudWatch history loaded/.test(output)) {
    const asked = performance.now()
    await fetch(`${endpoint}/__elb-local/health`).then((answer) => answer.arrayBuffer())
    slowest = Math.max(slowest, performance.now() - asked)
    answered++
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const loaded = performance.now() - started
  const line = /CloudWatch history loaded: [^\n]*/.exec(output)[0]
  child.kill('SIGTERM')
  await new Promise((resolve) => child.once('exit', resolve))
  console.log(`engine start on that home: API answering after ${(listening / 1000).toFixed(1)} s, history loaded after ${(loaded / 1000).toFixed(1)} s ` +
    `(${answered} health requests meanwhile, slowest ${slowest.toFixed(0)} ms); its log: "${line}"`)
}
await measureEngineStart()
rmSync(join(dir, '..'), {recursive: true, force: true})

// 3. The 15-day default on a sparse load: every load balancer's two nodes sampled all the time,
//    5 % of them busy around the clock, the others with traffic in 5 minutes of each hour for 8
//    hours a day (memory only).
if (SPARSE) {
  gc()
  const sparseBefore = process.memoryUsage()
  const sparse = new MinuteHistory(new MetricsStore(), {log: console.log})
  const started = performance.now()
  const days = sparse.minutes / DAY
  for (let minute = now - sparse.minutes; minute < now; minute++) {
    const hourOfDay = Math.floor(minute / 60) % 24
    for (let lb = 0; lb < LBS; lb++) {
      const working = hourOfDay >= 8 + (lb % 4) && hourOfDay < 16 + (lb % 4) && (minute + lb) % 12 === 0
      if (lb % 20 === 0 || working) sparse.recordTraffic(REGION, nameOf(lb), minute, busyMinute(lb, minute))
      for (const zone of ZONES) sparse.recordHosts(REGION, nameOf(lb), zone, minute, 2, 0)
    }
  }
  gc()
  const sparseAfter = process.memoryUsage()
  console.log(`15-day default (${days} days, sparse: ${LBS / 20} busy all day, ${LBS - LBS / 20} with traffic 5 minutes an hour 8 h a day, host counts always), injected in ${((performance.now() - started) / 1000).toFixed(0)} s: ` +
    `rings ${mib(sparse.bytes())}; process +${mib(sparseAfter.rss - sparseBefore.rss)} RSS, +${mib(sparseAfter.heapUsed - sparseBefore.heapUsed)} heap, +${mib(sparseAfter.arrayBuffers - sparseBefore.arrayBuffers)} array buffers`)
}

const server = createApiServer({
  elb: {}, iam: {}, services: [cloudWatchService(new CloudWatchService(store, Date.now, history))], defaultRegion: REGION, log: () => undefined,
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const endpoint = `http://127.0.0.1:${server.address().port}`
const client = new CloudWatchClient({endpoint, region: REGION, credentials: {accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench'}, maxAttempts: 1})

async function timed(label, call, check) {
  const times = []
  let last
  const held = monitorEventLoopDelay({resolution: 5})
  held.enable()
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now()
    last = await call()
    times.push(performance.now() - started)
  }
  held.disable()
  times.sort((a, b) => a - b)
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1)
  console.log(`${label}: median ${at(0.5)} ms, p95 ${at(0.95)} ms over ${ROUNDS} calls, event loop held at most ${(held.max / 1e6).toFixed(1)} ms (${check(last)})`)
}

const dayRange = {StartTime: new Date((now - DAY) * 60_000), EndTime: new Date(now * 60_000)}
await timed('GetMetricStatistics, one load balancer, one day at 60 s', () => client.send(new GetMetricStatisticsCommand({
  Namespace: 'AWS/ELB', MetricName: 'RequestCount', Dimensions: [{Name: 'LoadBalancerName', Value: 'lb-0000'}], ...dayRange, Period: 60, Statistics: ['Sum', 'Average', 'Maximum'],
})), (answer) => `${answer.Datapoints.length} data points`)
await timed(`GetMetricStatistics, all ${LBS} load balancers (no dimension), one day at 3,600 s`, () => client.send(new GetMetricStatisticsCommand({
  Namespace: 'AWS/ELB', MetricName: 'Latency', ...dayRange, Period: 3600, Statistics: ['Average', 'Maximum'],
})), (answer) => `${answer.Datapoints.length} data points`)
await timed(`GetMetricStatistics, all ${LBS} load balancers (no dimension), one day at 60 s`, () => client.send(new GetMetricStatisticsCommand({
  Namespace: 'AWS/ELB', MetricName: 'RequestCount', ...dayRange, Period: 60, Statistics: ['Sum'],
})), (answer) => `${answer.Datapoints.length} data points`)
await timed(`GetMetricStatistics, one zone of ${LBS} load balancers ({AvailabilityZone}), Latency p99, one day at 60 s`, () => client.send(new GetMetricStatisticsCommand({
  Namespace: 'AWS/ELB', MetricName: 'Latency', Dimensions: [{Name: 'AvailabilityZone', Value: ZONES[0]}], ...dayRange, Period: 60, ExtendedStatistics: ['p99'],
})), (answer) => `${answer.Datapoints.length} data points`)
await timed('GetMetricStatistics, one load balancer, Latency p50 and p99, one day at 60 s', () => client.send(new GetMetricStatisticsCommand({
  Namespace: 'AWS/ELB', MetricName: 'Latency', Dimensions: [{Name: 'LoadBalancerName', Value: 'lb-0000'}], ...dayRange, Period: 60, ExtendedStatistics: ['p50', 'p99'],
})), (answer) => `${answer.Datapoints.length} data points`)
await timed(`ListMetrics, AWS/ELB over ${LBS} load balancers, every page`, async () => {
  let count = 0
  let pages = 0
  let NextToken
  do {
    const page = await client.send(new ListMetricsCommand({Namespace: 'AWS/ELB', NextToken}))
    count += page.Metrics.length
    pages++
    NextToken = page.NextToken
  } while (NextToken !== undefined)
  return {count, pages}
}, ({count, pages}) => `${count} metrics in ${pages} pages`)
await timed(`ListMetrics, one load balancer's metrics (filtered from ${LBS})`, () => client.send(new ListMetricsCommand({
  Namespace: 'AWS/ELB', Dimensions: [{Name: 'LoadBalancerName', Value: 'lb-0500'}],
})), (answer) => `${answer.Metrics.length} metrics`)
client.destroy()
await new Promise((resolve) => server.close(resolve))
