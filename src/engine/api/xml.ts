import type {WireFormat} from './service.js'

/**
 * AWS Query XML, generated from plain result objects (the SDK output types): members in insertion
 * order, lists as `<member>` items, an empty list as `<Name/>`, Dates as ISO-8601 with milliseconds,
 * absent (undefined) members left out. Indented like AWS's own responses.
 */

const INDENT = '  '

/**
 * Characters XML 1.0 cannot carry at all, not even as character references: C0 controls other than
 * TAB, LF and CR, U+FFFE/U+FFFF and unpaired surrogates. Inputs holding them are refused at the edge
 * (decode.ts); any that still reach an answer (an echoed Action name, state written before that
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

function scalarText(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  return undefined
}

function writeElement(name: string, value: unknown, depth: number, out: string[]): void {
  if (value === undefined || value === null) return
  const pad = INDENT.repeat(depth)
  const text = scalarText(value)
  if (text !== undefined) {
    out.push(`${pad}<${name}>${escapeXml(text)}</${name}>`)
    return
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(`${pad}<${name}/>`)
      return
    }
    out.push(`${pad}<${name}>`)
    for (const item of value) writeElement('member', item, depth + 1, out)
    out.push(`${pad}</${name}>`)
    return
  }
  if (typeof value === 'object') {
    out.push(`${pad}<${name}>`)
    writeMembers(value as Record<string, unknown>, depth + 1, out)
    out.push(`${pad}</${name}>`)
  }
}

function writeMembers(record: Record<string, unknown>, depth: number, out: string[], only?: readonly string[]): void {
  for (const [key, value] of Object.entries(record)) {
    // `$metadata` and the like belong to the SDK, not to the wire.
    if (key.startsWith('$') || (only !== undefined && !only.includes(key))) continue
    writeElement(key, value, depth, out)
  }
}

export interface ResultEnvelope {
  readonly action: string
  readonly namespace: string
  readonly requestId: string
  /** `{Action}Result`; when absent (IAM operations without output) no result element is written. */
  readonly resultWrapper?: string
  /** The members the model declares; anything else on the result object is not serialized. */
  readonly outputMembers: readonly string[]
  readonly result: unknown
}

export function serializeResult(envelope: ResultEnvelope): string {
  const {action, namespace, requestId, resultWrapper, outputMembers, result} = envelope
  // No XML declaration: AWS's ELB and IAM answers start at the root element (docs/decisions.md).
  const out = [`<${action}Response xmlns="${namespace}">`]
  if (resultWrapper !== undefined) {
    const record = result !== null && typeof result === 'object' ? result as Record<string, unknown> : {}
    const members: string[] = []
    writeMembers(record, 2, members, outputMembers)
    if (members.length === 0) out.push(`${INDENT}<${resultWrapper}/>`)
    else out.push(`${INDENT}<${resultWrapper}>`, ...members, `${INDENT}</${resultWrapper}>`)
  }
  out.push(
    `${INDENT}<ResponseMetadata>`,
    `${INDENT}${INDENT}<RequestId>${escapeXml(requestId)}</RequestId>`,
    `${INDENT}</ResponseMetadata>`,
    `</${action}Response>`,
  )
  return out.join('\n') + '\n'
}

export interface ErrorEnvelope {
  readonly namespace: string
  readonly requestId: string
  readonly type: string
  readonly code: string
  readonly message: string
}

export function serializeError({namespace, requestId, type, code, message}: ErrorEnvelope): string {
  return [
    `<ErrorResponse xmlns="${namespace}">`,
    `${INDENT}<Error>`,
    `${INDENT}${INDENT}<Type>${escapeXml(type)}</Type>`,
    `${INDENT}${INDENT}<Code>${escapeXml(code)}</Code>`,
    `${INDENT}${INDENT}<Message>${escapeXml(message)}</Message>`,
    `${INDENT}</Error>`,
    `${INDENT}<RequestId>${escapeXml(requestId)}</RequestId>`,
    '</ErrorResponse>',
  ].join('\n') + '\n'
}

/**
 * The AWS Query XML wire format (ELB, IAM): `{Action}Response` / `ErrorResponse` in the namespace
 * of the request's Version.
 */
export function queryXmlWire(namespaceOf: (version: string | undefined) => string): WireFormat {
  return {
    contentType: 'text/xml',
    result: ({operation, version, requestId, result}) => serializeResult({
      action: operation.action,
      namespace: namespaceOf(version),
      requestId,
      outputMembers: operation.outputMembers,
      result,
      ...(operation.resultWrapper === undefined ? {} : {resultWrapper: operation.resultWrapper}),
    }),
    error: ({version, requestId, error}) => serializeError({
      namespace: namespaceOf(version), requestId, type: error.type, code: error.code, message: error.message,
    }),
  }
}
