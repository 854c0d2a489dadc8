/**
 * The metrics endpoints, mounted at `/metrics` on the API port:
 *  - `GET /metrics` — Prometheus text (every load balancer, totals since the engine started);
 *  - `GET /metrics/load-balancers?region=R` — JSON, each load balancer's last minute;
 *  - `GET /metrics/load-balancers/NAME?region=R&range=SECONDS&step=SECONDS` — JSON series for
 *    the console's charts and `elb-local metrics NAME`.
 * Read-only; nothing here changes state.
 */
import {isKnownRegion, unknownRegionMessage} from '../model/regions.js'
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {Registry} from 'prom-client'
import {COUNTERS, WINDOW_SECONDS} from './series.js'
import type {MetricsStore, MetricsSnapshot} from './store.js'
import {METRICS_PREFIX} from '../constants.js'

export interface MetricsHttpDeps {
  readonly store: MetricsStore
  readonly registry: Registry
  readonly defaultRegion: string
  /** The load balancers that exist now in `region`. */
  readonly loadBalancerNames: (region: string) => readonly string[]
}

/** One load balancer's last minute, as `GET /metrics/load-balancers` lists it. */
export interface MetricsSummary {
  readonly region: string
  readonly loadBalancerName: string
  readonly lastMinute: Record<string, number | null>
  readonly healthyHostCount: number | null
  readonly unHealthyHostCount: number | null
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = `${JSON.stringify(value)}\n`
  res.writeHead(status, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store'})
  res.end(text)
}

function integerParam(url: URL, name: string, fallback: number, max: number): number {
  const raw = url.searchParams.get(name)
  const value = raw === null ? fallback : Number(raw)
  if (!Number.isInteger(value) || value < 1 || value > max) throw new RangeError(`${name} must be an integer from 1 to ${max}.`)
  return value
}

/** Sums a minute of per-second points into one row (Latency weighted by requests, p99 the maximum). */
export function summarize(snapshot: MetricsSnapshot): MetricsSummary {
  const lastMinute: Record<string, number | null> = {}
  for (const name of COUNTERS) lastMinute[name] = (snapshot.metrics[name] ?? []).reduce<number>((sum, value) => sum + (value ?? 0), 0)
  const latency = snapshot.metrics.Latency ?? []
  const requests = snapshot.metrics.RequestCount ?? []
  let weighted = 0
  let weight = 0
  latency.forEach((value, index) => {
    if (value !== null) {
      weighted += value * (requests[index] ?? 0)
      weight += requests[index] ?? 0
    }
  })
  lastMinute.Latency = weight > 0 ? weighted / weight : null
  const p99 = (snapshot.metrics.LatencyP99 ?? []).filter((value): value is number => value !== null)
  lastMinute.LatencyP99 = p99.length > 0 ? Math.max(...p99) : null
  const last = (name: string) => (snapshot.metrics[name] ?? []).filter((value) => value !== null).at(-1) ?? null
  return {
    region: snapshot.region,
    loadBalancerName: snapshot.loadBalancerName,
    lastMinute,
    healthyHostCount: last('HealthyHostCount'),
    unHealthyHostCount: last('UnHealthyHostCount'),
  }
}

export function createMetricsHandler(deps: MetricsHttpDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://engine')
    if (req.method !== 'GET') {
      res.writeHead(405, {Allow: 'GET', 'Content-Type': 'text/plain'}).end('Method Not Allowed\n')
      return
    }
    const path = url.pathname.replace(/\/+$/, '')
    const region = url.searchParams.get('region') ?? deps.defaultRegion
    if (!isKnownRegion(region)) {
      sendJson(res, 400, {error: {code: 'InvalidParameterValue', message: unknownRegionMessage(region)}})
      return
    }
    try {
      if (path === METRICS_PREFIX) {
        const text = await deps.registry.metrics()
        res.writeHead(200, {'Content-Type': deps.registry.contentType, 'Content-Length': Buffer.byteLength(text)})
        res.end(text)
      } else if (path === `${METRICS_PREFIX}/load-balancers`) {
        const names = deps.loadBalancerNames(region)
        sendJson(res, 200, {loadBalancers: names.map((name) => summarize(deps.store.snapshot(region, name, 60, 1)))})
      } else if (path.startsWith(`${METRICS_PREFIX}/load-balancers/`)) {
        const name = decodeURIComponent(path.slice(`${METRICS_PREFIX}/load-balancers/`.length))
        if (!deps.loadBalancerNames(region).includes(name)) {
          sendJson(res, 404, {error: {code: 'LoadBalancerNotFound', message: `There is no ACTIVE Load Balancer named '${name}'`}})
          return
        }
        const range = integerParam(url, 'range', 300, WINDOW_SECONDS)
        const step = integerParam(url, 'step', Math.max(1, Math.ceil(range / 300)), WINDOW_SECONDS)
        sendJson(res, 200, deps.store.snapshot(region, name, range, step))
      } else {
        sendJson(res, 404, {error: {code: 'NotFound', message: `No metrics at ${url.pathname}`}})
      }
    } catch (error) {
      if (!(error instanceof RangeError || error instanceof URIError)) throw error
      sendJson(res, 400, {error: {code: 'InvalidParameterValue', message: error.message}})
    }
  }
}
