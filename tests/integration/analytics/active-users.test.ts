// active-users on a hand-made organisation; every expected number is worked out in the comments.
import { tableFromIPC } from 'apache-arrow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, startTestApp, type TestApp } from '../../helpers/app.ts'
import { seedEvents, seedRoster } from '../../helpers/seed.ts'

let t: TestApp
const get = (url: string, accept?: string) =>
  t.app.inject({ method: 'GET', url, headers: { ...auth(), ...(accept ? { accept } : {}) } })

beforeAll(async () => {
  t = await startTestApp()
  await seedEvents(t.runtime.store.client, 'au', [
    { id: 'a1', type: 'content.viewed', feature: 'wiki', time: '2025-03-01T10:00:00Z', actor: 'alice' },
    { id: 'a2', type: 'content.viewed', feature: 'wiki', time: '2025-03-02T10:00:00Z', actor: 'alice' },
    { id: 'a3', type: 'content.viewed', feature: 'wiki', time: '2025-03-07T10:00:00Z', actor: 'alice' },
    { id: 'a3', type: 'content.viewed', feature: 'wiki', time: '2025-03-07T10:00:00Z', actor: 'alice' }, // duplicate
    { id: 'b1', type: 'post.created', time: '2025-03-03T09:00:00Z', actor: 'bob' },
    { id: 'b2', type: 'group.left', time: '2025-03-04T09:00:00Z', actor: 'bob' }, // level none: not active
    { id: 'c1', type: 'search.performed', time: '2025-02-10T09:00:00Z', actor: 'carol' }, // before the range
    { id: 'd1', type: 'email.sent', count: 12, time: '2025-03-05T18:00:00Z', actor: 'dave' }, // never active
  ])
  // Around Tuesday 11 November 2025 (Armistice, a French public holiday): ann on 10 and 12, ben on
  // the 11th, at noon in Paris.
  await seedEvents(t.runtime.store.client, 'cal', [
    { id: 'n1', type: 'content.viewed', feature: 'wiki', time: '2025-11-10T11:00:00Z', actor: 'ann' },
    { id: 'n2', type: 'content.viewed', feature: 'wiki', time: '2025-11-12T11:00:00Z', actor: 'ann' },
    { id: 'n3', type: 'content.viewed', feature: 'wiki', time: '2025-11-11T11:00:00Z', actor: 'ben' },
  ])
  // By department: ann in Sales, ben and cat in IT.
  await seedRoster(
    t.runtime.store.client,
    'aud',
    'id,department,site\nann,Sales,Paris\nben,IT,Paris\ncat,IT,Lyon\n',
  )
  await seedEvents(t.runtime.store.client, 'aud', [
    { id: 'x1', type: 'content.viewed', feature: 'wiki', time: '2025-03-03T10:00:00Z', actor: 'ann' },
    { id: 'x2', type: 'content.viewed', feature: 'wiki', time: '2025-03-03T11:00:00Z', actor: 'ben' },
    { id: 'x3', type: 'content.viewed', feature: 'wiki', time: '2025-03-04T10:00:00Z', actor: 'cat' },
    { id: 'x4', type: 'content.viewed', feature: 'wiki', time: '2025-03-05T10:00:00Z', actor: 'ben' },
  ])
  // Late on 30 March in UTC is already 31 March in Paris (the day summer time starts).
  await seedEvents(t.runtime.store.client, 'paris', [
    { id: 'e1', type: 'post.created', time: '2025-03-30T22:30:00Z', actor: 'erin' },
  ])
})
afterAll(() => t?.close())

describe('GET /metrics/active-users', () => {
  it('gives DAU, WAU and MAU per day', async () => {
    const res = await get('/v1/orgs/au/metrics/active-users?from=2025-03-01&to=2025-03-08&interval=day')
    expect(res.statusCode).toBe(200)
    // carol (10 Feb) is in the 28-day window of 1–7 March (10 Feb + 27 days = 9 March), not in any 7-day one.
    expect(res.json().series).toEqual([
      { date: '2025-03-01', dau: 1, wau: 1, mau: 2 }, // alice; MAU alice + carol
      { date: '2025-03-02', dau: 1, wau: 1, mau: 2 },
      { date: '2025-03-03', dau: 1, wau: 2, mau: 3 }, // bob posts
      { date: '2025-03-04', dau: 0, wau: 2, mau: 3 }, // bob only left a group: level none
      { date: '2025-03-05', dau: 0, wau: 2, mau: 3 }, // dave's emails never make him active
      { date: '2025-03-06', dau: 0, wau: 2, mau: 3 },
      { date: '2025-03-07', dau: 1, wau: 2, mau: 3 }, // alice's view, sent twice, counts once
    ])
  })

  it('gives stickiness over working days and the active-days histogram', async () => {
    const res = await get('/v1/orgs/au/metrics/active-users?from=2025-03-01&to=2025-03-08&interval=day')
    // Working days in range: 3–7 March, DAU 1,0,0,0,1 → mean 0.4; MAU on 7 March = 3 → 0.1333.
    expect(res.json().stickiness).toBeCloseTo(0.4 / 3, 4)
    const histogram = res.json().active_days_histogram
    expect(histogram).toHaveLength(28)
    // Within the range: alice 3 days (1, 2, 7 March), bob 1 day; carol's day is before the range.
    expect(histogram.filter((h: { people: number }) => h.people > 0)).toEqual([
      { days: 1, people: 1 },
      { days: 3, people: 1 },
    ])
  })

  it('counts working days by the org calendar: French holidays by default, or none, less closures', async () => {
    const url = '/v1/orgs/cal/metrics/active-users?from=2025-11-10&to=2025-11-15&interval=day'
    const put = (payload: object) =>
      t.app.inject({ method: 'PUT', url: '/v1/orgs/cal/settings', headers: auth(), payload })
    // MAU on Friday 14 November: ann and ben = 2.
    // FR (the default): 11 November is a holiday; working days 10, 12, 13, 14 with DAU 1, 1, 0, 0
    // → mean 0.5 → 0.5 / 2 = 0.25.
    expect((await get(url)).json().stickiness).toBe(0.25)
    // No holidays: 10–14 with DAU 1, 1, 1, 0, 0 → 0.6 → 0.3.
    expect((await put({ holidays: 'none' })).statusCode).toBe(200)
    expect((await get(url)).json().stickiness).toBe(0.3)
    // French holidays and a closure on the 12th: 10, 13, 14 with DAU 1, 0, 0 → 1/3 → 0.1667.
    expect((await put({ holidays: 'FR', closures: ['2025-11-12'] })).statusCode).toBe(200)
    expect((await get(url)).json().stickiness).toBe(0.1667)
    // A list of the org's own holidays: only the 13th; 10, 11, 12, 14 → DAU 1, 1, 1, 0 → 0.75 → 0.375.
    expect((await put({ holidays: ['2025-11-13'] })).statusCode).toBe(200)
    expect((await get(url)).json().stickiness).toBe(0.375)
  })

  it('refuses a calendar it cannot read, naming the field', async () => {
    const put = (payload: object) =>
      t.app.inject({ method: 'PUT', url: '/v1/orgs/cal/settings', headers: auth(), payload })
    const country = await put({ holidays: 'XX' })
    expect(country.statusCode).toBe(400)
    expect(country.json().message).toMatch(/holidays/)
    const day = await put({ closures: ['2025-13-01'] })
    expect(day.statusCode).toBe(400)
    expect(day.json().message).toMatch(/closures/)
  })

  it('breaks down by department: each group its own DAU, WAU, MAU and stickiness (the admin)', async () => {
    const res = await get(
      '/v1/orgs/aud/metrics/active-users?from=2025-03-03&to=2025-03-06&interval=day&by=department',
    )
    expect(res.statusCode).toBe(200)
    const body = res.json()
    // The org: 3 March ann, ben; 4 March cat; 5 March ben.
    expect(body.series).toEqual([
      { date: '2025-03-03', dau: 2, wau: 2, mau: 2 },
      { date: '2025-03-04', dau: 1, wau: 3, mau: 3 },
      { date: '2025-03-05', dau: 1, wau: 3, mau: 3 },
    ])
    // Working days 3–5 March: mean DAU 4/3 over MAU 3 = 0.4444.
    expect(body.stickiness).toBe(0.4444)
    expect(body.groups).toEqual([
      {
        // ben 3 and 5 March, cat 4 March: mean DAU 1, MAU 2 → 0.5.
        group: 'IT',
        suppressed: false,
        series: [
          { date: '2025-03-03', dau: 1, wau: 1, mau: 1 },
          { date: '2025-03-04', dau: 1, wau: 2, mau: 2 },
          { date: '2025-03-05', dau: 1, wau: 2, mau: 2 },
        ],
        stickiness: 0.5,
      },
      {
        // ann on 3 March only: mean DAU 1/3, MAU 1 → 0.3333.
        group: 'Sales',
        suppressed: false,
        series: [
          { date: '2025-03-03', dau: 1, wau: 1, mau: 1 },
          { date: '2025-03-04', dau: 0, wau: 1, mau: 1 },
          { date: '2025-03-05', dau: 0, wau: 1, mau: 1 },
        ],
        stickiness: 0.3333,
      },
    ])
  })

  it('averages DAU over a week and takes WAU and MAU at its last day', async () => {
    const res = await get('/v1/orgs/au/metrics/active-users?from=2025-03-03&to=2025-03-10&interval=week')
    // Week of 3 March: DAU 1,0,0,0,1,0,0 → 2/7 = 0.29; on Sunday 9 March WAU covers 3–9 March:
    // bob (3rd) and alice (7th) = 2; MAU = alice, bob, carol (10 Feb + 27 = 9 March) = 3.
    expect(res.json().series).toEqual([{ date: '2025-03-03', dau: 0.29, wau: 2, mau: 3 }])
  })

  it('cuts days in the org time zone', async () => {
    const utc = await get('/v1/orgs/paris/metrics/active-users?from=2025-03-30&to=2025-04-01&interval=day')
    expect(utc.json().series.map((s: { dau: number }) => s.dau)).toEqual([1, 0])
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/orgs/paris/settings',
      headers: auth(),
      payload: { time_zone: 'Europe/Paris' },
    })
    expect(put.statusCode).toBe(200)
    const paris = await get('/v1/orgs/paris/metrics/active-users?from=2025-03-30&to=2025-04-01&interval=day')
    expect(paris.json().series.map((s: { dau: number }) => s.dau)).toEqual([0, 1])
  })

  it('carries the same numbers as JSON, CSV and Arrow', async () => {
    const url = '/v1/orgs/au/metrics/active-users?from=2025-03-01&to=2025-03-08&interval=day'
    const json = (await get(url)).json().series
    const csv = await get(url, 'text/csv')
    expect(csv.headers['content-type']).toMatch(/^text\/csv/)
    const [header, ...lines] = csv.body.trim().split('\r\n')
    expect(header).toBe('date,dau,wau,mau')
    expect(lines.map((l) => l.split(','))).toEqual(
      json.map((r: Record<string, unknown>) => [r.date, r.dau, r.wau, r.mau].map(String)),
    )
    const arrow = await get(url, 'application/vnd.apache.arrow.stream')
    const table = tableFromIPC(arrow.rawPayload)
    expect(table.toArray().map((r) => r.toJSON())).toEqual(json)
  })

  it('names a bad parameter in a 400', async () => {
    const bad = await get('/v1/orgs/au/metrics/active-users?interval=fortnight')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().message).toMatch(/interval/)
    const inverted = await get('/v1/orgs/au/metrics/active-users?from=2025-03-08&to=2025-03-01')
    expect(inverted.statusCode).toBe(400)
    expect(inverted.json().field).toBe('from')
    const unknown = await get('/v1/orgs/au/metrics/active-users?colour=red')
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().message).toMatch(/colour/)
    expect((await get('/v1/orgs/au/metrics/active-users?by=feature')).json().field).toBe('by')
    expect((await get('/v1/orgs/au/metrics/nonsense')).statusCode).toBe(404)
  })
})
