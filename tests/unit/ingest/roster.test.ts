import { describe, expect, it } from 'vitest'
import { parseCsvRecords, parseRosterCsv } from '../../../ingest/roster.ts'

describe('roster CSV', () => {
  it('reads quoted fields with separators, doubled quotes and newlines', () => {
    const records = parseCsvRecords('a,b\n"x, y","say ""hi""\nthere"\n', ',')
    expect(records.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ])
  })

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
})
