import {setImmediate as yieldToLoop} from 'node:timers/promises'
import type {AlarmHistory} from '../alarm-history.js'
import {RETENTION_MS as ALARM_RETENTION_MS} from '../alarm-history.js'
import type {CustomMetrics} from '../custom-metrics.js'
import type {MinuteHistory} from '../history.js'
import {
  alarmDocument, customDocument, elbDocument, pack, readAlarmDocument, readCustomDocument, readElbDocument, unpack,
  type AlarmItemRecord, type CustomRecord, type HostRecord, type TrafficRecord,
} from './records.js'
import {readFrames, SegmentWriter} from './segments.js'

/**
 * CloudWatch's data on disk, next to the journal store: the AWS/ELB one-minute history (traffic
 * and host counts), the PutMetricData buckets and the alarm history, each an append-only stream of
 * hourly segment files (segments.ts) under `<home>/cloudwatch/`. The request path only hands a
 * reference to a buffer; `flush` — after each minute's fold, at close, and early when a buffer
 * holds BATCH_LIMIT records — encodes each buffer as one frame, appends it and fdatasyncs it, so
 * kill -9 loses at most the minute not yet written. `load` reads everything back at start, a frame
 * per turn of the event loop (the API answers meanwhile), dropping what the retention no longer
 * covers, then deletes the segments past it.
 */

const BATCH_LIMIT = 20_000
/** Records restored per turn of the event loop while loading. */
const SLICE = 1000
const HOUR_MS = 3600_000

export interface PersistenceOptions {
  readonly dir: string
  readonly history: MinuteHistory
  readonly custom: CustomMetrics
  readonly alarmHistory: AlarmHistory
  readonly log: (line: string) => void
  readonly clock?: () => number
}

export interface LoadReport {
  readonly frames: number
  readonly minutes: number
  readonly dropped: number
  readonly ms: number
}

export class CloudWatchPersistence {
  private traffic: TrafficRecord[] = []
  private hosts: HostRecord[] = []
  private custom = new Map<object, CustomRecord>()
  private alarms: AlarmItemRecord[] = []
  private readonly writers: {elb: SegmentWriter; custom: SegmentWriter; alarms: SegmentWriter}
  private readonly clock: () => number
  private writing: Promise<void> = Promise.resolve()
  private stopped = false

  constructor(private readonly options: PersistenceOptions) {
    this.clock = options.clock ?? Date.now
    const run = this.clock()
    const writer = (stream: string) => new SegmentWriter(options.dir, stream, run, options.log)
    this.writers = {elb: writer('elb'), custom: writer('custom'), alarms: writer('alarms')}
    options.history.sink = {
      traffic: (region, name, zone, minute, traffic) => { this.buffer(this.traffic, {region, name, zone, minute, traffic}) },
      hosts: (region, name, zone, minute, samples) => { this.buffer(this.hosts, {region, name, zone, minute, samples}) },
    }
    options.custom.sink = (metric, bucket) => {
      this.custom.set(bucket, {metric, bucket})
      if (this.custom.size >= BATCH_LIMIT) void this.flush()
    }
    options.alarmHistory.sink = (region, item) => { this.buffer(this.alarms, {region, item}) }
  }

  private buffer<T>(list: T[], record: T): void {
    list.push(record)
    if (list.length === BATCH_LIMIT) void this.flush()
  }

  /** The retention of each stream, in minutes. */
  private retention(): {elb: number; custom: number; alarms: number} {
    const elb = this.options.history.minutes
    return {elb, custom: elb, alarms: ALARM_RETENTION_MS / 60_000}
  }

  /** Writes what the buffers hold (one frame per stream), after any write under way. */
  flush(): Promise<void> {
    const traffic = this.traffic
    const hosts = this.hosts
    const custom = [...this.custom.values()]
    const alarms = this.alarms
    this.traffic = []
    this.hosts = []
    this.custom = new Map()
    this.alarms = []
    const write = () => this.write(traffic, hosts, custom, alarms).catch((error: unknown) => {
      this.options.log(`WARN CloudWatch history: a write failed (${error instanceof Error ? error.message : String(error)})`)
    })
    this.writing = this.writing.then(write)
    return this.writing
  }

  private async write(traffic: TrafficRecord[], hosts: HostRecord[], custom: CustomRecord[], alarms: AlarmItemRecord[]): Promise<void> {
    const now = this.clock()
    const hour = Math.floor(now / HOUR_MS)
    if (traffic.length > 0 || hosts.length > 0) await this.writers.elb.append(hour, await pack(elbDocument(traffic, hosts)))
    if (custom.length > 0) await this.writers.custom.append(hour, await pack(customDocument(custom)))
    if (alarms.length > 0) await this.writers.alarms.append(hour, await pack(alarmDocument(alarms)))
    const retention = this.retention()
    // A file of hour H holds minutes from H − 1 h (the fold reaches an hour back) to H + 1 h.
    for (const stream of ['elb', 'custom', 'alarms'] as const) {
      await this.writers[stream].deleteBefore(Math.floor((now - retention[stream] * 60_000) / HOUR_MS) - 1)
    }
  }

  /**
   * Reads every stream back (alarm history, custom metrics, then the AWS/ELB history), at most a
   * frame or SLICE records per turn of the event loop; stops early when `close` is called.
   */
  async load(): Promise<LoadReport> {
    const started = performance.now()
    const now = this.clock()
    const retention = this.retention()
    const report = {frames: 0, minutes: 0, dropped: 0}
    const each = async (stream: string, visit: (document: unknown) => void | Promise<void>) => {
      for await (const payload of readFrames(this.options.dir, stream, this.options.log)) {
        if (this.stopped) return
        report.frames++
        try {
          await visit(await unpack(payload))
        } catch (error) {
          report.dropped++
          this.options.log(`WARN CloudWatch history: a ${stream} record could not be decoded (${error instanceof Error ? error.message : String(error)}): skipped`)
        }
        await yieldToLoop()
      }
    }
    const restored = new Map<string, AlarmItemRecord['item'][]>()
    await each('alarms', (document) => {
      const {records, dropped} = readAlarmDocument(document)
      report.dropped += dropped
      for (const {region, item} of records) {
        if (item.timestamp >= now - retention.alarms * 60_000) (restored.get(region) ?? restored.set(region, []).get(region))?.push(item)
      }
    })
    for (const [region, items] of restored) this.options.alarmHistory.restore(region, items.sort((a, b) => a.timestamp - b.timestamp), now)
    // A bucket written again later (more data for that minute) holds the whole minute: the last one wins.
    const oldestSecond = Math.floor(now / 60_000 - retention.custom) * 60
    const buckets = new Map<string, CustomRecord>()
    await each('custom', (document) => {
      const {records, dropped} = readCustomDocument(document)
      report.dropped += dropped
      for (const record of records) {
        const {metric, bucket} = record
        if (bucket.minute >= oldestSecond) buckets.set(JSON.stringify([metric.region, metric.namespace, metric.metricName, metric.dimensions, bucket.minute, bucket.unit]), record)
      }
    })
    for (const {metric, bucket} of buckets.values()) this.options.custom.restore(metric, bucket)
    const history = this.options.history
    const oldestMinute = history.oldestMinute(Math.floor(now / 60_000))
    await each('elb', async (document) => {
      const {traffic, hosts, dropped} = readElbDocument(document)
      report.dropped += dropped
      for (let at = 0; at < traffic.length + hosts.length && !this.stopped; at += SLICE) {
        if (at > 0) await yieldToLoop()
        for (const record of traffic.slice(at, at + SLICE)) {
          if (record.minute < oldestMinute) continue
          history.restoreTraffic(record.region, record.name, record.zone, record.minute, record.traffic)
          report.minutes++
        }
        for (const record of hosts.slice(Math.max(0, at - traffic.length), Math.max(0, at + SLICE - traffic.length))) {
          if (record.minute >= oldestMinute) history.restoreHosts(record.region, record.name, record.zone, record.minute, record.samples)
        }
      }
    })
    return {...report, ms: Math.round(performance.now() - started)}
  }

  /** Stops a load under way and writes what the buffers hold. */
  async close(): Promise<void> {
    this.stopped = true
    await this.flush()
    await Promise.all(Object.values(this.writers).map((writer) => writer.close()))
  }
}
