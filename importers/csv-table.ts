// A CSV file as a header and rows, each row with its line number: `,`, `;` or tab separated
// (detected on the header line), RFC 4180 quoting, UTF-8 or Latin-1.
import { parseCsvRecords } from '../ingest/roster.ts'
import { decodeText, type Encoding } from './files.ts'

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

export function detectDelimiter(headerLine: string): string {
  const counts = [';', ',', '\t'].map((d) => [d, headerLine.split(d).length - 1] as const)
  counts.sort((a, b) => b[1] - a[1])
  return counts[0]![1] > 0 ? counts[0]![0] : ','
}

export function readCsv(
  bytes: Uint8Array,
  options: { encoding?: Encoding | 'auto'; delimiter?: string } = {},
): CsvTable {
  const { text, encoding } = decodeText(bytes, options.encoding ?? 'auto')
  const firstLine = text.slice(0, text.search(/\r?\n|$/))
  const delimiter = options.delimiter ?? detectDelimiter(firstLine)
  const [head, ...records] = parseCsvRecords(text, delimiter)
  const header = (head?.fields ?? []).map((h) => h.trim())
  const rows = records.map((r) => {
    const values: Record<string, string> = {}
    header.forEach((name, i) => {
      values[name] = (r.fields[i] ?? '').trim()
    })
    return { line: r.line, raw: r.raw, values }
  })
  return { header, rows, delimiter, encoding }
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
