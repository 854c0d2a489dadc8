import {describe, expect, it} from '@jest/globals'
import {LocalUsageError} from '../../../../src/lib/local/command.js'
import {parseTimeScale} from '../../../../src/lib/local/start-options.js'

describe('--time-scale', () => {
  it('takes plain decimals in range', () => {
    expect(parseTimeScale('0.01')).toBe(0.01)
    expect(parseTimeScale('1')).toBe(1)
    expect(parseTimeScale('1e-3')).toBe(0.001)
  })
  it.each(['abc', '0', '-1', '1001', 'Infinity', '0x10', '', '1e-9'])('refuses %p with one sentence', (text) => {
    expect(() => parseTimeScale(text)).toThrow(new LocalUsageError(`--time-scale takes a number from 0.0001 to 1000, not '${text}'.`))
  })
})
