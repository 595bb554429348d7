// Minimum group size on a tiny roster, with the differencing attacks worked out by hand.
//
// k = 5. Departments × sites: sales@paris 6 people (s1–s6), tech@lyon 5 (t1–t5), legal@paris 1
// (l1), legal@lyon 1 (l2): 13 people. Adopters (one engaged event each in January): s1, s2, s3,
// t1, l1 → 5 adopters.
//
// The org's withheld grid (analytics/privacy/grid.ts), worked out by hand:
//  - legal@paris and legal@lyon hold 1 person each, and legal 2: withheld.
//  - paris holds 7 people and lyon 6: published. Their withheld cells (1 each) are under k, so
//    their other cells join them: sales@paris and tech@lyon.
//  - Then site paris − department sales = legal@paris, and lyon − tech = legal@lyon: if a
//    department other than legal were published, the person of legal at that site would be
//    known. So sales and tech are withheld as departments too; paris and lyon stay published
//    (paris = sales@paris + legal@paris, which says nothing of either).
// The version before kept sales published beside a withheld tech and legal, and site=paris minus
// department=sales gave l1's adoption away: that recipe is the regression test below.
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
  it('show the org total and withhold every department (legal is 2 < 5; sales and tech beside it)', async () => {
    const res = await get(`/v1/orgs/acme/metrics/adoption?${range}&by=department`, exec)
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-implication-small-groups']).toBe('withheld-below-5')
    const body = res.json()
    expect(body.workforce).toBe(13)
    expect(body.adopters).toBe(5)
    const groups = Object.fromEntries((body.groups as Group[]).map((g) => [g.group, g]))
    for (const name of ['sales', 'tech', 'legal']) {
      expect(groups[name]).toMatchObject({ suppressed: true, workforce: null, adopters: null })
    }
  })

  it('show both sites, which hold 7 and 6 people', async () => {
    const res = await get(`/v1/orgs/acme/metrics/adoption?${range}&by=site`, exec)
    const groups = Object.fromEntries((res.json().groups as Group[]).map((g) => [g.group, g]))
    // paris: s1–s6 and l1, adopters s1, s2, s3, l1; lyon: t1–t5 and l2, adopter t1.
    expect(groups.paris).toMatchObject({ suppressed: false, workforce: 7, adopters: 4 })
    expect(groups.lyon).toMatchObject({ suppressed: false, workforce: 6, adopters: 1 })
  })

  it('withhold the same in CSV', async () => {
    const res = await get(
      `/v1/orgs/acme/metrics/adoption?${range}&by=department&table=groups`,
      exec,
      'text/csv',
    )
    const lines = res.body.trim().split(/\r?\n/)
    expect(lines[0]).toMatch(/^group,suppressed,workforce,adopters/)
    for (const line of lines.slice(1)) expect(line).toMatch(/^(legal|sales|tech),true,,,/)
  })
})

describe('differencing attempts', () => {
  it('cannot take a department from a site: site=paris − department=sales would be l1', async () => {
    expect((await get(`/v1/orgs/acme/metrics/adoption?${range}&site=paris`, exec)).statusCode).toBe(200)
    const sales = await get(`/v1/orgs/acme/metrics/adoption?${range}&department=sales`, exec)
    expect(sales.statusCode).toBe(403)
    expect(sales.json().field).toBe('department')
    expect(sales.json().message).toMatch(/withheld/)
    // Nor through a breakdown of the site, nor a breakdown of the department.
    const paris = await get(`/v1/orgs/acme/metrics/adoption?${range}&site=paris&by=department`, exec)
    for (const g of paris.json().groups as Group[])
      expect(g).toMatchObject({ suppressed: true, adopters: null })
    const bySite = await get(`/v1/orgs/acme/metrics/adoption?${range}&department=sales&by=site`, exec)
    expect(bySite.statusCode).toBe(403)
  })

  it('refuses department=legal (2 people), in JSON, CSV and Arrow: the answer is not computed', async () => {
    for (const accept of [undefined, 'text/csv', 'application/vnd.apache.arrow.stream']) {
      const res = await get(`/v1/orgs/acme/metrics/adoption?${range}&department=legal`, exec, accept)
      expect(res.statusCode).toBe(403)
      expect(res.json().field).toBe('department')
    }
  })

  it('refuses a cell: site=lyon is 6 people, but tech at lyon is a withheld cell', async () => {
    expect((await get(`/v1/orgs/acme/metrics/adoption?${range}&site=lyon`, exec)).statusCode).toBe(200)
    const cell = await get(`/v1/orgs/acme/metrics/adoption?${range}&site=lyon&department=tech`, exec)
    expect(cell.statusCode).toBe(403)
  })

  it('withholds the same groups in every metric: participation and email by department', async () => {
    for (const metric of ['participation', 'email']) {
      const res = await get(`/v1/orgs/acme/metrics/${metric}?${range}&by=department`, exec)
      expect(res.statusCode).toBe(200)
      const groups = (res.json().groups as { group: string; suppressed: boolean }[]).filter(
        (g) => g.group !== '',
      )
      expect(groups.length).toBeGreaterThan(0)
      for (const g of groups) expect(g.suppressed).toBe(true)
    }
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
