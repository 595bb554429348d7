// features (adoption and activity per platform feature) on a hand-made organisation; every
// expected number is worked out in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents, seedRoster } from '../../helpers/seed.ts'

let t: TestApp
const get = (url: string, accept?: string) =>
  t.app.inject({ method: 'GET', url, headers: { ...auth(), ...(accept ? { accept } : {}) } })

// dirk leaves on 15 March.
const roster = `id,department,site,hired_at,left_at
amal,a,x,,
bart,a,x,,
cora,b,y,,
dirk,b,y,,2025-03-15
emma,b,y,,
`

const events: SeedEvent[] = [
  { id: 'a0', type: 'wiki.created', time: '2025-02-10T09:00:00Z', actor: 'amal' }, // before the range
  { id: 'a1', type: 'session.started', time: '2025-03-03T07:00:00Z', actor: 'amal' },
  { id: 'a2', type: 'content.viewed', feature: 'wiki', time: '2025-03-04T09:00:00Z', actor: 'amal' },
  { id: 'a3', type: 'email.sent', count: 20, time: '2025-03-05T18:00:00Z', actor: 'amal' }, // not a feature
  { id: 'b1', type: 'content.viewed', feature: 'wiki', time: '2025-03-05T09:00:00Z', actor: 'bart' },
  { id: 'b1', type: 'content.viewed', feature: 'wiki', time: '2025-03-05T09:00:00Z', actor: 'bart' }, // duplicate
  { id: 'b2', type: 'group.left', time: '2025-03-07T09:00:00Z', actor: 'bart' }, // level none
  // 23:30 in Paris on Sunday 23 March: the last day of the week of 17 March.
  { id: 'b3', type: 'reaction.added', feature: 'wiki', time: '2025-03-23T22:30:00Z', actor: 'bart' },
  // 31 March 00:30 in Paris (summer time began that night), 30 March in UTC.
  { id: 'c1', type: 'file.uploaded', time: '2025-03-30T22:30:00Z', actor: 'cora' },
  { id: 'd1', type: 'message.sent', count: 3, time: '2025-03-04T09:00:00Z', actor: 'dirk' }, // leaver
  { id: 'e1', type: 'content.viewed', feature: 'files', time: '2025-04-02T09:00:00Z', actor: 'emma' },
  { id: 'o1', type: 'question.asked', time: '2025-03-12T09:00:00Z', actor: 'olga' }, // not on the roster
  { id: 'a4', type: 'article.published', time: '2025-04-20T09:00:00Z', actor: 'amal' }, // after the range
]

beforeAll(async () => {
  t = await startTestApp()
  const client = t.runtime.store.client
  for (const org of ['delta', 'delta-utc']) {
    await seedRoster(client, org, roster)
    await seedEvents(client, org, events)
  }
  const put = await t.app.inject({
    method: 'PUT',
    url: '/v1/orgs/delta/settings',
    headers: auth(),
    payload: { time_zone: 'Europe/Paris' },
  })
  expect(put.statusCode).toBe(200)
})
afterAll(() => t?.close())

// Five weeks, 3 March – 6 April; the last 28 days are 10 March – 6 April.
const range = 'from=2025-03-03&to=2025-04-07&interval=week'
const row = (
  feature: string,
  adopters: number,
  rate: number,
  active: number,
  active28: number,
  events: number,
  firstUse: string | null,
) => ({
  feature,
  // Sessions and searches are navigation, shown apart from the features.
  navigation: feature === 'platform',
  adopters,
  adoption_rate: rate,
  active,
  active_28d: active28,
  events,
  first_use: firstUse,
})

describe('GET /metrics/features', () => {
  it('gives adoption and activity per platform feature', async () => {
    const res = await get(`/v1/orgs/delta/metrics/features?${range}`)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    // Workforce on 6 April: amal, bart, cora, emma = 4 (dirk left 15 March).
    expect(body.workforce).toBe(4)
    expect(body.workforce_source).toBe('roster')
    expect(body.features).toEqual([
      // amal's session on 3 March (before the last 28 days); a view adopts nobody.
      row('platform', 0, 0, 1, 0, 1, '2025-03-03'),
      // bart only left a group: level none is no use of the feature.
      row('groups', 0, 0, 0, 0, 0, null),
      // amal's article of 20 April is after the range: as of 6 April nobody has used articles.
      row('articles', 0, 0, 0, 0, 0, null),
      // Adopters: amal (created a page on 10 Feb), bart (reaction 23 March) = 2/4. In the range:
      // amal's view, bart's view (sent twice, once) and reaction = 3 events by 2 people; since
      // 10 March only bart.
      row('wiki', 2, 0.5, 2, 1, 3, '2025-02-10'),
      // cora uploads on 31 March (Paris), emma views on 2 April: both in the last 28 days; cora adopts.
      row('files', 1, 0.25, 2, 2, 2, '2025-03-31'),
      row('bookmarks', 0, 0, 0, 0, 0, null),
      row('events', 0, 0, 0, 0, 0, null),
      // olga is active but not on the roster: never an adopter.
      row('qa', 0, 0, 1, 1, 1, '2025-03-12'),
      // dirk's 3 messages (count 3) on 4 March; he left before the range end: no adopter.
      row('messaging', 0, 0, 1, 0, 3, '2025-03-04'),
    ])
  })

  it('gives active people per week and feature', async () => {
    const res = await get(`/v1/orgs/delta/metrics/features?${range}`)
    const series = res.json().series as { period: string; feature: string; active: number }[]
    expect(series).toHaveLength(5 * 9) // every week × every platform feature
    expect(series.slice(0, 9).map((s) => s.feature)).toEqual([
      'platform',
      'groups',
      'articles',
      'wiki',
      'files',
      'bookmarks',
      'events',
      'qa',
      'messaging',
    ])
    expect(series.filter((s) => s.active > 0)).toEqual([
      { period: '2025-03-03', feature: 'platform', active: 1 }, // amal
      { period: '2025-03-03', feature: 'wiki', active: 2 }, // amal, bart
      { period: '2025-03-03', feature: 'messaging', active: 1 }, // dirk
      { period: '2025-03-10', feature: 'qa', active: 1 }, // olga
      { period: '2025-03-17', feature: 'wiki', active: 1 }, // bart, Sunday 23 March
      { period: '2025-03-31', feature: 'files', active: 2 }, // cora (31 March in Paris), emma
    ])
  })

  it('cuts days in the org time zone', async () => {
    const res = await get(`/v1/orgs/delta-utc/metrics/features?${range}`)
    const body = res.json()
    // In UTC cora's upload is on 30 March, in the week of 24 March.
    expect(body.features.find((f: { feature: string }) => f.feature === 'files').first_use).toBe('2025-03-30')
    expect(
      body.series.filter((s: { feature: string; active: number }) => s.feature === 'files' && s.active > 0),
    ).toEqual([
      { period: '2025-03-24', feature: 'files', active: 1 },
      { period: '2025-03-31', feature: 'files', active: 1 },
    ])
  })

  it('narrows to one feature, and refuses email, which is no platform feature', async () => {
    const wiki = await get(`/v1/orgs/delta/metrics/features?${range}&feature=wiki`)
    expect(wiki.json().features).toEqual([row('wiki', 2, 0.5, 2, 1, 3, '2025-02-10')])
    expect(wiki.json().series).toHaveLength(5)
    const email = await get(`/v1/orgs/delta/metrics/features?${range}&feature=email`)
    expect(email.statusCode).toBe(400)
    expect(email.json().field).toBe('feature')
  })

  it('exports the features table as CSV', async () => {
    const res = await get(`/v1/orgs/delta/metrics/features?${range}`, 'text/csv')
    const lines = res.body.trim().split('\r\n')
    expect(lines[0]).toBe('feature,navigation,adopters,adoption_rate,active,active_28d,events,first_use')
    expect(lines[4]).toBe('wiki,false,2,0.5,2,1,3,2025-02-10')
    expect(lines[2]).toBe('groups,false,0,0,0,0,0,')
    expect(lines[1]).toBe('platform,true,0,0,1,0,1,2025-03-03')
  })

  it('answers 400 naming `by`: features are already the breakdown', async () => {
    const res = await get(`/v1/orgs/delta/metrics/features?${range}&by=department`)
    expect(res.statusCode).toBe(400)
    expect(res.json().field).toBe('by')
  })
})
