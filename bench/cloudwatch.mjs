// CloudWatch benchmark (docs/benchmarks.md, "CloudWatch"): a day of one-minute AWS/ELB history on
// CW_LBS load balancers (default 1,000, each with two zones' nodes) injected into the engine's
// MinuteHistory — the path the per-minute fold uses, not the request path — then, over loopback
// through SDK v3 (AWS JSON 1.0): GetMetricStatistics over one day at 60 s for one load balancer,
// the region-wide and one zone's aggregate over the day at 60 s and 3,600 s, a percentile, and
// ListMetrics over every load balancer (all pages), each with the longest the event loop was held
// (perf_hooks monitorEventLoopDelay). Bounded: CW_ROUNDS calls each (default 20). Run with
// `node --expose-gc bench/cloudwatch.mjs` after `npm run build` (bench/cloudwatch.sh does both).
import {CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand} from '@aws-sdk/client-cloudwatch'
import {monitorEventLoopDelay} from 'node:perf_hooks'
import {createApiServer} from '../dist/engine/api/server.js'
import {cloudWatchService} from '../dist/engine/api/services/cloudwatch.js'
import {MinuteHistory} from '../dist/engine/cloudwatch/history.js'
import {CloudWatchService} from '../dist/engine/cloudwatch/service.js'
import {MetricsStore} from '../dist/engine/metrics/store.js'

const LBS = Number(process.env.CW_LBS ?? 1000)
const ROUNDS = Number(process.env.CW_ROUNDS ?? 20)
const DAY = 1440
const REGION = 'us-east-1'
const ZONES = ['us-east-1a', 'us-east-1b']
const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`
const gc = () => { globalThis.gc?.(); globalThis.gc?.() }

gc()
const before = process.memoryUsage()
const store = new MetricsStore()
const history = new MinuteHistory(store, {minutes: DAY})
const now = Math.floor(Date.now() / 60_000)
const injectStarted = performance.now()
/** A minute's Latency histogram: `requests` spread over eight buckets (≈ 5-80 ms) as 1:2:4:8:8:4:2:1. */
const histogramOf = (requests) => {
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
for (let lb = 0; lb < LBS; lb++) {
  const name = `lb-${String(lb).padStart(4, '0')}`
  for (let minute = now - DAY; minute < now; minute++) {
    // A web site's day: 50-250 requests a minute, a few 4XX, now and then a 5XX; latency 5-80 ms;
    // the first zone's node takes ⅔ of them.
    const requests = 50 + ((minute * 7 + lb) % 200)
    const errors4xx = minute % 5 === 0 ? 3 : 0
    const errors5xx = minute % 97 === 0 ? 1 : 0
    history.recordTraffic(REGION, name, minute, minuteOf(requests, errors4xx, errors5xx))
    const first = Math.round((requests * 2) / 3)
    history.recordZoneTraffic(REGION, name, ZONES[0], minute, minuteOf(first, errors4xx, 0))
    history.recordZoneTraffic(REGION, name, ZONES[1], minute, minuteOf(requests - first, 0, errors5xx))
    // One host-count sample per node and minute (the engine takes 60; the rings' size is the same).
    for (const zone of ZONES) history.recordHosts(REGION, name, zone, minute, 2, 0)
  }
}
const injectMs = performance.now() - injectStarted
gc()
const after = process.memoryUsage()
console.log(`history: ${LBS} load balancers × ${DAY} minutes injected in ${(injectMs / 1000).toFixed(1)} s`)
console.log(`memory: rings ${mib(history.bytes())} (${(history.bytes() / LBS / 1024).toFixed(1)} KiB per load balancer); ` +
  `process +${mib(after.rss - before.rss)} RSS, +${mib(after.heapUsed - before.heapUsed)} heap, +${mib(after.arrayBuffers - before.arrayBuffers)} array buffers`)

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
