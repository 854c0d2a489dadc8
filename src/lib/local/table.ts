/**
 * `elb-local`'s terminal tables (cli-table3, pure: rows in, text out): no rule between data rows,
 * and at most TABLE_WIDTH columns unless `--wide` — multi-word headers go on two lines first, then
 * optional columns are left out (the table says which), then wrappable cells wrap at spaces.
 * cli-table3 draws what it is given but does not fit a width by itself, hence the fitting here.
 */
import Table from 'cli-table3'

export const TABLE_WIDTH = 100

export interface Column {
  readonly header: string
  /** May be left out to fit the width (the last optional column goes first). */
  readonly optional?: boolean
  /** Its cells may wrap at spaces to fit the width. */
  readonly wrap?: boolean
}

export interface TableOptions {
  /** Every column, however wide (`--wide`). */
  readonly wide?: boolean
  /** Key/value tables have no header row. */
  readonly headless?: boolean
}

/** A cell never narrower than this when wrapped. */
const MIN_WRAP_WIDTH = 16

const lineWidth = (text: string): number => Math.max(0, ...text.split('\n').map((line) => line.length))
/** Width of a table whose columns' contents are `widths` wide: one space each side, one border between. */
const tableWidth = (widths: readonly number[]): number => widths.reduce((sum, width) => sum + width + 3, 1)

export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const headers = options.headless === true ? columns.map(() => '') : columns.map((column) => column.header)
  let heads = headers
  let keep = columns.map((_, index) => index)
  const widthsOf = (indexes: readonly number[]) =>
    indexes.map((index) => Math.max(lineWidth(heads[index] ?? ''), ...rows.map((row) => lineWidth(row[index] ?? ''))))
  /** As narrow as the kept columns can get: wrappable ones at MIN_WRAP_WIDTH. */
  const narrowest = () => tableWidth(widthsOf(keep).map((width, at) =>
    columns[keep[at] ?? 0]?.wrap === true ? Math.min(width, MIN_WRAP_WIDTH) : width))
  const fitsAsIs = () => options.wide === true || tableWidth(widthsOf(keep)) <= TABLE_WIDTH
  if (!fitsAsIs()) heads = headers.map((header) => header.replaceAll(' ', '\n'))
  const left: string[] = []
  while (!fitsAsIs() && narrowest() > TABLE_WIDTH) {
    const drop = keep.findLast((index) => columns[index]?.optional === true)
    if (drop === undefined) break
    keep = keep.filter((index) => index !== drop)
    left.unshift(columns[drop]?.header ?? '')
  }
  let cells = rows.map((row) => keep.map((index) => row[index] ?? ''))
  if (!fitsAsIs()) cells = wrapCells(cells, keep.map((index) => columns[index]?.wrap === true), widthsOf(keep))
  const table = new Table({
    ...(options.headless === true ? {} : {head: keep.map((index) => heads[index] ?? '')}),
    style: {head: [], border: [], compact: true},
  })
  table.push(...cells)
  const note = left.length === 0 ? '' : `\n(${left.join(', ')} left out to fit ${TABLE_WIDTH} columns; --wide shows every column.)`
  return table.toString() + note
}

/** Shares the width the fixed columns leave among the wrappable ones. */
function wrapCells(cells: readonly string[][], wraps: readonly boolean[], widths: readonly number[]): string[][] {
  const fixed = tableWidth(widths.filter((_, index) => wraps[index] !== true)) + 3 * wraps.filter(Boolean).length
  const share = Math.max(MIN_WRAP_WIDTH, Math.floor((TABLE_WIDTH - fixed) / Math.max(1, wraps.filter(Boolean).length)))
  return cells.map((row) => row.map((cell, index) => (wraps[index] === true ? wrapText(cell, share) : cell)))
}

/**
 * Wraps each line of `text` at spaces to `width`, continuation lines keeping the line's indent; a
 * longer word is cut (after a hyphen if it has one), never dropped.
 */
export function wrapText(text: string, width: number): string {
  const out: string[] = []
  for (const paragraph of text.split('\n')) {
    const indent = /^ */.exec(paragraph)?.[0] ?? ''
    const room = Math.max(1, width - indent.length)
    let line = ''
    for (const word of paragraph.slice(indent.length).split(' ')) {
      if (line !== '' && line.length + 1 + word.length > room) {
        out.push(indent + line)
        line = ''
      }
      let rest = line === '' ? word : `${line} ${word}`
      while (rest.length > room) {
        // After a hyphen when there is one (load-balancer names), else at the width.
        const hyphen = rest.lastIndexOf('-', room - 1)
        const at = hyphen > 0 ? hyphen + 1 : room
        out.push(indent + rest.slice(0, at))
        rest = rest.slice(at)
      }
      line = rest
    }
    out.push(indent + line)
  }
  return out.join('\n')
}
