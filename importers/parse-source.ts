// Reads an export of one of the sources into candidate events: shared by the command line and
// the upload route.
import type { ClickHouseClient } from '@clickhouse/client'
import { type CsvMapping, parseActivityCsv } from './csv.ts'
import { defaultImportTimeZone } from './dates.ts'
import { parseEngageExport } from './engage.ts'
import type { ExportFiles } from './files.ts'
import { ImportError, type ImportSource, type SourceParse } from './model.ts'
import { parseSlackExport } from './slack.ts'

export interface SourceOptions {
  org: string
  timeZone: string
  /** For the generic CSV. */
  mapping?: CsvMapping
}

export function parseSource(source: ImportSource, files: ExportFiles, options: SourceOptions): SourceParse {
  switch (source) {
    case 'slack':
      return parseSlackExport(files, options.org)
    case 'engage':
      return parseEngageExport(files, options.org, options.timeZone)
    case 'csv': {
      if (!options.mapping) throw new ImportError('a CSV import needs a column mapping (--map)')
      const csvFiles = [...files].filter(([name]) => /\.(csv|txt|tsv)$/i.test(name) || files.size === 1)
      if (csvFiles.length === 0) throw new ImportError('no CSV file in the upload')
      const merged: SourceParse = { source: 'csv', candidates: [], roster: null, problems: [], skipped: {} }
      for (const [name, bytes] of csvFiles) {
        const one = parseActivityCsv(bytes, name, options.mapping, options.org, options.timeZone)
        merged.candidates.push(...one.candidates)
        merged.problems.push(...one.problems)
      }
      return merged
    }
  }
}

/**
 * Times without a zone are read in the org's time zone setting when the org has settings
 * stored, else in Europe/Paris.
 */
export async function orgTimeZone(client: ClickHouseClient, org: string): Promise<string> {
  const result = await client.query({
    query: 'SELECT settings FROM org_settings WHERE org = {org:String} ORDER BY version DESC LIMIT 1',
    query_params: { org },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ settings: string }>()
  if (!row) return defaultImportTimeZone
  const zone = (JSON.parse(row.settings) as { time_zone?: unknown }).time_zone
  return typeof zone === 'string' && zone !== '' ? zone : defaultImportTimeZone
}
