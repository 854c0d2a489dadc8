/**
 * Escaping for log lines written from untrusted text (request lines, header values, API input),
 * so that no input can forge or split a line or drive a terminal: a backslash becomes `\\`, every
 * control or non-ASCII byte `\xHH` (as Apache httpd's mod_log_config does), and inside a quoted
 * field a double quote `\"` (as AWS's ELB access logs escape quotes). The result is printable
 * ASCII and decodes back to the input.
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x1f\x7f-\uffff\\]/
// eslint-disable-next-line no-control-regex
const UNSAFE_ALL = /[\x00-\x1f\x7f-\uffff\\]/g
// eslint-disable-next-line no-control-regex
const UNSAFE_QUOTED = /[\x00-\x1f\x7f-\uffff"\\]/
// eslint-disable-next-line no-control-regex
const UNSAFE_QUOTED_ALL = /[\x00-\x1f\x7f-\uffff"\\]/g

function escapeChar(c: string): string {
  if (c === '\\') return '\\\\'
  if (c === '"') return '\\"'
  const code = c.charCodeAt(0)
  // Text read as latin1 has codes up to 0xff only; anything beyond is written as its UTF-8 bytes.
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`
  return [...Buffer.from(c, 'utf8')].map(b => `\\x${b.toString(16).padStart(2, '0')}`).join('')
}

/** One log line's text: no line break, escape sequence or other control byte survives. */
export function escapeLogText(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeChar) : text
}

/** The inside of a double-quoted log field: as escapeLogText, and `"` too. */
export function escapeQuotedLogField(text: string): string {
  return UNSAFE_QUOTED.test(text) ? text.replace(UNSAFE_QUOTED_ALL, escapeChar) : text
}
