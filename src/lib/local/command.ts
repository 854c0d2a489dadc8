/**
 * The shape of one `elb-local` subcommand and its option parsing (node:util `parseArgs`, plus the
 * integer ranges and messages it lacks). Pure: argv in, values or a `LocalUsageError` out.
 */
import {parseArgs} from 'node:util'
import type {CliIo} from '../cli/io.js'

export const EXIT_LOCAL_OK = 0
export const EXIT_LOCAL_FAILURE = 1

/** A failure `elb-local` reports as one line on stderr (exit 1 unless said otherwise). */
export class LocalCommandError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_LOCAL_FAILURE) {
    super(message)
    this.name = 'LocalCommandError'
  }
}

/** Bad command-line input: reported with the command's usage line. */
export class LocalUsageError extends LocalCommandError {}

export interface LocalOption {
  readonly name: string
  readonly short?: string
  readonly type: 'string' | 'boolean' | 'integer'
  readonly description: string
  /** Shown in usage and help: `--port N`. */
  readonly placeholder?: string
  readonly min?: number
  readonly max?: number
  /** The environment variable read when the option is not given. */
  readonly env?: string
}

export interface LocalContext {
  readonly io: CliIo
  readonly values: ReadonlyMap<string, string | number | boolean>
  readonly positionals: readonly string[]
}

export interface LocalCommand {
  readonly name: string
  readonly summary: string
  readonly description?: string
  /** Positional arguments after the options in the usage line (`ID…`), if any are taken. */
  readonly positionals?: {readonly label: string; readonly required: boolean}
  readonly options: readonly LocalOption[]
  readonly examples?: readonly string[]
  run(context: LocalContext): Promise<number>
}

export const JSON_OPTION: LocalOption = {name: 'json', type: 'boolean', description: 'print the answer as JSON'}
export const WIDE_OPTION: LocalOption = {name: 'wide', type: 'boolean', description: 'every table column, however wide (default: fit 100 columns)'}
export const REGION_OPTION: LocalOption = {
  name: 'region', type: 'string', placeholder: 'REGION', env: 'EC2_REGION',
  description: 'region (default: the engine\'s default region)',
}

/** The table options the command line asked for (`--wide`). */
export const tableOptions = (context: LocalContext): {wide: boolean} => ({wide: context.values.get('wide') === true})

const optionWord = (option: LocalOption): string =>
  `--${option.name}${option.type === 'boolean' ? '' : ` ${option.placeholder ?? 'VALUE'}`}`

/** `elb-local run-instances [--count N] [--id ID] … [--json]`. */
export function usageLine(command: LocalCommand): string {
  const words = [`elb-local ${command.name}`, ...command.options.map((option) => `[${optionWord(option)}]`)]
  if (command.positionals !== undefined) {
    words.push(command.positionals.required ? command.positionals.label : `[${command.positionals.label}]`)
  }
  return words.join(' ')
}

export function renderCommandHelp(command: LocalCommand): string {
  const width = Math.max(...command.options.map((option) => optionLabel(option).length), 10) + 2
  const lines = [`Usage: ${usageLine(command)}`, '', command.summary]
  if (command.description !== undefined) lines.push('', command.description)
  if (command.options.length > 0) {
    lines.push('', 'Options:')
    for (const option of command.options) {
      const env = option.env === undefined ? '' : ` [env: ${option.env}]`
      lines.push(`  ${optionLabel(option).padEnd(width)}${option.description}${env}`)
    }
  }
  if (command.examples !== undefined) lines.push('', 'Examples:', ...command.examples.map((example) => `  $ ${example}`))
  return `${lines.join('\n')}\n`
}

const optionLabel = (option: LocalOption): string =>
  `${option.short === undefined ? '    ' : `-${option.short}, `}${optionWord(option)}`

/** Parses `argv` against the command's options; throws LocalUsageError with one plain sentence. */
export function parseCommandLine(command: LocalCommand, argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Omit<LocalContext, 'io'> {
  const config: Record<string, {type: 'string' | 'boolean'; short?: string}> = {}
  for (const option of command.options) {
    config[option.name] = {type: option.type === 'boolean' ? 'boolean' : 'string', ...(option.short === undefined ? {} : {short: option.short})}
  }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({args: [...argv], options: config, strict: true, allowPositionals: command.positionals !== undefined})
  } catch (error) {
    throw new LocalUsageError(parseErrorSentence(error, command))
  }
  const values = new Map<string, string | number | boolean>()
  for (const option of command.options) {
    const given = parsed.values[option.name]
    const value = (Array.isArray(given) ? given.at(-1) : given) ?? (option.env === undefined ? undefined : nonEmpty(env[option.env]))
    if (value === undefined) continue
    values.set(option.name, option.type === 'integer' ? integerValue(option, String(value)) : value)
  }
  if (command.positionals?.required === true && parsed.positionals.length === 0) {
    throw new LocalUsageError(`${command.name} needs ${command.positionals.label}.`)
  }
  return {values, positionals: parsed.positionals}
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value)

function integerValue(option: LocalOption, text: string): number {
  const value = /^-?\d+$/.test(text) ? Number(text) : Number.NaN
  const min = option.min ?? Number.MIN_SAFE_INTEGER
  const max = option.max ?? Number.MAX_SAFE_INTEGER
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = option.min === undefined ? '' : ` from ${min} to ${max}`
    throw new LocalUsageError(`--${option.name} takes a whole number${range}, not '${text}'.`)
  }
  return value
}

/** node:util's messages are long and speak of positionals: one plain sentence instead. */
function parseErrorSentence(error: unknown, command: LocalCommand): string {
  const code = (error as {code?: string}).code
  const message = error instanceof Error ? error.message : String(error)
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? ''
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${quoted}.`
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `${command.name} takes no arguments, but got '${quoted}'.`
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /argument missing/.test(message) ? `${quoted.replace(/^-\w, /, '').replace(/ <value>$/, '')} needs a value.` : `${quoted} takes no value.`
  }
  return message
}
