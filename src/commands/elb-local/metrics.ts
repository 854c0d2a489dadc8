import {Args, Command, Flags} from '@oclif/core'
import {engineEndpoint} from '../../lib/client/local-engine.js'
import {formatSeries, formatSummaries} from '../../engine/metrics/format.js'
import type {MetricsSummary} from '../../engine/metrics/http.js'
import type {MetricsSnapshot} from '../../engine/metrics/store.js'

export default class ElbLocalMetrics extends Command {
  static override summary = 'Show the metrics the data plane measured: every load balancer\'s last minute, or one load balancer over time.'
  static override description = 'The same numbers as the console\'s Monitoring tab and the Prometheus text at /metrics.'
  static override enableJsonFlag = true
  static override args = {
    loadBalancer: Args.string({description: 'A load balancer name: show its series instead of the summary.'}),
  }

  static override flags = {
    region: Flags.string({description: 'Region (default: the engine\'s default region).'}),
    range: Flags.integer({description: 'With a load balancer: seconds to show, up to 3600.', default: 60, min: 1, max: 3600}),
    step: Flags.integer({description: 'With a load balancer: seconds per row (default: range / 12).', min: 1, max: 3600}),
  }

  async run(): Promise<unknown> {
    const {args, flags} = await this.parse(ElbLocalMetrics)
    const query = new URLSearchParams(flags.region === undefined ? {} : {region: flags.region})
    if (args.loadBalancer === undefined) {
      const answer = await this.fetchJson<{loadBalancers: MetricsSummary[]}>(`/metrics/load-balancers?${query.toString()}`)
      this.log(formatSummaries(answer.loadBalancers))
      return answer
    }
    query.set('range', String(flags.range))
    query.set('step', String(flags.step ?? Math.max(1, Math.ceil(flags.range / 12))))
    const snapshot = await this.fetchJson<MetricsSnapshot>(`/metrics/load-balancers/${encodeURIComponent(args.loadBalancer)}?${query.toString()}`)
    this.log(formatSeries(snapshot))
    return snapshot
  }

  private async fetchJson<T>(path: string): Promise<T> {
    const endpoint = engineEndpoint()
    let response: Response
    try {
      response = await fetch(`${endpoint}${path}`)
    } catch {
      this.error(`The local engine is not running at ${endpoint}. Start it with \`elb-local start\`.`, {exit: 1})
    }
    const body = await response.json() as T & {error?: {code: string; message: string}}
    if (!response.ok) this.error(`${body.error?.code ?? response.status}: ${body.error?.message ?? response.statusText}`, {exit: 1})
    return body
  }
}
