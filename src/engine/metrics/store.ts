/**
 * All load balancers' metrics (one `LoadBalancerMetrics` each), kept while the load balancer
 * exists. The data plane asks once per load balancer for its recorder and keeps it; the health
 * counts are sampled once a second from the health checker.
 */
import {EVERYTHING, touchedLoadBalancers, type ChangeSet} from '../model/persistence/changes.js'
import type {EngineState, HealthView} from '../model/types.js'
import {LoadBalancerMetrics, type SeriesPoints} from './series.js'

export interface LoadBalancerKey {
  readonly region: string
  readonly loadBalancerName: string
}

export interface MetricsSnapshot extends LoadBalancerKey, SeriesPoints {
  /** The second the load balancer was created (epoch seconds): steps that end before it are no data. */
  readonly created?: number
}

function keyOf(region: string, name: string): string {
  return `${region}\u0000${name}`
}

export class MetricsStore {
  private readonly byKey = new Map<string, {key: LoadBalancerKey; metrics: LoadBalancerMetrics}>()
  private state: EngineState | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly clock: () => number = Date.now) {}

  /** The recorder of one load balancer (created on first use). */
  forLoadBalancer(region: string, loadBalancerName: string): LoadBalancerMetrics {
    const id = keyOf(region, loadBalancerName)
    let entry = this.byKey.get(id)
    if (entry === undefined) {
      entry = {key: {region, loadBalancerName}, metrics: new LoadBalancerMetrics(this.clock)}
      this.byKey.set(id, entry)
    }
    return entry.metrics
  }

  find(region: string, loadBalancerName: string): LoadBalancerMetrics | undefined {
    return this.byKey.get(keyOf(region, loadBalancerName))?.metrics
  }

  /**
   * Forgets the metrics of deleted load balancers (a new one of the same name starts at zero),
   * looking only at the load balancers the write touched.
   */
  apply(state: EngineState, changes: ChangeSet = EVERYTHING): void {
    this.state = state
    if (changes.all) {
      const live = new Set<string>()
      for (const [region, regionState] of Object.entries(state.regions)) {
        for (const lb of regionState.loadBalancers) live.add(keyOf(region, lb.name))
      }
      for (const id of this.byKey.keys()) if (!live.has(id)) this.byKey.delete(id)
      return
    }
    for (const touched of touchedLoadBalancers(state, changes)) {
      if (touched.record === undefined) this.byKey.delete(keyOf(touched.region, touched.name))
    }
  }

  /** Samples HealthyHostCount/UnHealthyHostCount of every load balancer with registered instances. */
  sampleHosts(health: HealthView): void {
    const state = this.state
    if (state === undefined) return
    for (const [region, regionState] of Object.entries(state.regions)) {
      for (const lb of regionState.loadBalancers) {
        if (lb.instances.length === 0 && this.find(region, lb.name) === undefined) continue
        let healthy = 0
        let unhealthy = 0
        for (const instance of lb.instances) {
          if (health.instanceHealth(region, lb.name, instance.instanceId)?.state === 'InService') healthy++
          else unhealthy++
        }
        this.forLoadBalancer(region, lb.name).sampleHosts(healthy, unhealthy)
      }
    }
  }

  /** Samples host counts every second until `close()`. */
  startSampling(health: HealthView): void {
    this.sampleHosts(health)
    this.timer = setInterval(() => { this.sampleHosts(health); }, 1000)
    this.timer.unref()
  }

  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }

  /** Every known load balancer, in no particular order (no sort: what per-minute work walks). */
  unordered(): IterableIterator<{key: LoadBalancerKey; metrics: LoadBalancerMetrics}> {
    return this.byKey.values()
  }

  /** Every known load balancer, in region then name order. */
  entries(): {key: LoadBalancerKey; metrics: LoadBalancerMetrics}[] {
    return [...this.byKey.values()].sort((a, b) =>
      a.key.region.localeCompare(b.key.region) || a.key.loadBalancerName.localeCompare(b.key.loadBalancerName))
  }

  snapshot(region: string, loadBalancerName: string, rangeSeconds: number, step: number): MetricsSnapshot {
    const metrics = this.find(region, loadBalancerName) ?? new LoadBalancerMetrics(this.clock)
    const lb = this.state?.regions[region]?.loadBalancers.find((candidate) => candidate.name === loadBalancerName)
    const created = lb === undefined ? undefined : Math.floor(Date.parse(lb.createdTime) / 1000)
    return {region, loadBalancerName, ...metrics.points(rangeSeconds, step), ...(created === undefined ? {} : {created})}
  }
}
