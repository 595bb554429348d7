// Shape for the wire: a metric's table as CSV (RFC 4180) or as an Arrow IPC stream.
import { Bool, Float64, Int32, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow'
import { neutraliseFormula } from './exports/csv-cells.ts'

export type Cell = string | number | boolean | null
export type Row = Record<string, Cell>

function columnsOf(rows: readonly Row[]): string[] {
  const seen = new Set<string>()
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key)
  return [...seen]
}

function csvCell(value: Cell | undefined): string {
  if (value === null || value === undefined) return ''
  // Text that a spreadsheet would run as a formula is made inert; numbers stay numbers.
  const text = typeof value === 'string' ? neutraliseFormula(value) : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function toCsv(rows: readonly Row[], columns = columnsOf(rows)): string {
  const lines = [columns.map((c) => csvCell(c)).join(',')]
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','))
  return `${lines.join('\r\n')}\r\n`
}

function arrowType(values: readonly (Cell | undefined)[]) {
  const present = values.filter((v) => v !== null && v !== undefined)
  if (present.length > 0 && present.every((v) => typeof v === 'boolean')) return new Bool()
  if (present.every((v) => typeof v === 'number')) {
    return present.every((v) => Number.isInteger(v) && Math.abs(v as number) < 2 ** 31)
      ? new Int32()
      : new Float64()
  }
  return new Utf8()
}

export function toArrowStream(rows: readonly Row[], columns = columnsOf(rows)): Uint8Array {
  const vectors = Object.fromEntries(
    columns.map((c) => {
      const values = rows.map((r) => r[c] ?? null)
      const type = arrowType(values)
      const cast = type instanceof Utf8 ? values.map((v) => (v === null ? null : String(v))) : values
      return [c, vectorFromArray(cast, type)]
    }),
  )
  return tableToIPC(new Table(vectors), 'stream')
}
