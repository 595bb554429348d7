// adoption on a hand-made organisation; every expected number is worked out in the comments.
import { tableFromIPC } from 'apache-arrow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fitBass } from '../../../analytics/bass.ts'
import { auth, createToken, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents, seedRoster } from '../../helpers/seed.ts'

let t: TestApp
// Reads as an exec: small groups are withheld for every role but admin.
let reader = ''
const get = (url: string, accept?: string) =>
  t.app.inject({ method: 'GET', url, headers: { ...auth(reader), ...(accept ? { accept } : {}) } })

// Twelve people on the roster; gus leaves on 20 March, ivan is hired on 12 March.
const roster = `id,department,site,hired_at,left_at
ana,sales,paris,,
ben,sales,lyon,,
cleo,tech,paris,,
dan,tech,lyon,,
eva,sales,paris,,
finn,tech,paris,,
gus,sales,lyon,,2025-03-20
hana,tech,lyon,,
ivan,sales,paris,2025-03-12,
jade,tech,paris,,
kim,hr,paris,,
leo,hr,lyon,,
`

// Paris is UTC+1 until 30 March 01:00 UTC, UTC+2 after. Local days are noted where they matter.
const events: SeedEvent[] = [
  { id: 'a1', type: 'post.created', time: '2025-02-20T09:00:00Z', actor: 'ana' }, // adopts before the range
  { id: 'a2', type: 'content.viewed', feature: 'wiki', time: '2025-03-04T08:00:00Z', actor: 'ana' },
  { id: 'b1', type: 'reaction.added', feature: 'groups', time: '2025-03-04T10:00:00Z', actor: 'ben' },
  // 23:30 in Paris on Sunday 9 March: the last day of the week of 3 March.
  { id: 'c1', type: 'comment.created', feature: 'groups', time: '2025-03-09T22:30:00Z', actor: 'cleo' },
  { id: 'd1', type: 'content.viewed', feature: 'wiki', time: '2025-03-05T09:00:00Z', actor: 'dan' },
  { id: 'd2', type: 'reaction.added', feature: 'wiki', time: '2025-03-12T08:00:00Z', actor: 'dan' },
  { id: 'd2', type: 'reaction.added', feature: 'wiki', time: '2025-03-12T08:00:00Z', actor: 'dan' }, // duplicate
  { id: 'e1', type: 'post.created', time: '2025-03-18T09:00:00Z', actor: 'eva' },
  { id: 'f1', type: 'reaction.added', feature: 'groups', time: '2025-03-20T10:00:00Z', actor: 'finn' },
  { id: 'g1', type: 'reaction.added', feature: 'groups', time: '2025-03-11T10:00:00Z', actor: 'gus' }, // leaver
  { id: 'h1', type: 'content.viewed', feature: 'wiki', time: '2025-03-06T09:00:00Z', actor: 'hana' }, // views only
  { id: 'h2', type: 'content.viewed', feature: 'wiki', time: '2025-03-25T09:00:00Z', actor: 'hana' },
  { id: 'i1', type: 'reaction.added', feature: 'groups', time: '2025-03-13T09:00:00Z', actor: 'ivan' },
  // 22:00 in Paris on Sunday 6 April: the last day of the range and of the week of 31 March.
  { id: 'j1', type: 'reaction.added', feature: 'groups', time: '2025-04-06T20:00:00Z', actor: 'jade' },
  // 30 March 22:30 UTC is 31 March 00:30 in Paris (summer time started that night).
  { id: 'k1', type: 'message.sent', time: '2025-03-30T22:30:00Z', actor: 'kim' },
  { id: 'l1', type: 'reaction.added', feature: 'files', time: '2025-03-26T09:00:00Z', actor: 'leo' },
  { id: 'z1', type: 'post.created', time: '2025-03-05T09:00:00Z', actor: 'zed' }, // not on the roster
]

beforeAll(async () => {
  t = await startTestApp()
  reader = await createToken(t, 'exec')
  const client = t.runtime.store.client
  for (const org of ['acme', 'acme-utc']) {
    await seedRoster(client, org, roster)
    await seedEvents(client, org, events)
  }
  const put = await t.app.inject({
    method: 'PUT',
    url: '/v1/orgs/acme/settings',
    headers: auth(),
    payload: { time_zone: 'Europe/Paris', min_group_size: 3 },
  })
  expect(put.statusCode).toBe(200)
  // No roster: the workforce is the actors seen so far.
  await seedEvents(client, 'solo', [
    { id: 's1', type: 'post.created', time: '2025-03-03T09:00:00Z', actor: 'p1' },
    { id: 's2', type: 'search.performed', time: '2025-03-05T09:00:00Z', actor: 'p2' },
    { id: 's3', type: 'message.sent', time: '2025-03-20T09:00:00Z', actor: 'p3' },
  ])
})
afterAll(() => t?.close())

const range = 'from=2025-03-03&to=2025-04-07'

describe('GET /metrics/adoption', () => {
  it('gives workforce, adopters, rate and segments as of the range end', async () => {
    const res = await get(`/v1/orgs/acme/metrics/adoption?${range}&interval=week`)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    // As of 6 April: 12 on the roster − gus (left 20 March) = 11. Adopters: everyone but hana
    // (views only) = 10; gus adopted but left; zed is not on the roster and is never an adopter.
    expect(body).toMatchObject({
      org: 'acme',
      workforce_source: 'roster',
      workforce: 11,
      adopters: 10,
      rate: 0.9091, // 10/11
      unknown_actors: 1, // zed, active on 5 March
    })
    // Rank by adoption time among the 11: ana 1, ben 2, cleo 3, dan 4, ivan 5, eva 6, finn 7,
    // leo 8, kim 9, jade 10; x = r/11. Innovators need r ≤ 0.025·11 = 0.275: none.
    // Early adopters r ≤ 1.76: ana. Early majority r ≤ 5.5: ben, cleo, dan, ivan.
    // Late majority r ≤ 9.24: eva, finn, leo, kim. Laggards: jade (10/11 = 0.91). Non-adopters: hana.
    expect(body.segments).toEqual([
      { segment: 'innovators', people: 0 },
      { segment: 'early_adopters', people: 1 },
      { segment: 'early_majority', people: 4 },
      { segment: 'late_majority', people: 4 },
      { segment: 'laggards', people: 1 },
      { segment: 'non_adopters', people: 1 },
    ])
    expect(body.groups).toBeUndefined()
  })

  it('gives the curve per week as of each week, in the org time zone', async () => {
    const res = await get(`/v1/orgs/acme/metrics/adoption?${range}&interval=week`)
    expect(res.json().curve).toEqual([
      // As of Sun 9 March: 11 (ivan not hired yet); adopters ana, ben, cleo (23:30 on the 9th).
      { period: '2025-03-03', new_adopters: 2, adopters: 3, workforce: 11, rate: 0.2727 }, // 3/11
      // As of 16 March: 12 (ivan in, gus not gone); + gus, dan, ivan (hired 12, adopted 13 March).
      { period: '2025-03-10', new_adopters: 3, adopters: 6, workforce: 12, rate: 0.5 }, // 6/12
      // As of 23 March: gus has left → 11; + eva, finn; gus no longer counts: 6 − 1 + 2 = 7.
      { period: '2025-03-17', new_adopters: 2, adopters: 7, workforce: 11, rate: 0.6364 }, // 7/11
      // + leo (26 March); kim's 30 March 22:30 UTC is already 31 March in Paris.
      { period: '2025-03-24', new_adopters: 1, adopters: 8, workforce: 11, rate: 0.7273 }, // 8/11
      // + kim (31 March) and jade (6 April, 22:00 local, the last day).
      { period: '2025-03-31', new_adopters: 2, adopters: 10, workforce: 11, rate: 0.9091 }, // 10/11
    ])
  })

  it('cuts the same events in UTC for an org without a time zone', async () => {
    const res = await get(`/v1/orgs/acme-utc/metrics/adoption?${range}&interval=week`)
    // In UTC kim adopts on 30 March, in the week of 24 March.
    expect(res.json().curve.slice(3)).toEqual([
      { period: '2025-03-24', new_adopters: 2, adopters: 9, workforce: 11, rate: 0.8182 }, // 9/11
      { period: '2025-03-31', new_adopters: 1, adopters: 10, workforce: 11, rate: 0.9091 },
    ])
  })

  it('labels months by their first day and clips them to the range', async () => {
    const res = await get(`/v1/orgs/acme/metrics/adoption?${range}&interval=month`)
    expect(res.json().curve).toEqual([
      // As of 31 March: 11; adopters all but hana and jade = 9; new in 3–31 March: ben, cleo,
      // dan, ivan, eva, finn, leo, kim = 8 (gus adopted in March but left; ana in February).
      { period: '2025-03-01', new_adopters: 8, adopters: 9, workforce: 11, rate: 0.8182 },
      { period: '2025-04-01', new_adopters: 1, adopters: 10, workforce: 11, rate: 0.9091 }, // jade
    ])
  })

  it('fits Bass on the weekly new adopters since the first engaged event', async () => {
    const res = await get(`/v1/orgs/acme/metrics/adoption?${range}&interval=week`)
    const bass = res.json().bass
    // Week 0 = Monday 17 Feb (ana, 20 Feb). Complete weeks up to Sun 6 April: 49 days = 7 weeks.
    // New adopters per week among the 11 members on 6 April (gus excluded):
    // 17 Feb ana 1 | 24 Feb 0 | 3 Mar ben, cleo 2 | 10 Mar dan, ivan 2 | 17 Mar eva, finn 2 |
    // 24 Mar leo 1 | 31 Mar kim, jade 2.
    expect(bass).toMatchObject({ start: '2025-02-17', weeks: 7 })
    const fit = fitBass([1, 0, 2, 2, 2, 1, 2], 11)
    if (!fit.ok) {
      expect(bass).toMatchObject({ p: null, q: null, m: null, r2: null, reason: fit.reason })
      return
    }
    expect(bass.reason).toBeNull()
    expect(bass.p).toBeCloseTo(fit.p, 3)
    expect(bass.q).toBeCloseTo(fit.q, 2)
    expect(bass.m).toBeCloseTo(fit.m, 3)
    expect(bass.r2).toBeCloseTo(fit.r2, 3)
    // The forecast day holds the instant m·F(t) = share, counted in days from week 0.
    const dayReaching = (share: number) => {
      if (fit.m <= share) return null
      const f = share / fit.m
      const weeks = -Math.log((1 - f) / (1 + (f * fit.q) / fit.p)) / (fit.p + fit.q)
      return new Date(Date.parse('2025-02-17T00:00:00Z') + Math.floor(7 * weeks) * 86_400_000)
        .toISOString()
        .slice(0, 10)
    }
    expect(bass.forecast).toEqual({ rate_50: dayReaching(0.5), rate_80: dayReaching(0.8) })
  })

  it('refuses a Bass fit on fewer than 5 weeks', async () => {
    const res = await get('/v1/orgs/acme/metrics/adoption?from=2025-03-03&to=2025-03-17')
    // From Monday 17 Feb to Sunday 16 March: 4 complete weeks.
    expect(res.json().bass).toEqual({
      p: null,
      q: null,
      m: null,
      r2: null,
      peak_week: null,
      forecast: { rate_50: null, rate_80: null },
      reason: 'fewer than 5 weeks of adoption data (4 complete weeks)',
      start: '2025-02-17',
      weeks: 4,
    })
  })

  it('breaks down by site, ranking inside each group', async () => {
    // The admin sees every group (an exec gets lyon withheld: see below).
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/orgs/acme/metrics/adoption?${range}&by=site`,
      headers: auth(),
    })
    const groups = res.json().groups
    expect(groups.map((g: { group: string }) => g.group)).toEqual(['lyon', 'paris'])
    // Lyon on 6 April: ben, dan, hana, leo (gus left) = 4. Ranks: ben 1 (0.25), dan 2 (0.5, on
    // the cut: still early majority), leo 3 (0.75); hana never adopted.
    expect(groups[0]).toMatchObject({ suppressed: false, workforce: 4, adopters: 3, rate: 0.75 })
    expect(groups[0].segments.map((s: { people: number }) => s.people)).toEqual([0, 0, 2, 1, 0, 1])
    // Paris: ana, cleo, eva, finn, ivan, jade, kim = 7, all adopted. Ranks: ana 1/7 = 0.14 early
    // adopter; cleo 0.29, ivan 0.43 early majority; eva 0.57, finn 0.71 late majority;
    // kim 0.86, jade 1.0 laggards.
    expect(groups[1]).toMatchObject({ suppressed: false, workforce: 7, adopters: 7, rate: 1 })
    expect(groups[1].segments.map((s: { people: number }) => s.people)).toEqual([0, 1, 2, 2, 2, 0])
    // Lyon's weeks: as of 9 March ben; 16 March + dan, gus (gus still in: 5 people);
    // 23 March gus gone (4); 30 March + leo.
    expect(groups[0].curve).toEqual([
      { period: '2025-03-03', new_adopters: 1, adopters: 1, workforce: 5, rate: 0.2 },
      { period: '2025-03-10', new_adopters: 2, adopters: 3, workforce: 5, rate: 0.6 },
      { period: '2025-03-17', new_adopters: 0, adopters: 2, workforce: 4, rate: 0.5 },
      { period: '2025-03-24', new_adopters: 1, adopters: 3, workforce: 4, rate: 0.75 },
      { period: '2025-03-31', new_adopters: 0, adopters: 3, workforce: 4, rate: 0.75 },
    ])
  })

  it('withholds the groups the org grid withholds', async () => {
    // The grid is decided on the current roster's workforce today (2026-12; gus left, ivan hired
    // in 2025), min_group_size 3: sales-paris ana, eva, ivan = 3; sales-lyon ben = 1;
    // tech-paris cleo, finn, jade = 3; tech-lyon dan, hana = 2; hr-paris kim = 1; hr-lyon leo = 1;
    // zed is the one actor off the roster. Rows: sales 4, tech 5, hr 2; columns: paris 7, lyon 4.
    // First without zed (the workforce and adopters leave him out): cells < 3 withheld, hr too.
    // Row sales holds a withheld cell of 1 and row tech one of 2 (< 3): sales-paris and
    // tech-paris go too; every cell is withheld. Then hr = total − sales − tech: the smallest
    // published row or column that breaks it is sales (4, before lyon by name), withheld. The
    // total, tech, paris and lyon then isolate no cell, hr or sales (the total is paris + lyon,
    // and tech alone cannot tell paris cells from lyon ones).
    // Then with zed's cell ('', ''): total − paris − lyon = zed, so lyon (4) goes too.
    // So by department hr, sales and '' are withheld and tech is published; by site lyon is
    // withheld and paris published.
    const res = await get(`/v1/orgs/acme/metrics/adoption?${range}&by=department`)
    const groups = res.json().groups
    expect(groups.map((g: { group: string; suppressed: boolean }) => [g.group, g.suppressed])).toEqual([
      ['hr', true],
      ['sales', true],
      ['tech', false],
    ])
    for (const withheld of groups.slice(0, 2)) {
      expect(withheld).toEqual({
        group: withheld.group,
        suppressed: true,
        workforce: null,
        adopters: null,
        rate: null,
        segments: null,
        curve: null,
      })
    }
    // Tech: cleo 1/5 = 0.2 and dan 0.4 early majority, finn 0.6 and jade 0.8 late majority, hana none.
    expect(groups[2]).toMatchObject({ workforce: 5, adopters: 4, rate: 0.8 })
    expect(groups[2].segments.map((s: { people: number }) => s.people)).toEqual([0, 0, 2, 2, 0, 1])
    // The admin sees sales: on 6 April ana, ben, eva, ivan = 4 (gus left), all adopted. Ranks:
    // ana 1/4 = 0.25 and ben 0.5 early majority, ivan 0.75 late majority, eva 1.0 laggard.
    const admin = await t.app.inject({
      method: 'GET',
      url: `/v1/orgs/acme/metrics/adoption?${range}&by=department`,
      headers: auth(),
    })
    const sales = admin.json().groups.find((g: { group: string }) => g.group === 'sales')
    expect(sales).toMatchObject({ suppressed: false, workforce: 4, adopters: 4, rate: 1 })
    expect(sales.segments.map((s: { people: number }) => s.people)).toEqual([0, 0, 2, 1, 1, 0])

    const sites = (await get(`/v1/orgs/acme/metrics/adoption?${range}&by=site`)).json().groups
    expect(sites.map((g: { group: string; suppressed: boolean }) => [g.group, g.suppressed])).toEqual([
      ['lyon', true],
      ['paris', false],
    ])
    expect(sites[0]).toEqual({
      group: 'lyon',
      suppressed: true,
      workforce: null,
      adopters: null,
      rate: null,
      segments: null,
      curve: null,
    })
    expect(sites[1]).toMatchObject({ workforce: 7, adopters: 7, rate: 1 })
  })

  it('applies the department and feature filters', async () => {
    const tech = (await get(`/v1/orgs/acme/metrics/adoption?${range}&department=tech`)).json()
    expect(tech).toMatchObject({ workforce: 5, adopters: 4, rate: 0.8, unknown_actors: 0 })
    // Only wiki events count: dan's reaction (12 March) is the only engaged wiki event; he ranks
    // 1 of 11: 0.09 → early adopter.
    const wiki = (await get(`/v1/orgs/acme/metrics/adoption?${range}&feature=wiki`)).json()
    expect(wiki).toMatchObject({ workforce: 11, adopters: 1, rate: 0.0909 })
    expect(wiki.segments.map((s: { people: number }) => s.people)).toEqual([0, 1, 0, 0, 0, 10])
  })

  it('uses the actors seen so far as the workforce without a roster', async () => {
    const res = await get('/v1/orgs/solo/metrics/adoption?from=2025-03-03&to=2025-03-24')
    const body = res.json()
    expect(body).toMatchObject({ workforce_source: 'actors', workforce: 3, adopters: 2, unknown_actors: 0 })
    expect(body.curve).toEqual([
      { period: '2025-03-03', new_adopters: 1, adopters: 1, workforce: 2, rate: 0.5 }, // p1 adopts, p2 views
      { period: '2025-03-10', new_adopters: 0, adopters: 1, workforce: 2, rate: 0.5 },
      { period: '2025-03-17', new_adopters: 1, adopters: 2, workforce: 3, rate: 0.6667 }, // p3 on 20 March
    ])
    // p1 1/3 = 0.33 early majority, p3 2/3 = 0.67 late majority, p2 non-adopter.
    expect(body.segments.map((s: { people: number }) => s.people)).toEqual([0, 0, 1, 1, 0, 1])
  })

  it('carries the same curve as JSON, CSV and Arrow', async () => {
    const url = `/v1/orgs/acme/metrics/adoption?${range}&interval=week`
    const json = (await get(url)).json().curve
    const csv = await get(url, 'text/csv')
    expect(csv.headers['content-type']).toMatch(/^text\/csv/)
    const [header, ...lines] = csv.body.trim().split('\r\n')
    expect(header).toBe('period,new_adopters,adopters,workforce,rate')
    expect(lines.map((l) => l.split(','))).toEqual(
      json.map((r: Record<string, unknown>) =>
        [r.period, r.new_adopters, r.adopters, r.workforce, r.rate].map(String),
      ),
    )
    const arrow = await get(url, 'application/vnd.apache.arrow.stream')
    expect(
      tableFromIPC(arrow.rawPayload)
        .toArray()
        .map((r) => r.toJSON()),
    ).toEqual(json)
    const segments = await get(`${url}&table=segments`, 'text/csv')
    expect(segments.body.trim().split('\r\n')[2]).toBe('early_adopters,1')
  })

  it('answers 400 naming `by` for a breakdown it does not offer', async () => {
    const res = await get(`/v1/orgs/acme/metrics/adoption?${range}&by=feature`)
    expect(res.statusCode).toBe(400)
    expect(res.json().field).toBe('by')
  })
})
