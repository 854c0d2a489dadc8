import {FilterLimitExceeded, InvalidParameterValue, MissingParameter} from './errors.js'

/**
 * EC2's Query encoding (2016-11-15): lists are `Name.N` (1-based, gaps allowed), structures in a
 * list `Name.N.Member`, filters `Filter.N.Name` + `Filter.N.Value.M`. Unlike ELB/IAM there is no
 * `.member.` segment, so EC2 gets these few readers instead of the ELB/IAM shape decoder.
 */

export type QueryParams = ReadonlyMap<string, string>

/** EC2's cap on filter values in one call (FilterLimitExceeded, AWS's text). */
export const MAX_FILTER_VALUES = 200
/** EC2's cap on ids in one list (`Constraints: Up to 1000 instance IDs`). */
export const MAX_LIST_ITEMS = 1000

/**
 * `prefix.N…` parameters grouped by N in ONE pass over the parameters (numeric order): each entry
 * is N → (the rest after `prefix.N`, '' for `prefix.N` itself → value). One scan per list, not one
 * per index, so 20,000 `Filter.N` cost 20,000 steps, not 20,000².
 */
function groupByIndex(params: QueryParams, prefix: string): [number, Map<string, string>][] {
  const head = `${prefix}.`
  const groups = new Map<number, Map<string, string>>()
  for (const [key, value] of params) {
    if (!key.startsWith(head)) continue
    // The digits after the prefix (at most 9: an index, not a number to overflow), then '.' or the end.
    let end = head.length
    while (end < key.length && end - head.length < 10 && key.charCodeAt(end) >= 48 && key.charCodeAt(end) <= 57) end += 1
    const digits = end - head.length
    if (digits === 0 || digits > 9 || (end < key.length && key.charCodeAt(end) !== 46)) continue
    const index = Number(key.slice(head.length, end))
    let group = groups.get(index)
    if (group === undefined) groups.set(index, group = new Map<string, string>())
    group.set(key.slice(end + 1), value)
  }
  return [...groups].sort(([a], [b]) => a - b)
}

/** `Name.1`, `Name.2`, … as a list of strings (at most MAX_LIST_ITEMS). */
export function stringList(params: QueryParams, name: string): string[] {
  const list = groupByIndex(params, name).flatMap(([, group]) => group.get('') ?? [])
  if (list.length > MAX_LIST_ITEMS) {
    throw new InvalidParameterValue(`The request names ${list.length} values of ${name}; at most ${MAX_LIST_ITEMS} are allowed in one call. Break it into smaller batches.`)
  }
  return list
}

/** `Name.N.Member` rows as small maps (`Member` → value), one per N. */
export function structureList(params: QueryParams, name: string): Map<string, string>[] {
  return groupByIndex(params, name).map(([, group]) => {
    group.delete('')
    return group
  })
}

/** `Value.N` members of a row as a list, in N order (for `Filter.N.Value.M`, `Tag.N.Key`). */
export function memberList(row: ReadonlyMap<string, string>, member: string): string[] {
  return groupByIndex(row, member).flatMap(([, group]) => group.get('') ?? [])
}

export interface Filter {
  readonly name: string
  readonly values: readonly string[]
}

export function filters(params: QueryParams): Filter[] {
  let total = 0
  return structureList(params, 'Filter').map((row, i) => {
    const name = row.get('Name')
    if (name === undefined || name === '') throw new InvalidParameterValue(`The filter 'null' is invalid`)
    const values = memberList(row, 'Value')
    if (values.length === 0) throw new InvalidParameterValue(`The filter '${name}' (Filter.${i + 1}) has no values`)
    total += values.length
    if (total > MAX_FILTER_VALUES) {
      throw new FilterLimitExceeded(`The maximum number of filter values specified on a single call is ${MAX_FILTER_VALUES}`)
    }
    return {name, values}
  })
}

export function optionalString(params: QueryParams, name: string): string | undefined {
  const value = params.get(name)
  return value === undefined || value === '' ? undefined : value
}

export function requiredString(params: QueryParams, name: string): string {
  const value = optionalString(params, name)
  if (value === undefined) throw new MissingParameter(`The request must contain the parameter ${name}`)
  return value
}

export function optionalInteger(params: QueryParams, name: string): number | undefined {
  const value = params.get(name)
  if (value === undefined) return undefined
  if (!/^-?\d{1,10}$/.test(value)) throw new InvalidParameterValue(`Invalid value '${value}' for ${name}. It must be an integer.`)
  return Number(value)
}

export function requiredInteger(params: QueryParams, name: string): number {
  const value = optionalInteger(params, name)
  if (value === undefined) throw new MissingParameter(`The request must contain the parameter ${name}`)
  return value
}

export function optionalBoolean(params: QueryParams, name: string): boolean | undefined {
  const value = params.get(name)
  if (value === undefined) return undefined
  const lower = value.toLowerCase()
  if (lower !== 'true' && lower !== 'false') throw new InvalidParameterValue(`Invalid value '${value}' for ${name}. It must be true or false.`)
  return lower === 'true'
}

