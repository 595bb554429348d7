// A roster that cannot be read whole is refused whole; the rejected store and the audit log page
// with a cursor that returns every row exactly once, rows of one millisecond included; an admin
// bound to some orgs reads only their audit entries. On real chDB.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { auth, createToken, ndjson, startTestApp, type TestApp } from '../helpers/app.ts'

let t: TestApp

beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t?.close())
afterEach(() => {
  vi.useRealTimers()
})

async function putRoster(org: string, body: string, contentType = 'text/csv') {
  return t.app.inject({
    method: 'PUT',
    url: `/v1/orgs/${org}/roster`,
    headers: { ...auth(), 'content-type': contentType },
    payload: body,
  })
}

/** The workforce the metrics see: (person, department) of every roster person, as the admin reads them. */
async function workforce(org: string): Promise<string[]> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/v1/orgs/${org}/metrics/adopters?from=2025-03-03&to=2025-04-07`,
    headers: auth(),
  })
  expect(res.statusCode).toBe(200)
  expect(res.json().workforce_source).toBe('roster')
  return res
    .json()
    .people.map((p: { person: string; department: string }) => `${p.person}:${p.department}`)
    .sort()
}

describe('a roster that cannot be read whole', () => {
  const first = 'id,department\nalice,IT\nbob,Sales\ncarol,HR\n'

  it('is refused whole when a quote is never closed: 400 naming line and column, the previous roster stays', async () => {
    expect((await putRoster('whole', first)).json()).toMatchObject({ people: 3, rejected: 0 })
    expect(await workforce('whole')).toEqual(['alice:IT', 'bob:Sales', 'carol:HR'])

    const broken = 'id,department\nalice,IT\nbob,"Sales\ncarol,HR\ndave,Ops\n'
    const res = await putRoster('whole', broken)
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toBe(
      'roster line 3: a quoted field is never closed (started at column 2: "Sales); ' +
        'nothing was changed — fix the quote and send the whole roster again',
    )
    // The metrics still see the first roster: nobody vanished, nobody got "Sales\ncarol,HR…".
    expect(await workforce('whole')).toEqual(['alice:IT', 'bob:Sales', 'carol:HR'])

    // The refused body is kept as sent, with the reason.
    const kept = await t.app.inject({ method: 'GET', url: '/v1/orgs/whole/rejected', headers: auth() })
    expect(kept.json().rejected).toHaveLength(1)
    expect(kept.json().rejected[0]).toMatchObject({
      channel: 'http',
      index: 3,
      raw: broken,
      reason: res.json().message,
    })
  })

  it('is refused whole when the JSON does not parse, and the previous roster stays', async () => {
    expect(
      (await putRoster('whole-json', JSON.stringify([{ id: 'ann', department: 'IT' }]), 'application/json'))
        .statusCode,
    ).toBe(200)
    const broken = '[\n{"id": "ann", "department": "IT"},\n{"id": "ben"\n'
    const res = await putRoster('whole-json', broken, 'application/json')
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toMatch(
      /^roster line \d+: the body is not valid JSON at column \d+ .*; nothing was changed — fix the JSON and send the whole roster again$/,
    )
    expect(await workforce('whole-json')).toEqual(['ann:IT'])
    const kept = await t.app.inject({ method: 'GET', url: '/v1/orgs/whole-json/rejected', headers: auth() })
    expect(kept.json().rejected.map((r: { raw: string }) => r.raw)).toEqual([broken])
  })

  it('still keeps the good rows of a readable roster and reports the bad ones', async () => {
    const res = await putRoster('whole-rows', 'id,department\nalice,IT\n,HR\nbob,Sales\n')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ people: 2, rejected: 1, errors: [{ line: 3, path: 'id' }] })
    expect(await workforce('whole-rows')).toEqual(['alice:IT', 'bob:Sales'])
  })
})

interface Page<T> {
  rows: T[]
  pages: number
}

/** Follows next_cursor from the first page to the last. */
async function pageAll<T>(url: string, key: string, limit: number, token?: string): Promise<Page<T>> {
  const rows: T[] = []
  let cursor: string | null | undefined
  let pages = 0
  do {
    const sep = url.includes('?') ? '&' : '?'
    const res = await t.app.inject({
      method: 'GET',
      url: `${url}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      headers: auth(token),
    })
    expect(res.statusCode).toBe(200)
    rows.push(...res.json()[key])
    cursor = res.json().next_cursor
    pages++
    if (pages > 500) throw new Error('paging does not end')
  } while (cursor)
  return { rows, pages }
}

describe('GET /v1/orgs/:org/rejected pages with a cursor', () => {
  it('returns every refused line exactly once, newest first, for limits 1, 2, 3 …', async () => {
    const token = await createToken(t, 'ingest', ['paging'])
    const send = (lines: string[], requestId?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: {
          ...auth(token),
          'content-type': 'application/x-ndjson',
          ...(requestId ? { 'x-request-id': requestId } : {}),
        },
        payload: ndjson(lines),
      })
    // (Frozen at the real time: other parts of the app measure durations with Date.now().)
    const t0 = new Date()
    // The clock stands still: every line of these three requests is refused in one millisecond,
    // and two of the requests carry the same client-chosen request id (same item indexes too).
    vi.useFakeTimers({ toFake: ['Date'], now: t0 })
    const a = ['garbage a0', 'garbage a1', 'garbage a2', 'garbage a3', 'garbage a4']
    const b = ['garbage b0', 'garbage b1', 'garbage b2', 'garbage b3', 'garbage b4']
    const c = ['garbage c0', 'garbage c1', 'garbage c2']
    for (const [lines, id] of [
      [a, 'client-chosen-id'],
      [b, 'client-chosen-id'],
      [c, undefined],
    ] as const) {
      const res = await send([...lines], id)
      expect(res.statusCode).toBe(202)
      // The client is told of every refused line.
      expect(res.json()).toMatchObject({ accepted: 0, rejected: lines.length })
    }
    vi.setSystemTime(new Date(t0.getTime() + 7))
    const d = ['garbage d0', 'garbage d1']
    expect((await send(d)).json()).toMatchObject({ rejected: 2 })
    vi.useRealTimers()

    const everything = [...a, ...b, ...c, ...d].sort()
    const whole = await pageAll<{ raw: string }>('/v1/orgs/paging/rejected', 'rejected', 100)
    expect(whole.pages).toBe(1)
    const order = whole.rows.map((r) => r.raw)
    expect([...order].sort()).toEqual(everything)
    // Newest first: the two lines of the later request, in their order in it.
    expect(order.slice(0, 2)).toEqual(['garbage d0', 'garbage d1'])
    for (const limit of [1, 2, 3, 4, 5, 6, 14, 15]) {
      const paged = await pageAll<{ raw: string }>('/v1/orgs/paging/rejected', 'rejected', limit)
      expect(
        paged.rows.map((r) => r.raw),
        `limit=${limit}`,
      ).toEqual(order)
      expect(paged.pages, `limit=${limit}`).toBe(Math.ceil(15 / limit))
    }

    // `before` is still a time filter: the lines refused before the later request.
    const before = await t.app.inject({
      method: 'GET',
      url: `/v1/orgs/paging/rejected?before=${new Date(t0.getTime() + 7).toISOString()}`,
      headers: auth(),
    })
    expect(
      before
        .json()
        .rejected.map((r: { raw: string }) => r.raw)
        .sort(),
    ).toEqual([...a, ...b, ...c].sort())
    expect(before.json().next_cursor).toBeNull()

    const bad = await t.app.inject({
      method: 'GET',
      url: '/v1/orgs/paging/rejected?cursor=nonsense',
      headers: auth(),
    })
    expect(bad.statusCode).toBe(400)
  })
})

describe('GET /v1/admin/audit', () => {
  it('pages every entry exactly once, and an admin bound to some orgs reads only theirs', async () => {
    const execA = await createToken(t, 'exec', ['aud-a'])
    const execB = await createToken(t, 'exec', ['aud-b'])
    const adminA = await createToken(t, 'admin', ['aud-a'])
    const read = (token: string, org: string, day: number, requestId?: string) =>
      t.app.inject({
        method: 'GET',
        url: `/v1/orgs/${org}/metrics/active-users?from=2025-01-01&to=2025-02-${String(day).padStart(2, '0')}`,
        headers: { ...auth(token), ...(requestId ? { 'x-request-id': requestId } : {}) },
      })
    // Six reads of aud-a and four of aud-b, all in one millisecond, some under one request id.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date() })
    for (let day = 1; day <= 6; day++) await read(execA, 'aud-a', day, day % 2 ? 'same-id' : undefined)
    for (let day = 1; day <= 4; day++) await read(execB, 'aud-b', day, 'same-id')
    vi.useRealTimers()
    const filtersOf = (rows: { org: string; filters: string }[]) =>
      rows.map((r) => `${r.org} ${r.filters}`).sort()
    const expectedA = [1, 2, 3, 4, 5, 6].map((d) => `aud-a from=2025-01-01&to=2025-02-0${d}`)
    const expectedB = [1, 2, 3, 4].map((d) => `aud-b from=2025-01-01&to=2025-02-0${d}`)

    // The global admin: every entry (these ten and the other tests' reads), each exactly once.
    const whole = await pageAll<{ org: string; filters: string; request_id: string }>(
      '/v1/admin/audit',
      'audit',
      1000,
    )
    expect(whole.pages).toBe(1)
    const mine = whole.rows.filter((r) => r.org === 'aud-a' || r.org === 'aud-b')
    expect(filtersOf(mine)).toEqual([...expectedA, ...expectedB].sort())
    for (const limit of [1, 2, 3, 7]) {
      const paged = await pageAll<{ org: string; filters: string }>('/v1/admin/audit', 'audit', limit)
      expect(paged.rows, `limit=${limit}`).toEqual(whole.rows)
      const byOrg = await pageAll<{ org: string; filters: string }>(
        '/v1/admin/audit?org=aud-b',
        'audit',
        limit,
      )
      expect(filtersOf(byOrg.rows), `limit=${limit}`).toEqual(expectedB)
    }

    // The admin of aud-a: the six entries of aud-a, nothing of aud-b or of the other orgs.
    for (const limit of [1, 4, 1000]) {
      const scoped = await pageAll<{ org: string; filters: string }>(
        '/v1/admin/audit',
        'audit',
        limit,
        adminA,
      )
      expect(filtersOf(scoped.rows), `limit=${limit}`).toEqual(expectedA)
    }
    const foreign = await t.app.inject({
      method: 'GET',
      url: '/v1/admin/audit?org=aud-b',
      headers: auth(adminA),
    })
    expect(foreign.statusCode).toBe(404)
    const csv = await t.app.inject({
      method: 'GET',
      url: '/v1/admin/audit?format=csv',
      headers: auth(adminA),
    })
    expect(
      csv.body
        .trim()
        .split('\n')
        .slice(1)
        .every((line) => line.split(',')[1] === 'aud-a'),
    ).toBe(true)
    expect(csv.body.trim().split('\n')).toHaveLength(1 + 6)
  })
})
