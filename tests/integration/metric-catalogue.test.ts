// The metric catalogue (schemas/api/catalogue.ts) against what the server does and what the
// dashboard sends: the metric routes are exactly the catalogue's names; every filter a metric
// lists is accepted and changes its answer (a filter it ignored would leave the answer as is);
// every filter it does not list is a 400 naming it; and the dashboard's request for a metric
// keeps exactly the filters the server accepts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { metricRequest } from '../../dashboard/src/lib/api/metrics.ts'
import { type FilterName, filterNames, metricCatalogue, metricNames } from '../../schemas/api/catalogue.ts'
import { parseSimulationOptions } from '../../simulation/options.ts'
import { StoreOutput } from '../../simulation/outputs.ts'
import { runSimulation } from '../../simulation/simulate.ts'
import { auth, startTestApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
const range = { from: '2025-03-01', to: '2025-06-01', interval: 'week' }
/** One value per filter that selects part of the simulated org, read from its data. */
const subset: Record<FilterName, string> = { feature: 'groups', department: '', site: '', space: '' }

async function mostCommon(query: string): Promise<string> {
  const result = await t.runtime.store.client.query({ query, format: 'JSONEachRow' })
  const [row] = await result.json<{ value: string }>()
  return row?.value ?? ''
}

beforeAll(async () => {
  t = await startTestApp()
  const client = t.runtime.store.client
  const options = parseSimulationOptions({
    org: 'cat',
    employees: 40,
    months: 3,
    seed: 11,
    end: '2025-06-01',
  })
  await runSimulation(options, { output: new StoreOutput(client, 'cat') })
  const top = (column: string, table: string) =>
    mostCommon(
      `SELECT ${column} AS value FROM ${table} WHERE org = 'cat' AND ${column} != '' GROUP BY value ORDER BY count() DESC, value LIMIT 1`,
    )
  subset.department = await top('department', 'roster')
  subset.site = await top('site', 'roster')
  subset.space = await top('space', 'events')
}, 120_000)
afterAll(() => t?.close())

const get = (metric: string, params: Record<string, string>) =>
  t.app.inject({
    method: 'GET',
    url: `/v1/orgs/cat/metrics/${metric}?${new URLSearchParams(params)}`,
    headers: auth(),
  })

describe('the metric catalogue', () => {
  it('names exactly the metric routes the server registers', async () => {
    const paths = Object.keys((await t.app.inject({ method: 'GET', url: '/docs/json' })).json().paths)
    const served = paths.flatMap((p) => /^\/v1\/orgs\/\{org\}\/metrics\/([^/{}]+)$/.exec(p)?.[1] ?? [])
    expect(served.sort()).toEqual([...metricNames].sort())
    expect(Object.keys(metricCatalogue).sort()).toEqual([...metricNames].sort())
  })

  it('the simulated org has a department, a site and a space to filter on', () => {
    expect(subset.department).not.toBe('')
    expect(subset.site).not.toBe('')
    expect(subset.space).not.toBe('')
  })

  for (const metric of metricNames) {
    const honoured: readonly FilterName[] = metricCatalogue[metric].filters
    it(`${metric}: applies ${honoured.join(', ') || 'no filter'} and refuses the others by name`, async () => {
      const whole = await get(metric, range)
      expect(whole.statusCode, whole.body).toBe(200)
      for (const filter of filterNames) {
        const res = await get(metric, { ...range, [filter]: subset[filter] })
        if (honoured.includes(filter)) {
          expect(res.statusCode, `${metric} ${filter}: ${res.body}`).toBe(200)
          expect(res.json(), `${metric} ignores ${filter}`).not.toEqual(whole.json())
        } else {
          expect(res.statusCode, `${metric} ${filter}: ${res.body}`).toBe(400)
          expect(res.json().field, `${metric} ${filter}`).toBe(filter)
        }
      }
    })
  }

  it("the dashboard's request for each metric keeps the filters the server takes and drops the others", async () => {
    for (const metric of metricNames) {
      const request = metricRequest(metric, { ...range, ...subset })
      const res = await get(metric, request.params)
      expect(res.statusCode, `${metric}: ${res.body}`).toBe(200)
      for (const filter of request.dropped) {
        const refused = await get(metric, { ...request.params, [filter]: subset[filter] })
        expect(refused.statusCode, `${metric} drops ${filter}, which the server takes`).toBe(400)
      }
      const kept = filterNames.filter((f) => f in request.params)
      expect([...kept, ...request.dropped].sort(), metric).toEqual([...filterNames].sort())
    }
  })
})
