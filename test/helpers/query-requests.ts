import type {OperationSpec, Shape, StructureShape} from '../../src/engine/api/operations.js'

/**
 * The smallest Query parameters an operation's table accepts: every required member present with
 * a value that meets its constraints (strings from a few candidates tried against the pattern).
 * Used to reach every operation, and as the seed the fuzz suite mutates.
 */

const STRING_CANDIDATES = ['a', '/', 'a1', 'A']

function scalarValue(shape: Shape, path: string): string {
  if (shape.kind === 'integer' || shape.kind === 'long') return String(shape.constraints.min ?? 1)
  if (shape.kind === 'boolean') return 'true'
  if (shape.kind === 'double') return '1.5'
  if (shape.kind === 'timestamp') return '2026-01-02T03:04:05Z'
  if (shape.kind !== 'string') throw new Error(`${path} is not a scalar`)
  const {enum: allowed, regex, min} = shape.constraints
  if (allowed !== undefined && allowed.length > 0) return allowed[0] ?? ''
  for (const candidate of STRING_CANDIDATES) {
    const value = candidate.repeat(Math.max(1, min ?? 1))
    if (regex === undefined || regex.test(value)) return value
  }
  throw new Error(`no candidate value fits ${path} (${shape.constraints.pattern ?? ''})`)
}

function fill(shape: Shape, prefix: string, params: Record<string, string>, requiredOnly: boolean): void {
  switch (shape.kind) {
    case 'structure': {
      const before = Object.keys(params).length
      fillStructure(shape, prefix, params, requiredOnly)
      // A present structure needs one member on the wire, even if none of its members is required.
      if (Object.keys(params).length === before) fillStructure(shape, prefix, params, false)
      return
    }
    case 'list': {
      const item = `${prefix}.member.1`
      if (shape.item.kind === 'structure') fill(shape.item, item, params, requiredOnly)
      else params[item] = scalarValue(shape.item, item)
      return
    }
    case 'string':
    case 'integer':
    case 'long':
    case 'boolean':
    case 'double':
    case 'timestamp':
      params[prefix] = scalarValue(shape, prefix)
  }
}

function fillStructure(shape: StructureShape, prefix: string, params: Record<string, string>, requiredOnly: boolean): void {
  for (const member of shape.members.values()) {
    if (requiredOnly && !member.required) continue
    fill(member.shape, prefix === '' ? member.name : `${prefix}.${member.name}`, params, requiredOnly)
  }
}

/** Action, Version and every required member. */
export function minimalParams(operation: OperationSpec, version: string): Record<string, string> {
  const params: Record<string, string> = {Action: operation.action, Version: version}
  fillStructure(operation.input, '', params, true)
  return params
}

/** Every member the table knows, each with one valid value. */
export function fullParams(operation: OperationSpec, version: string): Record<string, string> {
  const params: Record<string, string> = {Action: operation.action, Version: version}
  fillStructure(operation.input, '', params, false)
  return params
}

export function formBody(params: Record<string, string>): string {
  return new URLSearchParams(params).toString()
}
