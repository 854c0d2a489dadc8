import {InvalidParameterValue, MissingParameter} from './errors.js'

/**
 * EC2's Query encoding (2016-11-15): lists are `Name.N` (1-based, gaps allowed), structures in a
 * list `Name.N.Member`, filters `Filter.N.Name` + `Filter.N.Value.M`. Unlike ELB/IAM there is no
 * `.member.` segment, so EC2 gets these few readers instead of the ELB/IAM shape decoder.
 */

export type QueryParams = ReadonlyMap<string, string>

/** The indices N present under `prefix.N…`, in numeric order. */
function indices(params: QueryParams, prefix: string): number[] {
  const found = new Set<number>()
  const head = `${prefix}.`
  for (const key of params.keys()) {
    if (!key.startsWith(head)) continue
    const index = /^(\d+)(?:\.|$)/.exec(key.slice(head.length))?.[1]
    if (index !== undefined) found.add(Number(index))
  }
  return [...found].sort((a, b) => a - b)
}

/** `Name.1`, `Name.2`, … as a list of strings. */
export function stringList(params: QueryParams, name: string): string[] {
  return indices(params, name).map((n) => params.get(`${name}.${n}`)).filter((v): v is string => v !== undefined)
}

/** `Name.N.Member` rows as small maps (`Member` → value), one per N. */
export function structureList(params: QueryParams, name: string): Map<string, string>[] {
  return indices(params, name).map((n) => {
    const head = `${name}.${n}.`
    const row = new Map<string, string>()
    for (const [key, value] of params) if (key.startsWith(head)) row.set(key.slice(head.length), value)
    return row
  })
}

export interface Filter {
  readonly name: string
  readonly values: readonly string[]
}

export function filters(params: QueryParams): Filter[] {
  return structureList(params, 'Filter').map((row, i) => {
    const name = row.get('Name')
    if (name === undefined || name === '') throw new InvalidParameterValue(`The filter 'null' is invalid`)
    const values = [...row]
      .flatMap(([key, value]) => {
        const n = /^Value\.(\d+)$/.exec(key)?.[1]
        return n === undefined ? [] : [[Number(n), value] as const]
      })
      .sort(([a], [b]) => a - b)
      .map(([, value]) => value)
    if (values.length === 0) throw new InvalidParameterValue(`The filter '${name}' (Filter.${i + 1}) has no values`)
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

/** EC2 filter values match whole strings with `*` (any run) and `?` (one character) wildcards. */
export function matchesFilterValue(pattern: string, value: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === value
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${source}$`, 's').test(value)
}
