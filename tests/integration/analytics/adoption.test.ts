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

/** A whole period of the curve (launch_cohort_rate added where the test says it). */
const week = (period: string, newAdopters: number, adopters: number, workforce: number, rate: number) => ({
  period,
  partial: false,
  new_adopters: newAdopters,
  adopters,
  workforce,
  rate,
})

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
      launch: { day: '2025-02-20', source: 'first_engaged_event' },
      // Launch cohort still in the workforce: the 10 but ivan; adopters all but hana = 9.
      launch_cohort: { size: 11, workforce: 10, adopters: 9, rate: 0.9 },
      hires: { workforce: 1, adopters: 1, rate: 1, median_days_to_adopt: 1 },
      hires_by_month: [{ month: '2025-03-01', hires: 1, adopters: 1, median_days_to_adopt: 1 }],
    })
    // Launch: 20 February (ana's post, the first engaged event). The launch cohort is the 11 on
    // the roster then (gus, who left later, stays in L = 11; ivan, hired 12 March, is a hire).
    // Ranks by adoption time: ana 1, ben 2, cleo 3, gus 4, dan 5, eva 6, finn 7, leo 8, kim 9,
    // jade 10; x = r/11. Innovators r ≤ 0.275: none. Early adopters r ≤ 1.76: ana. Early
    // majority r ≤ 5.5: ben, cleo, gus, dan. Late majority r ≤ 9.24: eva, finn, leo, kim.
    // Laggards: jade. Ivan: 1 day from hire (12 March) to adoption; the thresholds reached by
    // then: early adopters (rank 1, ana, 0 days) and early majority (rank 5, dan on 12 March,
    // 20 days): the first at or above 1 day is the early majority's.
    // As of 6 April (gus gone): early adopters ana; early majority ben, cleo, dan, ivan; late
    // majority eva, finn, leo, kim; laggards jade; non-adopters hana.
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
      // Every week whole (Monday 3 March to Sunday 6 April): none partial. The launch cohort's
      // rate counts its members still in the workforce (not ivan, a hire; not gus once gone).
      { ...week('2025-03-03', 2, 3, 11, 0.2727), launch_cohort_rate: 0.2727 }, // 3/11, cohort 3/11
      // As of 16 March: 12 (ivan in, gus not gone); + gus, dan, ivan (hired 12, adopted 13 March).
      { ...week('2025-03-10', 3, 6, 12, 0.5), launch_cohort_rate: 0.4545 }, // 6/12; cohort 5/11
      // As of 23 March: gus has left → 11; + eva, finn; gus no longer counts: 6 − 1 + 2 = 7.
      { ...week('2025-03-17', 2, 7, 11, 0.6364), launch_cohort_rate: 0.6 }, // 7/11; cohort 6/10
      // + leo (26 March); kim's 30 March 22:30 UTC is already 31 March in Paris.
      { ...week('2025-03-24', 1, 8, 11, 0.7273), launch_cohort_rate: 0.7 }, // 8/11; cohort 7/10
      // + kim (31 March) and jade (6 April, 22:00 local, the last day).
      { ...week('2025-03-31', 2, 10, 11, 0.9091), launch_cohort_rate: 0.9 }, // 10/11; cohort 9/10
    ])
  })

  it('cuts the same events in UTC for an org without a time zone', async () => {
    const res = await get(`/v1/orgs/acme-utc/metrics/adoption?${range}&interval=week`)
    // In UTC kim adopts on 30 March, in the week of 24 March.
    expect(res.json().curve.slice(3)).toEqual([
      { ...week('2025-03-24', 2, 9, 11, 0.8182), launch_cohort_rate: 0.8 }, // 9/11; cohort 8/10
      { ...week('2025-03-31', 1, 10, 11, 0.9091), launch_cohort_rate: 0.9 },
    ])
  })

  it('labels months by their first day and clips them to the range', async () => {
    const res = await get(`/v1/orgs/acme/metrics/adoption?${range}&interval=month`)
    expect(res.json().curve).toEqual([
      // As of 31 March: 11; adopters all but hana and jade = 9; new in 3–31 March: ben, cleo,
      // dan, ivan, eva, finn, leo, kim = 8 (gus adopted in March but left; ana in February).
      // Both months cut by the range (3 March, 6 April): partial. Cohort 8/10, then 9/10.
      { ...week('2025-03-01', 8, 9, 11, 0.8182), partial: true, launch_cohort_rate: 0.8 },
      { ...week('2025-04-01', 1, 10, 11, 0.9091), partial: true, launch_cohort_rate: 0.9 }, // jade
    ])
  })

  it('fits Bass on the weekly new adopters of the launch cohort since the launch', async () => {
    const res = await get(`/v1/orgs/acme/metrics/adoption?${range}&interval=week`)
    const bass = res.json().bass
    // Week 0 starts on the launch day, Thursday 20 Feb. Complete weeks up to Sun 6 April: 46 days
    // = 6 weeks. New adopters per week of the launch cohort (L = 11, gus kept, ivan out):
    // 20 Feb ana 1 | 27 Feb ben 1 | 6 Mar cleo, gus, dan 3 | 13 Mar eva 1 | 20 Mar finn, leo 2 |
    // 27 Mar kim 1 (jade, 6 April, is in the incomplete seventh week).
    // Reached: 50 % of 11 = the 6th adopter (eva, 18 March); 80 % = the 9th (kim, 31 March).
    expect(bass).toMatchObject({
      start: '2025-02-20',
      weeks: 6,
      cohort: 11,
      reached: { rate_50: '2025-03-18', rate_80: '2025-03-31' },
    })
    const fit = fitBass([1, 1, 3, 1, 2, 1], 11)
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
      return new Date(Date.parse('2025-02-20T00:00:00Z') + Math.floor(7 * weeks) * 86_400_000)
        .toISOString()
        .slice(0, 10)
    }
    expect(bass.forecast).toMatchObject({ rate_50: dayReaching(0.5), rate_80: dayReaching(0.8) })
    // The bootstrap's interval holds its estimate when both ends exist, and repeats (seeded).
    const { rate_50, rate_50_low, rate_50_high } = bass.forecast
    if (rate_50 && rate_50_low && rate_50_high) {
      expect(rate_50_low <= rate_50 && rate_50 <= rate_50_high).toBe(true)
    }
    expect((await get(`/v1/orgs/acme/metrics/adoption?${range}&interval=month`)).json().bass).toEqual(bass)
  })

  it('refuses a Bass fit on fewer than 5 weeks', async () => {
    const res = await get('/v1/orgs/acme/metrics/adoption?from=2025-03-03&to=2025-03-17')
    // From Thursday 20 Feb to Sunday 16 March: 25 days, 3 complete weeks. By the 16th five of
    // the launch cohort adopted (ana, ben, cleo, gus, dan): 50 % of 11 needs 6.
    const reason = 'fewer than 5 weeks of adoption data (3 complete weeks)'
    expect(res.json().bass).toEqual({
      p: null,
      q: null,
      m: null,
      r2: null,
      peak_week: null,
      forecast: {
        rate_50: null,
        rate_80: null,
        rate_50_low: null,
        rate_50_high: null,
        rate_80_low: null,
        rate_80_high: null,
        why_not_50: reason,
        why_not_80: reason,
      },
      reached: { rate_50: null, rate_80: null },
      resamples: 0,
      cohort: 11,
      reason,
      start: '2025-02-20',
      weeks: 3,
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
    // Lyon's launch cohort: ben, dan, gus, hana, leo (L = 5). Ranks: ben 1 (0.2), gus 2 (0.4)
    // early majority; dan 3 (0.6), leo 4 (0.8) late majority. On 6 April: ben, dan, hana, leo.
    expect(groups[0]).toMatchObject({ suppressed: false, workforce: 4, adopters: 3, rate: 0.75 })
    expect(groups[0].segments.map((s: { people: number }) => s.people)).toEqual([0, 0, 1, 2, 0, 1])
    // Paris: launch cohort ana, cleo, eva, finn, jade, kim (L = 6), ivan a hire. Ranks: ana 1/6,
    // cleo 2/6, eva 3/6 (on the cut) early majority; finn 4/6, kim 5/6 (≤ 0.84) late majority;
    // jade laggard. Ivan adopted on 13 March, before Paris's first threshold (rank 3, eva on
    // 18 March) was reached: early majority.
    expect(groups[1]).toMatchObject({ suppressed: false, workforce: 7, adopters: 7, rate: 1 })
    expect(groups[1].segments.map((s: { people: number }) => s.people)).toEqual([0, 0, 4, 2, 1, 0])
    // Lyon's weeks: as of 9 March ben; 16 March + dan, gus (gus still in: 5 people);
    // 23 March gus gone (4); 30 March + leo.
    expect(groups[0].curve).toEqual([
      // (Lyon has no hire: its launch cohort's rate is its rate.)
      { ...week('2025-03-03', 1, 1, 5, 0.2), launch_cohort_rate: 0.2 },
      { ...week('2025-03-10', 2, 3, 5, 0.6), launch_cohort_rate: 0.6 },
      { ...week('2025-03-17', 0, 2, 4, 0.5), launch_cohort_rate: 0.5 },
      { ...week('2025-03-24', 1, 3, 4, 0.75), launch_cohort_rate: 0.75 },
      { ...week('2025-03-31', 0, 3, 4, 0.75), launch_cohort_rate: 0.75 },
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
        launch_cohort_rate: null,
        hires_rate: null,
        segments: null,
        curve: null,
      })
    }
    // Tech (all launch cohort, L = 5): cleo 1/5 = 0.2 and dan 0.4 early majority, finn 0.6 and
    // jade 0.8 late majority, hana none.
    expect(groups[2]).toMatchObject({ workforce: 5, adopters: 4, rate: 0.8 })
    expect(groups[2].segments.map((s: { people: number }) => s.people)).toEqual([0, 0, 2, 2, 0, 1])
    // The admin sees sales: launch cohort ana, ben, eva, gus (L = 4): ana 1/4 and ben 2/4 early
    // majority, gus 3/4 late majority, eva 4/4 laggard. Ivan, a hire, 1 day to adopt: the
    // thresholds reached by 13 March are the early majority's (ben, 12 days) and the late
    // majority's (gus, 19 days): 1 ≤ 12, early majority. On 6 April: ana, ben, ivan early
    // majority, eva laggard (gus left).
    const admin = await t.app.inject({
      method: 'GET',
      url: `/v1/orgs/acme/metrics/adoption?${range}&by=department`,
      headers: auth(),
    })
    const sales = admin.json().groups.find((g: { group: string }) => g.group === 'sales')
    expect(sales).toMatchObject({ suppressed: false, workforce: 4, adopters: 4, rate: 1 })
    expect(sales.segments.map((s: { people: number }) => s.people)).toEqual([0, 0, 3, 0, 1, 0])

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
      launch_cohort_rate: null,
      hires_rate: null,
      segments: null,
      curve: null,
    })
    expect(sites[1]).toMatchObject({ workforce: 7, adopters: 7, rate: 1 })
  })

  it('applies the department and feature filters', async () => {
    const tech = (await get(`/v1/orgs/acme/metrics/adoption?${range}&department=tech`)).json()
    expect(tech).toMatchObject({ workforce: 5, adopters: 4, rate: 0.8, unknown_actors: 0 })
    // Only wiki events count: dan's reaction (12 March) is the only engaged wiki event; he ranks
    // 1 of the launch cohort's 11 (the launch is the org's, 20 February): 0.09 → early adopter.
    const wiki = (await get(`/v1/orgs/acme/metrics/adoption?${range}&feature=wiki`)).json()
    expect(wiki).toMatchObject({ workforce: 11, adopters: 1, rate: 0.0909 })
    expect(wiki.segments.map((s: { people: number }) => s.people)).toEqual([0, 1, 0, 0, 0, 10])
  })

  it('uses the actors seen so far as the workforce without a roster', async () => {
    const res = await get('/v1/orgs/solo/metrics/adoption?from=2025-03-03&to=2025-03-24')
    const body = res.json()
    expect(body).toMatchObject({ workforce_source: 'actors', workforce: 3, adopters: 2, unknown_actors: 0 })
    expect(body.curve).toEqual([
      // Without a roster there is no hire day: everyone is of the launch cohort.
      { ...week('2025-03-03', 1, 1, 2, 0.5), launch_cohort_rate: 0.5 }, // p1 adopts, p2 views
      { ...week('2025-03-10', 0, 1, 2, 0.5), launch_cohort_rate: 0.5 },
      { ...week('2025-03-17', 1, 2, 3, 0.6667), launch_cohort_rate: 0.6667 }, // p3 on 20 March
    ])
    // L = 3: p1 1/3 = 0.33 early majority, p3 2/3 = 0.67 late majority, p2 non-adopter.
    expect(body.segments.map((s: { people: number }) => s.people)).toEqual([0, 0, 1, 1, 0, 1])
  })

  it('carries the same curve as JSON, CSV and Arrow', async () => {
    const url = `/v1/orgs/acme/metrics/adoption?${range}&interval=week`
    const json = (await get(url)).json().curve
    const csv = await get(url, 'text/csv')
    expect(csv.headers['content-type']).toMatch(/^text\/csv/)
    const [header, ...lines] = csv.body.trim().split('\r\n')
    expect(header).toBe('period,partial,new_adopters,adopters,workforce,rate,launch_cohort_rate')
    expect(lines.map((l) => l.split(','))).toEqual(
      json.map((r: Record<string, unknown>) =>
        [r.period, r.partial, r.new_adopters, r.adopters, r.workforce, r.rate, r.launch_cohort_rate].map(
          String,
        ),
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
