import { describe, expect, it } from 'vitest'
import { parseCsv, toCsv } from './csv'

describe('csv', () => {
  it('parses quoted fields with commas, quotes and newlines', () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","two\nlines"\n\n1,2,3'
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['1', '2', '3'],
    ])
  })

  it('skips a byte-order mark and a trailing newline', () => {
    expect(parseCsv('\uFEFFa,b\n1,2\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
  })

  it('writes cells that round-trip through the parser', () => {
    const rows = [
      ['name', 'amount', 'note'],
      ['Dallas, TX', 1250000, null],
      ['He said "go"', 0.5, 'x'],
    ]
    expect(parseCsv(toCsv(rows))).toEqual([
      ['name', 'amount', 'note'],
      ['Dallas, TX', '1250000', ''],
      ['He said "go"', '0.5', 'x'],
    ])
  })
})
