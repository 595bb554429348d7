// The roster column `community_manager` (EVENTS.md): an optional boolean written true/false, 1/0
// or oui/non, in CSV and JSON; anything else refuses the row and names the column.
import { describe, expect, it } from 'vitest'
import { parseRosterCsv, parseRosterJson } from '../../../ingest/roster.ts'
import { rosterColumns, rosterPersonSchema } from '../../../schemas/roster.ts'

describe('roster column community_manager', () => {
  it('is a known column', () => {
    expect(rosterColumns).toContain('community_manager')
  })

  it('reads true/false, 1/0 and oui/non in any case and with spaces, from a ; CSV', () => {
    const parsed = parseRosterCsv('id;Community_Manager\na;true\nb;FALSE\nc;1\nd;0\ne; Oui \nf;non\ng;\n')
    expect(parsed.errors).toEqual([])
    expect(parsed.ignoredColumns).toEqual([])
    expect(parsed.people.map((p) => [p.id, p.community_manager])).toEqual([
      ['a', true],
      ['b', false],
      ['c', true],
      ['d', false],
      ['e', true],
      ['f', false],
      ['g', undefined],
    ])
  })

  it('is optional: a roster without the column leaves it unsaid', () => {
    const parsed = parseRosterCsv('id,department\na,IT\n')
    expect(parsed.people).toEqual([{ id: 'a', department: 'IT' }])
    expect(parsed.people[0]!.community_manager).toBeUndefined()
  })

  it('refuses another value, naming the field and the line, and keeps the other rows', () => {
    const parsed = parseRosterCsv('id,community_manager\na,yes\nb,oui\nc,2\n')
    expect(parsed.people.map((p) => p.id)).toEqual(['b'])
    expect(parsed.errors).toEqual([
      { line: 2, path: 'community_manager', message: 'must be true/false, 1/0 or oui/non', raw: 'a,yes' },
      { line: 4, path: 'community_manager', message: 'must be true/false, 1/0 or oui/non', raw: 'c,2' },
    ])
  })

  it('takes JSON booleans, 1/0 numbers, the text forms and null; refuses other JSON values', () => {
    const parsed = parseRosterJson(
      JSON.stringify([
        { id: 'a', community_manager: true },
        { id: 'b', community_manager: false },
        { id: 'c', community_manager: 1 },
        { id: 'd', community_manager: 0 },
        { id: 'e', community_manager: 'oui' },
        { id: 'f', community_manager: null },
        { id: 'g', community_manager: 2 },
        { id: 'h', community_manager: { yes: true } },
        { id: 'i', community_manager: ['true'] },
      ]),
    )
    expect(parsed.people.map((p) => [p.id, p.community_manager])).toEqual([
      ['a', true],
      ['b', false],
      ['c', true],
      ['d', false],
      ['e', true],
      ['f', undefined],
    ])
    expect(parsed.errors.map((e) => [e.line, e.path, e.message])).toEqual([
      [6, 'community_manager', 'must be true/false, 1/0 or oui/non'],
      [7, 'community_manager', 'must be true/false, 1/0 or oui/non'],
      [8, 'community_manager', 'must be true/false, 1/0 or oui/non'],
    ])
  })

  it('names the field when the schema is used alone', () => {
    const result = rosterPersonSchema.safeParse({ id: 'a', community_manager: 'peut-être' })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path).toEqual(['community_manager'])
  })
})
