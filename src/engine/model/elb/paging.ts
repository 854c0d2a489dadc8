import {ValidationError} from '../errors.js'
import {messages} from './messages.js'
import {integerInRange} from './validation.js'

export const DEFAULT_PAGE_SIZE = 400

export interface Page<T> {
  readonly items: T[]
  /** Absent on the last page. */
  readonly nextMarker?: string
}

/**
 * Pages through `items` with AWS's opaque Marker/PageSize (1-400, default 400). The marker encodes
 * the position and key of the next item, so a page boundary survives deletions before it.
 */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, marker?: string, pageSize?: number): Page<T> {
  const size = pageSize === undefined ? DEFAULT_PAGE_SIZE : integerInRange(pageSize, 'pageSize', 1, 400)
  const start = marker === undefined || marker === '' ? 0 : resolveMarker(items, keyOf, marker)
  const page = items.slice(start, start + size)
  const next = items[start + size]
  return next === undefined ? {items: page} : {items: page, nextMarker: encodeMarker(start + size, keyOf(next))}
}

function encodeMarker(index: number, key: string): string {
  return Buffer.from(JSON.stringify({i: index, k: key}), 'utf8').toString('base64')
}

function resolveMarker<T>(items: readonly T[], keyOf: (item: T) => string, marker: string): number {
  let decoded: unknown
  try {
    decoded = JSON.parse(Buffer.from(marker, 'base64').toString('utf8'))
  } catch {
    throw new ValidationError(messages.invalidMarker)
  }
  if (typeof decoded !== 'object' || decoded === null) throw new ValidationError(messages.invalidMarker)
  const {i, k} = decoded as {i?: unknown; k?: unknown}
  if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || typeof k !== 'string') {
    throw new ValidationError(messages.invalidMarker)
  }
  const byKey = items.findIndex((item) => keyOf(item) === k)
  return byKey >= 0 ? byKey : Math.min(i, items.length)
}
