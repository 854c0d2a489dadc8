import {InvalidNextToken, InvalidParameterValue} from './errors.js'
import {optionalInteger, optionalString, type Filter, type QueryParams} from './params.js'
import {compileWildcard} from './wildcards.js'

/**
 * EC2's `Filter.N` semantics: every filter must match (AND), any of a filter's values may match
 * (OR), values take `*`/`?` wildcards; `tag:KEY` filters on the value of tag KEY. An unknown filter
 * name is InvalidParameterValue, as EC2 answers.
 */

/** Filter name → the values of an item it compares against. `tag:` receives the key after the colon. */
export type Matchers<T> = Readonly<Record<string, (item: T, key: string) => readonly string[]>>

export function filterBy<T>(items: readonly T[], given: readonly Filter[], matchers: Matchers<T>): T[] {
  const compiled = given.map((filter) => {
    const tagged = filter.name.startsWith('tag:') ? matchers['tag:'] : undefined
    const matcher = tagged ?? (Object.hasOwn(matchers, filter.name) ? matchers[filter.name] : undefined)
    if (matcher === undefined || filter.name === 'tag:') throw new InvalidParameterValue(`The filter '${filter.name}' is invalid`)
    const key = filter.name.startsWith('tag:') ? filter.name.slice(4) : ''
    const wanted = filter.values.map(compileWildcard)
    return (item: T) => matcher(item, key).some((actual) => wanted.some((matches) => matches(actual)))
  })
  return items.filter((item) => compiled.every((matches) => matches(item)))
}

export interface Page<T> {
  readonly items: readonly T[]
  readonly nextToken?: string
}

/** `MaxResults` (5-1000) and `NextToken` (opaque to clients: the offset, tied to the operation). */
export function paginate<T>(items: readonly T[], params: QueryParams, operation: string): Page<T> {
  const maxResults = optionalInteger(params, 'MaxResults')
  const token = optionalString(params, 'NextToken')
  let start = 0
  if (token !== undefined) {
    const decoded = /^(\w+):(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'))
    if (decoded === null || decoded[1] !== operation) throw new InvalidNextToken(`The token '${token}' is invalid.`)
    start = Number(decoded[2])
  }
  if (maxResults === undefined) return {items: items.slice(start)}
  if (maxResults < 5 || maxResults > 1000) {
    throw new InvalidParameterValue(`Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`)
  }
  const end = start + maxResults
  return end < items.length
    ? {items: items.slice(start, end), nextToken: Buffer.from(`${operation}:${end}`).toString('base64url')}
    : {items: items.slice(start)}
}
