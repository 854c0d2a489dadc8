/**
 * Applies the display options (`--show-table`/`--show-long`/`--show-xml`/`--quiet`, `--headers`,
 * `--delimiter`, `--show-empty-fields`) to a command's outcome. Pure: returns the stdout text.
 */
import {STATUS_CODES} from 'node:http'
import type {CommandOutcome} from './command.js'
import {renderLong, renderMarker, renderTable} from './format/records.js'
import type {GeneralOptions} from './general-options.js'
import type {Exchange} from '../client/exchange.js'

export function renderOutcome(outcome: CommandOutcome, options: GeneralOptions, exchange: Exchange): string {
  switch (options.display) {
    case 'quiet':
      return ''
    case 'xml':
      return renderXml(exchange, options.headers)
    case 'table':
    case 'long':
      return renderText(outcome, options)
  }
}

function renderText(outcome: CommandOutcome, options: GeneralOptions): string {
  if (outcome.kind === 'message') return `${outcome.text}\n`
  const lines: string[] = []
  const nonEmpty = outcome.sets.filter((set) => set.rows.length > 0)
  if (nonEmpty.length === 0) {
    if (outcome.empty !== undefined) lines.push(outcome.empty)
  } else {
    for (const set of nonEmpty) {
      lines.push(...(options.display === 'long' ? renderLong(set, options) : renderTable(set, options)))
    }
  }
  if (outcome.marker !== undefined) lines.push(...renderMarker(outcome.marker, options))
  return lines.map((line) => `${line}\n`).join('')
}

/** The raw response body plus two newlines; with `--headers`, the status line and headers first. */
export function renderXml(exchange: Exchange, headers: boolean): string {
  const body = `${exchange.body ?? ''}\n\n`
  if (!headers) return body
  const status = exchange.statusCode ?? 200
  const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`]
  for (const [name, value] of Object.entries(exchange.headers ?? {})) head.push(`${canonicalHeaderName(name)}: ${value}`)
  return `${head.join('\n')}\n\n\n${body}`
}

const canonicalHeaderName = (name: string): string =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('-')
