// A one-sheet XLSX workbook (ECMA-376, SpreadsheetML) with typed cells: numbers as numbers, dates
// as date serials with a date format, booleans as booleans, text as inline strings (never
// formulas, so nothing in a cell can run); a bold header row, frozen, with a filter on it.
// Text that a spreadsheet would read as a formula (=, +, -, @, tab, CR first) keeps its exact
// value and gets a quote-prefixed style, Excel's own mark of text typed after a ': editing the
// cell (F2, Enter) keeps it text instead of turning it into a live formula.
// The sheet is built in memory (one XML string, then zipped): fine for report sizes (tens of
// thousands of rows); CSV, Parquet, Arrow and JSON stream instead.
import { formulaStart } from './csv-cells.ts'
import { type ZipEntry, zip } from './zip.ts'

export type XlsxColumnType = 'text' | 'integer' | 'number' | 'percent' | 'date' | 'boolean'

export interface XlsxColumn {
  name: string
  type: XlsxColumnType
}

const styles = { header: 1, date: 2, percent: 3, quoted: 4 } as const

function escapeXml(text: string): string {
  return (
    text
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;')
      // A literal CR would be read back as a line feed (XML end-of-line handling).
      .replaceAll('\r', '&#13;')
      // Characters XML 1.0 cannot carry at all.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is removed
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
  )
}

/** A1-style column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(index: number): string {
  let n = index + 1
  let letters = ''
  while (n > 0) {
    const r = (n - 1) % 26
    letters = String.fromCharCode(65 + r) + letters
    n = Math.floor((n - 1) / 26)
  }
  return letters
}

/** Days since 1899-12-30 (Excel's 1900 date system, as seen by every reader). */
function dateSerial(isoDate: string): number | null {
  const t = Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`)
  return Number.isNaN(t) ? null : (t - Date.UTC(1899, 11, 30)) / 86_400_000
}

function cellXml(ref: string, value: unknown, type: XlsxColumnType): string {
  if (value === null || value === undefined) return ''
  if (type === 'boolean' || typeof value === 'boolean')
    return `<c r="${ref}" t="b"><v>${value ? 1 : 0}</v></c>`
  if (type === 'date') {
    const serial = dateSerial(String(value))
    if (serial !== null) return `<c r="${ref}" s="${styles.date}"><v>${serial}</v></c>`
  }
  if ((type === 'integer' || type === 'number' || type === 'percent') && typeof value === 'number') {
    if (!Number.isFinite(value)) return ''
    const style = type === 'percent' ? ` s="${styles.percent}"` : ''
    return `<c r="${ref}"${style}><v>${value}</v></c>`
  }
  const text = String(value)
  const style = formulaStart.test(text) ? ` s="${styles.quoted}"` : ''
  return `<c r="${ref}"${style} t="inlineStr"><is><t xml:space="preserve">${escapeXml(text)}</t></is></c>`
}

function sheetXml(columns: readonly XlsxColumn[], rows: Iterable<Record<string, unknown>>): string {
  const parts: string[] = []
  const lastColumn = columnLetters(columns.length - 1)
  const header = columns
    .map(
      (c, i) =>
        `<c r="${columnLetters(i)}1" t="inlineStr" s="${styles.header}"><is><t>${escapeXml(c.name)}</t></is></c>`,
    )
    .join('')
  parts.push(`<row r="1">${header}</row>`)
  let r = 1
  for (const row of rows) {
    r += 1
    const cells = columns.map((c, i) => cellXml(`${columnLetters(i)}${r}`, row[c.name], c.type)).join('')
    parts.push(`<row r="${r}">${cells}</row>`)
  }
  const widths = columns
    .map(
      (c, i) =>
        `<col min="${i + 1}" max="${i + 1}" width="${Math.max(10, c.name.length + 4)}" customWidth="1"/>`,
    )
    .join('')
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<dimension ref="A1:${lastColumn}${r}"/>` +
    '<sheetViews><sheetView workbookViewId="0">' +
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>' +
    '</sheetView></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    `<cols>${widths}</cols>` +
    `<sheetData>${parts.join('')}</sheetData>` +
    `<autoFilter ref="A1:${lastColumn}${r}"/>` +
    '</worksheet>'
  )
}

const stylesXml =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>' +
  '<fill><patternFill patternType="solid"><fgColor rgb="FFE8EAF6"/><bgColor indexed="64"/></patternFill></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="5">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>' +
  '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>' +
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>'

function workbookParts(sheetName: string, sheet: string): ZipEntry[] {
  const xml = (text: string) => Buffer.from(text, 'utf8')
  const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
  return [
    {
      name: '[Content_Types].xml',
      data: xml(
        `${head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
          '</Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: xml(
        `${head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
          '</Relationships>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: xml(
        `${head}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
          `<sheets><sheet name="${escapeXml(sheetName.slice(0, 31))}" sheetId="1" r:id="rId1"/></sheets>` +
          '</workbook>',
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: xml(
        `${head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
          '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
          '</Relationships>',
      ),
    },
    { name: 'xl/styles.xml', data: xml(stylesXml) },
    { name: 'xl/worksheets/sheet1.xml', data: xml(sheet) },
  ]
}

/** The workbook's bytes: one sheet named `sheetName`, a header row, then the rows. */
export function xlsxWorkbook(
  sheetName: string,
  columns: readonly XlsxColumn[],
  rows: Iterable<Record<string, unknown>>,
): Buffer {
  return zip(workbookParts(sheetName, sheetXml(columns, rows)))
}
