import {valueOf, type ElbCommandSpec} from '../command.js'
import {METRIC} from '../format/cloudwatch.js'
import {toRecordSet} from '../format/records.js'
import {allPages, DIMENSIONS, dimensionsOf, NAMESPACE} from './cloudwatch-shared.js'

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
    const filters = {
      ...(namespace === undefined ? {} : {Namespace: namespace}),
      ...(metricName === undefined ? {} : {MetricName: metricName}),
      ...(dimensions === undefined ? {} : {Dimensions: dimensions}),
    }
    const metrics = await allPages(MAX_PAGES, async (token) => {
      const result = await client.listMetrics({...filters, ...(token === undefined ? {} : {NextToken: token})})
      return {items: result.Metrics, next: result.NextToken}
    })
    return {kind: 'records', sets: [toRecordSet(METRIC, metrics)]}
  },
}
