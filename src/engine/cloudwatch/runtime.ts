import type {MetricsStore} from '../metrics/store.js'
import type {Store} from '../model/store.js'
import type {EngineState, HealthView} from '../model/types.js'
import {join} from 'node:path'
import {AlarmEvaluator} from './alarm-evaluator.js'
import {AlarmService} from './alarms.js'
import {historyMinutesFrom, memoryBoundFrom, MinuteHistory} from './history.js'
import {CloudWatchPersistence} from './persistence/cloudwatch-store.js'
import {CloudWatchService} from './service.js'

/**
 * CloudWatch as the engine runs it: the metrics service over the one-minute history, the alarms
 * and their evaluator, and their data on disk under `<home>/cloudwatch/`. `start` begins sampling
 * and folding (each fold is followed by a write) and loads what the disk holds while the API
 * already answers; alarms are evaluated once it is in, so a restart never judges an alarm on half
 * its history. `loaded` resolves then (the log says how long it took).
 */
export class CloudWatchRuntime {
  readonly service: CloudWatchService
  readonly alarms: AlarmService
  readonly persistence: CloudWatchPersistence
  private readonly evaluator: AlarmEvaluator
  loaded: Promise<void> = Promise.resolve()
  private stopHistory: () => void = () => undefined
  private closed = false
  private readonly log: (line: string) => void

  constructor(metrics: MetricsStore, store: Store, options: {home: string; timeScale: number; log: (line: string) => void; env?: NodeJS.ProcessEnv}) {
    const env = options.env ?? process.env
    const log = this.log = options.log
    this.service = new CloudWatchService(metrics, Date.now, new MinuteHistory(metrics, {minutes: historyMinutesFrom(env), memoryBytes: memoryBoundFrom(env), log}))
    this.alarms = new AlarmService(store, {log})
    this.persistence = new CloudWatchPersistence({
      dir: join(options.home, 'cloudwatch'), history: this.service.history, custom: this.service.custom, alarmHistory: this.alarms.history, log,
    })
    this.evaluator = new AlarmEvaluator(this.alarms, this.service, {timeScale: options.timeScale, log})
  }

  start(state: () => EngineState | undefined, health: HealthView): void {
    const log = this.log
    this.stopHistory = this.service.history.start(state, health, Date.now, () => void this.persistence.flush())
    this.loaded = this.persistence.load().then((report) => {
      log(`CloudWatch history loaded: ${report.minutes} load-balancer minutes from ${report.frames} records in ${report.ms} ms` +
        (report.dropped > 0 ? ` (${report.dropped} damaged records skipped)` : ''))
      if (!this.closed) this.evaluator.start()
    }, (error: unknown) => { log(`ERROR loading the CloudWatch history: ${error instanceof Error ? error.message : String(error)}`); })
  }

  /** Stops the timers, folds the minutes that ended and writes what was not written yet (the current minute is lost). */
  async close(): Promise<void> {
    this.closed = true
    this.evaluator.close()
    this.stopHistory()
    this.service.history.fold(Date.now())
    await this.persistence.close()
    await this.loaded
  }
}
