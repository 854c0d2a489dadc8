import {GENERAL_OPTIONS_HELP} from './general.js'
import type {HelpText} from './help-text.js'

export type {HelpText}

/** Loads one command's help text (only on `--help` or a usage error). */
export async function loadHelp(name: string): Promise<HelpText> {
  const {HELP_TEXTS} = await import('./texts.js')
  const load = HELP_TEXTS[name]
  if (load === undefined) throw new Error(`no help text for ${name}`)
  return load()
}

/** The full `--help` output: the command's own sections around the shared GENERAL OPTIONS. */
export function renderHelp(help: HelpText): string {
  if (help.tail === '') return help.head
  const general = help.urlVariable === undefined ? GENERAL_OPTIONS_HELP : GENERAL_OPTIONS_HELP.replace("'AWS_ELB_URL'", `'${help.urlVariable}'`)
  return `${help.head}${general}${help.tail}`
}

/** The synopsis lines of the help text, as the usage block of a `Malformed input` error shows them. */
export function renderUsage(name: string, help: HelpText): string {
  const lines = help.head.split('\n')
  const start = lines.indexOf('SYNOPSIS')
  const synopsis: string[] = []
  for (const line of lines.slice(start + 2)) {
    if (line === '') break
    synopsis.push(line)
  }
  return `Usage:\n${name}\n${synopsis.map((line) => `${line}\n`).join('')}For more information and a full list of options, run "${name} --help"\n`
}
