import {MalformedInputError} from '../errors.js'
import type {OptionMap} from '../spec.js'

/**
 * Splits one `--listener`/`--attribute` value into maps, as the legacy tool does (verified against
 * the 1.0.17.0 jar): blanks around commas are ignored, any other run of spaces starts a new map,
 * entries split at the first `=`, a trailing comma is harmless, an empty entry is an error, and a
 * repeated key keeps its last value.
 */
export function parseMapOptionValue(value: string): OptionMap[] {
  const normalized = value.trim().replace(/ *, */g, ',')
  return dropTrailingEmpty(normalized.split(/ +/)).map(parseOneMap)
}

function parseOneMap(text: string): OptionMap {
  const map: Record<string, string> = {}
  for (const entry of dropTrailingEmpty(text.split(','))) {
    const at = entry.indexOf('=')
    if (at < 0) throw new MalformedInputError(`No value separator = found in ${entry}`)
    map[entry.slice(0, at)] = entry.slice(at + 1)
  }
  return map
}

/** Java's `String.split` drops trailing empty strings (but keeps one for an empty input). */
function dropTrailingEmpty(parts: string[]): string[] {
  let end = parts.length
  while (end > 1 && parts[end - 1] === '') end -= 1
  return parts.slice(0, end)
}

/** Checks keys of every map of one option: illegal keys first, then missing ones. */
export function checkMapKeys(
  option: string,
  maps: readonly OptionMap[],
  keys: {readonly required: readonly string[]; readonly optional: readonly string[]},
): void {
  const allowed = new Set([...keys.required, ...keys.optional])
  const illegal = maps.flatMap((map) => Object.keys(map).filter((key) => !allowed.has(key)))
  if (illegal.length > 0) {
    throw new MalformedInputError(`Illegal key(s) definition for --${option} : ${illegal.join(' ')}`)
  }
  const missing = maps.flatMap((map) => keys.required.filter((key) => !(key in map)))
  if (missing.length > 0) {
    throw new MalformedInputError(`Missing key(s) definition for --${option} : ${missing.join(' ')}`)
  }
}

/** List options split on commas only, dropping empty elements and keeping surrounding blanks. */
export function splitListValue(value: string): string[] {
  return value.split(',').filter((element) => element !== '')
}
