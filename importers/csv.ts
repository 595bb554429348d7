// A generic activity CSV (statistics exports of Jamespot, Jalios, LumApps...): the columns are
// named by a mapping (`type=Action,time=Date,actor=User,...`) and the values of the type column
// by a type mapping (`Publication=post.created,J'aime=reaction.added:groups`). `,`, `;` or tab
// separated, UTF-8 or Latin-1, times in ISO 8601 or French `dd/mm/yyyy HH:MM` (read in the
// org's time zone when they carry none).
//
// Without an id column the id is a hash of the mapped fields of the row, so a re-import counts
// each row once; the price is that two identical actions (same type, person, place and time to
// the precision of the export) collapse into one.
import { createHash } from 'node:crypto'
import { type Feature, features, isCatalogueType } from '../schemas/event-catalogue.ts'
import { column, readCsv } from './csv-table.ts'
import { parseExportTime, wireTimeOf } from './dates.ts'
import type { Encoding } from './files.ts'
import { ImportError, newParse, type SourceParse, stableId } from './model.ts'

export const mappableFields = [
  'id',
  'type',
  'time',
  'actor',
  'feature',
  'space',
  'object',
  'parent',
  'target',
  'count',
] as const
export type MappableField = (typeof mappableFields)[number]

export interface CsvMapping {
  /** Event field → CSV column name. `type`, `time` and `actor` are required. */
  columns: Partial<Record<MappableField, string>>
  /** Value of the type column → event type, with the feature for types that need one. */
  types: Record<string, { type: string; feature?: Feature }>
  /** Feature of types that need one when neither the mapping nor a column names it. */
  defaultFeature?: Feature
  source: string
  encoding: Encoding | 'auto'
}

/** `type=Action,time=Date,actor=User` → columns (field names checked). */
export function parseColumnMap(text: string): CsvMapping['columns'] {
  const columns: CsvMapping['columns'] = {}
  for (const pair of splitPairs(text)) {
    const [field, name] = pair
    if (!(mappableFields as readonly string[]).includes(field)) {
      throw new ImportError(`--map: unknown field "${field}" (fields: ${mappableFields.join(', ')})`)
    }
    columns[field as MappableField] = name
  }
  for (const required of ['type', 'time', 'actor'] as const) {
    if (!columns[required])
      throw new ImportError(`--map: say which column holds ${required} (e.g. ${required}=Column)`)
  }
  return columns
}

/** `Publication=post.created,J'aime=reaction.added:groups` → type mapping (types checked). */
export function parseTypeMap(text: string): CsvMapping['types'] {
  const types: CsvMapping['types'] = {}
  for (const [value, target] of splitPairs(text)) {
    const [type, feature] = target.split(':') as [string, string | undefined]
    if (!isCatalogueType(type) && !/^x\./.test(type)) {
      throw new ImportError(`--types: "${type}" (for "${value}") is not an event type of the catalogue`)
    }
    if (feature !== undefined && !(features as readonly string[]).includes(feature)) {
      throw new ImportError(
        `--types: unknown feature "${feature}" for "${value}" (features: ${features.join(', ')})`,
      )
    }
    types[value] = feature ? { type, feature: feature as Feature } : { type }
  }
  return types
}

/** `a=b,c=d` pairs; a value may hold `=` or `,` when quoted: `"Vu, lu"=content.viewed:articles`. */
function splitPairs(text: string): [string, string][] {
  const pairs: [string, string][] = []
  const items = text.match(/("[^"]*"|[^,])+/g) ?? []
  for (const item of items) {
    const eq = item.lastIndexOf('=')
    if (eq <= 0) throw new ImportError(`expected NAME=VALUE, got "${item.trim()}"`)
    const unquote = (s: string) => s.trim().replace(/^"(.*)"$/, '$1')
    pairs.push([unquote(item.slice(0, eq)), unquote(item.slice(eq + 1))])
  }
  return pairs
}

export function parseActivityCsv(
  bytes: Uint8Array,
  fileName: string,
  mapping: CsvMapping,
  org: string,
  timeZone: string,
): SourceParse & { encoding: Encoding; delimiter: string } {
  const table = readCsv(bytes, { encoding: mapping.encoding, file: fileName })
  const parse = newParse('csv')
  const missing = Object.entries(mapping.columns).filter(
    ([, name]) => !table.header.some((h) => h.toLowerCase() === name!.toLowerCase()),
  )
  if (missing.length > 0) {
    throw new ImportError(
      `${fileName}: no column ${missing.map(([f, n]) => `"${n}" (for ${f})`).join(', ')}; the header has: ${table.header.join(', ')}`,
    )
  }
  const cols = mapping.columns
  const get = (row: Parameters<typeof column>[0], field: MappableField) =>
    cols[field] ? column(row, cols[field]) : ''
  for (const row of table.rows) {
    const origin = { file: fileName, line: row.line }
    const problem = (path: string, message: string) =>
      parse.problems.push({ origin, path, message, raw: row.raw })
    const typeValue = get(row, 'type')
    const mapped = mapping.types[typeValue] ?? (isCatalogueType(typeValue) ? { type: typeValue } : undefined)
    if (!mapped) {
      problem('type', `no event type for "${typeValue}" (add "${typeValue}=<type>" to --types)`)
      continue
    }
    const timeText = get(row, 'time')
    const ms = timeText === '' ? null : parseExportTime(timeText, timeZone)
    if (ms === null) {
      problem(
        'time',
        timeText === '' ? 'required' : `not a date-time (ISO or dd/mm/yyyy HH:MM): "${timeText}"`,
      )
      continue
    }
    const actor = get(row, 'actor')
    if (actor === '') {
      problem('actor', 'required')
      continue
    }
    const countText = get(row, 'count')
    const count = countText === '' ? undefined : Number(countText)
    const feature = get(row, 'feature') || mapped.feature || mapping.defaultFeature
    const optional = {
      ...(feature ? { feature } : {}),
      ...(get(row, 'space') ? { space: get(row, 'space') } : {}),
      ...(get(row, 'object') ? { object: get(row, 'object') } : {}),
      ...(get(row, 'parent') ? { parent: get(row, 'parent') } : {}),
      ...(get(row, 'target') ? { target: get(row, 'target') } : {}),
      ...(count !== undefined ? { count } : {}),
    }
    const time = wireTimeOf(ms)
    const sourceId = get(row, 'id')
    const id =
      sourceId !== ''
        ? stableId(sourceId)
        : `row:${createHash('sha256')
            .update(JSON.stringify([mapped.type, time, actor, optional]))
            .digest('hex')
            .slice(0, 40)}`
    parse.candidates.push({
      event: { id, type: mapped.type, time, org, actor, source: mapping.source, ...optional },
      origin,
      raw: row.raw,
    })
  }
  return { ...parse, encoding: table.encoding, delimiter: table.delimiter }
}
