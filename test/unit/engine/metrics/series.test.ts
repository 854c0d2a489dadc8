import {bucketUpperBound, latencyBucket, LoadBalancerMetrics, WINDOW_SECONDS} from '../../../../src/engine/metrics/series.js'
import {MetricsStore} from '../../../../src/engine/metrics/store.js'
import {createPrometheusRegistry, prometheusName} from '../../../../src/engine/metrics/prometheus.js'

function clockAt(start: number): {now: () => number; set: (ms: number) => void} {
  let value = start
  return {now: () => value, set: (ms) => { value = ms }}
}

describe('LoadBalancerMetrics', () => {
  test('counts requests per second by status class and averages latency', () => {
    const clock = clockAt(1_000_000_000)
    const metrics = new LoadBalancerMetrics(clock.now)
    metrics.backendResponse(200, 0.010)
    metrics.backendResponse(204, 0.030)
    metrics.backendResponse(503, 0.020)
    metrics.elbResponse(503)
    metrics.elbResponse(408)
    metrics.backendConnectionError()
    clock.set(1_000_001_000)
    metrics.backendResponse(302, 0.5)
    const points = metrics.points(2, 1)
    expect(points.timestamps).toEqual([1_000_000, 1_000_001])
    expect(points.metrics.RequestCount).toEqual([5, 1])
    expect(points.metrics.HTTPCode_Backend_2XX).toEqual([2, 0])
    expect(points.metrics.HTTPCode_Backend_3XX).toEqual([0, 1])
    expect(points.metrics.HTTPCode_Backend_5XX).toEqual([1, 0])
    expect(points.metrics.HTTPCode_ELB_4XX).toEqual([1, 0])
    expect(points.metrics.HTTPCode_ELB_5XX).toEqual([1, 0])
    expect(points.metrics.BackendConnectionErrors).toEqual([1, 0])
    expect(points.metrics.Latency?.[0]).toBeCloseTo(0.02, 6)
    // The first second is over: its p99 is the 30 ms sample's bucket; the current one is pending.
    expect(points.metrics.LatencyP99?.[0]).toBeGreaterThanOrEqual(0.03)
    expect(points.metrics.LatencyP99?.[0]).toBeLessThan(0.03 * 1.2)
    expect(points.metrics.LatencyP99?.[1]).toBeNull()
  })

  test('p99 of a second picks the 99th percentile sample, not the maximum', () => {
    const clock = clockAt(5_000_000)
    const metrics = new LoadBalancerMetrics(clock.now)
    for (let index = 0; index < 990; index++) metrics.backendResponse(200, 0.001)
    for (let index = 0; index < 10; index++) metrics.backendResponse(200, 2)
    clock.set(5_001_000)
    const p99 = metrics.points(2, 1).metrics.LatencyP99?.[0] ?? 0
    expect(p99).toBeGreaterThanOrEqual(0.001)
    expect(p99).toBeLessThan(0.0013)
  })

  test('seconds older than the hour are gone; a reused slot starts at zero', () => {
    const clock = clockAt(10_000_000)
    const metrics = new LoadBalancerMetrics(clock.now)
    metrics.backendResponse(200, 0.01)
    clock.set(10_000_000 + WINDOW_SECONDS * 1000)
    metrics.backendResponse(200, 0.01)
    const points = metrics.points(WINDOW_SECONDS, 1)
    expect(points.metrics.RequestCount?.reduce((sum, value) => (sum ?? 0) + (value ?? 0), 0)).toBe(1)
    expect(metrics.totals().counters.RequestCount).toBe(2)
  })

  test('steps sum counters and keep the last host sample', () => {
    const clock = clockAt(20_000_000)
    const metrics = new LoadBalancerMetrics(clock.now)
    for (let second = 0; second < 10; second++) {
      clock.set(20_000_000 + second * 1000)
      metrics.backendResponse(200, 0.01)
      metrics.sampleHosts(2, second < 5 ? 0 : 1)
    }
    const points = metrics.points(10, 5)
    expect(points.timestamps).toEqual([20_000, 20_005])
    expect(points.metrics.RequestCount).toEqual([5, 5])
    expect(points.metrics.UnHealthyHostCount).toEqual([0, 1])
    expect(points.metrics.HealthyHostCount).toEqual([2, 2])
  })

  test('latency buckets are monotonic and bound their values', () => {
    for (const value of [0.00005, 0.0002, 0.003, 0.25, 7, 1000]) {
      const bucket = latencyBucket(value)
      expect(bucketUpperBound(bucket)).toBeGreaterThanOrEqual(Math.min(value, bucketUpperBound(89)))
      if (bucket > 0 && value < 100) expect(bucketUpperBound(bucket - 1)).toBeLessThan(value)
    }
  })
})

describe('MetricsStore', () => {
  const state = (names: string[]) => ({
    accountId: '1', iam: {serverCertificates: []},
    regions: {'us-east-1': {instances: [], loadBalancers: names.map((name) => ({name, instances: [{instanceId: 'i-1'}, {instanceId: 'i-2'}]}))}},
  }) as never

  test('samples host counts from the health view and forgets deleted load balancers', () => {
    const store = new MetricsStore(() => 30_000_000)
    store.apply(state(['a', 'b']))
    store.sampleHosts({
      instanceHealth: (_region, _lb, id) => ({state: id === 'i-1' ? 'InService' : 'OutOfService', reasonCode: 'ELB', description: ''}),
      drainingInstances: () => [],
    })
    expect(store.find('us-east-1', 'a')?.totals()).toMatchObject({healthy: 1, unhealthy: 1})
    store.apply(state(['b']))
    expect(store.find('us-east-1', 'a')).toBeUndefined()
    expect(store.find('us-east-1', 'b')).toBeDefined()
  })

  test('Prometheus text carries totals per load balancer', async () => {
    const store = new MetricsStore(() => 40_000_000)
    store.forLoadBalancer('us-east-1', 'web').backendResponse(200, 0.25)
    store.forLoadBalancer('us-east-1', 'web').elbResponse(503)
    const text = await createPrometheusRegistry(store).metrics()
    expect(prometheusName('HTTPCode_Backend_2XX')).toBe('elb_httpcode_backend_2xx')
    expect(text).toContain('# TYPE elb_request_count_total counter')
    expect(text).toContain('elb_request_count_total{region="us-east-1",load_balancer_name="web"} 2')
    expect(text).toContain('elb_httpcode_elb_5xx_total{region="us-east-1",load_balancer_name="web"} 1')
    expect(text).toContain('elb_latency_seconds_sum{region="us-east-1",load_balancer_name="web"} 0.25')
  })
})
