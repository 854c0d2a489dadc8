/** `elb-local metrics` tables (pure: the JSON the engine serves in, text out). */
import Table from 'cli-table3'
import type {MetricsSummary} from './http.js'
import type {MetricsSnapshot} from './store.js'

function table(head: string[], rows: string[][]): string {
  const output = new Table({head, style: {head: [], border: []}})
  output.push(...rows)
  return output.toString()
}

const count = (value: number | null | undefined) => String(value ?? 0)
const ms = (seconds: number | null | undefined) => seconds === null || seconds === undefined ? '-' : (seconds * 1000).toFixed(2)

/** One row per load balancer: its last minute. */
export function formatSummaries(summaries: readonly MetricsSummary[]): string {
  if (summaries.length === 0) return 'No load balancers.'
  return table(
    ['Load balancer', 'Requests', '2XX', '3XX', '4XX', '5XX', 'ELB 4XX', 'ELB 5XX', 'Conn errors', 'Latency ms', 'p99 ms', 'Healthy', 'Unhealthy'],
    summaries.map((summary) => {
      const m = summary.lastMinute
      return [
        summary.loadBalancerName, count(m.RequestCount), count(m.HTTPCode_Backend_2XX), count(m.HTTPCode_Backend_3XX),
        count(m.HTTPCode_Backend_4XX), count(m.HTTPCode_Backend_5XX), count(m.HTTPCode_ELB_4XX), count(m.HTTPCode_ELB_5XX),
        count(m.BackendConnectionErrors), ms(m.Latency), ms(m.LatencyP99), count(summary.healthyHostCount), count(summary.unHealthyHostCount),
      ]
    }),
  )
}

/** One row per step of one load balancer's series, oldest first. */
export function formatSeries(snapshot: MetricsSnapshot): string {
  const m = snapshot.metrics
  return table(
    ['Time (UTC)', 'Requests', '2XX', '3XX', '4XX', '5XX', 'ELB 4XX', 'ELB 5XX', 'Conn errors', 'Latency ms', 'p99 ms', 'Healthy', 'Unhealthy'],
    snapshot.timestamps.map((second, index) => [
      new Date(second * 1000).toISOString().slice(11, 19),
      count(m.RequestCount?.[index]), count(m.HTTPCode_Backend_2XX?.[index]), count(m.HTTPCode_Backend_3XX?.[index]),
      count(m.HTTPCode_Backend_4XX?.[index]), count(m.HTTPCode_Backend_5XX?.[index]), count(m.HTTPCode_ELB_4XX?.[index]),
      count(m.HTTPCode_ELB_5XX?.[index]), count(m.BackendConnectionErrors?.[index]), ms(m.Latency?.[index]), ms(m.LatencyP99?.[index]),
      m.HealthyHostCount?.[index] === null ? '-' : count(m.HealthyHostCount?.[index]),
      m.UnHealthyHostCount?.[index] === null ? '-' : count(m.UnHealthyHostCount?.[index]),
    ]),
  )
}
