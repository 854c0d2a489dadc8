/**
 * What the Monitoring tab draws, and from where (pure): the time ranges — the last hour from the
 * engine's per-second metrics, longer ones from CloudWatch statistics at the period AWS's console
 * picks — the charts and their series, and CloudWatch's answers turned into the same series.
 */

export type Source = 'seconds' | 'cloudwatch'

export interface Range {
  readonly label: string
  readonly seconds: number
  /** Seconds per point: a step over the per-second rings, or a CloudWatch period. */
  readonly step: number
  readonly source: Source
}

const MINUTE = 60
const HOUR = 3600

/**
 * The per-second ranges keep their detail; the CloudWatch ones use the periods AWS's console picks
 * for them (1 minute up to 3 hours, 5 minutes for 12 hours and a day, 1 hour for a week), which
 * stay under GetMetricData's points per query and draw at most 288 points.
 */
export const RANGES: readonly Range[] = [
  {label: '5 min', seconds: 5 * MINUTE, step: 1, source: 'seconds'},
  {label: '15 min', seconds: 15 * MINUTE, step: 3, source: 'seconds'},
  {label: '1 h', seconds: HOUR, step: 12, source: 'seconds'},
  {label: '3 h', seconds: 3 * HOUR, step: MINUTE, source: 'cloudwatch'},
  {label: '12 h', seconds: 12 * HOUR, step: 5 * MINUTE, source: 'cloudwatch'},
  {label: '1 day', seconds: 24 * HOUR, step: 5 * MINUTE, source: 'cloudwatch'},
  {label: '1 week', seconds: 7 * 24 * HOUR, step: HOUR, source: 'cloudwatch'},
]

/** A chart's data: one timestamp (Unix seconds) per point, and each series' values (null: no data). */
export interface Snapshot {
  readonly timestamps: number[]
  readonly step: number
  readonly metrics: Record<string, (number | null)[]>
}

export interface SeriesSpec {
  /** The series' key in a Snapshot: the per-second endpoint's name, or a CloudWatch query's. */
  readonly key: string
  /** The AWS/ELB metric and the statistic this series is (what an alarm on it watches). */
  readonly metric: string
  readonly statistic: string
  readonly label: string
  readonly color: string
  /** A factor for display (Latency: seconds → ms). */
  readonly scale?: number
  /** Drawn from this source only (the per-second p99 has no CloudWatch statistic; Maximum stands in). */
  readonly only?: Source
}

export interface ChartSpec {
  readonly title: string
  readonly unit: string
  readonly series: readonly SeriesSpec[]
}

const sum = (metric: string, label: string, color: string): SeriesSpec => ({key: metric, metric, statistic: 'Sum', label, color})

export const CHARTS: readonly ChartSpec[] = [
  {title: 'RequestCount', unit: 'requests', series: [sum('RequestCount', 'RequestCount', '#1f6feb')]},
  {title: 'Latency', unit: 'ms', series: [
    {key: 'Latency', metric: 'Latency', statistic: 'Average', label: 'Latency (average)', color: '#2da44e', scale: 1000},
    {key: 'LatencyP99', metric: 'Latency', statistic: 'p99', label: 'Latency (p99)', color: '#bf8700', scale: 1000, only: 'seconds'},
    {key: 'LatencyMaximum', metric: 'Latency', statistic: 'Maximum', label: 'Latency (maximum)', color: '#bf8700', scale: 1000, only: 'cloudwatch'},
  ]},
  {title: 'HTTP codes', unit: 'responses', series: [
    sum('HTTPCode_Backend_2XX', 'Backend 2XX', '#2da44e'),
    sum('HTTPCode_Backend_3XX', 'Backend 3XX', '#8250df'),
    sum('HTTPCode_Backend_4XX', 'Backend 4XX', '#bf8700'),
    sum('HTTPCode_Backend_5XX', 'Backend 5XX', '#cf222e'),
    sum('HTTPCode_ELB_4XX', 'ELB 4XX', '#9a6700'),
    sum('HTTPCode_ELB_5XX', 'ELB 5XX', '#82071e'),
  ]},
  {title: 'Hosts', unit: 'instances', series: [
    {key: 'HealthyHostCount', metric: 'HealthyHostCount', statistic: 'Average', label: 'HealthyHostCount', color: '#2da44e'},
    {key: 'UnHealthyHostCount', metric: 'UnHealthyHostCount', statistic: 'Average', label: 'UnHealthyHostCount', color: '#cf222e'},
  ]},
  {title: 'BackendConnectionErrors', unit: 'errors', series: [sum('BackendConnectionErrors', 'BackendConnectionErrors', '#cf222e')]},
]

/** The series a chart draws from a source. */
export function seriesOf(spec: ChartSpec, source: Source): SeriesSpec[] {
  return spec.series.filter((series) => series.only === undefined || series.only === source)
}

/** Latency's sample count over CloudWatch: what the average over the range is weighted by. */
export const LATENCY_SAMPLES: SeriesSpec = {key: 'LatencySamples', metric: 'Latency', statistic: 'SampleCount', label: '', color: ''}

/** One GetMetricData query per series drawn from CloudWatch, ids as AWS requires them (`^[a-z][a-zA-Z0-9_]*$`). */
export function cloudWatchQueries(): {id: string; key: string; metric: string; statistic: string}[] {
  const series = [...CHARTS.flatMap((spec) => seriesOf(spec, 'cloudwatch')), LATENCY_SAMPLES]
  return series.map((each, index) => ({id: `m${index}`, key: each.key, metric: each.metric, statistic: each.statistic}))
}

/**
 * The window a CloudWatch range asks for: it ends at the next period boundary (the current,
 * unfinished period included, as AWS's console shows it) and spans the range in whole periods.
 */
export function cloudWatchWindow(range: Range, nowSeconds: number): {start: number; end: number} {
  const end = Math.ceil(nowSeconds / range.step) * range.step
  return {start: end - range.seconds, end}
}

/** CloudWatch's data points (Unix seconds → value, per series key) on the range's grid; a period without one is a gap. */
export function snapshotOf(window: {start: number; end: number}, step: number, points: ReadonlyMap<string, ReadonlyMap<number, number>>): Snapshot {
  const count = Math.max(0, Math.round((window.end - window.start) / step))
  const timestamps = Array.from({length: count}, (_, index) => window.start + index * step)
  const metrics: Record<string, (number | null)[]> = {}
  for (const [key, values] of points) metrics[key] = timestamps.map((timestamp) => values.get(timestamp) ?? null)
  return {timestamps, step, metrics}
}

export function total(values: readonly (number | null)[] | undefined): number {
  return (values ?? []).reduce<number>((sum, value) => sum + (value ?? 0), 0)
}

/** The average latency over the range, each point weighted by its samples (CloudWatch) or its requests (per second). */
export function weightedLatency(snapshot: Snapshot): number | null {
  const weights = snapshot.metrics[LATENCY_SAMPLES.key] ?? snapshot.metrics.RequestCount
  let sum = 0
  let count = 0
  snapshot.metrics.Latency?.forEach((value, index) => {
    const weight = weights?.[index] ?? 0
    if (value !== null && weight > 0) { sum += value * weight; count += weight }
  })
  return count === 0 ? null : sum / count
}

/** `5 min`, `1 h`, `1 s` — a period or step as the toolbar says it. */
export function durationText(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} day${seconds === 86_400 ? '' : 's'}`
  if (seconds % HOUR === 0) return `${seconds / HOUR} h`
  if (seconds % MINUTE === 0) return `${seconds / MINUTE} min`
  return `${seconds} s`
}
