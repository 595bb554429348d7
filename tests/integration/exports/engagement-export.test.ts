// The engagement export on a hand-made organisation: figures worked out by hand in the comments,
// the small-group rule for hr but not for admin, and every format read back by its own reader.
import { tableFromIPC } from 'apache-arrow'
import ExcelJS from 'exceljs'
import { parquetReadObjects } from 'hyparquet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents, seedRoster } from '../../helpers/seed.ts'

let t: TestApp
let hrToken = ''
let ingestToken = ''

// Sizes (k = 5): departments sales 6, ops 5, legal 2; sites paris 6, nice 3, lyon 4.
// s6 leaves on 10 February; s7 joins on 15 February.
const roster = `id,department,site,hired_at,left_at
s1,sales,paris,,
s2,sales,paris,,
s3,sales,paris,,
s4,sales,nice,,
s5,sales,nice,,
s6,sales,nice,,2025-02-10
s7,sales,nice,2025-02-15,
o1,ops,paris,,
o2,ops,paris,,
o3,ops,paris,,
o4,ops,lyon,,
o5,ops,lyon,,
l1,legal,lyon,,
l2,legal,lyon,,
`

const events: SeedEvent[] = [
  // Before the range: s1 adopts in December.
  { id: 'd1', type: 'post.created', time: '2024-12-15T09:00:00Z', actor: 's1', space: 'handbook' },
  // January.
  {
    id: 'j1',
    type: 'content.viewed',
    feature: 'groups',
    time: '2025-01-06T09:00:00Z',
    actor: 's1',
    space: 'handbook',
  },
  { id: 'j2', type: 'reaction.added', feature: 'groups', time: '2025-01-07T09:00:00Z', actor: 's2' },
  { id: 'j3', type: 'post.created', time: '2025-01-08T09:00:00Z', actor: 's3', space: 'handbook' },
  { id: 'j4', type: 'session.started', time: '2025-01-09T09:00:00Z', actor: 's4' },
  {
    id: 'j5',
    type: 'comment.created',
    feature: 'groups',
    time: '2025-01-10T09:00:00Z',
    actor: 'o1',
    space: 'ops-room',
  },
  { id: 'j6', type: 'wiki.created', time: '2025-01-20T09:00:00Z', actor: 'o2' },
  { id: 'j7', type: 'reaction.added', feature: 'wiki', time: '2025-01-21T09:00:00Z', actor: 'l1' },
  { id: 'j8', type: 'content.viewed', feature: 'wiki', time: '2025-01-31T23:30:00Z', actor: 's6' },
  { id: 'j8', type: 'content.viewed', feature: 'wiki', time: '2025-01-31T23:30:00Z', actor: 's6' }, // duplicate
  { id: 'j9', type: 'group.left', time: '2025-01-15T09:00:00Z', actor: 'o3' }, // level none: not active
  // February.
  { id: 'f1', type: 'post.created', time: '2025-02-20T09:00:00Z', actor: 's7', space: 'newcomers' },
  { id: 'f2', type: 'content.viewed', feature: 'groups', time: '2025-02-03T09:00:00Z', actor: 's2' },
  {
    id: 'f3',
    type: 'reaction.added',
    feature: 'groups',
    time: '2025-02-04T09:00:00Z',
    actor: 'o5',
    space: 'ops-room',
  },
  { id: 'f4', type: 'post.created', time: '2025-02-05T09:00:00Z', actor: 'x1', space: 'handbook' }, // not on the roster
  { id: 'f5', type: 'content.viewed', feature: 'groups', time: '2025-02-06T09:00:00Z', actor: 's3' },
  // After the range.
  { id: 'm1', type: 'post.created', time: '2025-03-01T00:00:01Z', actor: 'l2', space: 'handbook' },
]

type Figures = [
  workforce: number | null,
  active: number | null,
  engaged: number | null,
  creators: number | null,
  adopters: number | null,
  rate: number | null,
  participants: number | null,
  participation: number | null,
]

const row = (month: string, dimension: string, group: string, f: Figures | null) => ({
  org: 'exp',
  month,
  dimension,
  group,
  suppressed: f === null,
  workforce: f?.[0] ?? null,
  active: f?.[1] ?? null,
  engaged: f?.[2] ?? null,
  creators: f?.[3] ?? null,
  adopters: f?.[4] ?? null,
  adoption_rate: f?.[5] ?? null,
  community_participants: f?.[6] ?? null,
  community_participation: f?.[7] ?? null,
})

// January (as of 31 Jan). sales: members s1–s6 (6); active s1 s2 s3 s4 s6 (5); engaged s2 s3;
// creator s3; adopters s1 (December) s2 s3 → 3/6; in a space s1 s3 → 2/5.
// ops: members o1–o5; active o1 o2; engaged o1 o2; creator o2; adopters o1 o2 → 2/5; space o1 → 1/2.
// legal: members l1 l2; active, engaged, adopter l1 → 1/2; no space → 0/1.
// paris (s1 s2 s3 o1 o2 o3): active 5, engaged s2 s3 o1 o2, creators s3 o2, adopters 5 → 5/6,
// space s1 s3 o1 → 3/5. nice (s4 s5 s6): active s4 s6. lyon (o4 o5 l1 l2): l1 only.
// February (as of 28 Feb). sales: members s1–s5 s7 (6); active s2 s3 s7; engaged and creator s7;
// adopters s1 s2 s3 s7 → 4/6; space s7 → 1/3. ops: active o5, engaged, space; adopters o1 o2 o5
// → 3/5. legal: nobody active; adopter l1. '': x1, not on the roster: active, engaged, creator,
// in a space, never an adopter, no workforce. paris: active s2 s3, adopters 5/6, space 0/2.
// nice (s4 s5 s7): s7. lyon: o5 active; adopters l1 o5 → 2/4.
const admin = [
  row('2025-01-01', 'department', 'legal', [2, 1, 1, 0, 1, 0.5, 0, 0]),
  row('2025-01-01', 'department', 'ops', [5, 2, 2, 1, 2, 0.4, 1, 0.5]),
  row('2025-01-01', 'department', 'sales', [6, 5, 2, 1, 3, 0.5, 2, 0.4]),
  row('2025-01-01', 'site', 'lyon', [4, 1, 1, 0, 1, 0.25, 0, 0]),
  row('2025-01-01', 'site', 'nice', [3, 2, 0, 0, 0, 0, 0, 0]),
  row('2025-01-01', 'site', 'paris', [6, 5, 4, 2, 5, 0.8333, 3, 0.6]),
  row('2025-02-01', 'department', '', [0, 1, 1, 1, 0, null, 1, 1]),
  row('2025-02-01', 'department', 'legal', [2, 0, 0, 0, 1, 0.5, 0, null]),
  row('2025-02-01', 'department', 'ops', [5, 1, 1, 0, 3, 0.6, 1, 1]),
  row('2025-02-01', 'department', 'sales', [6, 3, 1, 1, 4, 0.6667, 1, 0.3333]),
  row('2025-02-01', 'site', '', [0, 1, 1, 1, 0, null, 1, 1]),
  row('2025-02-01', 'site', 'lyon', [4, 1, 1, 0, 2, 0.5, 1, 1]),
  row('2025-02-01', 'site', 'nice', [3, 1, 1, 1, 1, 0.3333, 1, 1]),
  row('2025-02-01', 'site', 'paris', [6, 2, 0, 0, 5, 0.8333, 0, 0]),
]

// hr: the groups follow the org grid, decided once on the current roster's workforce today
// (2026-12; s6 left, s7 joined, both in 2025), not month by month: sales-paris s1 s2 s3 = 3,
// sales-nice s4 s5 s7 = 3, ops-paris o1 o2 o3 = 3, ops-lyon o4 o5 = 2, legal-lyon l1 l2 = 2;
// x1 is the one actor off the roster. Every cell is under 5: all withheld. Rows: sales 6, ops 5,
// legal 2 (withheld); columns: paris 6, nice 3 (withheld), lyon 4 (withheld).
// First without x1 (the workforce and adopters leave him out): legal = total − sales − ops, so
// the smallest published row, ops (5), is withheld beside it. The total, sales and paris then
// isolate nothing (ops-lyon and legal-lyon always get the total's coefficient, and sales and
// paris alone cannot tell sales-paris from the others). With x1's cell ('', '') withheld too,
// the same holds. So in every month the departments legal, ops and '' and the sites nice,
// lyon and '' are withheld; sales and paris are published.
const withheldForHr = new Set([
  '2025-01-01 department legal',
  '2025-01-01 department ops',
  '2025-01-01 site lyon',
  '2025-01-01 site nice',
  '2025-02-01 department ',
  '2025-02-01 department legal',
  '2025-02-01 department ops',
  '2025-02-01 site ',
  '2025-02-01 site lyon',
  '2025-02-01 site nice',
])
const hr = admin.map((r) =>
  withheldForHr.has(`${r.month} ${r.dimension} ${r.group}`) ? row(r.month, r.dimension, r.group, null) : r,
)

const url = (format: string, extra = '') =>
  `/v1/orgs/exp/exports/engagement?format=${format}&from=2025-01-01&to=2025-03-01${extra}`
const download = (format: string, token?: string, extra = '') =>
  t.app.inject({ method: 'GET', url: url(format, extra), headers: auth(token) })

beforeAll(async () => {
  t = await startTestApp()
  const client = t.runtime.store.client
  await seedRoster(client, 'exp', roster)
  await seedEvents(client, 'exp', events)
  hrToken = (await t.runtime.tokens.create({ role: 'hr', orgs: ['exp'], source: 'default', label: 'hr' }))
    .token
  ingestToken = (
    await t.runtime.tokens.create({ role: 'ingest', orgs: ['exp'], source: 'default', label: 'i' })
  ).token
})
afterAll(() => t?.close())

describe('GET /v1/orgs/:org/exports/engagement', () => {
  it('gives admin every group, as JSON, with the figures worked out by hand', async () => {
    const res = await download('json')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="exp-engagement-2025-01-01-2025-03-01.json"',
    )
    const body = res.json()
    expect(body).toMatchObject({ report: 'engagement', org: 'exp', small_groups_withheld: false })
    expect(body.rows).toEqual(admin)
  })

  it('withholds the groups the org grid withholds for hr', async () => {
    const res = await download('json', hrToken)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.small_groups_withheld).toBe(true)
    expect(body.rows).toEqual(hr)
  })

  it('refuses tokens of other roles', async () => {
    const res = await download('json', ingestToken)
    expect(res.statusCode).toBe(403)
  })

  it('names a bad format', async () => {
    const res = await download('pdf')
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toContain('format')
  })

  it('writes RFC 4180 CSV with a BOM, and the French variant with ; and decimal commas', async () => {
    const res = await download('csv', hrToken)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    const text = res.body
    expect(text.startsWith('\uFEFF')).toBe(true)
    const lines = text.slice(1).split('\r\n')
    expect(lines[0]).toBe(
      'org,month,dimension,group,suppressed,workforce,active,engaged,creators,adopters,adoption_rate,community_participants,community_participation',
    )
    expect(lines).toHaveLength(hr.length + 2) // header, rows, and the empty string after the last CRLF
    expect(lines[1]).toBe('exp,2025-01-01,department,legal,true,,,,,,,,')
    expect(lines[6]).toBe('exp,2025-01-01,site,paris,false,6,5,4,2,5,0.8333,3,0.6')

    const fr = await download('csv', hrToken, '&sep=semicolon')
    const frLines = fr.body.slice(1).split('\r\n')
    expect(frLines[0]?.split(';')).toHaveLength(13)
    expect(frLines[6]).toBe('exp;2025-01-01;site;paris;false;6;5;4;2;5;0,8333;3;0,6')
  })

  it('writes an XLSX workbook that ExcelJS reads: typed cells, bold frozen header', async () => {
    const res = await download('xlsx')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-disposition']).toContain('.xlsx"')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const sheet = workbook.worksheets[0]!
    expect(sheet.name).toBe('engagement')
    expect(sheet.rowCount).toBe(admin.length + 1)
    expect(sheet.getRow(1).getCell(1).value).toBe('org')
    expect(sheet.getRow(1).getCell(13).value).toBe('community_participation')
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true)
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    const paris = sheet.getRow(7)
    expect(paris.getCell(4).value).toBe('paris')
    expect(paris.getCell(2).value).toEqual(new Date('2025-01-01T00:00:00Z'))
    expect(paris.getCell(5).value).toBe(false)
    expect(paris.getCell(6).value).toBe(6)
    expect(paris.getCell(11).value).toBe(0.8333)
    // An empty figure is an empty cell, not a zero.
    expect(sheet.getRow(8).getCell(11).value).toBeNull()
  })

  it('writes Parquet (the engine’s own) that hyparquet reads back', async () => {
    const res = await download('parquet', hrToken)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/vnd.apache.parquet')
    const bytes = res.rawPayload
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1')
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[]
    expect(rows).toHaveLength(hr.length)
    const plain = rows.map((r) => ({
      ...r,
      month: r.month instanceof Date ? r.month.toISOString().slice(0, 10) : r.month,
      suppressed: Boolean(r.suppressed),
    }))
    expect(
      plain.map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
      ),
    ).toEqual(hr)
  })

  it('writes an Arrow stream (the engine’s own) that apache-arrow reads back', async () => {
    const res = await download('arrow')
    expect(res.statusCode).toBe(200)
    const table = tableFromIPC(res.rawPayload)
    expect(table.numRows).toBe(admin.length)
    expect(table.schema.fields.map((f) => f.name)).toEqual(Object.keys(admin[0]!))
    const sales = table.get(9)!.toJSON()
    expect(String(sales.group)).toBe('sales')
    expect(Number(sales.adopters)).toBe(4)
    expect(sales.adoption_rate).toBe(0.6667)
  })

  it('exports one dimension with by=', async () => {
    const res = await download('json', undefined, '&by=site')
    expect(res.json().rows).toEqual(admin.filter((r) => r.dimension === 'site'))
    expect(res.headers['content-disposition']).toContain('exp-engagement-by-site-')
  })
})

describe('formula injection', () => {
  it('neutralises text cells that a spreadsheet would run, in CSV', async () => {
    const client = t.runtime.store.client
    await seedRoster(
      client,
      'inj',
      `id,department,site
a1,=HYPERLINK("http://x"),paris
a2,+1+1,paris
a3,-2+3,paris
a4,@SUM(A1),paris
a5,plain,paris
`,
    )
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/orgs/inj/exports/engagement?format=csv&from=2025-01-01&to=2025-02-01&by=department',
      headers: auth(),
    })
    const lines = res.body.slice(1).split('\r\n')
    expect(lines.slice(1, 6)).toEqual([
      `inj,2025-01-01,department,'+1+1,false,1,0,0,0,0,0,0,`,
      `inj,2025-01-01,department,'-2+3,false,1,0,0,0,0,0,0,`,
      // Quoted as RFC 4180 wants (it holds quotes), and still prefixed inside the quotes.
      `inj,2025-01-01,department,"'=HYPERLINK(""http://x"")",false,1,0,0,0,0,0,0,`,
      `inj,2025-01-01,department,'@SUM(A1),false,1,0,0,0,0,0,0,`,
      'inj,2025-01-01,department,plain,false,1,0,0,0,0,0,0,',
    ])
  })
})
