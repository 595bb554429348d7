// The small pieces of the importers, on values worked out by hand.
import { describe, expect, it } from 'vitest'
import { parseColumnMap, parseTypeMap } from '../../../importers/csv.ts'
import { readCsv } from '../../../importers/csv-table.ts'
import { parseExportTime, slackTsMs } from '../../../importers/dates.ts'
import { decodeText } from '../../../importers/files.ts'
import { ImportError, stableId } from '../../../importers/model.ts'
import { arrayElementLines, mentionsOf } from '../../../importers/slack.ts'

const iso = (text: string, zone = 'Europe/Paris') => {
  const ms = parseExportTime(text, zone)
  return ms === null ? null : new Date(ms).toISOString()
}

describe('export times', () => {
  it('reads French dates in the org time zone, winter and summer', () => {
    expect(iso('05/03/2024 09:30')).toBe('2024-03-05T08:30:00.000Z')
    expect(iso('5/7/2024 9h05')).toBe('2024-07-05T07:05:00.000Z')
    expect(iso('05/03/2024')).toBe('2024-03-04T23:00:00.000Z')
    expect(iso('05/03/2024 09:30', 'America/New_York')).toBe('2024-03-05T14:30:00.000Z')
  })

  it('reads the skipped spring hour forward and the repeated autumn hour at its first occurrence', () => {
    expect(iso('31/03/2024 02:30')).toBe('2024-03-31T01:30:00.000Z')
    expect(iso('27/10/2024 02:30')).toBe('2024-10-27T00:30:00.000Z')
  })

  it('keeps the zone of ISO and Viva Engage times', () => {
    expect(iso('2023-06-10 09:00:00 UTC')).toBe('2023-06-10T09:00:00.000Z')
    expect(iso('2024-03-05T10:00:00+02:00')).toBe('2024-03-05T08:00:00.000Z')
    expect(iso('2024-03-05T10:00:00.250Z')).toBe('2024-03-05T10:00:00.250Z')
    expect(iso('2024-07-01 12:00')).toBe('2024-07-01T10:00:00.000Z')
  })

  it('refuses what is not a calendar date', () => {
    expect(iso('32/03/2024 10:00')).toBeNull()
    expect(iso('2024-02-30')).toBeNull()
    expect(iso('29/02/2023')).toBeNull()
    expect(iso('hier')).toBeNull()
  })

  it('reads Slack ts as epoch seconds', () => {
    expect(slackTsMs('1704705000.000200')).toBe(1_704_705_000_000)
    expect(slackTsMs('pas-un-ts')).toBeNull()
    expect(slackTsMs(undefined)).toBeNull()
  })
})

describe('CSV', () => {
  it('detects ; and Latin-1, and keeps line numbers of quoted multi-line rows', () => {
    const bytes = Buffer.from('Qui;Quoi\r\nj\xe9r\xf4me;"deux\r\nlignes"\r\n\xe9lodie;x\r\n', 'latin1')
    const table = readCsv(bytes)
    expect(table.delimiter).toBe(';')
    expect(table.encoding).toBe('latin1')
    expect(table.rows.map((r) => [r.line, r.values.Qui])).toEqual([
      [2, 'jérôme'],
      [4, 'élodie'],
    ])
  })

  it('refuses a file whose quote is never closed instead of reading the later rows into one value', () => {
    const bytes = Buffer.from('Qui,Quoi\r\nanna,"un\r\nben,deux\r\ncarl,trois\r\n', 'utf8')
    expect(() => readCsv(bytes, { file: 'export.csv' })).toThrow(ImportError)
    expect(() => readCsv(bytes, { file: 'export.csv' })).toThrow(
      'export.csv line 2: a quoted field is never closed (started at column 2: "un); nothing was imported — fix the quote and import the file again',
    )
    expect(() => readCsv(Buffer.from('a;b\n"x"y;z\n'))).toThrow(
      /^the CSV file line 2: the quoted field in column 1 goes on after its closing quote/,
    )
  })

  it('takes valid UTF-8 as UTF-8 and drops the BOM', () => {
    expect(decodeText(Buffer.from('\ufeffzoé', 'utf8'))).toEqual({ text: 'zoé', encoding: 'utf8' })
  })

  it('parses the column and type mappings, naming what is wrong', () => {
    expect(parseColumnMap('type=Action,time=Date,actor=User,space=Group')).toEqual({
      type: 'Action',
      time: 'Date',
      actor: 'User',
      space: 'Group',
    })
    expect(() => parseColumnMap('type=Action,time=Date')).toThrow(/actor/)
    expect(() => parseColumnMap('type=A,time=B,actor=C,colour=D')).toThrow(/unknown field "colour"/)
    expect(
      parseTypeMap('Publication=post.created,J\'aime=reaction.added:groups,"Vu, lu"=content.viewed:articles'),
    ).toEqual({
      Publication: { type: 'post.created' },
      "J'aime": { type: 'reaction.added', feature: 'groups' },
      'Vu, lu': { type: 'content.viewed', feature: 'articles' },
    })
    expect(() => parseTypeMap('Publication=post.create')).toThrow(ImportError)
    expect(() => parseTypeMap('Like=reaction.added:fun')).toThrow(/unknown feature "fun"/)
  })
})

describe('Slack pieces', () => {
  it('finds the line where each message of a day file starts', () => {
    const text = '[\n    {\n        "text": "a [b] {c}"\n    },\n    {"text": "d\\"}"}, {\n"x": 1}\n]'
    expect(arrayElementLines(text)).toEqual([2, 5, 5])
  })

  it('lists mentions once each, with or without a label', () => {
    expect(mentionsOf('hi <@U02> and <@U03|cid>, <@U02> again, not <#C01> nor <!here>')).toEqual([
      'U02',
      'U03',
    ])
  })

  it('keeps readable ids within the contract, hashes longer ones', () => {
    expect(stableId('C01', '1704705000.000200', 'reaction', 'tada', 'U02')).toBe(
      'C01:1704705000.000200:reaction:tada:U02',
    )
    const long = stableId('C01', 'x'.repeat(200))
    expect(long).toMatch(/^h:[0-9a-f]{64}$/)
    expect(stableId('C01', 'x'.repeat(200))).toBe(long)
  })
})
