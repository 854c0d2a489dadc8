/**
 * The engine's one XML writer, for every Query-family protocol (api/protocols/query.ts): plain
 * result objects as elements, members in insertion order, lists as `<member>` (AWS Query) or
 * `<item>` (EC2 Query) items, an empty list as `<Name/>`, Dates as ISO-8601 with milliseconds,
 * absent (undefined/null) members left out. It sits below the services and imports nothing.
 */

/**
 * Characters XML 1.0 cannot carry at all, not even as character references: C0 controls other than
 * TAB, LF and CR, U+FFFE/U+FFFF and unpaired surrogates. Inputs holding them are refused at the edge
 * (api/decode.ts); any that still reach an answer (an echoed Action name, state written before that
 * rule) become U+FFFD, so every answer parses.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
export const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const XML_ILLEGAL_ALL = new RegExp(XML_ILLEGAL.source, 'g')

/** Escapes text for element content: markup characters as entities, CR as `&#xD;`, XML-illegal characters as U+FFFD. */
export function escapeXml(text: string): string {
  return text.replace(XML_ILLEGAL_ALL, '\uFFFD').replace(/[&<>\r]/g, (char) => {
    switch (char) {
      case '&': return '&amp;'
      case '<': return '&lt;'
      case '>': return '&gt;'
      default: return '&#xD;'
    }
  })
}

/** How one protocol's XML looks: AWS Query (`member`, two spaces) or EC2 Query (`item`, four). */
export interface XmlStyle {
  readonly indent: string
  readonly listItem: 'member' | 'item'
  /** EC2 writes an empty string as `<name/>`; AWS Query as `<name></name>`. */
  readonly emptyTextSelfCloses: boolean
}

/** Marks an object a Query answer writes as an XML map (`<entry><key/><value/></entry>`); JSON and CBOR never see the mark. */
const XML_MAP = Symbol('xml map')

export function asXmlMap<T extends Record<string, unknown>>(record: T): T {
  Object.defineProperty(record, XML_MAP, {value: true, enumerable: false})
  return record
}

function scalarText(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  return undefined
}

export function writeElement(name: string, value: unknown, depth: number, out: string[], style: XmlStyle): void {
  if (value === undefined || value === null) return
  const pad = style.indent.repeat(depth)
  const text = scalarText(value)
  if (text !== undefined) {
    out.push(text === '' && style.emptyTextSelfCloses ? `${pad}<${name}/>` : `${pad}<${name}>${escapeXml(text)}</${name}>`)
    return
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(`${pad}<${name}/>`)
      return
    }
    out.push(`${pad}<${name}>`)
    for (const item of value) writeElement(style.listItem, item, depth + 1, out, style)
    out.push(`${pad}</${name}>`)
    return
  }
  if (typeof value === 'object' && XML_MAP in value) {
    out.push(`${pad}<${name}>`)
    for (const [key, item] of Object.entries(value)) writeElement('entry', {key, value: item}, depth + 1, out, style)
    out.push(`${pad}</${name}>`)
    return
  }
  if (typeof value === 'object') {
    out.push(`${pad}<${name}>`)
    writeMembers(value as Record<string, unknown>, depth + 1, out, style)
    out.push(`${pad}</${name}>`)
  }
}

/** The members of `record` as elements; `only` keeps the ones a model declares. */
export function writeMembers(record: Record<string, unknown>, depth: number, out: string[], style: XmlStyle, only?: readonly string[]): void {
  for (const [key, value] of Object.entries(record)) {
    // `$metadata` and the like belong to the SDK, not to the wire.
    if (key.startsWith('$') || (only !== undefined && !only.includes(key))) continue
    writeElement(key, value, depth, out, style)
  }
}
