// An export: one report of one org over a range, in one format, as a stream of bytes with its
// media type and file name. CSV, JSON and XLSX are shaped here from the report's rows, which
// arrive as a stream; Parquet and Arrow are the engine's own output formats, streamed as they are.
import { Readable } from 'node:stream'
import type { ClickHouseClient } from '@clickhouse/client'
import type { EngagementDimension, ExportFormat, ExportReport } from '../../schemas/api/exports.ts'
import type { OrgSettings } from '../../schemas/api/settings.ts'
import { readCalendar } from '../calendar.ts'
import type { DateRange } from '../query.ts'
import { type CsvDelimiter, csvLine, utf8Bom } from './csv-cells.ts'
import { type EngagementQuery, engagementColumns, prepareEngagement } from './engagement.ts'
import { type XlsxColumn, xlsxWorkbook } from './xlsx.ts'

export interface ExportRequest {
  client: ClickHouseClient
  org: string
  report: ExportReport
  format: ExportFormat
  range: DateRange
  timeZone: string
  settings: OrgSettings
  /** The small-group rule applies to every role but admin. */
  role: string
  dimension?: EngagementDimension
  /** CSV only: `;` also writes decimal commas (French Excel). */
  delimiter?: CsvDelimiter
  now?: Date
}

export interface ExportFile {
  contentType: string
  filename: string
  /** Rows the report holds (for progress), known before the first byte. */
  rows: number
  suppressed: boolean
  body: Readable
}

const mediaTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  parquet: 'application/vnd.apache.parquet',
  arrow: 'application/vnd.apache.arrow.stream',
  json: 'application/json; charset=utf-8',
}

const extensions: Record<ExportFormat, string> = {
  csv: 'csv',
  xlsx: 'xlsx',
  parquet: 'parquet',
  arrow: 'arrows',
  json: 'json',
}

/**
 * Engine settings of the typed formats, so that readers everywhere open them (apache-arrow in JS
 * cannot read LZ4-compressed batches). Appended to the query's SETTINGS clause rather than sent as
 * clickhouse_settings, which the embedded engine would keep for the rest of the session.
 */
const engineFormats = {
  parquet: {
    format: 'Parquet',
    settings:
      "output_format_parquet_compression_method = 'snappy', output_format_parquet_string_as_string = 1",
  },
  arrow: {
    format: 'ArrowStream',
    settings: "output_format_arrow_compression_method = 'none', output_format_arrow_string_as_string = 1",
  },
} as const

const xlsxColumns: XlsxColumn[] = engagementColumns.map((c) => ({
  name: c.name,
  type: c.type === 'number' ? 'percent' : c.type,
}))

async function* reportRows(client: ClickHouseClient, query: EngagementQuery) {
  const result = await client.query({
    query: query.sql,
    query_params: query.params,
    format: 'JSONEachRow',
    // The same value as every other reader query (run.ts): counts come back as JSON numbers.
    clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
  })
  for await (const rows of result.stream<Record<string, unknown>>()) {
    for (const row of rows) yield row.json()
  }
}

async function* csvBytes(rows: AsyncIterable<Record<string, unknown>>, delimiter: CsvDelimiter) {
  const names = engagementColumns.map((c) => c.name)
  let chunk = utf8Bom + csvLine(names, delimiter)
  for await (const row of rows) {
    chunk += csvLine(
      names.map((n) => row[n]),
      delimiter,
    )
    if (chunk.length >= 64 * 1024) {
      yield Buffer.from(chunk, 'utf8')
      chunk = ''
    }
  }
  if (chunk) yield Buffer.from(chunk, 'utf8')
}

async function* jsonBytes(head: Record<string, unknown>, rows: AsyncIterable<Record<string, unknown>>) {
  const opening = JSON.stringify({ ...head, columns: engagementColumns, rows: [] })
  // The document up to the rows array, then the rows one by one, then the closing brackets.
  yield Buffer.from(`${opening.slice(0, -2)}\n`, 'utf8')
  let first = true
  for await (const row of rows) {
    yield Buffer.from(`${first ? '' : ',\n'}${JSON.stringify(row)}`, 'utf8')
    first = false
  }
  yield Buffer.from('\n]}\n', 'utf8')
}

async function* xlsxBytes(sheet: string, rows: AsyncIterable<Record<string, unknown>>) {
  const all: Record<string, unknown>[] = []
  for await (const row of rows) all.push(row)
  yield xlsxWorkbook(sheet, xlsxColumns, all)
}

export async function runExport(request: ExportRequest): Promise<ExportFile> {
  const { client, org, range } = request
  const suppressed = request.role !== 'admin'
  const query = await prepareEngagement({
    ctx: {
      client,
      query: { org, range, interval: 'month', by: undefined, filters: {}, timeZone: request.timeZone },
      settings: request.settings,
      now: request.now ?? new Date(),
      personLabel: (actor) => actor,
      calendar: await readCalendar(client, org),
    },
    suppress: suppressed,
    ...(request.dimension ? { dimension: request.dimension } : {}),
  })
  const scope = request.dimension ? `${request.report}-by-${request.dimension}` : request.report
  const filename = `${org}-${scope}-${range.from}-${range.to}.${extensions[request.format]}`
  const file = { contentType: mediaTypes[request.format], filename, rows: query.rows, suppressed }

  if (request.format === 'parquet' || request.format === 'arrow') {
    const engine = engineFormats[request.format]
    const result = await client.exec({
      query: `${query.sql}, ${engine.settings}\nFORMAT ${engine.format}`,
      query_params: query.params,
    })
    return { ...file, body: Readable.from(result.stream) }
  }
  const rows = reportRows(client, query)
  if (request.format === 'csv')
    return { ...file, body: Readable.from(csvBytes(rows, request.delimiter ?? ',')) }
  if (request.format === 'xlsx') return { ...file, body: Readable.from(xlsxBytes(request.report, rows)) }
  const head = {
    report: request.report,
    org,
    from: range.from,
    to: range.to,
    time_zone: request.timeZone,
    min_group_size: request.settings.min_group_size,
    small_groups_withheld: suppressed,
  }
  return { ...file, body: Readable.from(jsonBytes(head, rows)) }
}
