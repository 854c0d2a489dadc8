/**
 * The legacy tool word-wraps error messages so no line exceeds 79 characters; a wrapped line
 * keeps the breaking space at the start of the next line (`…check your\n network settings`);
 * words are split on single spaces, so `a  b` may break as `a \n b`.
 * Explicit newlines in the message start a new line count. Blanks ending the message are dropped.
 */
export const WRAP_WIDTH = 79

export function wrapMessage(message: string, width: number = WRAP_WIDTH): string {
  return message
    .replace(/ +$/, '')
    .split('\n')
    .map((segment) => wrapSegment(segment, width))
    .join('\n')
}

function wrapSegment(segment: string, width: number): string {
  // Words are what lies between single spaces, so a double space can break between its blanks.
  const [first = '', ...rest] = segment.split(' ')
  const lines: string[] = []
  let line = first
  for (const word of rest) {
    if (word !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = ` ${word}`
    } else {
      line += ` ${word}`
    }
  }
  lines.push(line)
  return lines.join('\n')
}
