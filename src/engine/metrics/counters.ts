/**
 * What the metrics count, shared by the per-second rings (series.ts) and the per-minute ones
 * (recent-minutes.ts): the counters in their order and the Latency histogram's log-scale buckets.
 */

/** Counters kept per second and per minute, in this order (AWS/ELB metric names). */
export const COUNTERS = [
  'RequestCount',
  'HTTPCode_Backend_2XX',
  'HTTPCode_Backend_3XX',
  'HTTPCode_Backend_4XX',
  'HTTPCode_Backend_5XX',
  'HTTPCode_ELB_4XX',
  'HTTPCode_ELB_5XX',
  'BackendConnectionErrors',
  'SpilloverCount',
] as const
export type CounterName = (typeof COUNTERS)[number]

export const REQUESTS = 0
export const BACKEND_BASE = 1 // + status class 2..5 - 2
export const ELB_4XX = 5
export const ELB_5XX = 6
export const CONNECTION_ERRORS = 7
export const SPILLOVERS = 8

/** Latency histogram: bucket i holds values up to FIRST_BOUND * GROWTH^i seconds (±10 %). */
const FIRST_BOUND = 0.0001
const GROWTH = 1.2
export const LATENCY_BUCKETS = 90
const LOG_GROWTH = Math.log(GROWTH)
/** A bucket's upper bound over its geometric middle. */
const HALF_BUCKET = Math.sqrt(GROWTH)

export function latencyBucket(seconds: number): number {
  if (seconds <= FIRST_BOUND) return 0
  const index = Math.ceil(Math.log(seconds / FIRST_BOUND) / LOG_GROWTH)
  return index >= LATENCY_BUCKETS ? LATENCY_BUCKETS - 1 : index
}

export function bucketUpperBound(index: number): number {
  return FIRST_BOUND * GROWTH ** index
}

/**
 * The `quantile` (0..1) of the samples a histogram holds, or undefined when it holds none: the
 * upper bound of the bucket the rank falls in (at most 20 % above the true value; what the
 * per-second p99 shows), or with `middle` its geometric middle (within ±10 % of the true value;
 * what CloudWatch's percentiles answer).
 */
export function histogramPercentile(histogram: ArrayLike<number>, quantile: number, middle = false): number | undefined {
  let samples = 0
  for (let index = 0; index < histogram.length; index++) samples += histogram[index] ?? 0
  if (samples === 0) return undefined
  const rank = Math.max(1, Math.ceil(samples * quantile))
  let seen = 0
  for (let index = 0; index < histogram.length; index++) {
    seen += histogram[index] ?? 0
    if (seen >= rank) return middle ? bucketUpperBound(index) / HALF_BUCKET : bucketUpperBound(index)
  }
  return bucketUpperBound(histogram.length - 1)
}
