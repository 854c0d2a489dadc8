/**
 * The metrics' exchange observer: one per load balancer, registered with the data plane
 * (`DataPlaneOptions.observe`). It turns each finished exchange into a few counter increments in
 * that load balancer's `LoadBalancerMetrics`; it keeps nothing of the record.
 */
import type {ExchangeObserver, ExchangeRecord} from '../dataplane/observer.js'
import type {LoadBalancerMetrics} from './series.js'

export function metricsObserver(metrics: LoadBalancerMetrics): ExchangeObserver {
  return {
    needsHeaders: false,
    onExchangeComplete(record: ExchangeRecord): void {
      if (record.backendError !== undefined) metrics.backendConnectionError(record.zone)
      if (record.status === 0) {
        // TCP/SSL (or an HTTP exchange that ended without any status): a connection made to an
        // instance counts as a request. The TCP proxy takes no connect time, so no Latency sample.
        if (record.instanceId !== undefined && record.backendError === undefined) metrics.connection(undefined, record.zone)
        return
      }
      if (record.origin === 'backend' && record.forwardedAt > 0 && record.respondedAt >= record.forwardedAt) {
        // AWS's Latency: from the request leaving the load balancer to the response headers arriving.
        metrics.backendResponse(record.status, (record.respondedAt - record.forwardedAt) / 1000, record.zone)
      } else {
        metrics.elbResponse(record.status, record.zone)
      }
    },
    onSurgeQueue(length: number, spilled: boolean, zone: string, zoneLength: number): void {
      metrics.surgeQueue(length, zone, zoneLength)
      if (spilled) metrics.spillover(zone)
    },
  }
}
