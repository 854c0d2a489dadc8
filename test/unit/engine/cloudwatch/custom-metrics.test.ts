import {CustomMetrics, MAX_CUSTOM_METRICS, MAX_MINUTES_PER_METRIC} from '../../../../src/engine/cloudwatch/custom-metrics.js'

/** The bounds of the in-memory custom metrics: metric count refused whole, minutes dropped oldest first. */

const NOW = Date.UTC(2026, 0, 10)

test(`at most ${MAX_CUSTOM_METRICS} metrics: a call that would pass the cap is refused whole`, () => {
  const store = new CustomMetrics()
  for (let batch = 0; batch < MAX_CUSTOM_METRICS / 1000; batch++) {
    store.put('us-east-1', 'App', Array.from({length: 1000}, (_, n) => ({MetricName: `m${batch * 1000 + n}`, Value: 1})), NOW)
  }
  expect([...store.all()]).toHaveLength(MAX_CUSTOM_METRICS)
  expect(() => { store.put('us-east-1', 'App', [{MetricName: 'm0', Value: 2}, {MetricName: 'one-too-many', Value: 1}], NOW) })
    .toThrow(expect.objectContaining({code: 'LimitExceeded'}) as Error)
  expect(store.find('us-east-1', 'App', 'm0', [])?.buckets.size).toBe(1)
  expect([...store.find('us-east-1', 'App', 'm0', [])?.buckets.values() ?? []][0]?.set.sum).toBe(1)
  // A metric that exists already still takes data.
  store.put('us-east-1', 'App', [{MetricName: 'm0', Value: 2}], NOW)
  expect([...store.find('us-east-1', 'App', 'm0', [])?.buckets.values() ?? []][0]?.set.sum).toBe(3)
})

test(`at most ${MAX_MINUTES_PER_METRIC} minutes per metric, the oldest dropped first`, () => {
  const store = new CustomMetrics()
  const minutes = MAX_MINUTES_PER_METRIC + 5
  for (let start = 0; start < minutes; start += 500) {
    const data = Array.from({length: Math.min(500, minutes - start)}, (_, n) => ({MetricName: 'm', Value: 1, Timestamp: new Date(NOW - (minutes - start - n) * 60_000)}))
    store.put('us-east-1', 'App', data, NOW)
  }
  const buckets = [...store.find('us-east-1', 'App', 'm', [])?.buckets.values() ?? []]
  expect(buckets).toHaveLength(MAX_MINUTES_PER_METRIC)
  expect(Math.min(...buckets.map((bucket) => bucket.minute))).toBe((NOW - (MAX_MINUTES_PER_METRIC) * 60_000) / 1000)
})

test('timestamps older than two weeks or more than two hours ahead are refused', () => {
  const store = new CustomMetrics()
  for (const at of [NOW - 15 * 86_400_000, NOW + 3 * 3_600_000]) {
    expect(() => { store.put('us-east-1', 'App', [{MetricName: 'm', Value: 1, Timestamp: new Date(at)}], NOW) })
      .toThrow('The parameter MetricData.member.1.Timestamp must specify a time no more than two weeks in the past or two hours in the future.')
  }
  expect([...store.all()]).toEqual([])
})
