import type {Metric} from '@aws-sdk/client-cloudwatch'
import {valueOf, type ElbCommandSpec} from '../command.js'
import {METRIC} from '../format/cloudwatch.js'
import {toRecordSet} from '../format/records.js'
import {DIMENSIONS, dimensionsOf, NAMESPACE} from './cloudwatch-options.js'

/** ListMetrics pages hold 500 metrics: 200 pages are 100,000 metrics, past which the listing stops. */
const MAX_PAGES = 200

export const command: ElbCommandSpec = {
  name: 'mon-list-metrics',
  summary: "List user's metrics.",
  service: 'cloudwatch',
  positional: {kind: 'none'},
  options: [DIMENSIONS, {name: 'metric-name', kind: 'value', short: 'm'}, NAMESPACE],
  async run(args, call) {
    const client = await call.cloudwatch()
    const namespace = valueOf(args, 'namespace')
    const metricName = valueOf(args, 'metric-name')
    const dimensions = dimensionsOf(args)
    const metrics: Metric[] = []
    let token: string | undefined
    // The legacy tool lists every metric: it follows NextToken to the end.
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const result = await client.listMetrics({
        ...(namespace === undefined ? {} : {Namespace: namespace}),
        ...(metricName === undefined ? {} : {MetricName: metricName}),
        ...(dimensions === undefined ? {} : {Dimensions: dimensions}),
        ...(token === undefined ? {} : {NextToken: token}),
      })
      metrics.push(...(result.Metrics ?? []))
      token = result.NextToken
      if (token === undefined || token === '') break
    }
    return {kind: 'records', sets: [toRecordSet(METRIC, metrics)]}
  },
}
