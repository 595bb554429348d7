// collaboration on a hand-made organisation (time zone Europe/Paris); every expected number is
// worked out in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, createToken, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents, seedRoster } from '../../helpers/seed.ts'

let t: TestApp
const get = (url: string, accept?: string) =>
  t.app.inject({ method: 'GET', url, headers: { ...auth(), ...(accept ? { accept } : {}) } })

const events: SeedEvent[] = [
  // Week of 3 March (Paris days)
  {
    id: 'm1',
    type: 'mention.added',
    feature: 'groups',
    target: 'cat',
    time: '2025-03-04T10:00:00Z',
    actor: 'ann',
  }, // Sales → IT
  {
    id: 'm2',
    type: 'mention.added',
    feature: 'groups',
    target: 'ben',
    time: '2025-03-05T10:00:00Z',
    actor: 'ann',
  }, // Sales → Sales
  { id: 'i1', type: 'member.invited', target: 'dan', time: '2025-03-06T10:00:00Z', actor: 'cat' }, // IT → IT
  { id: 's1', type: 'file.shared', target: 'eve', time: '2025-03-07T10:00:00Z', actor: 'dan' }, // IT → HR, sent twice
  { id: 's1', type: 'file.shared', target: 'eve', time: '2025-03-07T10:00:00Z', actor: 'dan' },
  // Not interactions between two roster people with a department:
  {
    id: 'm3',
    type: 'mention.added',
    feature: 'groups',
    target: 'fay',
    time: '2025-03-07T10:00:00Z',
    actor: 'ann',
  }, // fay: no roster
  {
    id: 'm4',
    type: 'mention.added',
    feature: 'groups',
    target: 'ann',
    time: '2025-03-07T11:00:00Z',
    actor: 'fay',
  },
  {
    id: 'm5',
    type: 'mention.added',
    feature: 'groups',
    target: 'hal',
    time: '2025-03-07T12:00:00Z',
    actor: 'eve',
  }, // hal: no department
  {
    id: 'm6',
    type: 'mention.added',
    feature: 'groups',
    target: 'ben',
    time: '2025-03-07T13:00:00Z',
    actor: 'ben',
  }, // himself
  { id: 'e1', type: 'email.sent', count: 3, target: 'cat', time: '2025-03-07T14:00:00Z', actor: 'ann' }, // level none
  {
    id: 'm0',
    type: 'mention.added',
    feature: 'groups',
    target: 'cat',
    time: '2025-02-20T10:00:00Z',
    actor: 'ann',
  }, // before
  { id: 'v1', type: 'content.viewed', feature: 'groups', time: '2025-03-05T10:00:00Z', actor: 'hal' }, // no target
  // Week of 10 March
  {
    id: 'm7',
    type: 'mention.added',
    feature: 'groups',
    target: 'ann',
    time: '2025-03-11T10:00:00Z',
    actor: 'gus',
  }, // IT → Sales (gus leaves on 12 March)
  // Sunday 9 March 23:30 UTC = Monday 10 March 00:30 in Paris.
  {
    id: 'm8',
    type: 'comment.created',
    feature: 'groups',
    target: 'ann',
    time: '2025-03-09T23:30:00Z',
    actor: 'ivy',
  }, // Sales → Sales
  {
    id: 'm9',
    type: 'reaction.added',
    feature: 'groups',
    target: 'eve',
    time: '2025-03-12T10:00:00Z',
    actor: 'ben',
  }, // Sales → HR
  // Sunday 16 March 23:30 UTC = Monday 17 March in Paris: after the range.
  {
    id: 'mA',
    type: 'mention.added',
    feature: 'groups',
    target: 'dan',
    time: '2025-03-16T23:30:00Z',
    actor: 'ann',
  },
]
const roster = `id;department;site;left_at
ann;Sales;Paris;
ben;Sales;Lyon;
cat;IT;Paris;
dan;IT;Lyon;
eve;HR;Paris;
gus;IT;Lyon;2025-03-12
hal;;Paris;
ivy;Sales;Paris;
`

beforeAll(async () => {
  t = await startTestApp()
  const client = t.runtime.store.client
  for (const org of ['co', 'co-none']) {
    await seedEvents(client, org, events)
    const put = await t.app.inject({
      method: 'PUT',
      url: `/v1/orgs/${org}/settings`,
      headers: auth(),
      payload: { time_zone: 'Europe/Paris' },
    })
    expect(put.statusCode).toBe(200)
  }
  await seedRoster(client, 'co', roster)
})
afterAll(() => t?.close())

const range = 'from=2025-03-03&to=2025-03-17&interval=week'

describe('GET /metrics/collaboration', () => {
  it('gives the cross-department share per week and the department matrix', async () => {
    const res = await get(`/v1/orgs/co/metrics/collaboration?${range}`)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      series: [
        // m1 (cross), m2, i1, s1 (cross, once) → 2 / 4. Actors: Sales 2/4, IT 2/4; targets:
        // IT 2/4, Sales 1/4, HR 1/4. Random mixing: 1 − (0.5·0.25 + 0.5·0.5) = 0.625; mixing
        // 0.5 / 0.625 = 0.8; E-I (2 − 2) / 4 = 0.
        {
          period: '2025-03-03',
          interactions: 4,
          cross_department: 2,
          share: 0.5,
          expected_cross_share: 0.625,
          mixing: 0.8,
          ei_index: 0,
        },
        // m7 (cross), m8 (Monday in Paris), m9 (cross) → 2 / 3. Actors: IT 1/3, Sales 2/3;
        // targets: Sales 2/3, HR 1/3. Expected 1 − (2/3)(2/3) = 5/9 = 0.5556; mixing (2/3)/(5/9)
        // = 1.2; E-I (2 − 1) / 3 = 0.3333.
        {
          period: '2025-03-10',
          interactions: 3,
          cross_department: 2,
          share: 0.6667,
          expected_cross_share: 0.5556,
          mixing: 1.2,
          ei_index: 0.3333,
        },
      ],
      matrix: [
        { from_department: 'IT', to_department: 'HR', suppressed: false, interactions: 1 }, // s1
        { from_department: 'IT', to_department: 'IT', suppressed: false, interactions: 1 }, // i1
        { from_department: 'IT', to_department: 'Sales', suppressed: false, interactions: 1 }, // m7
        { from_department: 'Sales', to_department: 'HR', suppressed: false, interactions: 1 }, // m9
        { from_department: 'Sales', to_department: 'IT', suppressed: false, interactions: 1 }, // m1
        { from_department: 'Sales', to_department: 'Sales', suppressed: false, interactions: 2 }, // m2, m8
      ],
      interactions: 7,
      share: 0.5714, // 4 / 7
      // Actors: Sales 4/7 (m1 m2 m8 m9), IT 3/7 (i1 s1 m7); targets: Sales 3/7 (m2 m7 m8), IT 2/7
      // (m1 i1), HR 2/7 (s1 m9). Expected 1 − (4/7·3/7 + 3/7·2/7) = 1 − 18/49 = 31/49 = 0.6327;
      // mixing (4/7)/(31/49) = 28/31 = 0.9032; E-I (4 − 3) / 7 = 0.1429.
      expected_cross_share: 0.6327,
      mixing: 0.9032,
      ei_index: 0.1429,
      reason: null,
    })
  })

  it('withholds the matrix cells of withheld departments for an exec', async () => {
    const exec = await createToken(t, 'exec')
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/orgs/co/metrics/collaboration?${range}`,
      headers: auth(exec),
    })
    expect(res.statusCode).toBe(200)
    // The current roster's workforce today (2026-12): Sales ann, ben, ivy = 3; IT cat, dan = 2
    // (gus left); HR eve = 1; no department hal = 1, and fay off the roster = 1. Every department
    // is under the default minimum of 5, so every cell of the matrix is withheld; the org-wide
    // series and totals stay.
    const body = res.json()
    expect(body.matrix).toEqual(
      [
        ['IT', 'HR'],
        ['IT', 'IT'],
        ['IT', 'Sales'],
        ['Sales', 'HR'],
        ['Sales', 'IT'],
        ['Sales', 'Sales'],
      ].map(([from_department, to_department]) => ({
        from_department,
        to_department,
        suppressed: true,
        interactions: null,
      })),
    )
    expect(body).toMatchObject({ interactions: 7, share: 0.5714 })
    expect(body.series.map((p: { interactions: number }) => p.interactions)).toEqual([4, 3])
  })

  it('filters by the department of the actor', async () => {
    const res = await get(`/v1/orgs/co/metrics/collaboration?${range}&department=Sales`)
    // Sales actors: m1 (cross), m2 | m8, m9 (cross). Random mixing takes the whole org's targets
    // (the first test): week 1 Sales receives 1/4, so 1 − 1·1/4 = 0.75, mixing 0.5 / 0.75 =
    // 0.6667; week 2 Sales receives 2/3, so 1/3 = 0.3333, mixing 0.5 / (1/3) = 1.5.
    expect(res.json().series).toEqual([
      {
        period: '2025-03-03',
        interactions: 2,
        cross_department: 1,
        share: 0.5,
        expected_cross_share: 0.75,
        mixing: 0.6667,
        ei_index: 0,
      },
      {
        period: '2025-03-10',
        interactions: 2,
        cross_department: 1,
        share: 0.5,
        expected_cross_share: 0.3333,
        mixing: 1.5,
        ei_index: 0,
      },
    ])
    // Over the range Sales receives 3/7 of the org's interactions: 1 − 3/7 = 0.5714, mixing
    // 0.5 / (4/7) = 0.875.
    expect(res.json()).toMatchObject({ share: 0.5, expected_cross_share: 0.5714, mixing: 0.875, ei_index: 0 })
  })

  it('gives one clipped month with interval=month', async () => {
    const res = await get('/v1/orgs/co/metrics/collaboration?from=2025-03-03&to=2025-03-17&interval=month')
    expect(res.json().series).toEqual([
      // The range's seven interactions (see the first test for the yardsticks).
      {
        period: '2025-03-01',
        interactions: 7,
        cross_department: 4,
        share: 0.5714,
        expected_cross_share: 0.6327,
        mixing: 0.9032,
        ei_index: 0.1429,
      },
    ])
  })

  it('answers null with a reason without a roster', async () => {
    const res = await get(`/v1/orgs/co-none/metrics/collaboration?${range}`)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ series: [], matrix: [], interactions: null, share: null, mixing: null })
    expect(body.reason).toMatch(/roster/)
  })

  it('serves the series and the matrix as CSV', async () => {
    const series = await get(`/v1/orgs/co/metrics/collaboration?${range}`, 'text/csv')
    expect(series.body).toBe(
      'period,interactions,cross_department,share,expected_cross_share,mixing,ei_index\r\n' +
        '2025-03-03,4,2,0.5,0.625,0.8,0\r\n2025-03-10,3,2,0.6667,0.5556,1.2,0.3333\r\n',
    )
    const matrix = await get(`/v1/orgs/co/metrics/collaboration?${range}&table=matrix`, 'text/csv')
    expect(matrix.body.split('\r\n')[0]).toBe('from_department,to_department,suppressed,interactions')
    expect(matrix.body.split('\r\n')[6]).toBe('Sales,Sales,false,2')
  })

  it('names an unsupported breakdown in a 400', async () => {
    const res = await get(`/v1/orgs/co/metrics/collaboration?${range}&by=department`)
    expect(res.statusCode).toBe(400)
    expect(res.json().field).toBe('by')
  })
})
