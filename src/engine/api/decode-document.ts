import {errorClass} from '../model/errors.js'
import {checkLength, checkRange, checkText, INTEGER_LIMITS, Violations, type Position} from './decode.js'
import {lowerCamel, type ListShape, type OperationSpec, type Shape, type StructureShape} from './operations.js'

/**
 * A JSON or CBOR document (awsJson1_0/1_1, rpcv2Cbor) → the operation's input, checked against the
 * same input shape and constraints as a Query request (decode.ts). A value of the wrong type is a
 * SerializationException, as Coral answers a JSON body it cannot bind; a constraint a value breaks
 * is the same ValidationError Query gets. `null` is an absent member, as in AWS's JSON protocols.
 * The walk follows the shape, so its depth is the shape's, whatever the document's.
 */

export const SerializationException = errorClass('SerializationException')

function typeError(position: Position, expected: string): never {
  throw new SerializationException(`Expected ${expected} at '${position.path === '' ? 'input' : position.path}'`)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)
}

function decodeValue(shape: Shape, value: unknown, position: Position, violations: Violations): unknown {
  switch (shape.kind) {
    case 'structure':
      if (!isRecord(value)) typeError(position, 'an object')
      return decodeStructure(shape, value, position.path, violations)
    case 'list':
      if (!Array.isArray(value)) typeError(position, 'a list')
      return decodeList(shape, value, position, violations)
    case 'string':
      if (typeof value !== 'string') typeError(position, 'a string')
      checkText(value, shape.constraints, position, violations)
      return value
    case 'integer':
    case 'long': {
      // CBOR carries a large integer as a bigint.
      const number = typeof value === 'bigint' ? Number(value) : value
      const [lowest, highest] = INTEGER_LIMITS[shape.kind]
      if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < lowest || number > highest) {
        typeError(position, shape.kind === 'integer' ? 'an integer' : 'a long')
      }
      checkRange(number, shape.constraints, position, violations)
      return number
    }
    case 'boolean':
      if (typeof value !== 'boolean') typeError(position, 'a boolean')
      return value
    case 'double':
      return documentDouble(value, position)
    case 'timestamp':
      return documentTimestamp(value, position)
  }
}

/** A JSON/CBOR double: a number, or AWS JSON's "NaN"/"Infinity"/"-Infinity" strings (kept as such). */
function documentDouble(value: unknown, position: Position): number {
  if (typeof value === 'number') return value
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value)
  return typeError(position, 'a double')
}

/** A JSON timestamp is epoch seconds (a number); CBOR's is tag 1 over epoch seconds. */
function documentTimestamp(value: unknown, position: Position): Date {
  const tagged = isRecord(value) && value.tag === 1 ? value.value : value
  const seconds = typeof tagged === 'bigint' ? Number(tagged) : tagged
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return typeError(position, 'a timestamp')
  const date = new Date(seconds * 1000)
  return Number.isNaN(date.getTime()) ? typeError(position, 'a timestamp') : date
}

function decodeList(shape: ListShape, values: readonly unknown[], position: Position, violations: Violations): unknown[] {
  const items: unknown[] = []
  for (const value of values) {
    if (value === null || value === undefined) continue
    items.push(decodeValue(shape.item, value, {path: `${position.path}.${items.length + 1}.member`, sensitive: position.sensitive}, violations))
  }
  const shown = shape.item.kind === 'structure' ? `'[…]'` : `'[${items.map(String).join(', ')}]'`
  checkLength(items.length, shown, shape.constraints, position, violations)
  return items
}

function decodeStructure(shape: StructureShape, record: Record<string, unknown>, path: string, violations: Violations): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const member of shape.members.values()) {
    const memberPath = path === '' ? lowerCamel(member.name) : `${path}.${lowerCamel(member.name)}`
    const value = Object.hasOwn(record, member.name) ? record[member.name] : undefined
    if (value === undefined || value === null) {
      if (member.required) violations.add('null', memberPath, 'not be null')
      continue
    }
    result[member.name] = decodeValue(member.shape, value, {path: memberPath, sensitive: member.sensitive}, violations)
  }
  return result
}

/** The input of `operation` from a decoded document (an absent body is `{}`). */
export function decodeDocument(operation: OperationSpec, document: unknown): Record<string, unknown> {
  const violations = new Violations()
  const input = decodeValue(operation.input, document ?? {}, {path: '', sensitive: false}, violations) as Record<string, unknown>
  const error = violations.error()
  if (error !== undefined) throw error
  return input
}

/** A result as a document: the members the model declares, `$metadata` and the like left out. */
export function resultDocument(operation: OperationSpec, result: unknown): Record<string, unknown> {
  const record = result !== null && typeof result === 'object' ? result as Record<string, unknown> : {}
  const out: Record<string, unknown> = {}
  for (const member of operation.outputMembers) {
    if (record[member] !== undefined && record[member] !== null) out[member] = record[member]
  }
  return out
}

/** `value` with every Date in it replaced by `convert(date)` (a protocol's timestamp format). */
export function withDates(value: unknown, convert: (date: Date) => unknown): unknown {
  if (value instanceof Date) return convert(value)
  if (Array.isArray(value)) return value.map((item) => withDates(item, convert))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, withDates(member, convert)]))
  }
  return value
}
