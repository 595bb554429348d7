// The one CSV reader (rosters and history imports), on csv-parse: the separator sniffed on the
// header line unless given, an optional BOM, RFC 4180 quoting (`""` escapes, separators and line
// breaks inside quotes), CRLF, LF or CR line ends, blank lines skipped. A quote inside an unquoted
// value is kept as a character. Quoting that cannot be read (a quoted field never closed, or going
// on after its closing quote) throws CsvStructureError naming the line: read on, it would swallow
// or shift every later row.
import { CsvError, type InfoRecord, type Options, parse } from 'csv-parse/sync'

/** CSV text whose quoting cannot be read: every later record would be misread. */
export class CsvStructureError extends Error {
  constructor(
    /** 1-based line of the text where the reading failed. */
    readonly line: number,
    readonly reason: string,
    /** What the sender should do about it. */
    readonly todo: string,
  ) {
    super(`line ${line}: ${reason}; ${todo}`)
  }
}

export interface CsvRecord {
  fields: string[]
  /** 1-based line where the record starts. */
  line: number
  /** The record as written, without its line end. */
  raw: string
}

export interface CsvRead {
  records: CsvRecord[]
  delimiter: string
}

export interface CsvReadOptions {
  /** The separator; sniffed on the header line when absent. */
  delimiter?: string
  /** The separators sniffing chooses from, preferred first on a tie (default `,` `;` tab). */
  delimiters?: readonly string[]
}

/** The candidate found most often in the header line, the earliest on a tie; `,` when none is. */
export function sniffDelimiter(headerLine: string, candidates: readonly string[] = [',', ';', '\t']): string {
  let best = ','
  let bestCount = 0
  for (const candidate of candidates) {
    const count = headerLine.split(candidate).length - 1
    if (count > bestCount) {
      best = candidate
      bestCount = count
    }
  }
  return best
}

const lineBreaks = /\r\n|\r|\n/g

function countLineBreaks(text: string): number {
  return text.match(lineBreaks)?.length ?? 0
}

/** Splits CSV text into records; the first one is the header, as written. */
export function readCsvRecords(text: string, options: CsvReadOptions = {}): CsvRead {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const delimiter =
    options.delimiter ?? sniffDelimiter(body.slice(0, body.search(/\r?\n|$/)), options.delimiters)
  const records: CsvRecord[] = []
  // Where the next record starts: its line, and its byte offset in the UTF-8 text csv-parse reads.
  let line = 1
  let startByte = 0
  // With `raw`, each record reaches on_record as { record, raw } (the package's types omit it).
  const onRecord = (read: unknown, info: InfoRecord): null => {
    const { record, raw } = read as { record: string[]; raw: string }
    // A CRLF line end reaches `raw` as its CR alone: one line break either way.
    const end = raw.endsWith('\n') || raw.endsWith('\r') ? raw.length - 1 : raw.length
    if (!(record.length === 1 && record[0]!.trim() === '')) {
      records.push({ fields: record, line, raw: raw.slice(0, end) })
    }
    line += countLineBreaks(raw)
    startByte = info.bytes
    return null
  }
  try {
    parse(body, {
      delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      // Rows are as long as they are: the callers judge a row with too many or too few values.
      relax_column_count: true,
      // A quote inside an unquoted value is a character. With rtrim, a quoted field may be
      // followed by spaces only, anything else is an error (CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE).
      relax_quotes: true,
      rtrim: true,
      raw: true,
      on_record: onRecord as Options['on_record'],
    })
  } catch (err) {
    if (err instanceof CsvError) throw structureError(err, line, startByte, delimiter)
    throw err
  }
  return { records, delimiter }
}

/** The reader's error, at the line of the text where the quoting broke. */
function structureError(err: CsvError, recordLine: number, recordByte: number, delimiter: string): Error {
  const failure = err as CsvError & { raw?: string; column?: number; bytes?: number }
  // The failed record as read so far, from its first character.
  const raw = failure.raw ?? ''
  const column = (failure.column ?? 0) + 1
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
    // `bytes` is where the last separator before the open field was read.
    const fieldByte =
      column === 1 ? 0 : (failure.bytes ?? recordByte) - recordByte + Buffer.byteLength(delimiter)
    let quoteAt = Buffer.from(raw, 'utf8').subarray(0, fieldByte).toString('utf8').length
    if (raw[quoteAt] !== '"') quoteAt = Math.max(0, raw.indexOf('"'))
    const start = (raw.slice(quoteAt).split(/\r?\n/, 1)[0] ?? '').slice(0, 40)
    return new CsvStructureError(
      recordLine + countLineBreaks(raw.slice(0, quoteAt)),
      `a quoted field is never closed (started at column ${column}: ${start})`,
      'fix the quote',
    )
  }
  const line = recordLine + countLineBreaks(raw)
  if (err.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE' || err.code === 'CSV_INVALID_CLOSING_QUOTE') {
    // `"a"b` or `"say "hi""`: a quote inside a quoted field that is not doubled. Read on, the
    // quotes that follow would pair up wrongly and shift every later row.
    return new CsvStructureError(
      line,
      `the quoted field in column ${column} goes on after its closing quote ` +
        `(a quote inside a quoted field must be doubled: "")`,
      'fix the quotes of that field',
    )
  }
  return new CsvStructureError(line, `the CSV cannot be read (${err.message})`, 'fix the CSV')
}
