// lifecycle on a hand-made organisation; every expected number is worked out in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, createToken, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents, seedRoster } from '../../helpers/seed.ts'

let t: TestApp
// Reads as an exec: small groups are withheld for every role but admin.
let reader = ''
const get = (url: string, accept?: string) =>
  t.app.inject({ method: 'GET', url, headers: { ...auth(reader), ...(accept ? { accept } : {}) } })

// Times are UTC; Paris is UTC+1 until 30 March 2025 01:00 UTC, then UTC+2 (summer time).
const events: SeedEvent[] = [
  // ann: active in the week before the range (24 Feb), then 3 and 10 March.
  { id: 'a1', type: 'content.viewed', feature: 'groups', time: '2025-02-25T10:00:00Z', actor: 'ann' },
  { id: 'a2', type: 'post.created', time: '2025-03-04T10:00:00Z', actor: 'ann' },
  { id: 'a3', type: 'reaction.added', feature: 'groups', time: '2025-03-11T10:00:00Z', actor: 'ann' },
  // ben: known from January, back on 12 March.
  { id: 'b1', type: 'comment.created', feature: 'wiki', time: '2025-01-15T10:00:00Z', actor: 'ben' },
  { id: 'b2', type: 'session.started', time: '2025-03-12T10:00:00Z', actor: 'ben' },
  // cat: first ever event late on Sunday 2 March UTC = Monday 3 March 00:30 in Paris.
  { id: 'c1', type: 'content.viewed', feature: 'groups', time: '2025-03-02T23:30:00Z', actor: 'cat' },
  { id: 'c2', type: 'comment.created', feature: 'wiki', time: '2025-03-18T10:00:00Z', actor: 'cat' },
  // dan only ever views.
  { id: 'd1', type: 'content.viewed', feature: 'wiki', time: '2025-03-05T10:00:00Z', actor: 'dan' },
  { id: 'd2', type: 'search.performed', time: '2025-03-13T10:00:00Z', actor: 'dan' },
  // eve: active only in the week before the range.
  { id: 'e1', type: 'post.created', time: '2025-02-26T10:00:00Z', actor: 'eve' },
  // fay is not on the roster.
  { id: 'f1', type: 'reaction.added', feature: 'groups', time: '2025-03-25T10:00:00Z', actor: 'fay' },
  // gus only has level-none events: never active.
  { id: 'g1', type: 'email.sent', count: 40, time: '2025-03-05T10:00:00Z', actor: 'gus' },
  { id: 'g2', type: 'group.left', space: 'x', time: '2025-03-06T10:00:00Z', actor: 'gus' },
  // hal: both events are on a Sunday in UTC and on the next Monday in Paris, the second one
  // after the switch to summer time (22:30 UTC + 2 h = 00:30).
  { id: 'h1', type: 'post.created', time: '2025-03-23T23:30:00Z', actor: 'hal' },
  { id: 'h2', type: 'post.created', time: '2025-03-30T22:30:00Z', actor: 'hal' },
  // ivy: first active on the last day of a week (Sunday 16 March, 22:00 in Paris), sent twice.
  { id: 'i1', type: 'reaction.added', feature: 'groups', time: '2025-03-16T21:00:00Z', actor: 'ivy' },
  { id: 'i1', type: 'reaction.added', feature: 'groups', time: '2025-03-16T21:00:00Z', actor: 'ivy' },
  { id: 'i2', type: 'content.viewed', feature: 'groups', time: '2025-03-17T08:00:00Z', actor: 'ivy' },
  // jon left on 12 March: missing from the week of 17 March, he has left, not gone dormant.
  // kim, lea and max (IT, Paris) are on the roster and never act: they change no number, only the
  // populations the privacy grid is decided on.
  { id: 'j1', type: 'content.viewed', feature: 'groups', time: '2025-02-20T10:00:00Z', actor: 'jon' },
  { id: 'j2', type: 'post.created', time: '2025-03-03T10:00:00Z', actor: 'jon' },
  { id: 'j3', type: 'post.created', time: '2025-03-11T10:00:00Z', actor: 'jon' },
]
const roster = `id,department,site,left_at
ann,Sales,Paris,
ben,Sales,Lyon,
cat,IT,Paris,
dan,IT,Lyon,
eve,IT,Paris,
gus,Sales,Paris,
hal,IT,Lyon,
ivy,Sales,Lyon,
jon,IT,Paris,2025-03-12
kim,IT,Paris,
lea,IT,Paris,
max,IT,Paris,
`

beforeAll(async () => {
  t = await startTestApp()
  reader = await createToken(t, 'exec')
  const client = t.runtime.store.client
  for (const org of ['lc-utc', 'lc-paris']) {
    await seedEvents(client, org, events)
    await seedRoster(client, org, roster)
  }
  const put = await t.app.inject({
    method: 'PUT',
    url: '/v1/orgs/lc-paris/settings',
    headers: auth(),
    payload: { time_zone: 'Europe/Paris' },
  })
  expect(put.statusCode).toBe(200)
})
afterAll(() => t?.close())

const weeks = 'from=2025-03-03&to=2025-04-07&interval=week'
const row = (
  period: string,
  n: number,
  returning: number,
  resurrecting: number,
  dormant: number,
  left = 0,
) => ({
  period,
  new: n,
  returning,
  resurrecting,
  dormant,
  left,
  active: n + returning + resurrecting,
})

describe('GET /metrics/lifecycle', () => {
  it('splits each week into new, returning, resurrecting and dormant (Paris days)', async () => {
    const res = await get(`/v1/orgs/lc-paris/metrics/lifecycle?${weeks}`)
    expect(res.statusCode).toBe(200)
    // Active per Paris week (level view or above; gus never):
    //   24 Feb (before the range): ann, eve          3 Mar: ann, cat, dan, jon
    //   10 Mar: ann, ben, dan, ivy, jon              17 Mar: cat, ivy
    //   24 Mar: fay, hal                              31 Mar: hal
    // First active day: ann 25 Feb, ben 15 Jan, cat 3 Mar, dan 5 Mar, eve 26 Feb, fay 25 Mar,
    // hal 24 Mar, ivy 16 Mar, jon 20 Feb.
    expect(res.json()).toEqual({
      by: null,
      series: [
        // new cat, dan; returning ann; resurrecting jon (20 Feb, not in 24 Feb week); dormant eve
        row('2025-03-03', 2, 1, 1, -1),
        // new ivy; returning ann, dan, jon; resurrecting ben; dormant cat
        row('2025-03-10', 1, 3, 1, -1),
        // returning ivy; resurrecting cat; dormant ann, ben, dan; left jon (out of the workforce
        // from 12 March, so on the week's last day)
        row('2025-03-17', 0, 1, 1, -3, -1),
        // new fay, hal; dormant cat, ivy
        row('2025-03-24', 2, 0, 0, -2),
        // returning hal; dormant fay
        row('2025-03-31', 0, 1, 0, -1),
      ],
    })
  })

  it('cuts the weeks in UTC by default, which moves cat and hal', async () => {
    const res = await get(`/v1/orgs/lc-utc/metrics/lifecycle?${weeks}`)
    // In UTC cat's first event (Sun 2 Mar) is in the week before the range, hal's in the weeks
    // of 17 and 24 March. Active: 24 Feb ann, eve, cat; 3 Mar ann, dan, jon;
    // 10 Mar ann, ben, dan, ivy, jon; 17 Mar cat, ivy, hal; 24 Mar fay, hal; 31 Mar nobody.
    expect(res.json().series).toEqual([
      // new dan; returning ann; resurrecting jon; dormant eve, cat
      row('2025-03-03', 1, 1, 1, -2),
      // new ivy; returning ann, dan, jon; resurrecting ben; dormant: nobody of 3 Mar is missing
      row('2025-03-10', 1, 3, 1, 0),
      // new hal; returning ivy; resurrecting cat; dormant ann, ben, dan; left jon
      row('2025-03-17', 1, 1, 1, -3, -1),
      // new fay; returning hal; dormant cat, ivy
      row('2025-03-24', 1, 1, 0, -2),
      // dormant fay, hal
      row('2025-03-31', 0, 0, 0, -2),
    ])
  })

  it('breaks down by department and withholds groups of fewer than 5 people', async () => {
    const res = await get(`/v1/orgs/lc-paris/metrics/lifecycle?${weeks}&by=department`)
    expect(res.statusCode).toBe(200)
    const rows = (group: string) => res.json().series.filter((r: { group: string }) => r.group === group)
    // The groups follow the org grid, decided on the current roster's workforce today (2026-12):
    // IT-Paris: cat, eve, kim, lea, max = 5 (jon left); IT-Lyon: dan, hal = 2; Sales-Paris: ann,
    // gus = 2; Sales-Lyon: ben, ivy = 2; off the roster: fay = 1.
    // First without fay (the figures that leave her out must be safe too): cells < 5 are all but
    // IT-Paris; Sales (4) and Lyon (4) are withheld. Row IT and column Paris hold a withheld cell
    // of 2 (< 5), so IT-Paris goes too. Then Sales = total − IT: IT is withheld beside it; and
    // Lyon = total − Paris: Paris goes too. Only the total is left. With fay's cell the same.
    // So an exec sees every department withheld; the admin sees IT's figures.
    const admin = await t.app.inject({
      method: 'GET',
      url: `/v1/orgs/lc-paris/metrics/lifecycle?${weeks}&by=department`,
      headers: auth(),
    })
    const adminRows = (group: string) =>
      admin.json().series.filter((r: { group: string }) => r.group === group)
    // IT active: 24 Feb eve; 3 Mar cat, dan, jon; 10 Mar dan, jon; 17 Mar cat; 24 and 31 Mar hal.
    const it = (r: ReturnType<typeof row>) => ({ group: 'IT', suppressed: false, ...r })
    expect(adminRows('IT')).toEqual([
      it(row('2025-03-03', 2, 0, 1, -1)), // new cat, dan; resurrecting jon; dormant eve
      it(row('2025-03-10', 0, 2, 0, -1)), // returning dan, jon; dormant cat
      it(row('2025-03-17', 0, 0, 1, -1, -1)), // resurrecting cat; dormant dan; left jon
      it(row('2025-03-24', 1, 0, 0, -1)), // new hal; dormant cat
      it(row('2025-03-31', 0, 1, 0, 0)), // returning hal
    ])
    const withheld = {
      suppressed: true,
      new: null,
      returning: null,
      resurrecting: null,
      dormant: null,
      left: null,
      active: null,
    }
    for (const group of ['IT', 'Sales', '']) {
      expect(rows(group)).toEqual(
        ['2025-03-03', '2025-03-10', '2025-03-17', '2025-03-24', '2025-03-31'].map((period) => ({
          period,
          group,
          ...withheld,
        })),
      )
    }
  })

  it('filters by department', async () => {
    // Sales has 4 people (< k): an exec gets it withheld (tests/integration/privacy); the admin sees it.
    const sales = await t.app.inject({
      method: 'GET',
      url: `/v1/orgs/lc-paris/metrics/lifecycle?${weeks}&department=Sales`,
      headers: auth(),
    })
    // Sales = ann, ben, gus, ivy. Active: 24 Feb ann; 3 Mar ann; 10 Mar ann, ben, ivy; 17 Mar ivy.
    expect(sales.json().series).toEqual([
      row('2025-03-03', 0, 1, 0, 0), // returning ann
      row('2025-03-10', 1, 1, 1, 0), // new ivy, returning ann, resurrecting ben
      row('2025-03-17', 0, 1, 0, -2), // returning ivy, dormant ann, ben
      row('2025-03-24', 0, 0, 0, -1), // dormant ivy
      row('2025-03-31', 0, 0, 0, 0),
    ])
  })

  it('breaks down by feature: first active ever in that feature', async () => {
    const res = await get(`/v1/orgs/lc-paris/metrics/lifecycle?${weeks}&by=feature`)
    const rows = (group: string) => res.json().series.filter((r: { group: string }) => r.group === group)
    // groups (posts, and the views and reactions named so): 24 Feb ann, eve; 3 Mar ann, cat, jon;
    // 10 Mar ann, ivy, jon; 17 Mar ivy; 24 Mar fay, hal; 31 Mar hal. First in groups: jon 20 Feb
    // (a view before the window), ann 25 Feb, cat 3 Mar, ivy 16 Mar, hal 24 Mar, fay 25 Mar.
    const groups = (r: ReturnType<typeof row>) => ({ group: 'groups', suppressed: false, ...r })
    expect(rows('groups')).toEqual([
      groups(row('2025-03-03', 1, 1, 1, -1)), // new cat; returning ann; resurrecting jon; dormant eve
      groups(row('2025-03-10', 1, 2, 0, -1)), // new ivy; returning ann, jon; dormant cat
      groups(row('2025-03-17', 0, 1, 0, -1, -1)), // returning ivy; dormant ann; left jon
      groups(row('2025-03-24', 2, 0, 0, -1)), // new fay, hal; dormant ivy
      groups(row('2025-03-31', 0, 1, 0, -1)), // returning hal; dormant fay
    ])
    // wiki (dan, cat) and platform (ben, dan) have 2 people each: withheld.
    expect(rows('wiki').every((r: { suppressed: boolean }) => r.suppressed)).toBe(true)
    expect(rows('platform').every((r: { suppressed: boolean }) => r.suppressed)).toBe(true)
  })

  it('filters by feature: first active ever in that feature', async () => {
    const wiki = await get(`/v1/orgs/lc-paris/metrics/lifecycle?${weeks}&feature=wiki`)
    // wiki events: ben 15 Jan (history), dan 5 Mar, cat 18 Mar.
    expect(wiki.json().series).toEqual([
      row('2025-03-03', 1, 0, 0, 0), // new dan
      row('2025-03-10', 0, 0, 0, -1), // dormant dan
      row('2025-03-17', 1, 0, 0, 0), // new cat (her first wiki event)
      row('2025-03-24', 0, 0, 0, -1), // dormant cat
      row('2025-03-31', 0, 0, 0, 0),
    ])
  })

  it('clips a first week that starts before from, and compares it with the whole week before', async () => {
    // from = Wednesday 5 March: the first period is 5–9 March, labelled 3 March; the period
    // before it is the week of 24 Feb; 3–4 March belong to neither (ann, cat, jon were active there).
    const res = await get('/v1/orgs/lc-paris/metrics/lifecycle?from=2025-03-05&to=2025-03-17&interval=week')
    expect(res.json().series).toEqual([
      // active 5–9 Mar: dan (new, first 5 Mar); 24 Feb week: ann, eve → both dormant
      row('2025-03-03', 1, 0, 0, -2),
      // active: ann, ben, dan, ivy, jon; returning dan; new ivy; resurrecting ann, ben, jon
      row('2025-03-10', 1, 1, 3, 0),
    ])
  })

  it('serves the series as CSV, group first', async () => {
    const csv = await get(`/v1/orgs/lc-paris/metrics/lifecycle?${weeks}&by=department`, 'text/csv')
    const lines = csv.body.split('\r\n')
    expect(lines[0]).toBe('group,period,suppressed,new,returning,resurrecting,dormant,left,active')
    // Every department is withheld for an exec (above); the admin gets IT's figures.
    expect(lines[1]).toBe(',2025-03-03,true,,,,,,')
    expect(lines[6]).toBe('IT,2025-03-03,true,,,,,,')
    const admin = await t.app.inject({
      method: 'GET',
      url: `/v1/orgs/lc-paris/metrics/lifecycle?${weeks}&by=department`,
      headers: { ...auth(), accept: 'text/csv' },
    })
    expect(admin.body.split('\r\n')[6]).toBe('IT,2025-03-03,false,2,0,1,-1,0,3')
  })

  it('names a bad parameter', async () => {
    const res = await get('/v1/orgs/lc-paris/metrics/lifecycle?by=team')
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toMatch(/by/)
  })
})
