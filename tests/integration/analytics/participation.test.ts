// participation tiers on a hand-made organisation; expectations worked out by hand in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, createToken, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents, seedRoster } from '../../helpers/seed.ts'

let t: TestApp
// Reads as an exec: small groups are withheld for every role but admin.
let reader = ''
const get = (url: string, accept?: string) =>
  t.app.inject({ method: 'GET', url, headers: { ...auth(reader), ...(accept ? { accept } : {}) } })

// gin leaves on 5 April; kai is hired after the range.
const roster = `id,department,site,hired_at,left_at
ann,sales,paris,,
bea,sales,paris,,
cal,sales,lyon,,
deb,tech,lyon,,
eve,tech,paris,,
fox,tech,paris,,
gin,tech,lyon,,2025-04-05
hob,sales,lyon,,
ivy,hr,paris,,
jon,hr,lyon,,
kai,hr,paris,2025-04-20,
`

// The range is 31 March – 13 April (to = 14 April), in Paris time.
const events: SeedEvent[] = [
  { id: 'a1', type: 'post.created', time: '2025-04-01T09:00:00Z', actor: 'ann' },
  { id: 'a2', type: 'content.viewed', feature: 'groups', time: '2025-04-02T09:00:00Z', actor: 'ann' },
  { id: 'b1', type: 'comment.created', feature: 'groups', time: '2025-04-03T09:00:00Z', actor: 'bea' },
  { id: 'c1', type: 'reaction.added', feature: 'groups', time: '2025-04-04T09:00:00Z', actor: 'cal' },
  { id: 'd1', type: 'content.viewed', feature: 'wiki', time: '2025-04-07T09:00:00Z', actor: 'deb' },
  { id: 'd1', type: 'content.viewed', feature: 'wiki', time: '2025-04-07T09:00:00Z', actor: 'deb' }, // duplicate
  // 31 March 00:30 in Paris (summer time began that night), still 30 March in UTC.
  { id: 'e1', type: 'content.viewed', feature: 'wiki', time: '2025-03-30T22:30:00Z', actor: 'eve' },
  { id: 'f1', type: 'group.left', time: '2025-04-08T09:00:00Z', actor: 'fox' }, // level none: not active
  { id: 'g1', type: 'wiki.created', time: '2025-04-02T09:00:00Z', actor: 'gin' }, // before leaving
  { id: 'h1', type: 'post.created', time: '2025-03-20T09:00:00Z', actor: 'hob' }, // before the range
  { id: 'i1', type: 'reaction.added', feature: 'wiki', time: '2025-04-09T09:00:00Z', actor: 'ivy' },
  { id: 'i2', type: 'content.viewed', feature: 'wiki', time: '2025-04-09T10:00:00Z', actor: 'ivy' },
  { id: 'j1', type: 'search.performed', time: '2025-04-10T09:00:00Z', actor: 'jon' },
  // 14 April 00:30 in Paris: after the range (13 April 22:30 UTC).
  { id: 'j2', type: 'post.created', time: '2025-04-13T22:30:00Z', actor: 'jon' },
  { id: 'z1', type: 'post.created', time: '2025-04-02T09:00:00Z', actor: 'zoe' }, // not on the roster
  { id: 'x1', type: 'content.viewed', feature: 'wiki', time: '2025-04-03T09:00:00Z', actor: 'xan' }, // idem
]

beforeAll(async () => {
  t = await startTestApp()
  reader = await createToken(t, 'exec')
  const client = t.runtime.store.client
  for (const org of ['gamma', 'gamma-utc']) {
    await seedRoster(client, org, roster)
    await seedEvents(client, org, events)
  }
  const put = await t.app.inject({
    method: 'PUT',
    url: '/v1/orgs/gamma/settings',
    headers: auth(),
    payload: { time_zone: 'Europe/Paris', min_group_size: 3 },
  })
  expect(put.statusCode).toBe(200)
})
afterAll(() => t?.close())

const range = 'from=2025-03-31&to=2025-04-14'
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

describe('GET /metrics/participation', () => {
  it('sorts the active people into tiers beside 90-9-1', async () => {
    const res = await get(`/v1/orgs/gamma/metrics/participation?${range}`)
    expect(res.statusCode).toBe(200)
    // Workforce on 13 April: ann, bea, cal, deb, eve, fox, hob, ivy, jon = 9 (gin left 5 April,
    // kai hired 20 April). Active in the range: creators ann, gin (before leaving), zoe (not on
    // the roster); contributors bea (comment), cal and ivy (reactions); lurkers deb, eve (31 March
    // in Paris), jon (his post is on 14 April in Paris), xan. Inactive members: fox (only left a
    // group), hob (posted before the range). Active = 3 + 3 + 4 = 10.
    // Of the workforce: creators ann 1, contributors 3, lurkers deb, eve, jon 3, inactive 2 (= 9).
    expect(res.json()).toEqual({
      workforce_source: 'roster',
      workforce: 9,
      active: 10,
      unknown_actors: 2,
      tiers: [
        tier('creators', 3, 0.3, 0.01, 1, 0.1111), // 3/10; 1/9
        tier('contributors', 3, 0.3, 0.09, 3, 0.3333), // 3/10; 3/9
        tier('lurkers', 4, 0.4, 0.9, 3, 0.3333), // 4/10; 3/9
        tier('inactive', 2, null, null, 2, 0.2222), // 2/9
      ],
      reference: { lurkers: 0.9, contributors: 0.09, creators: 0.01 },
    })
  })

  it('cuts the range in the org time zone', async () => {
    const res = await get(`/v1/orgs/gamma-utc/metrics/participation?${range}`)
    // In UTC eve's view is on 30 March, before the range: she is inactive; jon's post on
    // 13 April 22:30 UTC is inside it: he becomes a creator.
    expect(res.json().tiers).toEqual([
      tier('creators', 4, 0.4444, 0.01, 2, 0.2222), // ann, gin, zoe, jon: 4/9 active; ann, jon of 9
      tier('contributors', 3, 0.3333, 0.09, 3, 0.3333), // 3/9
      tier('lurkers', 2, 0.2222, 0.9, 1, 0.1111), // deb, xan: 2/9; deb 1/9
      tier('inactive', 3, null, null, 3, 0.3333), // eve, fox, hob
    ])
  })

  it('breaks down by department and withholds small groups', async () => {
    const res = await get(`/v1/orgs/gamma/metrics/participation?${range}&by=department`)
    // The groups follow the org grid, decided on the current roster's workforce today (2026-12:
    // gin left, kai hired, both in 2025), min_group_size 3: sales-paris ann, bea = 2; sales-lyon
    // cal, hob = 2; tech-paris eve, fox = 2; tech-lyon deb = 1; hr-paris ivy, kai = 2; hr-lyon
    // jon = 1; ('', '') zoe, xan, the actors off the roster = 2. Every cell is under 3: all
    // withheld. Rows: sales 4, tech 3, hr 3, '' 2 (withheld); columns: paris 6, lyon 4, '' 2
    // (withheld). Then ('', '') = total − sales − tech − hr = total − paris − lyon: one department
    // and one site must go. The smallest published row or column, hr (3, before tech by name), is
    // withheld first (no single move breaks both sums), then lyon, the smallest that does.
    // The total, sales, tech and paris give hr-lyon and ('', '') the same coefficient (the
    // total's): nothing more is exposed. By department: '' and hr withheld, sales and tech published.
    const groups = res.json().groups
    expect(groups.map((g: { group: string; suppressed: boolean }) => [g.group, g.suppressed])).toEqual([
      ['', true],
      ['hr', true],
      ['sales', false],
      ['tech', false],
    ])
    expect(groups[0]).toEqual({ group: '', suppressed: true, workforce: null, active: null, tiers: null })
    // sales: 4 members; ann creates, bea and cal contribute, hob is inactive; active 3.
    expect(groups[2]).toEqual({
      group: 'sales',
      suppressed: false,
      workforce: 4,
      active: 3,
      tiers: [
        tier('creators', 1, 0.3333, 0.01, 1, 0.25),
        tier('contributors', 2, 0.6667, 0.09, 2, 0.5),
        tier('lurkers', 0, 0, 0.9, 0, 0),
        tier('inactive', 1, null, null, 1, 0.25),
      ],
    })
    // tech: 3 members; gin creates (no longer a member), deb and eve lurk, fox inactive.
    expect(groups[3].tiers).toEqual([
      tier('creators', 1, 0.3333, 0.01, 0, 0),
      tier('contributors', 0, 0, 0.09, 0, 0),
      tier('lurkers', 2, 0.6667, 0.9, 2, 0.6667),
      tier('inactive', 1, null, null, 1, 0.3333),
    ])
  })

  it('applies the feature filter to the events', async () => {
    const res = await get(`/v1/orgs/gamma/metrics/participation?${range}&feature=wiki`)
    // Wiki events in the range: gin creates; ivy reacts; deb, eve, xan view. The other 6 members
    // (ann, bea, cal, fox, hob, jon) did nothing on the wiki.
    expect(res.json().tiers.map((r: { people: number }) => r.people)).toEqual([1, 1, 3, 6])
  })

  it('exports the tiers as CSV', async () => {
    const res = await get(`/v1/orgs/gamma/metrics/participation?${range}`, 'text/csv')
    expect(res.body.trim().split('\r\n')).toEqual([
      'tier,people,share_of_active,reference,workforce_members,share_of_workforce',
      'creators,3,0.3,0.01,1,0.1111',
      'contributors,3,0.3,0.09,3,0.3333',
      'lurkers,4,0.4,0.9,3,0.3333',
      'inactive,2,,,2,0.2222',
    ])
  })

  it('answers 400 naming `by` for a breakdown it does not offer', async () => {
    const res = await get(`/v1/orgs/gamma/metrics/participation?${range}&by=space`)
    expect(res.statusCode).toBe(400)
    expect(res.json().field).toBe('by')
  })
})
