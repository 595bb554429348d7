// adopters (per-person Rogers segments, local adoption days) on a hand-made organisation;
// expectations worked out by hand.
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents, seedRoster } from '../../helpers/seed.ts'

const pseudonymKey = 'adopters-test-key-0123456789abcdef'
let t: TestApp
const get = (url: string, headers: Record<string, string> = auth()) =>
  t.app.inject({ method: 'GET', url, headers })

// dov leaves on 25 March; hal is hired after the range; ida never does anything.
const roster = `id,department,site,hired_at,left_at
amy,ops,paris,,
bob,ops,lyon,,
cat,dev,paris,,
dov,dev,lyon,,2025-03-25
eli,dev,paris,,
fay,ops,paris,,
gil,ops,lyon,,
hal,dev,paris,2025-05-01,
ida,dev,lyon,,
`

const events: SeedEvent[] = [
  { id: 'a1', type: 'post.created', time: '2025-03-03T08:00:00Z', actor: 'amy' },
  { id: 'a1', type: 'post.created', time: '2025-03-03T08:00:00Z', actor: 'amy' }, // duplicate
  // bob and cat adopt at the same instant, 23:59 in Paris on Sunday 9 March (the week's last day):
  // the tie is broken by id, bob before cat.
  { id: 'b1', type: 'reaction.added', feature: 'wiki', time: '2025-03-09T22:59:00Z', actor: 'bob' },
  { id: 'c1', type: 'comment.created', feature: 'wiki', time: '2025-03-09T22:59:00Z', actor: 'cat' },
  { id: 'd1', type: 'reaction.added', feature: 'wiki', time: '2025-03-05T10:00:00Z', actor: 'dov' }, // leaver
  { id: 'e1', type: 'content.viewed', feature: 'wiki', time: '2025-03-10T10:00:00Z', actor: 'eli' }, // views only
  // 31 March 00:30 in Paris, the night summer time started.
  { id: 'f1', type: 'reaction.added', feature: 'groups', time: '2025-03-30T22:30:00Z', actor: 'fay' },
  // 7 April 00:30 in Paris: after the range end there, on 6 April in UTC.
  { id: 'g1', type: 'reaction.added', feature: 'groups', time: '2025-04-06T22:30:00Z', actor: 'gil' },
  { id: 'h1', type: 'reaction.added', feature: 'groups', time: '2025-03-20T10:00:00Z', actor: 'hal' }, // not hired yet
  { id: 'z1', type: 'post.created', time: '2025-03-04T10:00:00Z', actor: 'zed' }, // not on the roster
]

beforeAll(async () => {
  t = await startTestApp({ IMPLICATION_PSEUDONYM_KEY: pseudonymKey })
  const client = t.runtime.store.client
  for (const org of ['beta', 'beta-utc']) {
    await seedRoster(client, org, roster)
    await seedEvents(client, org, events)
  }
  const put = await t.app.inject({
    method: 'PUT',
    url: '/v1/orgs/beta/settings',
    headers: auth(),
    payload: { time_zone: 'Europe/Paris' },
  })
  expect(put.statusCode).toBe(200)
})
afterAll(() => t?.close())

const range = 'from=2025-03-03&to=2025-04-07'

describe('GET /metrics/adopters', () => {
  it('lists the workforce as of the range end with segments and local adoption days, adopters first', async () => {
    const res = await get(`/v1/orgs/beta/metrics/adopters?${range}`)
    expect(res.statusCode).toBe(200)
    // The launch: amy's post on 3 March. The launch cohort: everyone on the roster then, dov
    // (who left later) included, hal (hired 1 May) not: L = 8. Ranks by (time, id): amy 1/8 =
    // 0.125 early adopter; dov 2/8, bob 3/8, cat 4/8 (on the cut) early majority; fay 5/8 = 0.625
    // late majority; gil adopts on 7 April in Paris. Workforce on 6 April: amy, bob, cat, eli,
    // fay, gil, ida = 7 (dov left, hal not hired, zed not on the roster). Days to adopt from
    // 3 March: bob and cat 6, fay 28.
    // Days are Paris days: bob and cat at 23:59 on 9 March, fay at 00:30 on 31 March (22:30 UTC
    // on the 30th).
    expect(res.json()).toEqual({
      workforce_source: 'roster',
      person_list: 'shown',
      segments: [
        { segment: 'innovators', people: 0 },
        { segment: 'early_adopters', people: 1 },
        { segment: 'early_majority', people: 2 },
        { segment: 'late_majority', people: 1 },
        { segment: 'laggards', people: 0 },
        { segment: 'non_adopters', people: 3 },
      ],
      people: [
        {
          person: 'amy',
          segment: 'early_adopters',
          adopted_on: '2025-03-03',
          cohort: 'launch',
          days_to_adopt: 0,
          department: 'ops',
          site: 'paris',
        },
        {
          person: 'bob',
          segment: 'early_majority',
          adopted_on: '2025-03-09',
          cohort: 'launch',
          days_to_adopt: 6,
          department: 'ops',
          site: 'lyon',
        },
        {
          person: 'cat',
          segment: 'early_majority',
          adopted_on: '2025-03-09',
          cohort: 'launch',
          days_to_adopt: 6,
          department: 'dev',
          site: 'paris',
        },
        {
          person: 'fay',
          segment: 'late_majority',
          adopted_on: '2025-03-31',
          cohort: 'launch',
          days_to_adopt: 28,
          department: 'ops',
          site: 'paris',
        },
        {
          person: 'eli',
          segment: 'non_adopters',
          adopted_on: null,
          cohort: 'launch',
          days_to_adopt: null,
          department: 'dev',
          site: 'paris',
        },
        {
          person: 'gil',
          segment: 'non_adopters',
          adopted_on: null,
          cohort: 'launch',
          days_to_adopt: null,
          department: 'ops',
          site: 'lyon',
        },
        {
          person: 'ida',
          segment: 'non_adopters',
          adopted_on: null,
          cohort: 'launch',
          days_to_adopt: null,
          department: 'dev',
          site: 'lyon',
        },
      ],
      total: 7,
    })
  })

  it('counts an adoption on the last day in UTC that is the next day in Paris', async () => {
    const res = await get(`/v1/orgs/beta-utc/metrics/adopters?${range}`)
    // In UTC gil adopts on 6 April: rank 6 of L = 8 = 0.75, late majority; 34 days after 3 March.
    const gil = res.json().people.find((p: { person: string }) => p.person === 'gil')
    expect(gil).toEqual({
      person: 'gil',
      segment: 'late_majority',
      adopted_on: '2025-04-06',
      cohort: 'launch',
      days_to_adopt: 34,
      department: 'ops',
      site: 'lyon',
    })
  })

  it('ranks inside the department filter', async () => {
    const res = await get(`/v1/orgs/beta/metrics/adopters?${range}&department=ops`)
    // ops on 6 April: amy, bob, fay, gil = 4. amy 1/4 = 0.25 and bob 2/4 = 0.5 (on the cut) early
    // majority; fay 3/4 = 0.75 late majority; gil has not adopted by 6 April in Paris.
    expect(res.json().people.map((p: { person: string; segment: string }) => [p.person, p.segment])).toEqual([
      ['amy', 'early_majority'],
      ['bob', 'early_majority'],
      ['fay', 'late_majority'],
      ['gil', 'non_adopters'],
    ])
    expect(res.json().total).toBe(4)
  })

  it('gives an exec the counts by segment and no list (tests/integration/privacy/person-lists.test.ts: every role)', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/tokens',
      headers: auth(),
      payload: { role: 'exec', orgs: ['beta'] },
    })
    expect(created.statusCode).toBe(201)
    const res = await get(`/v1/orgs/beta/metrics/adopters?${range}`, auth(created.json().token))
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ person_list: 'withheld_for_role', people: null, total: 7 })
    expect(res.json().segments.map((s: { people: number }) => s.people)).toEqual([0, 1, 2, 1, 0, 3])
    // Neither ids nor their pseudonyms (p- and 16 hex digits of the HMAC).
    const label = (id: string) =>
      `p-${createHmac('sha256', pseudonymKey).update(`beta\u0000${id}`).digest('hex').slice(0, 16)}`
    for (const id of ['amy', 'bob', 'cat', 'eli', 'fay', 'gil', 'ida']) {
      expect(res.body).not.toContain(`"${id}"`)
      expect(res.body).not.toContain(label(id))
    }
  })

  it('exports the list as CSV', async () => {
    const res = await get(`/v1/orgs/beta/metrics/adopters?${range}`, { ...auth(), accept: 'text/csv' })
    const lines = res.body.trim().split('\r\n')
    expect(lines[0]).toBe('person,segment,adopted_on,cohort,days_to_adopt,department,site')
    expect(lines[1]).toBe('amy,early_adopters,2025-03-03,launch,0,ops,paris')
    expect(lines[4]).toBe('fay,late_majority,2025-03-31,launch,28,ops,paris')
    expect(lines[5]).toBe('eli,non_adopters,,launch,,dev,paris')
    expect(lines).toHaveLength(8)
  })

  it('answers 400 naming `by`: the list has no breakdown', async () => {
    const res = await get(`/v1/orgs/beta/metrics/adopters?${range}&by=department`)
    expect(res.statusCode).toBe(400)
    expect(res.json().field).toBe('by')
  })
})
