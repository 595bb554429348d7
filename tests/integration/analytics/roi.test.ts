// roi on a hand-made organisation (time zone Europe/Paris); every expected number is worked out
// in the comments. Range: March and April 2025.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents, seedRoster } from '../../helpers/seed.ts'

let t: TestApp
const get = (url: string, accept?: string) =>
  t.app.inject({ method: 'GET', url, headers: { ...auth(), ...(accept ? { accept } : {}) } })
const putSettings = (org: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'PUT', url: `/v1/orgs/${org}/settings`, headers: auth(), payload })

const g = { feature: 'groups' } as const
const events: SeedEvent[] = [
  // March: 4 create, 9 contribute (r4 sent twice counts once), 1 view, 4 emails events (280 emails).
  { id: 'v1', type: 'content.viewed', feature: 'wiki', time: '2025-03-03T09:00:00Z', actor: 'dan' },
  {
    id: 'q1',
    type: 'question.asked',
    space: 'help',
    object: 'Q1',
    time: '2025-03-04T09:00:00Z',
    actor: 'ann',
  },
  { id: 'r1', type: 'answer.created', parent: 'Q1', time: '2025-03-04T10:00:00Z', actor: 'ben' }, // 1 h
  {
    id: 'q2',
    type: 'question.asked',
    space: 'help',
    object: 'Q2',
    time: '2025-03-05T09:00:00Z',
    actor: 'cat',
  },
  {
    id: 'r2',
    type: 'comment.created',
    feature: 'qa',
    parent: 'Q2',
    time: '2025-03-05T10:00:00Z',
    actor: 'cat',
  }, // own
  { id: 'q3', type: 'question.asked', object: 'Q3', time: '2025-03-06T09:00:00Z', actor: 'ben' }, // no space
  { id: 'r3', type: 'answer.created', parent: 'Q3', time: '2025-03-07T15:00:00Z', actor: 'ann' }, // 30 h
  {
    id: 'q4',
    type: 'question.asked',
    space: 'help',
    object: 'Q4',
    time: '2025-03-10T09:00:00Z',
    actor: 'gus',
  },
  { id: 'r4', type: 'answer.created', parent: 'Q4', time: '2025-03-10T11:00:00Z', actor: 'ann' }, // 2 h
  { id: 'r4', type: 'answer.created', parent: 'Q4', time: '2025-03-10T11:00:00Z', actor: 'ann' }, // sent twice
  { id: 'm1', type: 'mention.added', ...g, target: 'ben', time: '2025-03-11T09:00:00Z', actor: 'ann' }, // Sales → IT
  { id: 'm2', type: 'mention.added', ...g, target: 'cat', time: '2025-03-12T09:00:00Z', actor: 'ben' }, // IT → IT
  { id: 'm3', type: 'mention.added', ...g, target: 'ann', time: '2025-03-13T09:00:00Z', actor: 'cat' }, // IT → Sales
  { id: 'm4', type: 'mention.added', ...g, target: 'dan', time: '2025-03-14T09:00:00Z', actor: 'ann' }, // Sales → Sales
  { id: 'm5', type: 'mention.added', ...g, target: 'ann', time: '2025-03-14T10:00:00Z', actor: 'fay' }, // fay: no roster
  { id: 'e1', type: 'email.sent', count: 100, time: '2025-03-03T18:00:00Z', actor: 'ann' },
  { id: 'e2', type: 'email.sent', count: 80, time: '2025-03-10T18:00:00Z', actor: 'ben' },
  { id: 'e3', type: 'email.sent', count: 60, time: '2025-03-17T18:00:00Z', actor: 'cat' },
  { id: 'e4', type: 'email.sent', count: 40, time: '2025-03-24T18:00:00Z', actor: 'ann' },
  // April: 4 react, 1 contribute, 2 create, 1 view, 3 email events (60 emails).
  { id: 'e7', type: 'email.sent', count: 10, time: '2025-03-31T22:30:00Z', actor: 'cat' }, // 1 April 00:30 in Paris
  { id: 'a1', type: 'reaction.added', ...g, time: '2025-04-02T09:00:00Z', actor: 'gus' }, // gus leaves on 10 April
  { id: 'a2', type: 'reaction.added', ...g, time: '2025-04-07T09:00:00Z', actor: 'ann' },
  { id: 'e5', type: 'email.sent', count: 30, time: '2025-04-07T18:00:00Z', actor: 'ann' },
  { id: 'a3', type: 'comment.created', ...g, time: '2025-04-08T09:00:00Z', actor: 'ann' },
  { id: 'a4', type: 'reaction.added', ...g, time: '2025-04-12T09:00:00Z', actor: 'cat' }, // a Saturday
  { id: 'a5', type: 'post.created', time: '2025-04-14T09:00:00Z', actor: 'ben' },
  { id: 'e6', type: 'email.sent', count: 20, time: '2025-04-14T18:00:00Z', actor: 'ben' },
  { id: 'a6', type: 'content.viewed', feature: 'wiki', time: '2025-04-22T09:00:00Z', actor: 'dan' },
  { id: 'a7', type: 'reaction.added', ...g, time: '2025-04-23T09:00:00Z', actor: 'fay' },
  { id: 'a8', type: 'post.created', time: '2025-04-30T20:00:00Z', actor: 'eve' }, // adopts on the last day (22:00 Paris)
]
const roster = `id,department,hired_at,left_at
ann,Sales,,
ben,IT,,
cat,IT,,
dan,Sales,,
gus,IT,,2025-04-10
eve,Sales,2025-04-15,
`

beforeAll(async () => {
  t = await startTestApp()
  const client = t.runtime.store.client
  await seedEvents(client, 'roi', events)
  await seedRoster(client, 'roi', roster)
  expect((await putSettings('roi', { time_zone: 'Europe/Paris' })).statusCode).toBe(200)
  // Without a roster: two actors on Tuesday 1 April, one of them engaged.
  await seedEvents(client, 'roi-none', [
    { id: 'x1', type: 'post.created', time: '2025-04-01T09:00:00Z', actor: 'xavier' },
    { id: 'x2', type: 'content.viewed', feature: 'wiki', time: '2025-04-01T10:00:00Z', actor: 'yvonne' },
  ])
})
afterAll(() => t?.close())

const range = 'from=2025-03-01&to=2025-05-01'

// The index, as of 30 April (workforce ann, ben, cat, dan, eve; gus has left):
//   adoption       4 / 5 = 0.8      (ann, ben, cat, eve on 30 April; dan only views)
//   depth          5 / 6 = 0.8333   (roster people active: ann, ben, cat, dan, gus, eve; all but dan engaged)
//   stickiness     (6/19) / 6 = 0.0526 (last 28 days 3–30 April: 20 weekdays, less Easter Monday
//                                    21 April, a French holiday (the default calendar) = 19 working
//                                    days, with one active person on 7, 8, 14, 22, 23 and 30 April →
//                                    mean DAU 6/19; MAU on 30 April: ann, ben, cat (Saturday 12th),
//                                    dan, fay, eve = 6)
//   reach          2 / 4 = 0.5      (m1, m3 cross; m2, m4 not; m5 has fay, off the roster)
//   responsiveness 2 / 4 = 0.5      (Q1 in 1 h, Q4 in 2 h; Q2 only by its asker; Q3 after 30 h)
const ratios = { adoption: 0.8, depth: 0.8333, stickiness: 0.0526, reach: 0.5, responsiveness: 0.5 }

describe('GET /metrics/roi', () => {
  it('computes the Implication Index from five ratios with equal default weights', async () => {
    const res = await get(`/v1/orgs/roi/metrics/roi?${range}`)
    expect(res.statusCode).toBe(200)
    // (0.8 + 0.83333 + 0.0526 + 0.5 + 0.5) / 5 = 2.68593 / 5 = 0.53719 → 53.72
    expect(res.json().implication_index).toEqual({
      value: 53.72,
      components: Object.entries(ratios).map(([component, ratio]) => ({
        component,
        ratio,
        weight: 1,
        effective_weight: 0.2,
      })),
      reason: null,
    })
  })

  it('accounts value and cost month by month with the default assumptions', async () => {
    const res = await get(`/v1/orgs/roi/metrics/roi?${range}`)
    const body = res.json()
    // Baseline: emails of the first 28 days of email data (3–30 March) = 100 + 80 + 60 + 40 = 280,
    // over 4 weeks, for the 5 people of the workforce on 30 March → 14 per person per week.
    expect(body.assumptions).toEqual({
      currency: 'EUR',
      hourly_cost: 45,
      minutes_saved: { react: 0.5, contribute: 3, create: 10 },
      minutes_per_email: 2,
      baseline_emails_per_week: 14,
      baseline_source: 'first_28_days',
      email_data_from: '2025-03-03',
      email_data_to: '2025-04-14', // the feed's last day: no email is avoided after it
      licence_per_seat_month: 6,
      community_management_month: 4000,
      index_weights: { adoption: 1, depth: 1, stickiness: 1, reach: 1, responsiveness: 1 },
      workforce: 5,
      workforce_source: 'roster',
      weeks: 8.7143, // 61 days / 7
      months: 2,
    })
    // Hourly cost 45 → 0.75 per minute.
    expect(body.months).toEqual([
      {
        month: '2025-03-01',
        days: 31,
        months: 1,
        workforce: 5, // ann, ben, cat, dan, gus on 31 March
        events: 18, // 4 create + 9 contribute + 1 view + 4 email events
        react: 0,
        contribute: 9,
        create: 4,
        events_value: 50.25, // (9 × 3 + 4 × 10) × 0.75
        emails: 280,
        email_days: 29, // 3–31 March
        emails_avoided: 10, // 14 × 5 × 29 / 7 − 280 = 290 − 280
        emails_value: 15, // 10 × 2 × 0.75
        value: 65.25,
        licence_cost: 30, // 6 × 5 × 1
        community_cost: 4000,
        cost: 4030,
        cumulative_value: 65.25,
        cumulative_cost: 4030,
      },
      {
        month: '2025-04-01',
        days: 30,
        months: 1,
        workforce: 5, // ann, ben, cat, dan, eve on 30 April
        events: 11, // 4 react + 1 contribute + 2 create + 1 view + 3 email events
        react: 4,
        contribute: 1,
        create: 2,
        events_value: 18.75, // (4 × 0.5 + 1 × 3 + 2 × 10) × 0.75 = 25 × 0.75
        emails: 60, // 10 (1 April in Paris) + 30 + 20
        email_days: 14, // 1–14 April: the feed ends on the 14th
        emails_avoided: 80, // 14 × 5 × 14 / 7 − 60 = 140 − 60
        emails_value: 120, // 80 × 2 × 0.75
        value: 138.75,
        licence_cost: 30,
        community_cost: 4000,
        cost: 4030,
        cumulative_value: 204,
        cumulative_cost: 8060,
      },
    ])
    expect(body.financial).toEqual({
      currency: 'EUR',
      value: 204, // 65.25 + 138.75
      events_value: 69, // 50.25 + 18.75
      emails_value: 135, // 15 + 120
      emails_avoided: 90, // 10 + 80
      cost: 8060,
      licence_cost: 60,
      community_cost: 8000,
      roi: -0.9747, // (204 − 8060) / 8060 = −7856 / 8060
      payback_month: null,
    })
  })

  it('follows the ROI assumptions and index weights set for the org', async () => {
    const put = await putSettings('roi', {
      time_zone: 'Europe/Paris',
      roi: {
        hourly_cost: 60,
        currency: 'EUR',
        minutes_saved: { react: 1, contribute: 6, create: 30 },
        minutes_per_email: 3,
        baseline_emails_per_week: 10,
        licence_per_seat_month: 2,
        community_management_month: 50,
      },
      index_weights: { adoption: 2, depth: 0, stickiness: 1, reach: 1, responsiveness: 0 },
    })
    expect(put.statusCode).toBe(200)
    const body = (await get(`/v1/orgs/roi/metrics/roi?${range}`)).json()
    // (2 × 0.8 + 1 × 0.0526 + 1 × 0.5) / 4 = 2.1526 / 4 = 0.53815 → 53.82
    expect(body.implication_index.value).toBe(53.82)
    expect(
      body.implication_index.components.map((c: { effective_weight: number }) => c.effective_weight),
    ).toEqual([0.5, 0, 0.25, 0.25, 0])
    // 1 per minute. March: events 9 × 6 + 4 × 30 = 174; more emails than the baseline:
    // 10 × 5 × 29/7 − 280 = 207.1429 − 280 = −72.8571, × 3 = −218.5714 → value −44.5714; cost 2 × 5 + 50 = 60.
    // April: events 4 × 1 + 1 × 6 + 2 × 30 = 70; emails avoided 10 × 5 × 14/7 − 60 = 40, × 3 = 120
    // → value 190; cost 60. Cumulative: March −44.57 < 60; April 145.43 ≥ 120 → payback in April.
    expect(body.months.map((m: { value: number; cost: number }) => [m.value, m.cost])).toEqual([
      [-44.57, 60],
      [190, 60],
    ])
    expect(body.financial).toEqual({
      currency: 'EUR',
      value: 145.43,
      events_value: 244, // 174 + 70
      emails_value: -98.57, // −218.5714 + 120
      emails_avoided: -32.86, // −72.8571 + 40
      cost: 120,
      licence_cost: 20,
      community_cost: 100,
      roi: 0.2119, // (145.4286 − 120) / 120 = 25.4286 / 120
      payback_month: '2025-04-01',
    })
    expect(body.assumptions).toMatchObject({ baseline_emails_per_week: 10, baseline_source: 'setting' })

    // A February without data adds its cost but starts no cumulation: cost 60 (5 people on
    // 28 February), no value (no email feed yet) → roi (145.4286 − 180) / 180 = −0.1921.
    const longer = (await get('/v1/orgs/roi/metrics/roi?from=2025-02-01&to=2025-05-01')).json()
    expect(longer.months[0]).toMatchObject({
      month: '2025-02-01',
      value: 0,
      cost: 60,
      cumulative_value: null,
    })
    expect(longer.financial).toMatchObject({
      value: 145.43,
      cost: 180,
      roi: -0.1921,
      payback_month: '2025-04-01',
    })
  })

  it('leaves out a ratio it cannot compute and renormalises the weights', async () => {
    const body = (await get('/v1/orgs/roi-none/metrics/roi?from=2025-04-01&to=2025-04-02')).json()
    // No roster: the workforce is the 2 actors seen; 1 adopted (0.5); depth 1 / 2; on Tuesday
    // 1 April DAU 2 and MAU 2 (1.0); no departments (reach null); no question (responsiveness null).
    // (0.5 + 0.5 + 1) / 3 = 0.6667 → 66.67
    expect(body.implication_index).toEqual({
      value: 66.67,
      components: [
        { component: 'adoption', ratio: 0.5, weight: 1, effective_weight: 0.3333 },
        { component: 'depth', ratio: 0.5, weight: 1, effective_weight: 0.3333 },
        { component: 'stickiness', ratio: 1, weight: 1, effective_weight: 0.3333 },
        { component: 'reach', ratio: null, weight: 1, effective_weight: 0 },
        { component: 'responsiveness', ratio: null, weight: 1, effective_weight: 0 },
      ],
      reason: null,
    })
    // No email data and no baseline: no email term. Cost: 6 × 2 seats × 1/30 month + 4000 / 30.
    expect(body.assumptions).toMatchObject({
      baseline_source: 'none',
      email_data_from: null,
      workforce_source: 'actors',
    })
    expect(body.financial.emails_value).toBe(0)
    expect(body.financial.cost).toBe(133.73) // 0.4 + 133.3333
  })

  it('serves the overview, the months and the assumptions as CSV', async () => {
    // The org keeps the settings put by the test above.
    const csv = await get(`/v1/orgs/roi/metrics/roi?${range}`, 'text/csv')
    expect(csv.body.split('\r\n')[0]).toBe(
      'implication_index,currency,value,events_value,emails_value,emails_avoided,cost,licence_cost,' +
        'community_cost,roi,payback_month',
    )
    const assumptions = await get(`/v1/orgs/roi/metrics/roi?${range}&table=assumptions`, 'text/csv')
    expect(assumptions.body).toContain('\r\nhourly_cost,60\r\n')
    expect(assumptions.body).toContain('\r\nindex_weight_adoption,2\r\n')
  })

  it('takes no filter and no breakdown', async () => {
    const department = await get(`/v1/orgs/roi/metrics/roi?${range}&department=IT`)
    expect(department.statusCode).toBe(400)
    expect(department.json().field).toBe('department')
    const by = await get(`/v1/orgs/roi/metrics/roi?${range}&by=site`)
    expect(by.statusCode).toBe(400)
    expect(by.json().field).toBe('by')
  })
})
