/**
 * The legacy record renderer (verified byte-for-byte against the 1.0.17.0 jar): one line per
 * record, the record type as first column, then either the padded table view or the delimited
 * long view. Pure: data in, lines out.
 */

/** `undefined` = absent (prints `(nil)` in long view); `''` = present but empty. */
export type Cell = string | undefined

export interface ColumnSpec<T> {
  readonly header: string
  /** Shown in the default table view (the legacy `list="short"`), not only with `--show-long`. */
  readonly short: boolean
  readonly value: (item: T) => Cell
  /**
   * Long view only: the column disappears (header included) when no row has a value and some row
   * has a present-but-empty one — how 1.0.17.0 prints the lists inside `<Policies>` (verified).
   */
  readonly collapsible?: boolean
  /** Table view only: how a long cell is shortened (the CloudWatch CLI elides action ARNs). */
  readonly tableText?: (cell: string) => string
}

export interface RecordSchema<T> {
  /** The first column of every line; `''` for tools whose tables have none (the CloudWatch CLI). */
  readonly recordType: string
  readonly columns: readonly ColumnSpec<T>[]
}

export interface RecordSet {
  readonly recordType: string
  readonly headers: readonly string[]
  readonly short: readonly boolean[]
  readonly collapsible: readonly boolean[]
  readonly tableText?: readonly (((cell: string) => string) | undefined)[]
  readonly rows: readonly (readonly Cell[])[]
}

export function toRecordSet<T>(schema: RecordSchema<T>, items: readonly T[]): RecordSet {
  return {
    recordType: schema.recordType,
    headers: schema.columns.map((column) => column.header),
    short: schema.columns.map((column) => column.short),
    collapsible: schema.columns.map((column) => column.collapsible === true),
    tableText: schema.columns.map((column) => column.tableText),
    rows: items.map((item) => schema.columns.map((column) => column.value(item))),
  }
}

export interface TableOptions {
  readonly headers: boolean
  readonly delimiter: string | undefined
  readonly showEmptyFields: boolean
}

const NIL = '(nil)'

const isEmpty = (cell: Cell): boolean => cell === undefined || cell === ''

/**
 * Table view: short columns only; every column but the schema's last is padded to its widest cell
 * (header row included); columns empty in every row are dropped after widths are fixed, unless
 * `--show-empty-fields`, which prints `(nil)` in empty cells.
 */
export function renderTable(set: RecordSet, options: TableOptions): string[] {
  const columnIndexes = set.short.flatMap((isShort, index) => (isShort ? [index] : []))
  const cellsOf = (row: readonly Cell[]): string[] =>
    columnIndexes.map((index) => {
      const cell = row[index]
      if (isEmpty(cell)) return options.showEmptyFields ? NIL : ''
      const shorten = set.tableText?.[index]
      return shorten === undefined ? (cell ?? '') : shorten(cell ?? '')
    })
  const body = set.rows.map(cellsOf)
  const header = columnIndexes.map((index) => set.headers[index] ?? '')
  const all = options.headers ? [header, ...body] : body
  const widths = columnIndexes.map((_, position) => Math.max(...all.map((cells) => (cells[position] ?? '').length)))
  const kept = columnIndexes.map((index) => options.showEmptyFields || set.rows.some((row) => !isEmpty(row[index])))
  const separator = options.delimiter ?? '  '
  const typeWidth = set.recordType.length
  return all.map((cells) => {
    const parts = set.recordType === '' ? [] : [set.recordType.padEnd(typeWidth)]
    cells.forEach((cell, position) => {
      if (kept[position] !== true) return
      const last = position === cells.length - 1
      parts.push(last ? cell : cell.padEnd(widths[position] ?? 0))
    })
    return parts.join(separator)
  })
}

export interface LongOptions {
  readonly headers: boolean
  readonly delimiter: string | undefined
}

/** Long view: every column, delimited, `(nil)` for absent values, cells holding the delimiter quoted. */
export function renderLong(set: RecordSet, options: LongOptions): string[] {
  const delimiter = options.delimiter ?? ','
  const quote = (cell: string): string => (cell.includes(delimiter) ? `"${cell}"` : cell)
  const kept = set.headers.map(
    (_, index) =>
      set.collapsible[index] !== true ||
      set.rows.some((row) => !isEmpty(row[index])) ||
      !set.rows.some((row) => row[index] === ''),
  )
  const pick = <C>(cells: readonly C[]): C[] => cells.filter((_, index) => kept[index] === true)
  const type = set.recordType === '' ? [] : [set.recordType]
  const lines = set.rows.map((row) => [...type, ...pick(row).map((cell) => (cell === undefined ? NIL : quote(cell)))].join(delimiter))
  return options.headers ? [[...type, ...pick(set.headers)].join(delimiter), ...lines] : lines
}

/** The `NextMarker` of `elb-describe-lbs`, printed as its own record after the rows. */
export function renderMarker(marker: string, options: {headers: boolean; showEmptyFields: boolean}): string[] {
  const value = marker === '' ? (options.showEmptyFields ? NIL : '') : marker
  return options.headers ? ['PAGINATION_MARKER', value] : [value]
}
