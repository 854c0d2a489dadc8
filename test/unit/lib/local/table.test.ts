import {describe, expect, it} from '@jest/globals'
import {renderTable, wrapText} from '../../../../src/lib/local/table.js'

const widest = (text: string): number => Math.max(...text.split('\n').map((line) => line.length))

describe('renderTable', () => {
  it('rules a line under the header only, none between data rows', () => {
    expect(renderTable([{header: 'A'}, {header: 'B'}], [['1', 'x'], ['2', 'y'], ['3', 'z']])).toBe([
      '┌───┬───┐',
      '│ A │ B │',
      '├───┼───┤',
      '│ 1 │ x │',
      '│ 2 │ y │',
      '│ 3 │ z │',
      '└───┴───┘',
    ].join('\n'))
  })

  it('fits 100 columns: headers on two lines, then optional columns left out (last first, named), then cells wrapped', () => {
    const columns = [{header: 'Name here'}, {header: 'Extra one', optional: true}, {header: 'Extra two', optional: true}, {header: 'Text', wrap: true}]
    const rows = [['n'.repeat(20), 'e'.repeat(30), 'f'.repeat(30), 'word '.repeat(20).trim()]]
    const text = renderTable(columns, rows)
    expect(widest(text)).toBeLessThanOrEqual(100)
    expect(text).toMatch(/^│ Name +│ Extra +│ Text +│\n│ here +│ one +│ +│$/m)
    expect(text).toContain('e'.repeat(30))
    expect(text).not.toContain('f'.repeat(30))
    expect(text.endsWith('\n(Extra two left out to fit 100 columns; --wide shows every column.)')).toBe(true)
    // Every word is still there.
    expect(text.match(/word/g)).toHaveLength(20)
    const wide = renderTable(columns, rows, {wide: true})
    expect(wide).toContain('f'.repeat(30))
    expect(wide).toContain(`│ ${'word '.repeat(20).trim()} │`)
    expect(widest(wide)).toBeGreaterThan(100)
  })

  it('leaves a table that fits as it is', () => {
    expect(renderTable([{header: 'Load balancer', optional: true}], [['web']])).toBe('┌───────────────┐\n│ Load balancer │\n├───────────────┤\n│ web           │\n└───────────────┘')
  })
})

describe('wrapText', () => {
  it('wraps at spaces, keeps the indent, cuts a long word after a hyphen', () => {
    expect(wrapText('  one two three four', 12)).toBe('  one two\n  three four')
    expect(wrapText('a-load-balancer-with-a-long-name', 16)).toBe('a-load-balancer-\nwith-a-long-name')
    expect(wrapText('abcdefghij', 4)).toBe('abcd\nefgh\nij')
  })
})
