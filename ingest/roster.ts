// Roster uploads: CSV (`,` or `;`, optional BOM, RFC 4180 quoting) or a JSON array, each row
// judged on its own; the valid rows become the org's new workforce snapshot.
import type { ClickHouseClient } from '@clickhouse/client'
import { toClickHouseTime } from '../schemas/event.ts'
import { type RosterPerson, rosterColumns, rosterPersonSchema } from '../schemas/roster.ts'
import { BodyError } from './parse-body.ts'

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

/** Splits CSV text into records, honouring quotes (with `""` escapes and embedded newlines). */
export function parseCsvRecords(
  text: string,
  delimiter: string,
): { fields: string[]; line: number; raw: string }[] {
  const records: { fields: string[]; line: number; raw: string }[] = []
  let fields: string[] = []
  let field = ''
  let inQuotes = false
  let line = 1
  let recordLine = 1
  let recordStart = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else inQuotes = false
      } else {
        if (c === '\n') line++
        field += c
      }
    } else if (c === '"' && field === '') inQuotes = true
    else if (c === delimiter) {
      fields.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      fields.push(field)
      records.push({ fields, line: recordLine, raw: text.slice(recordStart, i) })
      if (c === '\r' && text[i + 1] === '\n') i++
      fields = []
      field = ''
      line++
      recordLine = line
      recordStart = i + 1
    } else field += c
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field)
    records.push({ fields, line: recordLine, raw: text.slice(recordStart) })
  }
  return records.filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim() === ''))
}

export function parseRosterCsv(text: string): RosterParse {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const firstLine = body.slice(0, body.search(/\r?\n|$/))
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ','
  const [header, ...rows] = parseCsvRecords(body, delimiter)
  if (!header) throw new BodyError(400, 'roster: the CSV is empty')
  const names = header.fields.map((h) => h.trim().toLowerCase())
  if (!names.includes('id')) throw new BodyError(400, 'roster: the CSV header has no "id" column')
  const known = new Set<string>(rosterColumns)
  const ignoredColumns = names.filter((n) => !known.has(n))
  const objects = rows.map((row) => {
    const obj: Record<string, string> = {}
    names.forEach((name, i) => {
      if (known.has(name)) obj[name] = row.fields[i] ?? ''
    })
    return { value: obj as unknown, line: row.line, raw: row.raw }
  })
  return { ...judgeRosterRows(objects), ignoredColumns }
}

export function parseRosterJson(text: string): RosterParse {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new BodyError(400, `roster: body is not valid JSON: ${(err as Error).message}`)
  }
  if (!Array.isArray(parsed)) throw new BodyError(400, 'roster: a JSON roster must be an array of people')
  const rows = parsed.map((value, i) => ({ value, line: i, raw: JSON.stringify(value) }))
  return { ...judgeRosterRows(rows), ignoredColumns: [] }
}

function judgeRosterRows(
  rows: { value: unknown; line: number; raw: string }[],
): Omit<RosterParse, 'ignoredColumns'> {
  const people: RosterPerson[] = []
  const errors: RosterRowError[] = []
  const seen = new Set<string>()
  for (const row of rows) {
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
    })),
  })
}
