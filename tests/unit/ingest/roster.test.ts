import { describe, expect, it } from 'vitest'
import { parseRosterCsv, parseRosterJson, RosterRefusal } from '../../../ingest/roster.ts'

describe('roster CSV', () => {
  it('detects the ; separator and strips the BOM', () => {
    const parsed = parseRosterCsv('\uFEFFid;department\r\nalice;IT\r\n')
    expect(parsed.people).toEqual([{ id: 'alice', department: 'IT' }])
  })

  it('accepts a comma roster with header case and spaces, reports unknown columns', () => {
    const parsed = parseRosterCsv(' ID , Site ,Name\nbob,Lyon,Bob B.\n')
    expect(parsed.people).toEqual([{ id: 'bob', site: 'Lyon' }])
    expect(parsed.ignoredColumns).toEqual(['name'])
  })

  it('refuses a duplicate id and a leaving date before the hiring date, naming the line', () => {
    const parsed = parseRosterCsv('id,hired_at,left_at\na,2024-01-01,\na,,\nb,2024-05-01,2024-04-01\n')
    expect(parsed.people.map((p) => p.id)).toEqual(['a'])
    expect(parsed.errors.map((e) => [e.line, e.path])).toEqual([
      [3, 'id'],
      [4, 'left_at'],
    ])
  })

  it('refuses a roster without an id column', () => {
    expect(() => parseRosterCsv('name,site\nx,y\n')).toThrow(/no "id" column/)
  })

  it('refuses a quote never closed, naming its line and column, instead of reading the rest as one value', () => {
    const csv = 'id,department\nalice,IT\nbob,"Sales\ncarol,HR\ndave,Ops\n'
    expect(() => parseRosterCsv(csv)).toThrow(RosterRefusal)
    expect(() => parseRosterCsv(csv)).toThrow(
      /^roster line 3: a quoted field is never closed \(started at column 2: "Sales\); nothing was changed — fix the quote and send the whole roster again$/,
    )
    try {
      parseRosterCsv(csv)
    } catch (err) {
      expect((err as RosterRefusal).line).toBe(3)
      expect((err as RosterRefusal).statusCode).toBe(400)
    }
  })

  it('refuses a quoted field that goes on after its closing quote (an undoubled quote inside)', () => {
    const csv = 'id,department\nalice,IT\nbob,"Sales "West" team"\ncarol,HR\n'
    expect(() => parseRosterCsv(csv)).toThrow(
      /^roster line 3: the quoted field in column 2 goes on after its closing quote/,
    )
    // Doubled quotes and spaces after the closing quote are fine.
    const ok = parseRosterCsv('id,department\nbob,"Sales ""West"" team" \n')
    expect(ok.people).toEqual([{ id: 'bob', department: 'Sales "West" team' }])
  })

  it('refuses a header naming a column twice: one of the two would be lost', () => {
    expect(() => parseRosterCsv('id,department,Department\na,IT,HR\n')).toThrow(
      /^roster line 1: the column "department" appears twice in the header; nothing was changed/,
    )
  })

  it('refuses a row with more values than the header has columns, keeping the other rows', () => {
    const parsed = parseRosterCsv(
      'id,department,site\nalice,IT,Paris\nbob,Sales, Marketing,Lyon\ncarol,HR,Lyon,\n',
    )
    expect(parsed.people).toEqual([
      { id: 'alice', department: 'IT', site: 'Paris' },
      { id: 'carol', department: 'HR', site: 'Lyon' },
    ])
    expect(parsed.errors).toEqual([
      {
        line: 3,
        path: '',
        message: '4 values but the header has 3 columns (a value containing "," must be quoted)',
        raw: 'bob,Sales, Marketing,Lyon',
      },
    ])
  })

  it('refuses JSON that does not parse, naming the line where it breaks', () => {
    const json = '[\n  {"id": "a"},\n  {"id": "b" "department": "IT"}\n]'
    expect(() => parseRosterJson(json)).toThrow(RosterRefusal)
    expect(() => parseRosterJson(json)).toThrow(/^roster line 3: the body is not valid JSON at column 14 /)
    // V8 names no position for an unexpected token: the line and column are still found.
    expect(() => parseRosterJson('[\n  {"id": "a"},\n  {"id": x}\n]')).toThrow(
      /^roster line 3: the body is not valid JSON at column 10 /,
    )
    expect(() => parseRosterJson('{"id": "a"}')).toThrow(/^roster line 1: a JSON roster must be an array/)
    expect(() => parseRosterJson(`[{"id": "a", "site": ${'['.repeat(40)}${']'.repeat(40)}}]`)).toThrow(
      /^roster line 1: the JSON is nested deeper than 32 levels/,
    )
  })
})
