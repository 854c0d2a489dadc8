import {escapeXml} from '../api/xml.js'
import type {Wire, WireValue} from './views.js'

/**
 * EC2's XML (2016-11-15): `<ActionResponse xmlns=…><requestId>…</requestId>…`, lists as `<item>`s
 * (an empty list is `<name/>`), and its own error envelope, which differs from ELB/IAM's:
 * `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`.
 */

export const EC2_API_VERSION = '2016-11-15'
export const EC2_XML_NAMESPACE = `http://ec2.amazonaws.com/doc/${EC2_API_VERSION}/`

const INDENT = '    '

function scalar(value: WireValue): string | undefined {
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

function writeElement(name: string, value: WireValue, depth: number, out: string[]): void {
  if (value === undefined) return
  const pad = INDENT.repeat(depth)
  const text = scalar(value)
  if (text !== undefined) {
    out.push(text === '' ? `${pad}<${name}/>` : `${pad}<${name}>${escapeXml(text)}</${name}>`)
    return
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(`${pad}<${name}/>`)
      return
    }
    out.push(`${pad}<${name}>`)
    for (const item of value as readonly WireValue[]) writeElement('item', item, depth + 1, out)
    out.push(`${pad}</${name}>`)
    return
  }
  out.push(`${pad}<${name}>`)
  writeMembers(value as Wire, depth + 1, out)
  out.push(`${pad}</${name}>`)
}

function writeMembers(record: Wire, depth: number, out: string[]): void {
  for (const [key, value] of Object.entries(record)) writeElement(key, value, depth, out)
}

export function serializeEc2Result(action: string, requestId: string, result: Wire): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<${action}Response xmlns="${EC2_XML_NAMESPACE}">`]
  out.push(`${INDENT}<requestId>${escapeXml(requestId)}</requestId>`)
  writeMembers(result, 1, out)
  out.push(`</${action}Response>`)
  return out.join('\n') + '\n'
}

export function serializeEc2Error(code: string, message: string, requestId: string): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors>` +
    `<RequestID>${escapeXml(requestId)}</RequestID></Response>\n`
}
