// A CSV file as a header and rows, each row with its line number: `;`, `,` or tab separated
// (sniffed on the header line), RFC 4180 quoting, UTF-8 or Latin-1; read by ingest/csv.ts. A
// file whose quoting cannot be read is refused whole (ImportError naming the file and line):
// reading on would swallow or shift the rows after the broken quote.
import { CsvStructureError, readCsvRecords } from '../ingest/csv.ts'
import { decodeText, type Encoding } from './files.ts'
import { ImportError } from './model.ts'

export interface CsvRow {
  /** 1-based line of the file where the row starts (the header is line 1). */
  line: number
  raw: string
  /** Column name (as in the header, trimmed) → value. */
  values: Record<string, string>
}

export interface CsvTable {
  header: string[]
  rows: CsvRow[]
  delimiter: string
  encoding: Encoding
}

export function readCsv(
  bytes: Uint8Array,
  options: { encoding?: Encoding | 'auto'; delimiter?: string; file?: string } = {},
): CsvTable {
  const { text, encoding } = decodeText(bytes, options.encoding ?? 'auto')
  let read: ReturnType<typeof readCsvRecords>
  try {
    read = readCsvRecords(text, {
      // On a tie `;` wins, then `,`.
      delimiters: [';', ',', '\t'],
      ...(options.delimiter ? { delimiter: options.delimiter } : {}),
    })
  } catch (err) {
    if (err instanceof CsvStructureError) {
      throw new ImportError(
        `${options.file ?? 'the CSV file'} line ${err.line}: ${err.reason}; nothing was imported — ` +
          `${err.todo} and import the file again`,
      )
    }
    throw err
  }
  const [head, ...records] = read.records
  const header = (head?.fields ?? []).map((h) => h.trim())
  const rows = records.map((r) => {
    const values: Record<string, string> = {}
    header.forEach((name, i) => {
      values[name] = (r.fields[i] ?? '').trim()
    })
    return { line: r.line, raw: r.raw, values }
  })
  return { header, rows, delimiter: read.delimiter, encoding }
}

/** The value of the first of these columns present (case-insensitive), '' when none is. */
export function column(row: CsvRow, ...names: string[]): string {
  for (const name of names) {
    if (name in row.values) return row.values[name]!
    const key = Object.keys(row.values).find((k) => k.toLowerCase() === name.toLowerCase())
    if (key !== undefined) return row.values[key]!
  }
  return ''
}
