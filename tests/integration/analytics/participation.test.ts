// participation tiers on a hand-made organisation, on the real engine; every expected number is
// worked out by hand in the comments.
import { tableFromIPC } from 'apache-arrow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, createToken, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents, seedRoster } from '../../helpers/seed.ts'

let t: TestApp
// Reads as an exec (small groups withheld), or as the admin (every group shown).
let exec = ''
const get = (url: string, accept?: string, token?: string) =>
  t.app.inject({ method: 'GET', url, headers: { ...auth(token), ...(accept ? { accept } : {}) } })
const asExec = (url: string, accept?: string) => get(url, accept, exec)

// jon leaves on 20 April: on the roster, no longer in the workforce at the range end.
const roster = `id,department,site,hired_at,left_at
ann,sales,paris,,
bob,sales,paris,,
cat,sales,lyon,,
dan,tech,paris,,
eve,tech,lyon,,
fay,tech,paris,,
gus,hr,paris,,
hal,hr,lyon,,
jon,hr,paris,,2025-04-20
kim,sales,lyon,,
`

// The range is 10 March – 30 April 2025 (to = 1 May). The 28-day window is [3 April, 1 May)
// (1 May − 28 days: April has 30, so 3 April); the 90-day one [31 January, 1 May)
// (30 + 31 + 28 + 1 days back). Paris is UTC+2 from 30 March, UTC+1 before.
const events: SeedEvent[] = [
  // ann: only a view in the window (a lurker); a post on 20 March (90 days and March only).
  {
    id: 'a1',
    type: 'content.viewed',
    feature: 'wiki',
    space: 'alpha',
    time: '2025-04-15T09:00:00Z',
    actor: 'ann',
  },
  { id: 'a2', type: 'post.created', time: '2025-03-20T09:00:00Z', actor: 'ann' },
  // bob: only a reaction (a reactor).
  {
    id: 'b1',
    type: 'reaction.added',
    feature: 'groups',
    space: 'alpha',
    time: '2025-04-16T09:00:00Z',
    actor: 'bob',
  },
  // cat: a create and a contribute (a creator); the contribute is in space beta.
  { id: 'c1', type: 'post.created', space: 'alpha', time: '2025-04-10T09:00:00Z', actor: 'cat' },
  {
    id: 'c2',
    type: 'comment.created',
    feature: 'groups',
    space: 'beta',
    time: '2025-04-11T09:00:00Z',
    actor: 'cat',
  },
  // dan: a contribute and a view (a contributor).
  {
    id: 'd1',
    type: 'comment.created',
    feature: 'groups',
    space: 'alpha',
    time: '2025-04-12T09:00:00Z',
    actor: 'dan',
  },
  {
    id: 'd2',
    type: 'content.viewed',
    feature: 'wiki',
    space: 'beta',
    time: '2025-04-13T09:00:00Z',
    actor: 'dan',
  },
  {
    id: 'd2',
    type: 'content.viewed',
    feature: 'wiki',
    space: 'beta',
    time: '2025-04-13T09:00:00Z',
    actor: 'dan',
  }, // duplicate
  // eve: a post on 2 April (12:00 in Paris), 29 days before the end: outside the 28-day window,
  // inside the 90-day one and April.
  { id: 'e1', type: 'post.created', space: 'alpha', time: '2025-04-02T10:00:00Z', actor: 'eve' },
  // fay: a view at 23:30 UTC on 2 April = 01:30 on 3 April in Paris, the window's first day
  // (in UTC: 2 April, outside).
  {
    id: 'f1',
    type: 'content.viewed',
    feature: 'wiki',
    space: 'beta',
    time: '2025-04-02T23:30:00Z',
    actor: 'fay',
  },
  // gus: only an email (feature email, level none: no platform event), inactive.
  { id: 'g1', type: 'email.sent', time: '2025-04-20T09:00:00Z', actor: 'gus', count: 3 },
  // hal: a reaction and a view (a reactor).
  {
    id: 'h1',
    type: 'reaction.added',
    feature: 'wiki',
    space: 'beta',
    time: '2025-04-22T09:00:00Z',
    actor: 'hal',
  },
  {
    id: 'h2',
    type: 'content.viewed',
    feature: 'wiki',
    space: 'beta',
    time: '2025-04-22T10:00:00Z',
    actor: 'hal',
  },
  // ivy: not on the roster, a view (a lurker, an unknown actor).
  {
    id: 'i1',
    type: 'content.viewed',
    feature: 'wiki',
    space: 'alpha',
    time: '2025-04-18T09:00:00Z',
    actor: 'ivy',
  },
  // jon: a create on 10 April, before he leaves (a creator, not a member at the end).
  { id: 'j1', type: 'wiki.created', time: '2025-04-10T09:00:00Z', actor: 'jon' },
  // kim: a comment on 5 March (before the range, inside 90 days) in space tiny, a view on 15 March.
  {
    id: 'k1',
    type: 'comment.created',
    feature: 'groups',
    space: 'tiny',
    time: '2025-03-05T09:00:00Z',
    actor: 'kim',
  },
  { id: 'k2', type: 'content.viewed', feature: 'wiki', time: '2025-03-15T09:00:00Z', actor: 'kim' },
]

beforeAll(async () => {
  t = await startTestApp()
  exec = await createToken(t, 'exec')
  const client = t.runtime.store.client
  for (const [org, zone] of [
    ['pv2', 'Europe/Paris'],
    ['pv2-utc', 'UTC'],
  ] as const) {
    await seedRoster(client, org, roster)
    await seedEvents(client, org, events)
    const put = await t.app.inject({
      method: 'PUT',
      url: `/v1/orgs/${org}/settings`,
      headers: auth(),
      payload: { time_zone: zone, min_group_size: 3 },
    })
    expect(put.statusCode).toBe(200)
  }
})
afterAll(() => t?.close())

const range = 'from=2025-03-10&to=2025-05-01'
const url = (query = '', org = 'pv2') => `/v1/orgs/${org}/metrics/participation?${range}${query}`
const tier = (
  name: string,
  people: number,
  shareOfActive: number | null,
  reference: number | null,
  members: number,
  shareOfWorkforce: number | null,
) => ({
  tier: name,
  people,
  share_of_active: shareOfActive,
  reference,
  workforce_members: members,
  share_of_workforce: shareOfWorkforce,
})

// The 28-day window in Paris: creators cat, jon (left 20 April: no member); contributor dan;
// reactors bob, hal; lurkers ann, fay (3 April in Paris), ivy (off the roster): active
// 2 + 1 + 2 + 3 = 8. Workforce on 30 April: the 10 on the roster but jon = 9; inactive
// members eve (2 April), gus (an email), kim (March) = 3. Members 1 + 1 + 2 + 2 + 3 = 9.
const window28 = [
  tier('creators', 2, 0.25, 0.01, 1, 0.1111), // 2/8; 1/9
  tier('contributors', 1, 0.125, 0.09, 1, 0.1111), // 1/8; 1/9
  tier('reactors', 2, 0.25, null, 2, 0.2222), // 2/8; 2/9
  tier('lurkers', 3, 0.375, 0.9, 2, 0.2222), // 3/8; 2/9
  tier('inactive', 3, null, null, 3, 0.3333), // 3/9
]

describe('GET /metrics/participation', () => {
  it('sorts the people into tiers over the 28 days ending at the range end', async () => {
    const res = await asExec(url())
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({
      workforce_source: 'roster',
      window: 28,
      window_from: '2025-04-03',
      window_to: '2025-05-01',
      workforce: 9,
      active: 8,
      unknown_actors: 1,
      reference: { lurkers: 0.9, contributors: 0.09, creators: 0.01 },
    })
    expect(body.tiers).toEqual(window28)
    expect(body.groups).toBeUndefined()
  })

  it('takes window=90', async () => {
    const res = await asExec(url('&window=90'))
    // [31 January, 1 May): creators ann (20 March), cat, eve (2 April), jon; contributors dan,
    // kim (5 March); reactors bob, hal; lurkers fay, ivy: active 4 + 2 + 2 + 2 = 10; inactive
    // gus. Members: creators ann, cat, eve 3; 2; 2; fay 1; gus 1 (= 9).
    expect(res.json()).toMatchObject({
      window: 90,
      window_from: '2025-01-31',
      window_to: '2025-05-01',
      active: 10,
    })
    expect(res.json().tiers).toEqual([
      tier('creators', 4, 0.4, 0.01, 3, 0.3333), // 4/10; 3/9
      tier('contributors', 2, 0.2, 0.09, 2, 0.2222),
      tier('reactors', 2, 0.2, null, 2, 0.2222),
      tier('lurkers', 2, 0.2, 0.9, 1, 0.1111),
      tier('inactive', 1, null, null, 1, 0.1111),
    ])
  })

  it('answers 400 naming `window` for any other window, and only participation takes one', async () => {
    const res = await asExec(url('&window=30'))
    expect(res.statusCode).toBe(400)
    expect(res.json().field).toBe('window')
    expect(res.json().message).toMatch(/window/)
    const other = await asExec(`/v1/orgs/pv2/metrics/lifecycle?${range}&window=28`)
    expect(other.statusCode).toBe(400)
    expect(other.json().field).toBe('window')
  })

  it('gives the tiers per month, the window being the month, partial where the range cuts it', async () => {
    const { monthly } = (await asExec(url())).json()
    expect(monthly.map((m: { month: string }) => m.month)).toEqual(['2025-03-01', '2025-04-01'])
    // March, cut by the range at 10 March: ann's post (20 March), kim's view (15 March; her
    // comment of 5 March is before the range). Workforce on 31 March: all 10 (jon still there);
    // inactive 10 − 2 = 8.
    expect(monthly[0]).toEqual({
      month: '2025-03-01',
      window_from: '2025-03-10',
      window_to: '2025-04-01',
      partial: true,
      workforce: 10,
      active: 2,
      unknown_actors: 0,
      tiers: [
        tier('creators', 1, 0.5, 0.01, 1, 0.1), // 1/2; 1/10
        tier('contributors', 0, 0, 0.09, 0, 0),
        tier('reactors', 0, 0, null, 0, 0),
        tier('lurkers', 1, 0.5, 0.9, 1, 0.1),
        tier('inactive', 8, null, null, 8, 0.8),
      ],
    })
    // April, whole: creators cat, eve (2 April), jon; contributor dan; reactors bob, hal;
    // lurkers ann, fay, ivy: active 9; workforce on 30 April 9; inactive gus, kim.
    expect(monthly[1]).toEqual({
      month: '2025-04-01',
      window_from: '2025-04-01',
      window_to: '2025-05-01',
      partial: false,
      workforce: 9,
      active: 9,
      unknown_actors: 1,
      tiers: [
        tier('creators', 3, 0.3333, 0.01, 2, 0.2222), // 3/9; cat, eve 2/9
        tier('contributors', 1, 0.1111, 0.09, 1, 0.1111),
        tier('reactors', 2, 0.2222, null, 2, 0.2222),
        tier('lurkers', 3, 0.3333, 0.9, 2, 0.2222), // ann, fay members
        tier('inactive', 2, null, null, 2, 0.2222),
      ],
    })
  })

  it('cuts the window in the org time zone', async () => {
    const body = (await asExec(url('', 'pv2-utc'))).json()
    // In UTC fay's view is on 2 April, outside [3 April, 1 May): she is inactive. The other
    // events fall on the same days. Active 8 − 1 = 7; inactive eve, fay, gus, kim = 4.
    expect(body).toMatchObject({ window_from: '2025-04-03', window_to: '2025-05-01', active: 7 })
    expect(body.tiers).toEqual([
      tier('creators', 2, 0.2857, 0.01, 1, 0.1111), // 2/7
      tier('contributors', 1, 0.1429, 0.09, 1, 0.1111), // 1/7
      tier('reactors', 2, 0.2857, null, 2, 0.2222),
      tier('lurkers', 2, 0.2857, 0.9, 1, 0.1111), // ann, ivy; ann 1/9
      tier('inactive', 4, null, null, 4, 0.4444), // 4/9
    ])
  })

  it('breaks down by space: the events of each space, inactive its members with nothing there', async () => {
    const res = await get(url('&by=space'))
    const body = res.json()
    // The totals are those of the whole org.
    expect(body.tiers).toEqual(window28)
    // Spaces (jon's wiki page, ann's and kim's March events, gus's email have none).
    // alpha: people ann, bob, cat, dan, eve, ivy. In the window: cat creates, dan contributes, bob
    // reacts, ann and ivy view: active 5; eve (2 April) is its inactive member; its workforce
    // members ann, bob, cat, dan, eve = 5.
    // beta: cat (a comment: a contributor there), dan (a view), fay (3 April), hal (reacts):
    // active 4, workforce 4, none inactive.
    // tiny: kim, whose comment (5 March) is before the window: active 0, inactive 1.
    expect(body.groups).toEqual([
      {
        group: 'alpha',
        suppressed: false,
        workforce: 5,
        active: 5,
        tiers: [
          tier('creators', 1, 0.2, 0.01, 1, 0.2),
          tier('contributors', 1, 0.2, 0.09, 1, 0.2),
          tier('reactors', 1, 0.2, null, 1, 0.2),
          tier('lurkers', 2, 0.4, 0.9, 1, 0.2), // ann and ivy; ann a member
          tier('inactive', 1, null, null, 1, 0.2),
        ],
      },
      {
        group: 'beta',
        suppressed: false,
        workforce: 4,
        active: 4,
        tiers: [
          tier('creators', 0, 0, 0.01, 0, 0),
          tier('contributors', 1, 0.25, 0.09, 1, 0.25),
          tier('reactors', 1, 0.25, null, 1, 0.25),
          tier('lurkers', 2, 0.5, 0.9, 2, 0.5),
          tier('inactive', 0, null, null, 0, 0),
        ],
      },
      {
        group: 'tiny',
        suppressed: false,
        workforce: 1,
        active: 0,
        tiers: [
          tier('creators', 0, null, 0.01, 0, 0),
          tier('contributors', 0, null, 0.09, 0, 0),
          tier('reactors', 0, null, null, 0, 0),
          tier('lurkers', 0, null, 0.9, 0, 0),
          tier('inactive', 1, null, null, 1, 1),
        ],
      },
    ])
  })

  it('withholds small spaces for an exec', async () => {
    const { groups } = (await asExec(url('&by=space'))).json()
    // People who ever acted in each space: alpha 6, beta 4, tiny 1. With min_group_size 3, tiny is
    // withheld, and beta, the smallest of the others, beside it.
    expect(groups.map((g: { group: string; suppressed: boolean }) => [g.group, g.suppressed])).toEqual([
      ['alpha', false],
      ['beta', true],
      ['tiny', true],
    ])
    expect(groups[1]).toEqual({ group: 'beta', suppressed: true, workforce: null, active: null, tiers: null })
    expect(groups[0].active).toBe(5)
  })

  it('breaks down by department over the window', async () => {
    const { groups } = (await get(url('&by=department'))).json()
    // '': ivy (lurker). hr: gus inactive, hal reactor, jon creator (no member): workforce 2.
    // sales: ann lurker, bob reactor, cat creator, kim inactive: workforce 4, active 3.
    // tech: dan contributor, eve inactive, fay lurker: workforce 3, active 2.
    expect(
      groups.map((g: { group: string; workforce: number; active: number }) => [
        g.group,
        g.workforce,
        g.active,
      ]),
    ).toEqual([
      ['', 0, 1],
      ['hr', 2, 2],
      ['sales', 4, 3],
      ['tech', 3, 2],
    ])
    expect(groups[1].tiers).toEqual([
      tier('creators', 1, 0.5, 0.01, 0, 0),
      tier('contributors', 0, 0, 0.09, 0, 0),
      tier('reactors', 1, 0.5, null, 1, 0.5),
      tier('lurkers', 0, 0, 0.9, 0, 0),
      tier('inactive', 1, null, null, 1, 0.5),
    ])
    expect(groups[2].tiers).toEqual([
      tier('creators', 1, 0.3333, 0.01, 1, 0.25),
      tier('contributors', 0, 0, 0.09, 0, 0),
      tier('reactors', 1, 0.3333, null, 1, 0.25),
      tier('lurkers', 1, 0.3333, 0.9, 1, 0.25),
      tier('inactive', 1, null, null, 1, 0.25),
    ])
  })

  it('applies the feature filter to the events', async () => {
    const res = await asExec(url('&feature=wiki'))
    // Wiki events in the window: jon creates; hal reacts (and views); ann, dan, fay, ivy view.
    // Members with no wiki event there: bob, cat, eve, gus, kim = 5.
    expect(res.json().tiers.map((r: { people: number }) => r.people)).toEqual([1, 0, 1, 4, 5])
  })

  it('exports the same numbers as CSV and Arrow: the window tiers, the months, the groups', async () => {
    const csv = await asExec(url(), 'text/csv')
    expect(csv.body.trim().split('\r\n')).toEqual([
      'window_from,window_to,tier,people,share_of_active,reference,workforce_members,share_of_workforce',
      '2025-04-03,2025-05-01,creators,2,0.25,0.01,1,0.1111',
      '2025-04-03,2025-05-01,contributors,1,0.125,0.09,1,0.1111',
      '2025-04-03,2025-05-01,reactors,2,0.25,,2,0.2222',
      '2025-04-03,2025-05-01,lurkers,3,0.375,0.9,2,0.2222',
      '2025-04-03,2025-05-01,inactive,3,,,3,0.3333',
    ])
    const monthly = await asExec(url('&table=monthly'), 'text/csv')
    const lines = monthly.body.trim().split('\r\n')
    expect(lines[0]).toBe(
      'month,window_from,window_to,partial,tier,people,share_of_active,reference,workforce_members,share_of_workforce',
    )
    expect(lines).toHaveLength(1 + 2 * 5)
    expect(lines[1]).toBe('2025-03-01,2025-03-10,2025-04-01,true,creators,1,0.5,0.01,1,0.1')
    expect(lines[8]).toBe('2025-04-01,2025-04-01,2025-05-01,false,reactors,2,0.2222,,2,0.2222')

    const arrow = await asExec(url('&table=monthly'), 'application/vnd.apache.arrow.stream')
    const rows = tableFromIPC(arrow.rawPayload)
      .toArray()
      .map((r) => r.toJSON())
    const json = (await asExec(url())).json()
    expect(rows).toEqual(
      json.monthly.flatMap(
        (m: { month: string; window_from: string; window_to: string; partial: boolean; tiers: object[] }) =>
          m.tiers.map((tr) => ({
            month: m.month,
            window_from: m.window_from,
            window_to: m.window_to,
            partial: m.partial,
            ...tr,
          })),
      ),
    )

    // A withheld space keeps its name, every number empty, in every tier row.
    const groups = await asExec(url('&by=space&table=groups'), 'text/csv')
    const groupLines = groups.body.trim().split('\r\n')
    expect(groupLines[0]).toBe(
      'group,suppressed,tier,people,share_of_active,reference,workforce_members,share_of_workforce',
    )
    expect(groupLines[1]).toBe('alpha,false,creators,1,0.2,0.01,1,0.2')
    expect(groupLines[6]).toBe('beta,true,creators,,,,,')
    expect(groupLines).toHaveLength(1 + 3 * 5)
  })

  it('answers 400 naming `by` for a breakdown it does not offer', async () => {
    const res = await asExec(url('&by=feature'))
    expect(res.statusCode).toBe(400)
    expect(res.json().field).toBe('by')
  })
})
