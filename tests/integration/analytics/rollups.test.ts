// Rollups (issue 7). 1) Every metric answers the same from the rollups as from a scan of the raw
// events, on a simulated organisation, for several query shapes (the raw path is the independent
// computation: the hand-computed expectations of the other files pin it down). 2) A duplicate
// event sent twice, in two separate requests, does not inflate any rollup-based figure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MetricContext } from '../../../analytics/metric.ts'
import { metricRegistry } from '../../../analytics/metrics/index.ts'
import { type MetricQueryParams, metricQuerySchema, resolveQuery } from '../../../analytics/query.ts'
import type { MetricSource } from '../../../analytics/rollups.ts'
import { orgSettingsSchema, SettingsStore } from '../../../analytics/settings.ts'
import { parseSimulationOptions } from '../../../simulation/options.ts'
import { StoreOutput } from '../../../simulation/outputs.ts'
import { runSimulation } from '../../../simulation/simulate.ts'
import { auth, ndjson, startTestApp, type TestApp } from '../../helpers/app.ts'

let t: TestApp
const now = new Date('2025-06-01T12:00:00Z')

beforeAll(async () => {
  t = await startTestApp()
  const client = t.runtime.store.client
  const options = parseSimulationOptions({ org: 'sim', employees: 60, months: 4, seed: 7, end: '2025-06-01' })
  await runSimulation(options, { output: new StoreOutput(client, 'sim') })
  // The same events in an org without a roster (workforce = the actors seen) ...
  await client.command({
    query: `INSERT INTO events SELECT * REPLACE ('anon' AS org) FROM events WHERE org = 'sim'`,
  })
  // ... and in an org whose days are cut in Paris.
  await client.command({
    query: `INSERT INTO events SELECT * REPLACE ('paris' AS org) FROM events WHERE org = 'sim'`,
  })
  await client.command({
    query: `INSERT INTO roster SELECT * REPLACE ('paris' AS org) FROM roster WHERE org = 'sim'`,
  })
  await new SettingsStore(client).put('paris', orgSettingsSchema.parse({ time_zone: 'Europe/Paris' }))
}, 120_000)
afterAll(() => t?.close())

async function answer(name: string, org: string, params: Partial<MetricQueryParams>, source: MetricSource) {
  const metric = metricRegistry.find((m) => m.name === name)!
  const client = t.runtime.store.client
  const settings = await new SettingsStore(client).get(org)
  const ctx: MetricContext = {
    client,
    query: resolveQuery(org, metricQuerySchema.parse(params), settings.time_zone, now),
    settings,
    now,
    personLabel: (actor) => actor,
    source,
  }
  try {
    return (await metric.run(ctx)).json
  } catch (err) {
    return { error: (err as Error).message }
  }
}

const shapes: { org: string; params: Partial<MetricQueryParams> }[] = [
  { org: 'sim', params: { from: '2025-02-01', to: '2025-06-01', interval: 'week' } },
  { org: 'sim', params: { from: '2025-03-10', to: '2025-05-20', interval: 'day' } },
  { org: 'sim', params: { from: '2025-02-01', to: '2025-06-01', interval: 'month', by: 'department' } },
  { org: 'anon', params: { from: '2025-02-01', to: '2025-06-01', interval: 'week' } },
  { org: 'paris', params: { from: '2025-02-01', to: '2025-06-01', interval: 'week' } },
]

describe('rollups and raw scan', () => {
  it('the simulated org has events to compare', async () => {
    const rows = await t.runtime.store.client.query({
      query: `SELECT count() AS n FROM rollup_actor_day WHERE org = 'sim'`,
      format: 'JSONEachRow',
    })
    const [row] = await rows.json<{ n: string }>()
    expect(Number(row?.n)).toBeGreaterThan(1000)
  })

  for (const metric of metricRegistry) {
    it(`${metric.name} answers the same on both paths`, async () => {
      for (const { org, params } of shapes) {
        const shape = { ...params }
        if (shape.by && !metric.breakdowns.includes(shape.by)) delete shape.by
        const fromRollups = await answer(metric.name, org, shape, 'rollup')
        const fromRaw = await answer(metric.name, org, shape, 'raw')
        expect(fromRollups, `${org} ${JSON.stringify(shape)}`).toEqual(fromRaw)
      }
      // A department filter applies to the actor rows of the rollups as to the events.
      const department = { from: '2025-02-01', to: '2025-06-01', department: 'Sales' }
      expect(await answer(metric.name, 'sim', department, 'rollup')).toEqual(
        await answer(metric.name, 'sim', department, 'raw'),
      )
    }, 60_000)
  }
})

describe('a duplicate event and the rollups', () => {
  it('counts an event sent twice, in two requests, once', async () => {
    const post = (events: unknown[]) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { ...auth(), 'content-type': 'application/x-ndjson' },
        payload: ndjson(events),
      })
    const created = {
      org: 'dup',
      id: 'e1',
      source: 'app',
      type: 'post.created',
      time: '2025-05-05T09:00:00Z',
      actor: 'ann',
    }
    const viewed = {
      ...created,
      id: 'e2',
      type: 'content.viewed',
      feature: 'wiki',
      time: '2025-05-06T09:00:00Z',
      actor: 'ben',
    }
    const first = await post([created, viewed])
    expect(first.json()).toMatchObject({ accepted: 2, rejected: 0 })
    const again = await post([created]) // the same post.created, in a request of its own
    expect(again.json()).toMatchObject({ accepted: 1, rejected: 0 })
    const client = t.runtime.store.client
    // The copy did reach the store (two physical rows, before any merge) and the rollups' views.
    const stored = await client.query({
      query: `SELECT count() AS n FROM events WHERE org = 'dup' AND id = 'e1'`,
      format: 'JSONEachRow',
    })
    expect(Number((await stored.json<{ n: string }>())[0]!.n)).toBe(2)

    const range = { from: '2025-05-01', to: '2025-05-08', interval: 'day' as const }
    // By hand: ann active on 5 May, ben on 6 May; one adopter (ann: post.created is engaged).
    const au = (await answer('active-users', 'dup', range, 'rollup')) as {
      series: { date: string; dau: number; wau: number }[]
    }
    expect(au.series.find((d) => d.date === '2025-05-05')).toMatchObject({ dau: 1, wau: 1 })
    expect(au.series.find((d) => d.date === '2025-05-07')).toMatchObject({ dau: 0, wau: 2 })
    const adoption = (await answer('adoption', 'dup', range, 'rollup')) as {
      adopters: number
      workforce: number
    }
    expect(adoption).toMatchObject({ adopters: 1, workforce: 2 })
    const summary = (await answer('summary', 'dup', range, 'rollup')) as {
      events: number
      active_people: number
    }
    expect(summary).toMatchObject({ events: 2, active_people: 2 })
    const { tiers } = (await answer('participation', 'dup', range, 'rollup')) as {
      tiers: { tier: string; people: number }[]
    }
    expect(tiers.filter((x) => x.tier !== 'inactive').map((x) => [x.tier, x.people])).toEqual([
      ['creators', 1],
      ['contributors', 0],
      ['lurkers', 1],
    ])
  })
})

describe('rollups rebuild', () => {
  it('recomputes the rollups of one org from its events, the same as kept at insert', async () => {
    const client = t.runtime.store.client
    const snapshot = async () => {
      const result = await client.query({
        query: `SELECT
          (SELECT groupArray(tuple(day, actor, max_level, first_time, first_engaged, last_time)) FROM
            (SELECT day, actor, max(max_level) AS max_level, min(first_time) AS first_time,
                    min(first_engaged) AS first_engaged, max(last_time) AS last_time
             FROM rollup_actor_day WHERE org = 'sim' GROUP BY day, actor ORDER BY day, actor)) AS days,
          (SELECT groupArray(tuple(day, n)) FROM
            (SELECT day, uniqExactMerge(actives) AS n FROM rollup_day_actives WHERE org = 'sim'
             GROUP BY day ORDER BY day)) AS actives,
          (SELECT count() FROM rollup_actor_day WHERE org = 'anon') AS other_org`,
        format: 'JSON',
      })
      return (await result.json()).data
    }
    const before = await snapshot()
    const { rebuildRollups } = await import('../../../analytics/rollup-rebuild.ts')
    const months: string[] = []
    const report = await rebuildRollups(client, { org: 'sim', onProgress: (p) => months.push(p.date) })
    expect(report.months).toBe(4) // February to May 2025
    expect(months).toEqual(['2025-02', '2025-03', '2025-04', '2025-05'])
    expect(await snapshot()).toEqual(before)
  }, 60_000)
})
