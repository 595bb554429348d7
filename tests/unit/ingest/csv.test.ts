// The CSV reader shared by rosters and history imports, on texts written by hand.
import { describe, expect, it } from 'vitest'
import { CsvStructureError, readCsvRecords, sniffDelimiter } from '../../../ingest/csv.ts'

const fields = (text: string, delimiter?: string) =>
  readCsvRecords(text, delimiter ? { delimiter } : {}).records.map((r) => r.fields)

describe('the CSV reader', () => {
  it('reads quoted fields with separators, doubled quotes and newlines', () => {
    expect(fields('a,b\n"x, y","say ""hi""\nthere"\n', ',')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ])
  })

  it('gives each record the line it starts on and its text without the line end, for LF, CRLF and CR', () => {
    for (const end of ['\n', '\r\n', '\r']) {
      const text = ['id,note', 'a,"one', 'two"', '', 'b,"three"  ', 'c,last'].join(end)
      const { records } = readCsvRecords(text)
      expect(records.map((r) => [r.line, r.fields])).toEqual([
        [1, ['id', 'note']],
        [2, ['a', `one${end}two`]],
        [5, ['b', 'three']],
        [6, ['c', 'last']],
      ])
      expect(records[1]!.raw).toBe(`a,"one${end}two"`)
      expect(records[2]!.raw).toBe('b,"three"  ')
    }
  })

  it('drops the BOM, skips blank lines, keeps a quote inside an unquoted value as a character', () => {
    expect(fields('\uFEFFid;size\n\n   \nscreen;27"\nO"Brien;x\n')).toEqual([
      ['id', 'size'],
      ['screen', '27"'],
      ['O"Brien', 'x'],
    ])
  })

  it('keeps rows longer or shorter than the header for the caller to judge', () => {
    expect(fields('a,b\n1,2,3\n4\n')).toEqual([['a', 'b'], ['1', '2', '3'], ['4']])
  })

  it('sniffs the separator on the header line, the earliest candidate winning a tie', () => {
    expect(sniffDelimiter('a;b;c,d')).toBe(';')
    expect(sniffDelimiter('a\tb\tc')).toBe('\t')
    expect(sniffDelimiter('a,b;c')).toBe(',')
    expect(sniffDelimiter('a,b;c', [';', ',', '\t'])).toBe(';')
    expect(sniffDelimiter('a\tb', [',', ';'])).toBe(',')
    expect(sniffDelimiter('alone')).toBe(',')
    expect(readCsvRecords('x\ty\n1\t2\n').delimiter).toBe('\t')
  })

  it('refuses a quote never closed at the line and column where it opened, not at the end of the text', () => {
    const text = 'id,note\r\nzoé,"multi\r\nline"\r\nbob,"Sales\r\ncarol,HR\r\ndave,Ops\r\n'
    expect(() => readCsvRecords(text)).toThrow(CsvStructureError)
    try {
      readCsvRecords(text)
    } catch (err) {
      const e = err as CsvStructureError
      expect([e.line, e.reason, e.todo]).toEqual([
        4,
        'a quoted field is never closed (started at column 2: "Sales)',
        'fix the quote',
      ])
      expect(e.message).toBe(`line 4: ${e.reason}; fix the quote`)
    }
    expect(() => readCsvRecords('"open,a\nb,c\n')).toThrow(
      /^line 1: a quoted field is never closed \(started at column 1: "open,a\)/,
    )
  })

  it('refuses a quoted field that goes on after its closing quote, naming its line and column', () => {
    expect(() => readCsvRecords('a,b\n"x\ny",c"d"e\n1,"say "hi""\n')).toThrow(
      /^line 4: the quoted field in column 2 goes on after its closing quote/,
    )
    expect(() => readCsvRecords('a,b\n"x" y,z\n')).toThrow(
      /^line 2: the quoted field in column 1 goes on after its closing quote/,
    )
  })
})
