import type {AlarmMetric, AlarmRecord} from '../model/alarm-types.js'
import {evaluateAlarm, EXTRA_PERIODS, type RangePoint} from './alarm-evaluation.js'
import type {AlarmService, StateChange} from './alarms.js'
import type {Buckets} from './elb-metrics.js'
import {percentileOf, percentileValue, type StatisticSet} from './statistics.js'

/**
 * Evaluates every metric alarm once a minute, as CloudWatch does, over the metric data the engine
 * holds (AWS/ELB from the data plane, custom namespaces from PutMetricData), and moves the alarms
 * whose state changes in one store write per region. Time-scaled like the engine's other timers
 * (`--time-scale X`: a minute lasts X minutes, a period of P seconds lasts P·X seconds, at least
 * one second, the metrics' resolution). The evaluator yields to the event loop every SLICE_MS, so
 * thousands of alarms never hold it.
 */

/** What the evaluator reads: the samples of each period of a window (CloudWatchService.periodSamples). */
export interface PeriodSamples {
  periodSamples(region: string, metric: AlarmMetric, window: Buckets): Map<number, StatisticSet>
}

export interface AlarmEvaluatorOptions {
  readonly timeScale?: number
  readonly clock?: () => number
  readonly log?: (line: string) => void
}

const MINUTE_MS = 60_000
const MIN_INTERVAL_MS = 100
/** The longest the evaluator runs before it yields to the event loop. */
const SLICE_MS = 10

/** The value of the alarm's statistic over one period's samples; undefined when it has none. */
export function statisticValue(set: StatisticSet | undefined, metric: AlarmMetric): number | undefined {
  if (set === undefined || set.sampleCount === 0) return undefined
  if (metric.extendedStatistic !== undefined) return percentileValue(set, percentileOf(metric.extendedStatistic) ?? -1)
  const values: Readonly<Record<string, number | undefined>> = {
    SampleCount: set.sampleCount, Sum: set.sum, Average: set.sum / set.sampleCount, Minimum: set.minimum, Maximum: set.maximum,
  }
  return metric.statistic === undefined ? undefined : values[metric.statistic]
}

/**
 * A percentile alarm with EvaluateLowSampleCountPercentile `ignore` whose evaluated periods hold
 * fewer samples than the percentile needs keeps its state (AWS, "Percentile-based alarms and low
 * data samples": fewer than 10/(1-p) samples for p in [0.5, 1), 10/p below 0.5).
 */
function tooFewSamples(alarm: AlarmRecord, range: readonly RangePoint[]): boolean {
  const quantile = alarm.metric.extendedStatistic === undefined ? undefined : percentileOf(alarm.metric.extendedStatistic)
  if (quantile === undefined || alarm.evaluateLowSampleCountPercentile !== 'ignore') return false
  const needed = quantile >= 0.5 ? 10 / (1 - quantile) : 10 / quantile
  // The range is newest first.
  return range.slice(0, alarm.evaluationPeriods).some((point) => point.value !== undefined && (point.sampleCount ?? 0) < needed)
}

export class AlarmEvaluator {
  private readonly timeScale: number
  private readonly clock: () => number
  private readonly log: (line: string) => void
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined

  constructor(private readonly alarms: AlarmService, private readonly metrics: PeriodSamples, options: AlarmEvaluatorOptions = {}) {
    this.timeScale = options.timeScale ?? 1
    this.clock = options.clock ?? Date.now
    this.log = options.log ?? (() => undefined)
  }

  /** The evaluation interval: a (time-scaled) minute. */
  get intervalMs(): number {
    return Math.max(MIN_INTERVAL_MS, MINUTE_MS * this.timeScale)
  }

  start(): void {
    this.timer ??= setInterval(() => { void this.tick() }, this.intervalMs)
    this.timer.unref()
  }

  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }

  /** One round over every alarm (a round still running is not started twice). */
  tick(): Promise<void> {
    this.running ??= this.evaluateAll().catch((error: unknown) => {
      this.log(`ERROR alarm evaluation failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`)
    }).finally(() => { this.running = undefined })
    return this.running
  }

  private async evaluateAll(): Promise<void> {
    for (const region of this.alarms.regions()) {
      let changes: StateChange[] = []
      let sliceStart = performance.now()
      for (const alarm of this.alarms.alarms(region)) {
        const change = this.evaluate(region, alarm)
        if (change !== undefined) changes.push(change)
        if (performance.now() - sliceStart < SLICE_MS) continue
        // Write what this slice found and let the event loop run (a change to an alarm edited meanwhile is dropped).
        if (changes.length > 0) this.alarms.applyStates(region, changes)
        changes = []
        await new Promise((resolve) => setImmediate(resolve))
        sliceStart = performance.now()
      }
      if (changes.length > 0) this.alarms.applyStates(region, changes)
    }
  }

  /** The state change one alarm's current data calls for, if any. */
  private evaluate(region: string, alarm: AlarmRecord): StateChange | undefined {
    const queryDate = this.clock()
    const period = Math.max(1, Math.round(alarm.metric.period * this.timeScale))
    const end = Math.floor(Math.floor(queryDate / 1000) / period) * period
    const count = alarm.evaluationPeriods + EXTRA_PERIODS
    const start = end - count * period
    const samples = this.metrics.periodSamples(region, alarm.metric, {start, end, period})
    const range: RangePoint[] = []
    for (let index = count - 1; index >= 0; index--) {
      const set = samples.get(index)
      const value = statisticValue(set, alarm.metric)
      range.push({timestamp: (start + index * period) * 1000, ...(value === undefined ? {} : {value, sampleCount: set?.sampleCount ?? 0})})
    }
    if (tooFewSamples(alarm, range)) return undefined
    const evaluation = evaluateAlarm(alarm, range, queryDate)
    if (evaluation === undefined || evaluation.value === alarm.state.value) return undefined
    return {alarm, ...evaluation}
  }
}
