/**
 * The IAM CLI's (args4j) command line: single-letter options, `-h` for help, `--url` for the
 * endpoint. No display options (legacy §5, §7.4).
 */

export interface IamOptionSpec {
  /** As typed, with dashes: `-s`, `--url`. */
  readonly flag: string
  /** The args4j metavar shown in help; absent for switches. */
  readonly metavar?: string
  readonly description: string
  readonly required?: boolean
  /** Help shows the metavar although no value is taken (args4j quirk of `-v VERBOSE`). */
  readonly switch?: boolean
  readonly aliases?: readonly string[]
}

export interface IamSyntax {
  readonly name: string
  readonly description: string
  readonly options: readonly IamOptionSpec[]
}

export const IAM_COMMON_OPTIONS: readonly IamOptionSpec[] = [
  {flag: '--aws-credential-file', metavar: 'CREDENTIALFILE', description: 'path to the file containing your AWS credentials'},
  {flag: '--client-config-file', metavar: 'CLIENTCONFIGFILE', description: 'path to the file containing client configurations'},
  {flag: '--url', metavar: 'SERVICEENDPOINT', description: 'endpoint URL to be used when making the service call'},
  {flag: '-d', description: 'enable debug logging', switch: true, aliases: ['--debug']},
  {flag: '-h', description: 'print out this message', switch: true, aliases: ['--help']},
]

export class IamUsageError extends Error {}

export interface IamParsed {
  readonly values: ReadonlyMap<string, string>
  readonly switches: ReadonlySet<string>
}

export function parseIamCommandLine(syntax: IamSyntax, argv: readonly string[]): IamParsed {
  const options = [...syntax.options, ...IAM_COMMON_OPTIONS]
  const byFlag = new Map<string, IamOptionSpec>()
  for (const option of options) {
    byFlag.set(option.flag, option)
    for (const alias of option.aliases ?? []) byFlag.set(alias, option)
  }
  const values = new Map<string, string>()
  const switches = new Set<string>()
  for (let index = 0; index < argv.length; index += 1) {
    const token = argv[index] ?? ''
    const at = token.startsWith('--') ? token.indexOf('=') : -1
    const flag = at < 0 ? token : token.slice(0, at)
    const option = byFlag.get(flag)
    if (option === undefined) throw new IamUsageError(`"${token}" is not a valid option`)
    if (option.switch === true || option.metavar === undefined) {
      switches.add(option.flag)
      continue
    }
    const value = at < 0 ? argv[index + 1] : token.slice(at + 1)
    if (value === undefined) throw new IamUsageError(`Option "${option.flag}" takes an operand`)
    if (at < 0) index += 1
    values.set(option.flag, value)
  }
  if (!switches.has('-h')) {
    const missing = syntax.options.find((option) => option.required === true && !values.has(option.flag))
    if (missing !== undefined) throw new IamUsageError(`Option "${missing.flag}" is required`)
  }
  return {values, switches}
}

const LINE_WIDTH = 80

/** args4j's usage layout: descriptions hard-wrapped to fill 80 columns, even mid-word. */
export function renderIamHelp(syntax: IamSyntax): string {
  const options = [...IAM_COMMON_OPTIONS.slice(0, 3), ...sortOptions([...IAM_COMMON_OPTIONS.slice(3), ...syntax.options])]
  const usages = options.map((option) => {
    const name = option.aliases?.length ? `${option.flag} (${option.aliases.join(', ')})` : option.flag
    return option.metavar === undefined ? name : `${name} ${option.metavar}`
  })
  const width = Math.max(...usages.map((usage) => usage.length))
  const indent = width + 4
  const lines = [syntax.description, `${syntax.name} [options...] arguments...`]
  options.forEach((option, position) => {
    const chunkWidth = LINE_WIDTH - indent
    const chunks: string[] = []
    for (let at = 0; at < option.description.length; at += chunkWidth) chunks.push(option.description.slice(at, at + chunkWidth))
    lines.push(` ${(usages[position] ?? '').padEnd(width)} : ${chunks[0] ?? ''}`)
    for (const chunk of chunks.slice(1)) lines.push(`${' '.repeat(indent)}${chunk}`)
  })
  return `${lines.join('\n')}\n`
}

const sortOptions = (options: IamOptionSpec[]): IamOptionSpec[] => options.sort((a, b) => a.flag.localeCompare(b.flag))
