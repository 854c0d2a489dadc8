import {MalformedInputError} from '../errors.js'
import {GENERAL_OPTIONS} from '../general-options.js'
import type {CommandSyntax, OptionMap, OptionSpec, ParsedCommandLine} from '../spec.js'
import {checkMapKeys, parseMapOptionValue, splitListValue} from './map-option.js'

/**
 * The legacy (CliCommando / commons-cli) command line, rule by rule as observed on the 1.0.17.0
 * jar: `--opt value`, `--opt=value`, GNU single-dash long names (`-region`), short letters with
 * attached values (`-zus-east-1a`), unknown single letters ignored, unknown long names rejected,
 * the first occurrence of a single-valued option wins, list and map options accumulate.
 */
export function parseCommandLine(syntax: CommandSyntax, argv: readonly string[]): ParsedCommandLine {
  const options = allOptions(syntax)
  const byLong = new Map<string, OptionSpec>()
  const byShort = new Map<string, OptionSpec>()
  for (const option of options) {
    byLong.set(option.name, option)
    for (const alias of option.aliases ?? []) byLong.set(alias, option)
    if (option.short !== undefined) byShort.set(option.short, option)
  }
  const raw = new Map<string, string[]>()
  const flags = new Set<string>()
  const positionals: {value: string; index: number}[] = []

  // Like the legacy parser, a following token that starts with `-` is never taken as a value
  // (`--timeout -1` is a missing argument).
  const isOptionToken = (token: string): boolean => token.startsWith('-') && token.length > 1

  for (let index = 0; index < argv.length; index += 1) {
    const token = argv[index] ?? ''
    const resolved = resolveToken(token, byLong, byShort)
    if (resolved === 'positional') {
      positionals.push({value: token, index})
      continue
    }
    if (resolved === 'ignored') continue
    const {option, inline} = resolved
    if (option.kind === 'flag') {
      flags.add(option.name)
      continue
    }
    let value = inline
    if (value === undefined) {
      const next = argv[index + 1]
      if (next !== undefined && !isOptionToken(next)) {
        value = next
        index += 1
      } else if (option.optionalValue === true) {
        value = ''
      } else {
        throw new MalformedInputError(`Missing argument(s): ${option.short ?? option.name}`)
      }
    }
    const values = raw.get(option.name) ?? []
    values.push(value)
    // `--lbs a b c`: a positional-list alias takes every following non-option token.
    if (option.kind === 'raw-list' && inline === undefined) {
      while (index + 1 < argv.length && !isOptionToken(argv[index + 1] ?? '')) {
        index += 1
        values.push(argv[index] ?? '')
      }
    }
    raw.set(option.name, values)
  }

  return assemble(syntax, options, raw, flags, positionals)
}

type ResolvedToken = 'positional' | 'ignored' | {option: OptionSpec; inline: string | undefined}

function resolveToken(
  token: string,
  byLong: ReadonlyMap<string, OptionSpec>,
  byShort: ReadonlyMap<string, OptionSpec>,
): ResolvedToken {
  if (!token.startsWith('-') || token.length < 2) return 'positional'
  if (token.startsWith('--')) {
    const body = token.slice(2)
    const at = body.indexOf('=')
    const name = at < 0 ? body : body.slice(0, at)
    const option = byLong.get(name)
    if (option === undefined) throw new MalformedInputError(`Unrecognized option:  --${name}`)
    return {option, inline: at < 0 ? undefined : body.slice(at + 1)}
  }
  const body = token.slice(1)
  const long = byLong.get(body)
  if (long !== undefined) return {option: long, inline: undefined}
  const short = byShort.get(body.charAt(0))
  if (body.length === 1) return short === undefined ? 'ignored' : {option: short, inline: undefined}
  if (short !== undefined && short.kind !== 'flag') return {option: short, inline: body.slice(1)}
  throw new MalformedInputError(`Unrecognized option:  ${token}`)
}

function allOptions(syntax: CommandSyntax): OptionSpec[] {
  const positionalAlias: OptionSpec[] = []
  if (syntax.positional.kind === 'single') positionalAlias.push({name: syntax.positional.alias, kind: 'value'})
  if (syntax.positional.kind === 'list') {
    positionalAlias.push({name: syntax.positional.alias, kind: 'raw-list', optionalValue: true})
  }
  return [...syntax.options, ...positionalAlias, ...GENERAL_OPTIONS]
}

function assemble(
  syntax: CommandSyntax,
  options: readonly OptionSpec[],
  raw: ReadonlyMap<string, readonly string[]>,
  flags: ReadonlySet<string>,
  positionals: readonly {value: string; index: number}[],
): ParsedCommandLine {
  const values = new Map<string, readonly string[]>()
  const maps = new Map<string, readonly OptionMap[]>()
  for (const option of options) {
    const given = raw.get(option.name)
    if (given === undefined) continue
    switch (option.kind) {
      case 'flag':
        break
      case 'value':
        values.set(option.name, given.slice(0, 1))
        break
      case 'list':
        values.set(option.name, given.flatMap(splitListValue))
        break
      case 'raw-list':
        values.set(option.name, given.filter((value) => value !== ''))
        break
      case 'map': {
        const parsed = given.flatMap(parseMapOptionValue)
        if (option.mapKeys !== undefined) checkMapKeys(option.name, parsed, option.mapKeys)
        maps.set(option.name, parsed)
        values.set(option.name, given)
        break
      }
    }
  }

  let subject: string | undefined
  let names: string[] = []
  if (syntax.positional.kind === 'single') {
    // The legacy tool takes the name only from argv[0]; we also accept it after options.
    subject = values.get(syntax.positional.alias)?.[0] ?? positionals[0]?.value
  } else if (syntax.positional.kind === 'list') {
    // Names are the leading run of non-option tokens (later ones are ignored), unless the alias
    // option is given (legacy, verified).
    const leading = positionals.filter((positional, order) => positional.index === order).map((positional) => positional.value)
    names = [...(values.get(syntax.positional.alias) ?? leading)]
  }
  return {subject, names, values, maps, flags}
}

/** Required-argument checks, run after `--help` had its chance. */
export function checkRequired(syntax: CommandSyntax, parsed: ParsedCommandLine): void {
  const missing: string[] = []
  const {positional} = syntax
  if ((positional.kind === 'single' && positional.required && parsed.subject === undefined) ||
    (positional.kind === 'list' && positional.required === true && parsed.names.length === 0)) {
    missing.push(`--${positional.alias}`)
  }
  // A list option given an empty value (`--instances ''`) carries nothing: missing as well (issue 9 #11).
  const missingOptions = syntax.options
    .filter((option) => (option.required === true && !parsed.values.has(option.name)) ||
      (option.kind === 'list' && parsed.values.get(option.name)?.length === 0))
    .map((option) => `--${option.name}`)
    .sort()
  missing.push(...missingOptions)
  if (missing.length > 0) throw new MalformedInputError(`Missing argument(s): ${missing.join('  ')}`)
}
