import {describe, expect, it} from '@jest/globals'
import {compileWildcard} from '../../../../src/engine/ec2/wildcards.js'
import {seededRandom} from '../../../helpers/fuzz-requests.js'

/** The linear glob matcher agrees with the meaning of EC2's wildcards, and stays fast where regexes explode. */

/** The reference: the same meaning as an anchored RegExp (safe here: short patterns only). */
function reference(pattern: string, value: string): boolean {
  let source = ''
  const chars = Array.from(pattern)
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] ?? ''
    if (char === '*') source += '.*'
    else if (char === '?') source += '.'
    else if (char === '\\' && i + 1 < chars.length) source += (chars[++i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`, 'su').test(value)
}

describe('compileWildcard', () => {
  it('agrees with the reference on 20,000 seeded patterns and values', () => {
    const random = seededRandom(16)
    const word = (alphabet: string, max: number) => Array.from({length: Math.floor(random() * max)}, () => alphabet[Math.floor(random() * alphabet.length)]).join('')
    for (let i = 0; i < 20_000; i++) {
      const pattern = word('ab*?\\😀', 8)
      const value = word('ab*?\\😀', 10)
      expect({pattern, value, matches: compileWildcard(pattern)(value)}).toEqual({pattern, value, matches: reference(pattern, value)})
    }
  })

  it('matches *a…*b against 10,000 a\'s with 1,000 stars in well under a second', () => {
    const started = performance.now()
    expect(compileWildcard(`${'*a'.repeat(1000)}*b`)('a'.repeat(10_000))).toBe(false)
    expect(compileWildcard(`${'*a'.repeat(1000)}*`)('a'.repeat(10_000))).toBe(true)
    expect(performance.now() - started).toBeLessThan(1000)
  })
})
