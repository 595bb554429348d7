// Roster uploads: CSV (`,` or `;`, optional BOM, RFC 4180 quoting) or a JSON array, each row
// judged on its own; the valid rows become the org's new workforce snapshot. A body that cannot be
// read whole (a quote never closed, a column named twice, JSON that does not parse) is refused
// whole (RosterRefusal): reading on would drop or shift rows without anyone being told.
import type { ClickHouseClient } from '@clickhouse/client'
import { toClickHouseTime } from '../schemas/event.ts'
import { type RosterPerson, rosterColumns, rosterPersonSchema } from '../schemas/roster.ts'
import { type CsvRead, CsvStructureError, readCsvRecords } from './csv.ts'
import { BodyError, maxJsonDepth, nestedDeeperThan } from './parse-body.ts'

export interface RosterRowError {
  /** 1-based line of the CSV file (the header is line 1), or 0-based index of the JSON array. */
  line: number
  path: string
  message: string
  raw: string
}

export interface RosterParse {
  people: RosterPerson[]
  errors: RosterRowError[]
  ignoredColumns: string[]
}

/**
 * A roster that cannot be read whole (a quote never closed, a column named twice, JSON that does
 * not parse…). It is refused whole: the caller keeps the body in the rejected store and the
 * previous roster stays in effect. `line` is the 1-based line of the text where the reading failed.
 */
export class RosterRefusal extends BodyError {
  constructor(
    readonly line: number,
    readonly reason: string,
    todo: string,
  ) {
    super(
      400,
      `roster line ${line}: ${reason}; nothing was changed — ${todo} and send the whole roster again`,
    )
  }
}

export function parseRosterCsv(text: string): RosterParse {
  let read: CsvRead
  try {
    // `,` or `;`, whichever the header line has more of (`,` on a tie).
    read = readCsvRecords(text, { delimiters: [',', ';'] })
  } catch (err) {
    if (err instanceof CsvStructureError) throw new RosterRefusal(err.line, err.reason, err.todo)
    throw err
  }
  const { records, delimiter } = read
  const [header, ...rows] = records
  if (!header)
    throw new RosterRefusal(
      1,
      'the CSV is empty',
      'put a header line (id,department,…) and one line per person in it',
    )
  const names = header.fields.map((h) => h.trim().toLowerCase())
  if (!names.includes('id'))
    throw new RosterRefusal(
      header.line,
      'the CSV header has no "id" column',
      'add an "id" column to the header',
    )
  const known = new Set<string>(rosterColumns)
  const twice = names.find((n, i) => n !== '' && names.indexOf(n) !== i)
  if (twice !== undefined)
    throw new RosterRefusal(
      header.line,
      `the column "${twice}" appears twice in the header`,
      'name each column once',
    )
  const ignoredColumns = names.filter((n) => !known.has(n))
  const objects = rows.map((row) => {
    // Values beyond the header's columns are a value with an unquoted separator in it (or a
    // missing header name): read on, every later value of the row would sit in the wrong column.
    const extra = row.fields.slice(names.length).some((f) => f.trim() !== '')
    if (extra) {
      return {
        value: undefined,
        line: row.line,
        raw: row.raw,
        error: {
          path: '',
          message:
            `${row.fields.length} values but the header has ${names.length} columns ` +
            `(a value containing "${delimiter}" must be quoted)`,
        },
      }
    }
    const obj: Record<string, string> = {}
    names.forEach((name, i) => {
      if (known.has(name)) obj[name] = row.fields[i] ?? ''
    })
    return { value: obj as unknown, line: row.line, raw: row.raw }
  })
  return { ...judgeRosterRows(objects), ignoredColumns }
}

/** The 1-based line and column of a character offset of the text. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const lines = before.split('\n')
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 }
}

/**
 * Where JSON.parse gave up: the offset of the first character that cannot continue the JSON text
 * (its length when the text ends too soon). Only run on text JSON.parse refused; V8 names the
 * position for some errors only.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0
  const fail = (at: number): never => {
    throw at
  }
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++
  }
  const value = (): void => {
    space()
    const c = text[i]
    if (c === '{') {
      i++
      space()
      if (text[i] === '}') {
        i++
        return
      }
      for (;;) {
        space()
        if (text[i] !== '"') fail(i)
        string()
        space()
        if (text[i] !== ':') fail(i)
        i++
        value()
        space()
        if (text[i] === ',') i++
        else if (text[i] === '}') {
          i++
          return
        } else fail(i)
      }
    }
    if (c === '[') {
      i++
      space()
      if (text[i] === ']') {
        i++
        return
      }
      for (;;) {
        value()
        space()
        if (text[i] === ',') i++
        else if (text[i] === ']') {
          i++
          return
        } else fail(i)
      }
    }
    if (c === '"') {
      string()
      return
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      text.slice(i, i + 400),
    )
    if (!literal) fail(i)
    i += literal![0].length
  }
  const string = () => {
    i++
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        i++
        return
      }
      if (c < 0x20) fail(i)
      if (c === 0x5c) {
        const e = text[i + 1]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(i)
          i += 6
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2
        else fail(i)
      } else i++
    }
    fail(i)
  }
  try {
    value()
    space()
    return i
  } catch (at) {
    // Text that ends too soon: the place just after its last character that is not a space.
    if (typeof at === 'number') return Math.min(at, text.trimEnd().length)
    throw at
  }
}

export function parseRosterJson(text: string): RosterParse {
  // Measured on the text before anything recursive runs (the parse, the re-serialised raw rows).
  if (nestedDeeperThan(text, maxJsonDepth))
    throw new RosterRefusal(
      1,
      `the JSON is nested deeper than ${maxJsonDepth} levels of arrays and objects (a roster is an array of flat objects)`,
      'send the people as one JSON array of flat objects',
    )
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    const message = (err as Error).message
    const where = lineAndColumn(text, jsonErrorOffset(text))
    throw new RosterRefusal(
      where.line,
      `the body is not valid JSON at column ${where.column} (${message})`,
      'fix the JSON',
    )
  }
  if (!Array.isArray(parsed))
    throw new RosterRefusal(
      1,
      'a JSON roster must be an array of people ([{"id": …}, …])',
      'send the people as one JSON array',
    )
  const rows = parsed.map((value, i) => ({ value, line: i, raw: JSON.stringify(value) }))
  return { ...judgeRosterRows(rows), ignoredColumns: [] }
}

function judgeRosterRows(
  rows: { value: unknown; line: number; raw: string; error?: { path: string; message: string } }[],
): Omit<RosterParse, 'ignoredColumns'> {
  const people: RosterPerson[] = []
  const errors: RosterRowError[] = []
  const seen = new Set<string>()
  for (const row of rows) {
    if (row.error) {
      errors.push({ line: row.line, ...row.error, raw: row.raw })
      continue
    }
    const result = rosterPersonSchema.safeParse(row.value)
    if (!result.success) {
      const issue = result.error.issues[0]
      const path =
        issue?.code === 'unrecognized_keys'
          ? (issue.keys[0] ?? '')
          : (issue?.path.map(String).join('.') ?? '')
      const message =
        issue?.code === 'unrecognized_keys'
          ? `unknown column ${issue.keys.join(', ')}`
          : issue?.code === 'invalid_type' && issue.input === undefined
            ? 'required'
            : (issue?.message ?? 'invalid')
      errors.push({ line: row.line, path, message, raw: row.raw })
      continue
    }
    const person = result.data
    if (seen.has(person.id)) {
      errors.push({ line: row.line, path: 'id', message: `duplicate id ${person.id}`, raw: row.raw })
      continue
    }
    if (person.hired_at && person.left_at && person.left_at < person.hired_at) {
      errors.push({ line: row.line, path: 'left_at', message: 'before hired_at', raw: row.raw })
      continue
    }
    seen.add(person.id)
    people.push(person)
  }
  return { people, errors }
}

/** Stores the people as the org's new snapshot; older snapshots stay for history. */
export async function saveRosterSnapshot(
  client: ClickHouseClient,
  org: string,
  people: readonly RosterPerson[],
  now = new Date(),
): Promise<void> {
  const snapshot = toClickHouseTime(now.getTime())
  await client.insert({
    table: 'roster',
    format: 'JSONEachRow',
    values: people.map((p) => ({
      org,
      snapshot,
      person_id: p.id,
      department: p.department ?? '',
      site: p.site ?? '',
      manager: p.manager ?? '',
      hired_at: p.hired_at ?? null,
      left_at: p.left_at ?? null,
      community_manager: p.community_manager ?? false,
    })),
  })
}
