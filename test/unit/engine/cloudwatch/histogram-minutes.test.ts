/**
 * The compact per-minute Latency histograms (cloudwatch/histogram-minutes.ts): only non-empty
 * buckets are kept, a minute written again replaces its buckets without touching its neighbours,
 * hours older than the history are dropped, and a count beyond 25 bits is capped, not wrapped.
 */
import {HistogramMinutes} from '../../../../src/engine/cloudwatch/histogram-minutes.js'
import {OBJECT_OVERHEAD} from '../../../../src/engine/cloudwatch/minute-rings.js'
import {LATENCY_BUCKETS} from '../../../../src/engine/metrics/counters.js'

const dense = (entries: Record<number, number>) => {
  const histogram = new Uint32Array(LATENCY_BUCKETS)
  for (const [bucket, count] of Object.entries(entries)) histogram[Number(bucket)] = count
  return histogram
}
const sparse = (histogram: Uint32Array | undefined) =>
  histogram === undefined ? undefined : Object.fromEntries([...histogram.entries()].filter(([, count]) => count > 0))

test('minutes are read back as written; a rewrite replaces one minute only; empty minutes cost nothing', () => {
  const kept = new HistogramMinutes(1440)
  const base = 60 * 1000
  kept.write(base + 5, dense({3: 7, 40: 1}))
  kept.write(base + 6, dense({89: 2}))
  kept.write(base + 59, dense({0: 1}))
  expect(sparse(kept.read(base + 5))).toEqual({3: 7, 40: 1})
  expect(kept.read(base + 4)).toBeUndefined()
  kept.write(base + 5, dense({10: 4, 11: 5, 12: 6}))
  expect([base + 5, base + 6, base + 59].map((minute) => sparse(kept.read(minute)))).toEqual([{10: 4, 11: 5, 12: 6}, {89: 2}, {0: 1}])
  kept.write(base + 6, dense({}))
  expect(kept.read(base + 6)).toBeUndefined()
  // Four non-empty buckets in the hour: 16 bytes of words, the hour's 60 end offsets, two objects' overhead.
  expect(kept.bytes()).toBe(4 * 4 + 60 * 2 + 2 * OBJECT_OVERHEAD)
  kept.write(base + 200, dense({}))
  expect(kept.bytes()).toBe(4 * 4 + 60 * 2 + 2 * OBJECT_OVERHEAD)
})

test('hours older than the history are dropped as new ones arrive, and their bytes with them; counts are capped at 25 bits', () => {
  const meter = {bytes: 0}
  const kept = new HistogramMinutes(120, meter)
  kept.write(600, dense({1: 2 ** 26}))
  expect(sparse(kept.read(600))).toEqual({1: 2 ** 25 - 1})
  kept.write(700, dense({2: 1}))
  expect(kept.read(600)).toBeDefined()
  expect(kept.oldestMinute()).toBe(600)
  kept.write(900, dense({2: 1}))
  expect([kept.read(600), kept.read(700)]).toEqual([undefined, undefined])
  expect(sparse(kept.read(900))).toEqual({2: 1})
  expect(meter.bytes).toBe(kept.bytes())
  kept.expire(1000)
  expect([kept.bytes(), meter.bytes]).toEqual([0, 0])
})

test('a minute written after a later one of its hour (out of the fold order) is inserted before it', () => {
  const kept = new HistogramMinutes(1440)
  kept.write(600 + 10, dense({5: 1}))
  kept.write(600 + 3, dense({7: 2, 8: 3}))
  kept.write(600 + 20, dense({9: 4}))
  expect([3, 9, 10, 20].map((minute) => sparse(kept.read(600 + minute)))).toEqual([{7: 2, 8: 3}, undefined, {5: 1}, {9: 4}])
})
