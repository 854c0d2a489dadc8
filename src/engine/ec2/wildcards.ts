/**
 * EC2 filter values match whole strings with `*` (any run, also empty) and `?` (one character);
 * a backslash makes the next character literal (`\*`, `\?`, `\\`), as EC2 documents.
 *
 * Hand-written rather than a RegExp built from the value: a backtracking engine takes time
 * exponential in the number of `*` (`*a*a*a…b` against `aaaa…`), and any client may send one. This
 * matcher is the greedy two-pointer glob match: it backtracks only to the last `*`, so a match costs
 * at most O(pattern × value) steps; runs of `*` collapse to one and a pattern that needs more
 * characters than the value has is refused before any step, so the pattern's size is bounded by
 * the value's.
 */

const ANY_RUN = -1
const ANY_ONE = -2

export type WildcardMatcher = (value: string) => boolean

export function compileWildcard(pattern: string): WildcardMatcher {
  // Code points, so `?` is one character even outside the BMP; -1/-2 are the wildcards.
  const tokens: number[] = []
  let literal = true
  let minimumLength = 0
  const chars = Array.from(pattern)
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] ?? ''
    if (char === '*') {
      literal = false
      if (tokens[tokens.length - 1] !== ANY_RUN) tokens.push(ANY_RUN)
      continue
    }
    minimumLength += 1
    if (char === '?') {
      literal = false
      tokens.push(ANY_ONE)
    } else if (char === '\\' && i + 1 < chars.length) {
      literal = false
      i += 1
      tokens.push(chars[i]?.codePointAt(0) ?? 0)
    } else {
      tokens.push(char.codePointAt(0) ?? 0)
    }
  }
  if (literal) return (value) => value === pattern
  return (value) => {
    const text = Array.from(value, (char) => char.codePointAt(0) ?? 0)
    return text.length >= minimumLength && globMatch(tokens, text)
  }
}

/** The greedy two-pointer match: on a mismatch, retry from the last `*`, one character later. */
function globMatch(pattern: readonly number[], text: readonly number[]): boolean {
  let p = 0
  let t = 0
  let star = -1
  let resume = 0
  while (t < text.length) {
    const token = pattern[p]
    if (token === ANY_RUN) {
      star = p
      resume = t
      p += 1
    } else if (token !== undefined && (token === ANY_ONE || token === text[t])) {
      p += 1
      t += 1
    } else if (star >= 0) {
      p = star + 1
      resume += 1
      t = resume
    } else {
      return false
    }
  }
  while (pattern[p] === ANY_RUN) p += 1
  return p === pattern.length
}
