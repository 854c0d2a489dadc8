import {promisify} from 'node:util'
import {deflateRaw, inflateRaw} from 'node:zlib'
import {cbor} from '@smithy/core/cbor'
import type {HistoryItem, HistoryItemType} from '../alarm-history.js'
import type {CustomMetric, MinuteBucket} from '../custom-metrics.js'
import type {HostSamples, MinuteTraffic} from '../minute-rings.js'

/**
 * What one segment frame holds: a batch of one stream's records, column by column (each field's
 * values of the whole batch side by side, which deflate packs well: a steady load balancer's
 * minutes differ in a few digits), in CBOR (the SDK's own codec, @smithy/core), deflated.
 * Traffic minutes are encoded field by field from the MinuteTraffic object itself, so a new
 * optional field needs no change here; decoding checks every value (a file is hostile input).
 */

const deflate = promisify(deflateRaw)
const inflate = promisify(inflateRaw)
/** A frame's CBOR is at most this large once inflated (a deflate bomb stops here). */
const MAX_INFLATED_BYTES = 256 * 1024 * 1024
const MAX_STRING = 1024
const MAX_ARRAY = 4096

export interface TrafficRecord {
  readonly region: string
  readonly name: string
  /** '' for the load balancer's own traffic. */
  readonly zone: string
  readonly minute: number
  readonly traffic: MinuteTraffic
}

export interface HostRecord {
  readonly region: string
  readonly name: string
  readonly zone: string
  readonly minute: number
  readonly samples: HostSamples
}

export interface CustomRecord {
  readonly metric: Pick<CustomMetric, 'region' | 'namespace' | 'metricName' | 'dimensions'>
  readonly bucket: MinuteBucket
}

export interface AlarmItemRecord {
  readonly region: string
  readonly item: Omit<HistoryItem, 'seq'>
}

export async function pack(document: unknown): Promise<Buffer> {
  return deflate(cbor.serialize(document))
}

export async function unpack(payload: Buffer): Promise<unknown> {
  const inflated = await inflate(payload, {maxOutputLength: MAX_INFLATED_BYTES})
  return cbor.deserialize(inflated)
}

/** Interns strings (or string tuples) into a table: a batch names each load balancer once. */
function interner<T>(keyOf: (value: T) => string): {table: T[]; index: (value: T) => number} {
  const known = new Map<string, number>()
  const table: T[] = []
  return {
    table,
    index(value) {
      const key = keyOf(value)
      let at = known.get(key)
      if (at === undefined) known.set(key, at = table.push(value) - 1)
      return at
    },
  }
}

const lbKey = (parts: readonly string[]) => parts.join('\u0000')

export function elbDocument(traffic: readonly TrafficRecord[], hosts: readonly HostRecord[]): unknown {
  const names = interner<string[]>(lbKey)
  const fields: Record<string, unknown[]> = {}
  traffic.forEach((record, row) => {
    for (const [field, value] of Object.entries(record.traffic)) {
      if (value !== undefined) (fields[field] ??= new Array<unknown>(traffic.length).fill(null))[row] = value
    }
  })
  return {
    traffic: {lb: traffic.map((r) => names.index([r.region, r.name, r.zone])), minute: traffic.map((r) => r.minute), fields},
    hosts: {
      lb: hosts.map((r) => names.index([r.region, r.name, r.zone])),
      minute: hosts.map((r) => r.minute),
      values: hosts.map(({samples: s}) => [s.samples, s.healthy.sum, s.healthy.min, s.healthy.max, s.unhealthy.sum, s.unhealthy.min, s.unhealthy.max]),
    },
    names: names.table,
  }
}

export function customDocument(records: readonly CustomRecord[]): unknown {
  const metrics = interner<CustomRecord['metric']>((m) => JSON.stringify([m.region, m.namespace, m.metricName, m.dimensions]))
  const rows = records.map(({metric, bucket}) => [
    metrics.index(metric), bucket.minute, bucket.unit, bucket.set.sampleCount, bucket.set.sum, bucket.set.minimum ?? null, bucket.set.maximum ?? null,
  ])
  return {
    metrics: metrics.table.map((m) => [m.region, m.namespace, m.metricName, m.dimensions.map((d) => [d.Name, d.Value])]),
    buckets: rows,
  }
}

export function alarmDocument(records: readonly AlarmItemRecord[]): unknown {
  return {items: records.map(({region, item}) => [region, item.alarmName, item.timestamp, item.type, item.summary, item.data])}
}

// Decoding: every value checked; a record that fails a check is dropped (counted), the others kept.

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isString = (value: unknown): value is string => typeof value === 'string' && value.length <= MAX_STRING
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
const isFinite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)
const arrayOf = (value: unknown, limit = MAX_ARRAY): unknown[] => (Array.isArray(value) && value.length <= limit ? value : [])
const isMinute = (value: unknown): value is number => isCount(value) && value < 2 ** 32

/** A traffic field's value: a finite number or a bounded list of them (counters, a histogram). */
function fieldValue(value: unknown): unknown {
  if (isFinite(value)) return value
  if (Array.isArray(value) && value.length <= MAX_ARRAY && value.every(isFinite)) return value
  return undefined
}

/** More fields than this in a batch is not a file this engine wrote. */
const MAX_FIELDS = 64

function trafficOf(fields: Record<string, unknown>, row: number): MinuteTraffic | undefined {
  const traffic: Record<string, unknown> = {}
  for (const [field, column] of Object.entries(fields)) {
    if (field === '__proto__') return undefined
    const value: unknown = Array.isArray(column) ? (column as unknown[])[row] : undefined
    if (value === null || value === undefined) continue
    const checked = fieldValue(value)
    if (checked === undefined) return undefined
    traffic[field] = checked
  }
  const counts = traffic.counts
  const required = ['latencyCount', 'latencySum', 'latencyMin', 'latencyMax'].every((field) => isFinite(traffic[field]))
  return Array.isArray(counts) && counts.every(isCount) && required && isCount(traffic.latencyCount) ? traffic as unknown as MinuteTraffic : undefined
}

const lbName = (value: unknown): [string, string, string] | undefined => {
  const parts = arrayOf(value, 3)
  return parts.length === 3 && parts.every(isString) ? parts as [string, string, string] : undefined
}

export function readElbDocument(document: unknown): {traffic: TrafficRecord[]; hosts: HostRecord[]; dropped: number} {
  const answer = {traffic: [] as TrafficRecord[], hosts: [] as HostRecord[], dropped: 0}
  if (!isObject(document)) return {...answer, dropped: 1}
  const names = arrayOf(document.names, 1 << 20).map(lbName)
  const traffic = isObject(document.traffic) ? document.traffic : {}
  const fields = isObject(traffic.fields) && Object.keys(traffic.fields).length <= MAX_FIELDS ? traffic.fields : {}
  const trafficMinutes = arrayOf(traffic.minute, 1 << 20)
  const trafficLbs = arrayOf(traffic.lb, 1 << 20)
  trafficMinutes.forEach((minute, row) => {
    const lb = names[Number(trafficLbs[row])]
    const minuteTraffic = trafficOf(fields, row)
    if (lb === undefined || !isMinute(minute) || minuteTraffic === undefined) answer.dropped++
    else answer.traffic.push({region: lb[0], name: lb[1], zone: lb[2], minute, traffic: minuteTraffic})
  })
  const hosts = isObject(document.hosts) ? document.hosts : {}
  const hostLbs = arrayOf(hosts.lb, 1 << 20)
  const values = arrayOf(hosts.values, 1 << 20)
  arrayOf(hosts.minute, 1 << 20).forEach((minute, row) => {
    const lb = names[Number(hostLbs[row])]
    const [samples, hSum, hMin, hMax, uSum, uMin, uMax] = arrayOf(values[row], 7)
    const counts = [samples, hSum, hMin, hMax, uSum, uMin, uMax]
    if (lb === undefined || lb[2] === '' || !isMinute(minute) || !counts.every(isCount) || !((samples as number) > 0)) {
      answer.dropped++
      return
    }
    answer.hosts.push({
      region: lb[0], name: lb[1], zone: lb[2], minute,
      samples: {samples: samples as number, healthy: {sum: hSum as number, min: hMin as number, max: hMax as number}, unhealthy: {sum: uSum as number, min: uMin as number, max: uMax as number}},
    })
  })
  return answer
}

export function readCustomDocument(document: unknown): {records: CustomRecord[]; dropped: number} {
  const records: CustomRecord[] = []
  let dropped = 0
  if (!isObject(document)) return {records, dropped: 1}
  const metrics = arrayOf(document.metrics, 1 << 20).map((value) => {
    const [region, namespace, metricName, dimensions] = arrayOf(value, 4)
    const pairs = arrayOf(dimensions, 30).map((pair) => arrayOf(pair, 2))
    if (!isString(region) || !isString(namespace) || !isString(metricName) || !pairs.every((pair) => pair.length === 2 && pair.every(isString))) return undefined
    return {region, namespace, metricName, dimensions: pairs.map(([Name, Value]) => ({Name: Name as string, Value: Value as string}))}
  })
  for (const row of arrayOf(document.buckets, 1 << 20)) {
    const [index, minute, unit, sampleCount, sum, minimum, maximum] = arrayOf(row, 7)
    const metric = metrics[Number(index)]
    const optional = (value: unknown) => value === null || isFinite(value)
    if (metric === undefined || !isCount(minute) || !isString(unit) || !isFinite(sampleCount) || !(sampleCount > 0) || !isFinite(sum) || !optional(minimum) || !optional(maximum)) {
      dropped++
      continue
    }
    const set = {sampleCount, sum, ...(isFinite(minimum) ? {minimum} : {}), ...(isFinite(maximum) ? {maximum} : {})}
    records.push({metric, bucket: {minute, unit, set}})
  }
  return {records, dropped}
}

const ITEM_TYPES: ReadonlySet<string> = new Set<HistoryItemType>(['ConfigurationUpdate', 'StateUpdate', 'Action'])

export function readAlarmDocument(document: unknown): {records: AlarmItemRecord[]; dropped: number} {
  const records: AlarmItemRecord[] = []
  let dropped = 0
  for (const row of arrayOf(isObject(document) ? document.items : undefined, 1 << 20)) {
    const [region, alarmName, timestamp, type, summary, data] = arrayOf(row, 6)
    if (!isString(region) || !isString(alarmName) || !isCount(timestamp) || !isString(type) || !ITEM_TYPES.has(type) || !isString(summary) ||
      typeof data !== 'string' || data.length > 1 << 20) {
      dropped++
      continue
    }
    records.push({region, item: {alarmName, timestamp, type: type as HistoryItemType, summary, data}})
  }
  return {records, dropped}
}
