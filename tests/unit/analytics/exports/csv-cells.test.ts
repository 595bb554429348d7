import { describe, expect, it } from 'vitest'
import { csvCell, csvLine } from '../../../../analytics/exports/csv-cells.ts'
import { toCsv } from '../../../../analytics/tabular.ts'

describe('CSV cells', () => {
  it('neutralises text that starts like a formula: = + - @ tab CR', () => {
    expect(csvCell('=1+1')).toBe("'=1+1")
    expect(csvCell('+33 1 23')).toBe("'+33 1 23")
    expect(csvCell('-A1')).toBe("'-A1")
    expect(csvCell('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)")
    expect(csvCell('\t=1')).toBe("'\t=1")
    expect(csvCell('\r=1')).toBe(`"'\r=1"`)
    expect(csvCell('a=b')).toBe('a=b')
  })

  it('keeps genuine negative numbers as numbers', () => {
    expect(csvCell(-3)).toBe('-3')
    expect(csvCell(-0.25, ';')).toBe('-0,25')
    expect(csvCell('-3')).toBe("'-3") // text is text, whatever it looks like
  })

  it('quotes as RFC 4180 says, for the delimiter in use', () => {
    expect(csvLine(['a,b', 'say "hi"', 'x;y', null, true, 1.5])).toBe('"a,b","say ""hi""",x;y,,true,1.5\r\n')
    expect(csvLine(['a,b', 'x;y', 1.5], ';')).toBe('a,b;"x;y";1,5\r\n')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
  })

  it('applies to the metric tables too', () => {
    expect(toCsv([{ group: '=cmd|calc', people: -2 }])).toBe("group,people\r\n'=cmd|calc,-2\r\n")
  })
})
