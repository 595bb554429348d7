// Minimum group size on a tiny roster, with a differencing attempt worked out by hand.
//
// k = 5. Departments: sales 6 people (s1–s6), tech 5 (t1–t5), legal 2 (l1, l2): 13 people.
// Adopters (one engaged event each in January): s1, s2, s3, t1, l1 → 5 adopters.
//
// An exec breaking adoption down by department sees sales (6 people, 3 adopters). legal has 2
// people (< 5): withheld. Were it the only one withheld, total − sales − tech would give it away
// (13 − 6 − 5 = 2 people, 5 − 3 − 1 = 1 adopter), so tech, the smallest other group, is withheld
// too: total − sales = 7 people and 2 adopters, which is tech and legal together. The attacker
// then asks `department=tech` (to subtract it) and `department=legal`: both must be refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents, seedRoster } from '../../helpers/seed.ts'

let t: TestApp
let exec: string

const roster = [
  'id,department,site',
  ...['s1', 's2', 's3', 's4', 's5', 's6'].map((id) => `${id},sales,paris`),
  ...['t1', 't2', 't3', 't4', 't5'].map((id) => `${id},tech,lyon`),
  'l1,legal,paris',
  'l2,legal,lyon',
  '',
].join('\n')

const events: SeedEvent[] = ['s1', 's2', 's3', 't1', 'l1'].map((actor, i) => ({
  id: `e${i}`,
  type: 'post.created',
  time: `2025-01-${String(10 + i).padStart(2, '0')}T09:00:00Z`,
  actor,
}))

const range = 'from=2025-01-01&to=2025-03-01&interval=month'

beforeAll(async () => {
  t = await startTestApp()
  await seedRoster(t.runtime.store.client, 'acme', roster)
  await seedEvents(t.runtime.store.client, 'acme', events)
  const put = await t.app.inject({
    method: 'PUT',
    url: '/v1/orgs/acme/settings',
    headers: auth(),
    payload: { min_group_size: 5 },
  })
  expect(put.statusCode).toBe(200)
  const created = await t.app.inject({
    method: 'POST',
    url: '/v1/admin/tokens',
    headers: auth(),
    payload: { role: 'exec', orgs: ['acme'] },
  })
  exec = created.json().token
})
afterAll(() => t?.close())

const get = (url: string, token: string, accept?: string) =>
  t.app.inject({ method: 'GET', url, headers: { ...auth(token), ...(accept ? { accept } : {}) } })

interface Group {
  group: string
  suppressed: boolean
  workforce: number | null
  adopters: number | null
}

describe('breakdowns for an exec', () => {
  it('show the org total, withhold legal (2 < 5) and tech (the complementary group)', async () => {
    const res = await get(`/v1/orgs/acme/metrics/adoption?${range}&by=department`, exec)
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-implication-small-groups']).toBe('withheld-below-5')
    const body = res.json()
    expect(body.workforce).toBe(13)
    expect(body.adopters).toBe(5)
    const groups = Object.fromEntries((body.groups as Group[]).map((g) => [g.group, g]))
    expect(groups.sales).toMatchObject({ suppressed: false, workforce: 6, adopters: 3 })
    expect(groups.legal).toMatchObject({ suppressed: true, workforce: null, adopters: null })
    expect(groups.tech).toMatchObject({ suppressed: true, workforce: null, adopters: null })
  })

  it('leave total − visible groups = tech and legal together, never one of them', async () => {
    const body = (await get(`/v1/orgs/acme/metrics/adoption?${range}&by=department`, exec)).json()
    const visible = (body.groups as Group[]).filter((g) => !g.suppressed)
    const rest = body.workforce - visible.reduce((sum: number, g: Group) => sum + (g.workforce ?? 0), 0)
    expect(rest).toBe(7) // tech 5 + legal 2: legal alone cannot be told
  })
})

describe('a differencing attempt through filters', () => {
  it('refuses department=legal (2 people)', async () => {
    const res = await get(`/v1/orgs/acme/metrics/adoption?${range}&department=legal`, exec)
    expect(res.statusCode).toBe(403)
    expect(res.json().field).toBe('department')
    expect(res.json().message).toMatch(/withheld/)
  })

  it('refuses department=tech, the complementary group, which would give legal by subtraction', async () => {
    const res = await get(`/v1/orgs/acme/metrics/adoption?${range}&department=tech`, exec)
    expect(res.statusCode).toBe(403)
  })

  it('refuses it in CSV and Arrow too (the answer is withheld, not computed)', async () => {
    for (const accept of ['text/csv', 'application/vnd.apache.arrow.stream']) {
      const res = await get(`/v1/orgs/acme/metrics/adoption?${range}&department=legal`, exec, accept)
      expect(res.statusCode).toBe(403)
    }
  })

  it('answers department=sales, which the breakdown shows anyway', async () => {
    const res = await get(`/v1/orgs/acme/metrics/adoption?${range}&department=sales`, exec)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ workforce: 6, adopters: 3 })
  })

  it('withholds a department asked together with a site', async () => {
    // site=lyon holds t1–t5 and l2: 6 people; site=paris s1–s6 and l1: 7. Neither is withheld.
    expect((await get(`/v1/orgs/acme/metrics/adoption?${range}&site=lyon`, exec)).statusCode).toBe(200)
    // tech in lyon: 5 people, but tech is withheld as a department: refused.
    expect(
      (await get(`/v1/orgs/acme/metrics/adoption?${range}&site=lyon&department=tech`, exec)).statusCode,
    ).toBe(403)
  })
})

describe('the admin', () => {
  it('sees every group, small ones included, and the answer says so', async () => {
    const res = await get(
      `/v1/orgs/acme/metrics/adoption?${range}&by=department`,
      'test-admin-token-0123456789',
    )
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-implication-small-groups']).toBe('shown-to-admin')
    const groups = Object.fromEntries((res.json().groups as Group[]).map((g) => [g.group, g]))
    expect(groups.legal).toMatchObject({ suppressed: false, workforce: 2, adopters: 1 })
    expect(groups.tech).toMatchObject({ suppressed: false, workforce: 5, adopters: 1 })
    const legal = await get(
      `/v1/orgs/acme/metrics/adoption?${range}&department=legal`,
      'test-admin-token-0123456789',
    )
    expect(legal.statusCode).toBe(200)
    expect(legal.json()).toMatchObject({ workforce: 2, adopters: 1 })
  })
})
