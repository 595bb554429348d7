// email on a hand-made organisation (time zone Europe/Paris); every expected number is worked
// out in the comments. Weeks of 3, 10, 17 and 24 March 2025.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, createToken, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents, seedRoster } from '../../helpers/seed.ts'

let t: TestApp
// Reads as an exec: small groups are withheld for every role but admin.
let reader = ''
const get = (url: string, accept?: string) =>
  t.app.inject({ method: 'GET', url, headers: { ...auth(reader), ...(accept ? { accept } : {}) } })

const events: SeedEvent[] = [
  // Emails (daily counts).
  { id: 'em1', type: 'email.sent', count: 30, time: '2025-03-04T18:00:00Z', actor: 'ann' },
  { id: 'em1', type: 'email.sent', count: 30, time: '2025-03-04T18:00:00Z', actor: 'ann' }, // sent twice
  { id: 'em2', type: 'email.sent', count: 20, time: '2025-03-05T18:00:00Z', actor: 'ben' },
  { id: 'em3', type: 'email.sent', count: 10, time: '2025-03-06T18:00:00Z', actor: 'fay' }, // not on the roster
  { id: 'em4', type: 'email.sent', count: 25, time: '2025-03-11T18:00:00Z', actor: 'ann' },
  { id: 'em5', type: 'email.sent', count: 15, time: '2025-03-12T18:00:00Z', actor: 'cat' },
  { id: 'em6', type: 'email.sent', count: 5, time: '2025-03-16T23:30:00Z', actor: 'ben' }, // Mon 17 Mar in Paris
  { id: 'em7', type: 'email.sent', count: 25, time: '2025-03-19T18:00:00Z', actor: 'cat' },
  { id: 'em8', type: 'email.sent', count: 10, time: '2025-03-25T18:00:00Z', actor: 'ann' },
  { id: 'em9', type: 'email.sent', count: 7, time: '2025-03-30T22:30:00Z', actor: 'ann' }, // Mon 31 Mar in Paris (summer time)
  // Week of 3 March: engaged ann, cat, gus (fay is not in the workforce; dan only views).
  { id: 'w1', type: 'post.created', time: '2025-03-04T09:00:00Z', actor: 'ann' },
  { id: 'w2', type: 'reaction.added', feature: 'groups', time: '2025-03-05T09:00:00Z', actor: 'cat' },
  { id: 'w3', type: 'reaction.added', feature: 'groups', time: '2025-03-06T09:00:00Z', actor: 'gus' },
  { id: 'w4', type: 'post.created', time: '2025-03-06T09:00:00Z', actor: 'fay' },
  { id: 'w5', type: 'content.viewed', feature: 'wiki', time: '2025-03-05T09:00:00Z', actor: 'dan' },
  // Week of 10 March: ann, ben, eve (hired on 12 March).
  { id: 'x1', type: 'reaction.added', feature: 'groups', time: '2025-03-11T09:00:00Z', actor: 'ann' },
  { id: 'x2', type: 'comment.created', feature: 'wiki', time: '2025-03-12T09:00:00Z', actor: 'ben' },
  { id: 'x3', type: 'post.created', time: '2025-03-13T09:00:00Z', actor: 'eve' },
  { id: 'x4', type: 'content.viewed', feature: 'wiki', time: '2025-03-12T09:00:00Z', actor: 'dan' },
  // Week of 17 March: cat; gus too, but he leaves on 20 March, before the week's last day.
  { id: 'y1', type: 'reaction.added', feature: 'groups', time: '2025-03-18T09:00:00Z', actor: 'cat' },
  { id: 'y2', type: 'post.created', time: '2025-03-18T09:00:00Z', actor: 'gus' },
  // Week of 24 March: ann, ben (Sunday 23:30 in Paris).
  { id: 'z1', type: 'post.created', time: '2025-03-25T09:00:00Z', actor: 'ann' },
  { id: 'z2', type: 'reaction.added', feature: 'groups', time: '2025-03-30T21:30:00Z', actor: 'ben' },
  { id: 'z3', type: 'content.viewed', feature: 'wiki', time: '2025-03-26T09:00:00Z', actor: 'dan' },
]
const roster = `id,department,hired_at,left_at
ann,Sales,,
ben,Sales,,
gus,Sales,,2025-03-20
cat,IT,,
dan,IT,,
eve,IT,2025-03-12,
`

beforeAll(async () => {
  t = await startTestApp()
  reader = await createToken(t, 'exec')
  await seedEvents(t.runtime.store.client, 'em', events)
  await seedRoster(t.runtime.store.client, 'em', roster)
  const put = await t.app.inject({
    method: 'PUT',
    url: '/v1/orgs/em/settings',
    headers: auth(),
    payload: { time_zone: 'Europe/Paris' },
  })
  expect(put.statusCode).toBe(200)
})
afterAll(() => t?.close())

const range = 'from=2025-03-03&to=2025-03-31'
const point = (period: string, emails: number, workforce: number, engaged: number) => ({
  period,
  emails,
  workforce,
  emails_per_person: workforce > 0 ? Math.round((emails / workforce) * 10_000) / 10_000 : null,
  engaged,
  engaged_rate: workforce > 0 ? Math.round((engaged / workforce) * 10_000) / 10_000 : null,
})

describe('GET /metrics/email', () => {
  it('gives emails per person beside the engaged rate, weekly, and their correlation', async () => {
    const res = await get(`/v1/orgs/em/metrics/email?${range}`)
    expect(res.statusCode).toBe(200)
    // Workforce on each Sunday: 9 Mar ann, ben, gus, cat, dan = 5; 16 Mar + eve = 6;
    // 23 and 30 Mar without gus (left 20 Mar) = 5.
    const series = [
      point('2025-03-03', 60, 5, 3), // 30 (once) + 20 + 10 (fay); engaged ann, cat, gus
      point('2025-03-10', 40, 6, 3), // 25 + 15; engaged ann, ben, eve
      point('2025-03-17', 30, 5, 1), // 5 (Monday in Paris) + 25; engaged cat (gus has left)
      point('2025-03-24', 10, 5, 2), // 10 (the 7 of 31 March are outside); engaged ann, ben
    ]
    // x = 12, 6.667, 6, 2 (mean 6.667); y = 0.6, 0.5, 0.2, 0.4 (mean 0.425)
    // Σdx·dy = 5.333·0.175 + 0 + 0.667·0.225 + 4.667·0.025 = 0.9333 + 0.15 + 0.1167 = 1.2
    // Σdx² = 28.444 + 0 + 0.444 + 21.778 = 50.667; Σdy² = 0.030625 + 0.005625 + 0.050625 + 0.000625 = 0.0875
    // r = 1.2 / √(50.667 × 0.0875) = 1.2 / 2.10555 = 0.5699
    expect(res.json()).toEqual({ series, correlation: 0.5699, by: null, groups: [], group_correlations: [] })
  })

  it('narrows both sides to a department with a filter', async () => {
    // IT has 3 people (< k): an exec gets it withheld (tests/integration/privacy); the admin sees it.
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/orgs/em/metrics/email?${range}&department=IT`,
      headers: auth(),
    })
    // IT = cat, dan, eve (from 12 March)
    expect(res.json().series).toEqual([
      point('2025-03-03', 0, 2, 1), // engaged cat
      point('2025-03-10', 15, 3, 1), // engaged eve
      point('2025-03-17', 25, 3, 1), // engaged cat
      point('2025-03-24', 0, 3, 0),
    ])
    // x = 0, 5, 8.333, 0 (mean 3.333); y = 0.5, 0.333, 0.333, 0 (mean 0.2917)
    // Σdx·dy = −3.333·0.2083 + 1.667·0.0417 + 5·0.0417 + 3.333·0.2917 = −0.6944 + 0.0694 + 0.2083 + 0.9722 = 0.5556
    // Σdx² = 11.111 + 2.778 + 25 + 11.111 = 50; Σdy² = 0.04340 + 0.00174 + 0.00174 + 0.08507 = 0.13194
    // r = 0.5556 / √6.5972 = 0.5556 / 2.5685 = 0.2163
    expect(res.json().correlation).toBe(0.2163)
  })

  it('breaks down by department, withholding small groups', async () => {
    const url = `/v1/orgs/em/metrics/email?${range}&by=department`
    const withheld = (group: string) => ({
      group,
      suppressed: true,
      emails: null,
      workforce: null,
      emails_per_person: null,
      engaged: null,
      engaged_rate: null,
    })
    // The groups follow the org grid, decided on the current roster's workforce today (2026-12;
    // the roster has no site: every cell is in the site ''): Sales-'': ann, ben = 2 (gus left);
    // IT-'': cat, dan, eve = 3; ('', ''): fay, the one sender off the roster = 1. With the default
    // minimum of 5 every cell and every department is under it: all withheld (the column '' of 6
    // is the org total, which adds nothing).
    const all = (await get(url)).json()
    expect(all.groups.every((g: { suppressed: boolean }) => g.suppressed)).toBe(true)
    expect(all.series.map((p: { emails: number }) => p.emails)).toEqual([60, 40, 30, 10]) // totals stay

    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/orgs/em/settings',
      headers: auth(),
      payload: { time_zone: 'Europe/Paris', min_group_size: 3 },
    })
    expect(put.statusCode).toBe(200)
    // With 3: Sales (2) is withheld. First without fay (the workforce leaves her out): column ''
    // (5) holds a withheld cell of 2 (< 3), so IT-'' goes too; then Sales = total − IT, so IT is
    // withheld beside it (with two departments, one withheld takes the other along). With fay's
    // cell the same. Every department is withheld for an exec; the totals stay.
    const body = (await get(url)).json()
    const rows = (group: string) => body.groups.filter((g: { group: string }) => g.group === group)
    for (const group of ['', 'IT', 'Sales']) {
      expect(rows(group)).toEqual(
        ['2025-03-03', '2025-03-10', '2025-03-17', '2025-03-24'].map((period) => ({
          period,
          ...withheld(group),
        })),
      )
    }
    expect(body.group_correlations).toEqual([
      { group: '', suppressed: true, correlation: null },
      { group: 'IT', suppressed: true, correlation: null },
      { group: 'Sales', suppressed: true, correlation: null },
    ])
    expect(body.series.map((p: { emails: number }) => p.emails)).toEqual([60, 40, 30, 10])

    // The admin sees every group: Sales = ann, ben, gus
    const admin = (await t.app.inject({ method: 'GET', url, headers: auth() })).json()
    const adminRows = (group: string) => admin.groups.filter((g: { group: string }) => g.group === group)
    const sales = (p: ReturnType<typeof point>) => ({ group: 'Sales', suppressed: false, ...p })
    expect(adminRows('Sales')).toEqual([
      sales(point('2025-03-03', 50, 3, 2)), // ann 30 + ben 20; engaged ann, gus
      sales(point('2025-03-10', 25, 3, 2)), // engaged ann, ben
      sales(point('2025-03-17', 5, 2, 0)), // gus gone
      sales(point('2025-03-24', 10, 2, 2)),
    ])
    // IT = cat, dan, eve (from 12 March), as with the department filter above; r = 0.2163
    const it = (p: ReturnType<typeof point>) => ({ group: 'IT', suppressed: false, ...p })
    expect(adminRows('IT')).toEqual([
      it(point('2025-03-03', 0, 2, 1)), // engaged cat
      it(point('2025-03-10', 15, 3, 1)), // engaged eve
      it(point('2025-03-17', 25, 3, 1)), // engaged cat
      it(point('2025-03-24', 0, 3, 0)),
    ])
    expect(admin.group_correlations).toContainEqual({ group: 'IT', suppressed: false, correlation: 0.2163 })
    // Sales: x = 16.667, 8.333, 2.5, 5 (mean 8.125); y = 0.667, 0.667, 0, 1 (mean 0.5833)
    // Σdx·dy = 8.5417·0.0833 + 0.2083·0.0833 + 5.625·0.5833 − 3.125·0.4167 = 0.7118 + 0.0174 + 3.2813 − 1.3021 = 2.7083
    // Σdx² = 72.960 + 0.043 + 31.641 + 9.766 = 114.410; Σdy² = 0.00694 + 0.00694 + 0.34028 + 0.17361 = 0.52778
    // r = 2.7083 / √60.383 = 2.7083 / 7.7706 = 0.3485
    expect(admin.group_correlations).toContainEqual({
      group: 'Sales',
      suppressed: false,
      correlation: 0.3485,
    })
    const csv = await get(`${url}&table=groups`, 'text/csv')
    const [header, first] = csv.body.split('\r\n')
    expect(header).toBe('group,suppressed,period,emails,workforce,emails_per_person,engaged,engaged_rate')
    expect(first).toBe(',true,2025-03-03,,,,,')
  })

  it('narrows the engaged side only with a feature filter', async () => {
    const res = await get(`/v1/orgs/em/metrics/email?${range}&feature=messaging`)
    // Nobody sent a message: engaged 0 everywhere, so the rate has no variance → correlation null.
    expect(res.json().series).toEqual([
      point('2025-03-03', 60, 5, 0),
      point('2025-03-10', 40, 6, 0),
      point('2025-03-17', 30, 5, 0),
      point('2025-03-24', 10, 5, 0),
    ])
    expect(res.json().correlation).toBeNull()
  })

  it('has no correlation under three periods', async () => {
    const res = await get('/v1/orgs/em/metrics/email?from=2025-03-03&to=2025-03-17')
    expect(res.json().series).toHaveLength(2)
    expect(res.json().correlation).toBeNull()
  })

  it('names an unsupported breakdown in a 400', async () => {
    const res = await get(`/v1/orgs/em/metrics/email?${range}&by=feature`)
    expect(res.statusCode).toBe(400)
    expect(res.json().field).toBe('by')
  })
})
