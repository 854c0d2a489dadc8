/**
 * Metrics measured in the data plane, read the three ways: Prometheus text at /metrics, JSON for the
 * console, and `elb-local metrics` in the terminal — after real requests through a real listener.
 */
import {eventually, startTestEngine, type TestEngine} from '../../helpers/engine.js'
import {startServedLoadBalancer} from '../../helpers/served-lb.js'
import {elbLocal, ensureBuilt} from '../../helpers/processes.js'

const OFFSET = 20_000 + 100 * Math.floor(Math.random() * 300)
const LB = 'measured'
let t: TestEngine

let get: (path: string) => Promise<number>

beforeAll(async () => {
  ensureBuilt()
  t = await startTestEngine({portOffset: OFFSET})
  get = (await startServedLoadBalancer(t, LB, OFFSET)).get
}, 60_000)

afterAll(async () => { await (t as TestEngine | undefined)?.close() })

test('25 requests: Prometheus counters, the JSON series and the terminal table all say so', async () => {
  // The wait for InService above may have met a 503 from the load balancer: count from here.
  const totals = () => t.engine.metrics.find('us-east-1', LB)?.totals().counters
  const before = totals()
  for (let n = 0; n < 25; n++) expect(await get(`/${n}`)).toBe(200)
  const after = totals()
  expect(after?.RequestCount).toBe((before?.RequestCount ?? 0) + 25)
  expect(after?.HTTPCode_Backend_2XX).toBe((before?.HTTPCode_Backend_2XX ?? 0) + 25)
  const total = after?.RequestCount ?? 0
  const ok = after?.HTTPCode_Backend_2XX ?? 0
  const elb5xx = after?.HTTPCode_ELB_5XX ?? 0

  const prometheus = await (await fetch(`${t.endpoint}/metrics`)).text()
  expect(prometheus).toContain(`elb_request_count_total{region="us-east-1",load_balancer_name="${LB}"} ${total}`)
  expect(prometheus).toContain(`elb_httpcode_backend_2xx_total{region="us-east-1",load_balancer_name="${LB}"} ${ok}`)
  expect(prometheus).toMatch(new RegExp(`elb_latency_seconds_count\\{region="us-east-1",load_balancer_name="${LB}"\\} ${ok}\\n`))

  const series = await (await fetch(`${t.endpoint}/metrics/load-balancers/${LB}?range=120&step=1`)).json() as {timestamps: number[]; metrics: Record<string, (number | null)[]>}
  expect(series.timestamps).toHaveLength(120)
  expect((series.metrics.RequestCount ?? []).reduce((sum, value) => (sum ?? 0) + (value ?? 0), 0)).toBe(total)
  expect((series.metrics.Latency ?? []).some((value) => value !== null && value > 0 && value < 1)).toBe(true)
  await eventually(async () => {
    const summary = await (await fetch(`${t.endpoint}/metrics/load-balancers`)).json() as {loadBalancers: {healthyHostCount: number | null}[]}
    return summary.loadBalancers[0]?.healthyHostCount === 1 ? true : undefined
  }, 5_000, 'HealthyHostCount 1')

  // --wide: every column (by default the rarer ones make room to fit 100 columns).
  // The p99 of the last second is folded once that second is over: wait for it rather than race it.
  const row = new RegExp(`│ ${LB} +│ ${total} +│ ${ok} +│ 0 +│ 0 +│ 0 +│ 0 +│ ${elb5xx} +│ 0 +│ \\d+\\.\\d\\d +│ \\d+\\.\\d\\d +│ 1 +│ 0 +│`)
  const terminal = await eventually(async () => {
    const run = await elbLocal(['metrics', '--wide'], {ELB_LOCAL_ENDPOINT: t.endpoint, ELB_LOCAL_AUTOSTART: '0'})
    return run.code !== 0 || row.test(run.stdout) ? run : undefined
  }, 5_000, 'the table with its p99')
  expect({code: terminal.code, stderr: terminal.stderr}).toEqual({code: 0, stderr: ''})
  expect(terminal.stdout).toMatch(row)
}, 60_000)

test('an unknown load balancer is AWS\'s LoadBalancerNotFound; a bad range is InvalidParameterValue', async () => {
  const missing = await fetch(`${t.endpoint}/metrics/load-balancers/nope`)
  expect([missing.status, await missing.json()]).toEqual([404, {error: {code: 'LoadBalancerNotFound', message: "There is no ACTIVE Load Balancer named 'nope'"}}])
  const bad = await fetch(`${t.endpoint}/metrics/load-balancers/${LB}?range=0`)
  expect([bad.status, await bad.json()]).toEqual([400, {error: {code: 'InvalidParameterValue', message: 'range must be an integer from 1 to 3600.'}}])
  const terminal = await elbLocal(['metrics', 'nope'], {ELB_LOCAL_ENDPOINT: t.endpoint, ELB_LOCAL_AUTOSTART: '0'})
  expect(terminal.code).toBe(1)
  expect(terminal.stderr).toContain("LoadBalancerNotFound: There is no ACTIVE Load Balancer named 'nope'")
}, 60_000)
