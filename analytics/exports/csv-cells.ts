// CSV cells for spreadsheets: RFC 4180 quoting, a `;` variant with decimal commas for French
// Excel, and formula injection neutralised (OWASP "CSV injection"): a text cell that starts
// with =, +, -, @, a tab or a carriage return is prefixed with a single quote, so a spreadsheet
// shows it as text instead of running it. Numbers are written from JS numbers, never from text,
// so a genuine negative number is never prefixed and stays a number.

export type CsvDelimiter = ',' | ';'

/** The first characters that make a spreadsheet read text as a formula. */
export const formulaStart = /^[=+\-@\t\r]/

/** Text that a spreadsheet would read as a formula, made inert. */
export function neutraliseFormula(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text
}

export function csvCell(value: unknown, delimiter: CsvDelimiter = ','): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return ''
    const text = String(value)
    return delimiter === ';' ? text.replace('.', ',') : text
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  const text = neutraliseFormula(String(value))
  const needsQuotes = text.includes(delimiter) || /["\r\n]/.test(text)
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text
}

/** One record, CRLF-terminated (RFC 4180). */
export function csvLine(values: readonly unknown[], delimiter: CsvDelimiter = ','): string {
  return `${values.map((v) => csvCell(v, delimiter)).join(delimiter)}\r\n`
}

/** Excel reads UTF-8 only with a byte order mark. */
export const utf8Bom = '\uFEFF'
