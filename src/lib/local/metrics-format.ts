/** `elb-local metrics` tables (pure: the JSON the engine serves in, text out). */
import type {MetricsSummary} from '../../engine/metrics/http.js'
import type {MetricsSnapshot} from '../../engine/metrics/store.js'
import {renderTable, type Column, type TableOptions} from './table.js'

/**
 * The metric columns after the first, in CloudWatch's order. The rarer ones may be left out to fit
 * the terminal (`--wide` shows them; `--json` has every number).
 */
const METRIC_COLUMNS: readonly Column[] = [
  {header: 'Requests'}, {header: '2XX'}, {header: '3XX', optional: true}, {header: '4XX'}, {header: '5XX'},
  {header: 'ELB 4XX', optional: true}, {header: 'ELB 5XX'}, {header: 'Conn errors', optional: true},
  {header: 'Latency ms'}, {header: 'p99 ms'}, {header: 'Healthy'}, {header: 'Unhealthy'},
]

const count = (value: number | null | undefined) => String(value ?? 0)
const ms = (seconds: number | null | undefined) => seconds === null || seconds === undefined ? '-' : (seconds * 1000).toFixed(2)

/** One row per load balancer: its last minute. */
export function formatSummaries(summaries: readonly MetricsSummary[], options: TableOptions = {}): string {
  if (summaries.length === 0) return 'No load balancers.'
  return renderTable(
    [{header: 'Load balancer', wrap: true}, ...METRIC_COLUMNS],
    summaries.map((summary) => {
      const m = summary.lastMinute
      return [
        summary.loadBalancerName, count(m.RequestCount), count(m.HTTPCode_Backend_2XX), count(m.HTTPCode_Backend_3XX),
        count(m.HTTPCode_Backend_4XX), count(m.HTTPCode_Backend_5XX), count(m.HTTPCode_ELB_4XX), count(m.HTTPCode_ELB_5XX),
        count(m.BackendConnectionErrors), ms(m.Latency), ms(m.LatencyP99), count(summary.healthyHostCount), count(summary.unHealthyHostCount),
      ]
    }),
    options,
  )
}

/** One row per step of one load balancer's series, oldest first. */
export function formatSeries(snapshot: MetricsSnapshot, options: TableOptions = {}): string {
  const m = snapshot.metrics
  return renderTable(
    [{header: 'Time (UTC)'}, ...METRIC_COLUMNS],
    snapshot.timestamps.map((second, index) => [
      new Date(second * 1000).toISOString().slice(11, 19),
      count(m.RequestCount?.[index]), count(m.HTTPCode_Backend_2XX?.[index]), count(m.HTTPCode_Backend_3XX?.[index]),
      count(m.HTTPCode_Backend_4XX?.[index]), count(m.HTTPCode_Backend_5XX?.[index]), count(m.HTTPCode_ELB_4XX?.[index]),
      count(m.HTTPCode_ELB_5XX?.[index]), count(m.BackendConnectionErrors?.[index]), ms(m.Latency?.[index]), ms(m.LatencyP99?.[index]),
      m.HealthyHostCount?.[index] === null ? '-' : count(m.HealthyHostCount?.[index]),
      m.UnHealthyHostCount?.[index] === null ? '-' : count(m.UnHealthyHostCount?.[index]),
    ]),
    options,
  )
}

/** The snapshot without the steps that ended before the load balancer existed. */
export function sinceCreation(snapshot: MetricsSnapshot): MetricsSnapshot {
  const created = snapshot.created
  if (created === undefined) return snapshot
  const first = snapshot.timestamps.findIndex((second) => second + snapshot.step > created)
  const from = first === -1 ? snapshot.timestamps.length : first
  if (from === 0) return snapshot
  const metrics = Object.fromEntries(Object.entries(snapshot.metrics).map(([name, values]) => [name, values.slice(from)]))
  return {...snapshot, start: snapshot.start + from * snapshot.step, timestamps: snapshot.timestamps.slice(from), metrics}
}
