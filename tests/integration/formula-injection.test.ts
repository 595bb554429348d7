// People, departments, sites and spaces named like spreadsheet formulas come out inert in every
// CSV and XLSX the product writes: the HR export (CSV with , and ;, XLSX, every dimension) and
// every metric's CSV tables, with every breakdown. A CSV cell that a spreadsheet would run starts
// with a single quote; an XLSX cell holds the exact text as a string (never a formula), styled
// quote-prefixed as Excel does for typed-in text, so that editing the cell does not run it either.
import ExcelJS from 'exceljs'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { metricRegistry } from '../../analytics/metrics/index.ts'
import { auth, ndjson, startTestApp, type TestApp } from '../helpers/app.ts'

const org = 'inject'

// What an attacker puts in a name. The roster trims its values (the tab and CR variants are
// kept where nothing trims them: event actors and spaces).
const formulas = ['=HYPERLINK("http://x","y")', '+1', '-2', '@SUM(1)']
const whitespaceLed = ['\t=1+1', '\r=2+2']
const hostile = [...formulas, ...whitespaceLed]

/** Starts like a formula: what a spreadsheet would run. */
const formulaStart = /^[=+\-@\t\r]/
/** A genuine number (written from a JS number): may start with a minus and stays a number. */
const plainNumber = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i

// The roster: every formula name is a department, a site and a person; a few ordinary people too.
const people = [
  ...formulas.flatMap((name, i) => [
    { id: name, department: name, site: formulas[(i + 1) % formulas.length] },
    { id: `${name} colleague`, department: name, site: formulas[(i + 2) % formulas.length] },
  ]),
  ...Array.from({ length: 6 }, (_, i) => ({ id: `plain-${i}`, department: 'plain', site: 'plain' })),
]
// Event actors not on the roster, named with a leading tab or CR.
const actors = [...people.map((p) => p.id), ...whitespaceLed]

function events(): Record<string, unknown>[] {
  const now = Date.now()
  const out: Record<string, unknown>[] = []
  let n = 0
  actors.forEach((actor, a) => {
    for (let day = 1; day <= 20; day += 3) {
      const time = (hours: number) => new Date(now - day * 86_400_000 - hours * 3_600_000).toISOString()
      const space = hostile[(a + day) % hostile.length]
      const other = actors[(a + day) % actors.length]
      out.push(
        { id: `e${n++}`, type: 'post.created', time: time(1), org, actor, space },
        {
          id: `e${n++}`,
          type: 'comment.created',
          feature: 'groups',
          time: time(2),
          org,
          actor,
          space,
          target: other,
        },
        {
          id: `e${n++}`,
          type: 'reaction.added',
          feature: 'groups',
          time: time(3),
          org,
          actor,
          target: other,
        },
        { id: `e${n++}`, type: 'content.viewed', feature: 'wiki', time: time(4), org, actor, space },
        { id: `e${n++}`, type: 'email.sent', time: time(5), org, actor },
      )
    }
  })
  return out
}

/** RFC 4180 records (CRLF or LF), with `;` or `,`; a leading BOM dropped. */
function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  const s = text.replace(/^\uFEFF/, '')
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === delimiter) {
      row.push(cell)
      cell = ''
    } else if (c === '\n' || (c === '\r' && s[i + 1] === '\n')) {
      if (c === '\r') i++
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    } else cell += c
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell])
  return rows
}

/** Cells a spreadsheet would run, each with where it is. */
function liveCells(where: string, rows: string[][]): string[] {
  const live: string[] = []
  rows.forEach((r, i) => {
    for (const cell of r) {
      if (formulaStart.test(cell) && !plainNumber.test(cell))
        live.push(`${where} row ${i + 1}: ${JSON.stringify(cell)}`)
    }
  })
  return live
}

let t: TestApp

beforeAll(async () => {
  t = await startTestApp()
  const roster = await t.app.inject({
    method: 'PUT',
    url: `/v1/orgs/${org}/roster`,
    headers: { ...auth(), 'content-type': 'application/json' },
    payload: JSON.stringify(people),
  })
  expect(roster.statusCode, roster.body).toBeLessThan(300)
  const sent = events()
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: { ...auth(), 'content-type': 'application/x-ndjson' },
    payload: ndjson(sent),
  })
  expect(res.statusCode, res.body).toBe(202)
  expect(res.json().accepted, JSON.stringify(res.json().errors?.slice(0, 3))).toBe(sent.length)
})
afterAll(() => t?.close())

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await t.app.inject({ method: 'GET', url, headers: { ...auth(), ...headers } })
  expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200)
  return res
}

describe('formula injection in the HR export', () => {
  for (const by of [undefined, 'department', 'site'] as const) {
    for (const sep of ['comma', 'semicolon'] as const) {
      it(`CSV ${sep}${by ? ` by ${by}` : ''}: every formula-like group is quoted`, async () => {
        const res = await get(
          `/v1/orgs/${org}/exports/engagement?format=csv&sep=${sep}${by ? `&by=${by}` : ''}`,
        )
        const rows = parseCsv(res.body, sep === 'comma' ? ',' : ';')
        expect(liveCells('engagement', rows)).toEqual([])
        const groups = new Set(rows.map((r) => r[rows[0]!.indexOf('group')]))
        for (const name of formulas) expect(groups, `group ${name}`).toContain(`'${name}`)
      })
    }
  }

  for (const by of [undefined, 'department', 'site'] as const) {
    it(`XLSX${by ? ` by ${by}` : ''}: formula-like names are text cells, quote-prefixed, never formulas`, async () => {
      const res = await get(`/v1/orgs/${org}/exports/engagement?format=xlsx${by ? `&by=${by}` : ''}`)
      const workbook = new ExcelJS.Workbook()
      await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
      const sheet = workbook.worksheets[0]!
      const seen = new Set<string>()
      const formulasFound: string[] = []
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.type === ExcelJS.ValueType.Formula || cell.formula) formulasFound.push(cell.address)
          if (typeof cell.value === 'string') {
            seen.add(cell.value)
            if (formulaStart.test(cell.value)) expect(cell.type, cell.address).toBe(ExcelJS.ValueType.String)
          }
        }),
      )
      expect(formulasFound).toEqual([])
      // The exact names, not altered: the type of the cell is what keeps them inert.
      for (const name of formulas) expect(seen, name).toContain(name)

      // Excel's own marker of typed-in text (what a leading ' becomes): the cell's style has
      // quotePrefix, so that editing the cell (F2, Enter) keeps it text.
      const files = unzipSync(new Uint8Array(res.rawPayload))
      const styles = new TextDecoder().decode(files['xl/styles.xml'])
      const sheetXml = new TextDecoder().decode(files['xl/worksheets/sheet1.xml'])
      const cellXfs = /<cellXfs[^>]*>(.*?)<\/cellXfs>/s.exec(styles)![1]!
      const quoted = new Set(
        [...cellXfs.matchAll(/<xf\b[^>]*?\/?>/g)].flatMap((m, i) =>
          /quotePrefix="1"/.test(m[0]) ? [String(i)] : [],
        ),
      )
      const unprefixed: string[] = []
      for (const m of sheetXml.matchAll(/<c r="([A-Z]+\d+)"([^>]*)><is><t[^>]*>([^<]*)<\/t><\/is><\/c>/g)) {
        const text = m[3]!
          .replaceAll('&#13;', '\r')
          .replaceAll('&quot;', '"')
          .replaceAll('&lt;', '<')
          .replaceAll('&gt;', '>')
          .replaceAll('&amp;', '&')
        const style = /\bs="(\d+)"/.exec(m[2]!)?.[1] ?? '0'
        if (formulaStart.test(text) && !quoted.has(style)) unprefixed.push(`${m[1]} ${JSON.stringify(text)}`)
      }
      expect(unprefixed).toEqual([])
    })
  }
})

describe('formula injection in the metric CSV exports', () => {
  it('every table of every metric, with every breakdown, has no cell a spreadsheet would run', async () => {
    const live: string[] = []
    const escapedSeen = new Set<string>()
    let tablesRead = 0
    for (const metric of metricRegistry) {
      const base = `/v1/orgs/${org}/metrics/${metric.name}`
      // The metric names its tables when asked for one it does not have.
      const probe = await t.app.inject({
        method: 'GET',
        url: `${base}?table=none_such`,
        headers: { ...auth(), accept: 'text/csv' },
      })
      expect(probe.statusCode, probe.body).toBe(400)
      const tables = /has the tables ([a-z_, ]+)/.exec(probe.json().message)![1]!.split(', ')
      for (const by of [undefined, ...metric.breakdowns]) {
        for (const table of tables) {
          const url = `${base}?table=${table}${by ? `&by=${by}` : ''}`
          const res = await get(url, { accept: 'text/csv' })
          const rows = parseCsv(res.body)
          tablesRead++
          live.push(...liveCells(url, rows))
          for (const r of rows) for (const cell of r) if (cell.startsWith("'")) escapedSeen.add(cell.slice(1))
        }
      }
    }
    expect(tablesRead).toBeGreaterThan(20)
    expect(live).toEqual([])
    // The names did reach the tables (as departments, sites, spaces or people), quoted.
    for (const name of hostile) expect([...escapedSeen], JSON.stringify(name)).toContain(name)
  }, 120_000)
})

describe('formula injection in the audit log CSV', () => {
  it('a request id that looks like a formula comes out inert in the admin’s download', async () => {
    // Any caller chooses its x-request-id, and the audit log records it.
    for (const requestId of formulas) {
      await get(`/v1/orgs/${org}/metrics/summary`, { 'x-request-id': requestId })
    }
    const res = await get(`/v1/admin/audit?format=csv&limit=1000`)
    const rows = parseCsv(res.body)
    expect(liveCells('audit CSV', rows)).toEqual([])
    const cells = rows.flat()
    for (const requestId of formulas) expect(cells).toContain(`'${requestId}`)
  })
})
