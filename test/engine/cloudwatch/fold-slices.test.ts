/**
 * The once-a-minute fold of 1,000 busy load balancers (two zones each) runs in slices that never
 * hold the event loop 50 ms (perf_hooks monitorEventLoopDelay, the median of three minutes' folds),
 * and region-wide reads made between
 * its slices count every request exactly once: each load balancer is either folded (in the
 * region's and zones' aggregates) or read live from its per-second rings, never both.
 */
import {monitorEventLoopDelay} from 'node:perf_hooks'
import {cloudWatchService} from '../../../src/engine/api/services/cloudwatch.js'
import {CloudWatchService} from '../../../src/engine/cloudwatch/service.js'
import {MinuteHistory} from '../../../src/engine/cloudwatch/history.js'
import {MetricsStore} from '../../../src/engine/metrics/store.js'
import {startApiServer, type ApiServerHandle} from '../../helpers/api-server.js'

const LBS = 1000
const DAY = 1440
const ZONES = ['us-east-1a', 'us-east-1b']
const MAX_HELD_MS = 50
const nowMinute = Math.floor(Date.UTC(2026, 0, 3, 12, 0, 30) / 60_000)

interface Datapoints {Datapoints?: {Sum?: number}[]}

/** Each load balancer: 3 requests through its node in us-east-1a and 1 through us-east-1b, in `minute`. */
function trafficIn(store: MetricsStore, minute: number, setClock: (ms: number) => void): void {
  for (let lb = 0; lb < LBS; lb++) {
    const metrics = store.forLoadBalancer('us-east-1', `busy-${lb}`)
    setClock(minute * 60_000 + (lb % 60) * 1000)
    for (let n = 0; n < 3; n++) metrics.backendResponse(200, 0.02, ZONES[0])
    metrics.backendResponse(200, 0.2, ZONES[1])
  }
}

describe('the once-a-minute fold of 1,000 busy load balancers', () => {
  const MINUTE = nowMinute - 5
  let at = MINUTE * 60_000
  const setClock = (ms: number) => { at = ms }
  const store = new MetricsStore(() => at)
  const history = new MinuteHistory(store, {minutes: DAY})
  let server: ApiServerHandle

  const ROUNDS = 3

  beforeAll(async () => {
    // A first minute, folded: the load balancers' rings are allocated once, as on an engine that has
    // been running (that first fold's allocations are the one time it may pause for a collection).
    trafficIn(store, MINUTE - 1, setClock)
    at = MINUTE * 60_000 + 1
    await history.foldInSlices(at)
    server = await startApiServer({services: [cloudWatchService(new CloudWatchService(store, () => at, history))]})
  })

  afterAll(async () => {
    await server.close()
  })

  test('runs in slices that never hold the event loop; reads during it see every request once', async () => {
    const read = async (dimensions: object[], minute: number) => (await (await fetch(server.endpoint, {
      method: 'POST',
      headers: {'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'GraniteServiceVersion20100801.GetMetricStatistics'},
      body: JSON.stringify({Namespace: 'AWS/ELB', MetricName: 'RequestCount', Dimensions: dimensions, StartTime: (minute - 1) * 60, EndTime: (minute + 1) * 60, Period: 60, Statistics: ['Sum']}),
    })).json() as Datapoints).Datapoints?.map((point) => point.Sum)
    const both = async (minute: number) => [...await read([], minute) ?? [], ...await read([{Name: 'AvailabilityZone', Value: ZONES[1]}], minute) ?? []]
    // Each round: a minute of traffic, then its fold with reads between the slices. The median of the
    // rounds' longest delays: on a shared machine a collection or a descheduled process may stretch one.
    const held: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      const minute = MINUTE + round
      trafficIn(store, minute, setClock)
      at = (minute + 1) * 60_000 + 5_000
      // The minute before from the aggregates, this one live (the first such read also compiles that path).
      expect(await both(minute)).toEqual([4 * LBS, 4 * LBS, LBS, LBS])
      const delay = monitorEventLoopDelay({resolution: 5})
      delay.enable()
      const fold = {done: false}
      const folding = history.foldInSlices(at).then(() => { fold.done = true })
      const seen: (number | undefined)[][] = []
      // Reads between the slices: each load balancer is either folded or read live, never both.
      while (!fold.done) seen.push(await both(minute))
      await folding
      delay.disable()
      held.push(delay.max / 1e6)
      expect(seen.length).toBeGreaterThan(0)
      for (const sums of [...seen, await both(minute)]) expect(sums).toEqual([4 * LBS, 4 * LBS, LBS, LBS])
      expect(history.foldedThrough('us-east-1', `busy-${LBS - 1}`)).toBe(minute)
    }
    expect(held.sort((a, b) => a - b)[1]).toBeLessThan(MAX_HELD_MS)
  })
})
