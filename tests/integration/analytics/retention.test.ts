// retention on a hand-made organisation; every expected number is worked out in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, createToken, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents, seedRoster } from '../../helpers/seed.ts'

let t: TestApp
const get = (url: string, accept?: string) =>
  t.app.inject({ method: 'GET', url, headers: { ...auth(), ...(accept ? { accept } : {}) } })

// Adoption = first engaged event (react or above) ever. Paris is UTC+1 until 30 March 2025
// 01:00 UTC, UTC+2 after.
const events: SeedEvent[] = [
  // ann adopted in February, before the range: in no cohort of the range.
  { id: 'a1', type: 'reaction.added', feature: 'groups', time: '2025-02-20T10:00:00Z', actor: 'ann' },
  { id: 'a2', type: 'post.created', time: '2025-03-12T10:00:00Z', actor: 'ann' },
  // ben adopts on 4 March, is engaged on 12 and 26 March, and after the range on 8 April.
  { id: 'b1', type: 'reaction.added', feature: 'groups', time: '2025-03-04T10:00:00Z', actor: 'ben' },
  { id: 'b2', type: 'comment.created', feature: 'groups', time: '2025-03-12T10:00:00Z', actor: 'ben' },
  { id: 'b3', type: 'post.created', time: '2025-03-26T10:00:00Z', actor: 'ben' },
  { id: 'b4', type: 'post.created', time: '2025-04-08T10:00:00Z', actor: 'ben' },
  // cat adopts on the last day of a week: Sunday 9 March, 23:00 in Paris.
  { id: 'c1', type: 'post.created', time: '2025-03-09T22:00:00Z', actor: 'cat' },
  { id: 'c2', type: 'reaction.added', feature: 'wiki', time: '2025-03-10T08:00:00Z', actor: 'cat' },
  // cat and eve also view on later days: retained by activity (measure=active), not by engagement.
  { id: 'c3', type: 'content.viewed', feature: 'wiki', time: '2025-03-19T10:00:00Z', actor: 'cat' },
  { id: 'e4', type: 'content.viewed', feature: 'wiki', time: '2025-03-25T10:00:00Z', actor: 'eve' },
  // dan only views: never adopts.
  { id: 'd1', type: 'content.viewed', feature: 'wiki', time: '2025-03-05T10:00:00Z', actor: 'dan' },
  { id: 'd2', type: 'content.viewed', feature: 'wiki', time: '2025-03-12T10:00:00Z', actor: 'dan' },
  // eve views first (not adoption), adopts on 11 March; her 18 March comment is sent twice.
  { id: 'e1', type: 'content.viewed', feature: 'wiki', time: '2025-03-05T10:00:00Z', actor: 'eve' },
  { id: 'e2', type: 'comment.created', feature: 'wiki', time: '2025-03-11T10:00:00Z', actor: 'eve' },
  { id: 'e3', type: 'comment.created', feature: 'wiki', time: '2025-03-18T10:00:00Z', actor: 'eve' },
  { id: 'e3', type: 'comment.created', feature: 'wiki', time: '2025-03-18T10:00:00Z', actor: 'eve' },
  // fay is not on the roster: never an adopter.
  { id: 'f1', type: 'post.created', time: '2025-03-05T10:00:00Z', actor: 'fay' },
  { id: 'f2', type: 'post.created', time: '2025-03-12T10:00:00Z', actor: 'fay' },
  // gus adopts on 5 March, is engaged on 12 March, and leaves on 20 March.
  { id: 'g1', type: 'reaction.added', feature: 'groups', time: '2025-03-05T10:00:00Z', actor: 'gus' },
  { id: 'g2', type: 'reaction.added', feature: 'groups', time: '2025-03-12T10:00:00Z', actor: 'gus' },
  // hal adopts on Sunday 30 March 22:30 UTC = Monday 31 March 00:30 in Paris (summer time).
  { id: 'h1', type: 'post.created', time: '2025-03-30T22:30:00Z', actor: 'hal' },
  // ivy adopts on 19 March, engaged again on 2 April.
  { id: 'i1', type: 'reaction.added', feature: 'groups', time: '2025-03-19T10:00:00Z', actor: 'ivy' },
  { id: 'i2', type: 'reaction.added', feature: 'groups', time: '2025-04-02T10:00:00Z', actor: 'ivy' },
  // jon: only level-none events.
  { id: 'j1', type: 'email.sent', count: 12, time: '2025-03-05T10:00:00Z', actor: 'jon' },
  { id: 'j2', type: 'group.left', space: 'x', time: '2025-03-06T10:00:00Z', actor: 'jon' },
]
const roster = `id,department,left_at
ann,Sales,
ben,Sales,
cat,IT,
dan,IT,
eve,Sales,
gus,IT,2025-03-20
hal,IT,
ivy,Sales,
jon,IT,
`

beforeAll(async () => {
  t = await startTestApp()
  const client = t.runtime.store.client
  for (const org of ['rt-utc', 'rt-paris']) {
    await seedEvents(client, org, events)
    await seedRoster(client, org, roster)
  }
  const put = await t.app.inject({
    method: 'PUT',
    url: '/v1/orgs/rt-paris/settings',
    headers: auth(),
    payload: { time_zone: 'Europe/Paris' },
  })
  expect(put.statusCode).toBe(200)
})
afterAll(() => t?.close())

const weeks = 'from=2025-03-03&to=2025-04-07&interval=week'
const point = (k: number, period: string, retained: number, size: number) => ({
  k,
  period,
  retained,
  share: Math.round((retained / size) * 10_000) / 10_000,
})

describe('GET /metrics/retention', () => {
  it('retains by activity with measure=active: a view is enough, adoption still needs engagement', async () => {
    const res = await get(`/v1/orgs/rt-paris/metrics/retention?${weeks}&measure=active`)
    expect(res.statusCode).toBe(200)
    const [march3, march10] = res.json().cohorts
    // The cohorts are the same (adoption = first engaged event). Week 17 March: cat's view on the
    // 19th retains her; week 24 March: ben's post, and for eve her view on the 25th.
    expect(march3.retention).toEqual([
      point(0, '2025-03-03', 3, 3),
      point(1, '2025-03-10', 3, 3),
      point(2, '2025-03-17', 1, 3), // cat's view
      point(3, '2025-03-24', 1, 3), // ben
      point(4, '2025-03-31', 0, 3),
    ])
    expect(march10.retention).toEqual([
      point(0, '2025-03-10', 1, 1),
      point(1, '2025-03-17', 1, 1),
      point(2, '2025-03-24', 1, 1), // eve's view
      point(3, '2025-03-31', 0, 1),
    ])
    const bogus = await get(`/v1/orgs/rt-paris/metrics/retention?${weeks}&measure=views`)
    expect(bogus.statusCode).toBe(400)
    expect(bogus.json().message).toMatch(/measure/)
    // Only retention takes a measure.
    expect((await get(`/v1/orgs/rt-paris/metrics/lifecycle?${weeks}&measure=active`)).statusCode).toBe(400)
  })

  it('follows weekly adoption cohorts over the weeks they have fully lived (Paris days)', async () => {
    const res = await get(`/v1/orgs/rt-paris/metrics/retention?${weeks}`)
    expect(res.statusCode).toBe(200)
    // The range ends on 7 April (exclusive): the week of 31 March is the last one fully lived.
    expect(res.json()).toEqual({
      interval: 'week',
      cohorts: [
        {
          // ben (4 Mar), cat (Sun 9 Mar, Paris), gus (5 Mar); fay is not on the roster; dan only views.
          cohort: '2025-03-03',
          size: 3,
          suppressed: false,
          retention: [
            point(0, '2025-03-03', 3, 3), // the adoption week itself
            point(1, '2025-03-10', 3, 3), // ben 12th, cat 10th, gus 12th
            point(2, '2025-03-17', 0, 3),
            point(3, '2025-03-24', 1, 3), // ben 26th → 0.3333
            point(4, '2025-03-31', 0, 3), // gus has left: still in the cohort, not retained
          ],
        },
        {
          cohort: '2025-03-10', // eve (11 Mar)
          size: 1,
          suppressed: false,
          retention: [
            point(0, '2025-03-10', 1, 1),
            point(1, '2025-03-17', 1, 1), // 18 March, sent twice, one person
            point(2, '2025-03-24', 0, 1),
            point(3, '2025-03-31', 0, 1),
          ],
        },
        {
          cohort: '2025-03-17', // ivy (19 Mar)
          size: 1,
          suppressed: false,
          retention: [
            point(0, '2025-03-17', 1, 1),
            point(1, '2025-03-24', 0, 1),
            point(2, '2025-03-31', 1, 1),
          ],
        },
        // hal adopted on Monday 31 March in Paris; ben's 8 April post is after the range.
        { cohort: '2025-03-31', size: 1, suppressed: false, retention: [point(0, '2025-03-31', 1, 1)] },
      ],
    })
  })

  it('puts hal in the week of 24 March when days are cut in UTC', async () => {
    const res = await get(`/v1/orgs/rt-utc/metrics/retention?${weeks}`)
    const cohorts = res.json().cohorts.map((c: { cohort: string; size: number }) => [c.cohort, c.size])
    // cat's Sunday 22:00 UTC stays in the week of 3 March; hal's Sunday 30 March is in the week of 24 March.
    expect(cohorts).toEqual([
      ['2025-03-03', 3],
      ['2025-03-10', 1],
      ['2025-03-17', 1],
      ['2025-03-24', 1],
    ])
    expect(res.json().cohorts[3].retention).toEqual([
      point(0, '2025-03-24', 1, 1),
      point(1, '2025-03-31', 0, 1),
    ])
  })

  it('follows monthly cohorts', async () => {
    const res = await get('/v1/orgs/rt-paris/metrics/retention?from=2025-03-01&to=2025-05-01&interval=month')
    // March cohort: ben, cat, eve, gus, hal (31 Mar in Paris), ivy = 6. April: engaged ivy (2nd),
    // ben (8th) → 2/6. April has no adopter.
    expect(res.json()).toEqual({
      interval: 'month',
      cohorts: [
        {
          cohort: '2025-03-01',
          size: 6,
          suppressed: false,
          retention: [point(0, '2025-03-01', 6, 6), point(1, '2025-04-01', 2, 6)],
        },
      ],
    })
  })

  it('restricts the cohorts to the people of a department', async () => {
    const res = await get(`/v1/orgs/rt-paris/metrics/retention?${weeks}&department=IT`)
    // IT adopters: cat, gus (week of 3 March), hal (31 March).
    expect(res.json().cohorts).toEqual([
      {
        cohort: '2025-03-03',
        size: 2,
        suppressed: false,
        retention: [
          point(0, '2025-03-03', 2, 2),
          point(1, '2025-03-10', 2, 2),
          point(2, '2025-03-17', 0, 2),
          point(3, '2025-03-24', 0, 2),
          point(4, '2025-03-31', 0, 2),
        ],
      },
      { cohort: '2025-03-31', size: 1, suppressed: false, retention: [point(0, '2025-03-31', 1, 1)] },
    ])
  })

  it('withholds cohorts of fewer than 5 people, and refuses a withheld department, for an exec', async () => {
    const exec = await createToken(t, 'exec')
    const read = (url: string) => t.app.inject({ method: 'GET', url, headers: auth(exec) })
    // Weekly cohorts of 3, 1, 1 and 1 people: all under the default minimum of 5.
    const weekly = (await read(`/v1/orgs/rt-paris/metrics/retention?${weeks}`)).json()
    expect(weekly.cohorts).toEqual(
      ['2025-03-03', '2025-03-10', '2025-03-17', '2025-03-31'].map((cohort) => ({
        cohort,
        suppressed: true,
        size: null,
        retention: null,
      })),
    )
    // The March cohort has 6 people, and is the only one: published.
    const monthly = (
      await read('/v1/orgs/rt-paris/metrics/retention?from=2025-03-01&to=2025-05-01&interval=month')
    ).json()
    expect(monthly.cohorts).toEqual([
      {
        cohort: '2025-03-01',
        size: 6,
        suppressed: false,
        retention: [point(0, '2025-03-01', 6, 6), point(1, '2025-04-01', 2, 6)],
      },
    ])
    // The current roster's workforce today (2026-12; no site column): IT cat, dan, hal, jon = 4
    // (gus left); Sales ann, ben, eve, ivy = 4; fay off the roster = 1. IT is under 5: withheld.
    const it = await read(`/v1/orgs/rt-paris/metrics/retention?${weeks}&department=IT`)
    expect(it.statusCode).toBe(403)
    expect(it.json().field).toBe('department')
  })

  it('serves a flat table as CSV', async () => {
    const csv = await get(`/v1/orgs/rt-paris/metrics/retention?${weeks}`, 'text/csv')
    const lines = csv.body.trim().split('\r\n')
    expect(lines[0]).toBe('cohort,size,k,period,retained,share')
    expect(lines[4]).toBe('2025-03-03,3,3,2025-03-24,1,0.3333')
    expect(lines).toHaveLength(1 + 5 + 4 + 3 + 1)
  })

  it('refuses daily cohorts and breakdowns with a 400 naming the parameter', async () => {
    const day = await get('/v1/orgs/rt-paris/metrics/retention?from=2025-03-03&to=2025-04-07&interval=day')
    expect(day.statusCode).toBe(400)
    expect(day.json().field).toBe('interval')
    const by = await get(`/v1/orgs/rt-paris/metrics/retention?${weeks}&by=department`)
    expect(by.statusCode).toBe(400)
    expect(by.json().field).toBe('by')
  })
})
