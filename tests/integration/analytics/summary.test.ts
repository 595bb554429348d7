// summary on a hand-made organisation (time zone Europe/Paris); every expected number is worked
// out in the comments. Range: 3–30 March 2025 (to = 31 March, exclusive); 30 March is the day
// Paris switches to summer time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents, seedRoster } from '../../helpers/seed.ts'

let t: TestApp
const get = (url: string, accept?: string) =>
  t.app.inject({ method: 'GET', url, headers: { ...auth(), ...(accept ? { accept } : {}) } })

const g = { feature: 'groups' } as const
const events: SeedEvent[] = [
  { id: 's12', type: 'post.created', space: 'delta', time: '2025-01-10T09:00:00Z', actor: 'ben' }, // before the range
  {
    id: 's1',
    type: 'post.created',
    space: 'alpha',
    object: 'P1',
    time: '2025-03-04T09:00:00Z',
    actor: 'ann',
  },
  // ben (IT) comments ann's (Sales) post and names her: one cross-department interaction.
  {
    id: 's2',
    type: 'comment.created',
    ...g,
    space: 'alpha',
    parent: 'P1',
    target: 'ann',
    time: '2025-03-04T10:00:00Z',
    actor: 'ben',
  },
  {
    id: 's3',
    type: 'question.asked',
    space: 'beta',
    object: 'Q1',
    time: '2025-03-05T09:00:00Z',
    actor: 'cat',
  },
  {
    id: 's4',
    type: 'comment.created',
    feature: 'qa',
    space: 'beta',
    parent: 'Q1',
    time: '2025-03-05T09:30:00Z',
    actor: 'cat',
  }, // own
  {
    id: 's5',
    type: 'answer.created',
    space: 'beta',
    parent: 'Q1',
    time: '2025-03-07T09:00:00Z',
    actor: 'ann',
  }, // 48 h later
  {
    id: 's6',
    type: 'content.viewed',
    feature: 'wiki',
    space: 'beta',
    time: '2025-03-10T09:00:00Z',
    actor: 'dan',
  }, // views only
  { id: 's7', type: 'reaction.added', ...g, space: 'alpha', time: '2025-03-11T09:00:00Z', actor: 'gus' }, // leaves on 20 March
  { id: 's8', type: 'post.created', space: 'gamma', time: '2025-03-12T09:00:00Z', actor: 'fay' }, // not on the roster
  { id: 's11', type: 'email.sent', count: 50, time: '2025-03-20T09:00:00Z', actor: 'ben' },
  { id: 's10', type: 'reaction.added', ...g, time: '2025-03-28T09:00:00Z', actor: 'ann' },
  { id: 's10', type: 'reaction.added', ...g, time: '2025-03-28T09:00:00Z', actor: 'ann' }, // sent twice
  { id: 's13', type: 'reaction.added', ...g, time: '2025-03-30T08:00:00Z', actor: 'ann' },
  { id: 's9', type: 'reaction.added', ...g, time: '2025-03-30T10:00:00Z', actor: 'eve' }, // adopts on the last day
  { id: 's14', type: 'post.created', time: '2025-03-30T22:30:00Z', actor: 'eve' }, // 31 March 00:30 in Paris: after
]
const roster = `id,department,hired_at,left_at
ann,Sales,,
dan,Sales,,
eve,Sales,2025-03-10,
ben,IT,,
cat,IT,,
gus,IT,,2025-03-20
`

beforeAll(async () => {
  t = await startTestApp()
  await seedEvents(t.runtime.store.client, 'su', events)
  await seedRoster(t.runtime.store.client, 'su', roster)
  const put = await t.app.inject({
    method: 'PUT',
    url: '/v1/orgs/su/settings',
    headers: auth(),
    payload: { time_zone: 'Europe/Paris' },
  })
  expect(put.statusCode).toBe(200)
})
afterAll(() => t?.close())

const range = 'from=2025-03-03&to=2025-03-31'

describe('GET /metrics/summary', () => {
  it('gives the headline numbers as of the last day of the range', async () => {
    const res = await get(`/v1/orgs/su/metrics/summary?${range}`)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      as_of: '2025-03-30',
      workforce: 5, // ann, dan, eve (hired 10 March), ben, cat; gus left on 20 March
      workforce_source: 'roster',
      adopters: 4, // ann, ben, cat, eve (30 March); dan only views
      adoption_rate: 0.8,
      // The headline reads no partial day: the last complete ISO week of the range is 24–30 March;
      // its working days 24–28 March have DAU 0, 0, 0, 0, 1 (ann on the 28th) → 0.2, not the 2
      // of Sunday 30 March (ann and eve; eve's post at 00:30 on the 31st is not).
      dau: 0.2,
      dau_week: '2025-03-24',
      wau: 2, // ann and eve in 24–30 March
      mau: 7, // ann, ben, cat, dan, gus, fay, eve
      mau_as_of: '2025-03-30',
      // Working days 3–28 March (20): ann+ben 4th, cat 5th, ann 7th, dan 10th, gus 11th, fay 12th,
      // ann 28th = 8 → mean 0.4; ÷ MAU 7 = 0.0571
      stickiness: 0.0571,
      // adoption 0.8; depth 5 / 6 (ann, ben, cat, gus, eve engaged of the 6 roster people active);
      // stickiness 0.05714; reach 1 / 1 (s2); responsiveness 0 / 1 (Q1: own comment, then 48 h)
      // (0.8 + 0.83333 + 0.05714 + 1 + 0) / 5 = 0.53810 → 53.81
      implication_index: 53.81,
      events: 12, // s1–s11 and s13, s9 (s10 once; s12 before, s14 after)
      active_people: 7,
      unknown_actors: 1, // fay
      communities: 4, // alpha, beta, gamma, delta
      dormant_communities: 1, // delta: nothing since January
    })
  })

  it('narrows every figure to the people of a department', async () => {
    const res = await get(`/v1/orgs/su/metrics/summary?${range}&department=IT`)
    expect(res.json()).toEqual({
      as_of: '2025-03-30',
      workforce: 2, // ben, cat
      workforce_source: 'roster',
      adopters: 2,
      adoption_rate: 1,
      dau: 0, // nobody of IT on 24–28 March
      dau_week: '2025-03-24',
      wau: 0,
      mau: 3, // ben, cat, gus
      mau_as_of: '2025-03-30',
      stickiness: 0.05, // working-day DAU 1 on 4, 5 and 11 March → 3 / 20 = 0.15; ÷ 3
      // adoption 1; depth 3 / 3; stickiness 0.05; reach 1 (ben → ann); responsiveness 0 (cat's Q1)
      // (1 + 1 + 0.05 + 1 + 0) / 5 = 0.61
      implication_index: 61,
      events: 5, // s2, s3, s4, s7, s11
      active_people: 3,
      unknown_actors: 0,
      communities: 3, // alpha, beta, delta
      dormant_communities: 1,
    })
  })

  it('serves one row as CSV', async () => {
    const csv = await get(`/v1/orgs/su/metrics/summary?${range}`, 'text/csv')
    const [header, row] = csv.body.split('\r\n')
    expect(header).toBe(
      'as_of,workforce,workforce_source,adopters,adoption_rate,dau,dau_week,wau,mau,mau_as_of,stickiness,implication_index,' +
        'events,active_people,unknown_actors,communities,dormant_communities',
    )
    expect(row).toBe('2025-03-30,5,roster,4,0.8,0.2,2025-03-24,2,7,2025-03-30,0.0571,53.81,12,7,1,4,1')
  })

  it('names an unsupported filter or breakdown in a 400', async () => {
    const feature = await get(`/v1/orgs/su/metrics/summary?${range}&feature=wiki`)
    expect(feature.statusCode).toBe(400)
    expect(feature.json().field).toBe('feature')
    const by = await get(`/v1/orgs/su/metrics/summary?${range}&by=department`)
    expect(by.statusCode).toBe(400)
    expect(by.json().field).toBe('by')
  })

  it('reads no partial day when the range runs to today: MAU as of yesterday, DAU of the last complete week', async () => {
    const today = new Date().toISOString().slice(0, 10)
    const day = (date: string, n: number) =>
      new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
    const yesterday = day(today, -1)
    // early was active yesterday at noon, late only today (00:05 UTC, already past).
    await seedEvents(t.runtime.store.client, 'su-now', [
      { id: 'n1', type: 'content.viewed', feature: 'wiki', time: `${yesterday}T12:00:00Z`, actor: 'early' },
      { id: 'n2', type: 'content.viewed', feature: 'wiki', time: `${today}T00:05:00Z`, actor: 'late' },
    ])
    const body = (
      await get(`/v1/orgs/su-now/metrics/summary?from=${day(today, -20)}&to=${day(today, 1)}`)
    ).json()
    // The last complete day is yesterday: late (today only) is not in the MAU yet.
    expect(body.mau_as_of).toBe(yesterday)
    expect(body.mau).toBe(1)
    // The last complete ISO week ends on the last Sunday on or before yesterday.
    const sunday = day(yesterday, -new Date(`${yesterday}T00:00:00Z`).getUTCDay())
    expect(body.dau_week).toBe(day(sunday, -6))
  })

  it('answers a range in year 20 (its holidays computed like any other year)', async () => {
    for (const metric of ['summary', 'active-users', 'roi']) {
      const res = await get(`/v1/orgs/su/metrics/${metric}?from=0020-02-29&to=0020-03-30&interval=day`)
      expect(res.statusCode, `${metric}: ${res.body.slice(0, 200)}`).toBe(200)
    }
  })
})
