// Rollups. 1) Every metric answers the same from the rollups as from a scan of the raw
// events, on a simulated organisation, for several query shapes and for orgs in UTC,
// Europe/Paris, America/New_York and Asia/Kolkata (the raw path is the independent computation:
// the hand-computed expectations of the other files pin it down), and the decider does send those
// orgs to the rollups. 2) A duplicate event sent twice, in two separate requests, does not inflate
// any rollup-based figure. 3) An org whose every event is sent twice through the writer stores
// each once, and its rollup counts equal those of the events.
import { readFileSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MetricContext, MetricSource } from '../../../analytics/metric.ts'
import { metricRegistry } from '../../../analytics/metrics/index.ts'
import { resolveQuery } from '../../../analytics/query.ts'
import { SettingsStore } from '../../../analytics/settings.ts'
import { eventColumns } from '../../../ingest/event-store.ts'
import { writeEvents } from '../../../ingest/event-writer.ts'
import { type MetricQueryParams, metricQuerySchema } from '../../../schemas/api/query.ts'
import { orgSettingsSchema } from '../../../schemas/api/settings.ts'
import type { StoredEvent } from '../../../schemas/event.ts'
import { parseSimulationOptions } from '../../../simulation/options.ts'
import { StoreOutput } from '../../../simulation/outputs.ts'
import { runSimulation } from '../../../simulation/simulate.ts'
import { auth, ndjson, startTestApp, type TestApp } from '../../helpers/app.ts'

let t: TestApp
const now = new Date('2025-06-01T12:00:00Z')
const zonedOrgs = [
  ['paris', 'Europe/Paris'],
  ['newyork', 'America/New_York'],
  ['kolkata', 'Asia/Kolkata'],
] as const

beforeAll(async () => {
  t = await startTestApp()
  const client = t.runtime.store.client
  const options = parseSimulationOptions({ org: 'sim', employees: 60, months: 4, seed: 7, end: '2025-06-01' })
  await runSimulation(options, { output: new StoreOutput(client, 'sim') })
  // The same events in an org without a roster (workforce = the actors seen) ...
  await client.command({
    query: `INSERT INTO events SELECT * REPLACE ('anon' AS org) FROM (SELECT * FROM events WHERE org = 'sim')`,
  })
  // ... and in orgs whose days are cut in other zones: their local day and minute as the writer
  // stamps them (checked against ClickHouse in event-writer.test.ts), their calendar ready there.
  for (const [org, zone] of zonedOrgs) {
    await client.command({
      query: `INSERT INTO events SELECT * REPLACE ('${org}' AS org, toDate(time, '${zone}') AS day,
                toUInt16(toHour(time, '${zone}') * 60 + toMinute(time, '${zone}')) AS minute)
              FROM (SELECT * FROM events WHERE org = 'sim')`,
    })
    await client.command({
      query: `INSERT INTO roster SELECT * REPLACE ('${org}' AS org) FROM (SELECT * FROM roster WHERE org = 'sim')`,
    })
    await new SettingsStore(client).put(org, orgSettingsSchema.parse({ time_zone: zone }))
    await client.command({ query: `INSERT INTO org_calendar VALUES ('${org}', '${zone}', 1, 1)` })
  }
}, 120_000)
afterAll(() => t?.close())

// A change meant to keep every answer (a metric's SQL rewritten) is checked against the code
// before it: `ANSWERS_RECORD=file` on the old code writes every raw-path answer below to `file`,
// and `ANSWERS_COMPARE=file` on the new code requires both paths to give those answers.
const recorded: Record<string, unknown> = process.env.ANSWERS_COMPARE
  ? JSON.parse(readFileSync(process.env.ANSWERS_COMPARE, 'utf8'))
  : {}
function againstRecord(key: string, answer: unknown): void {
  if (process.env.ANSWERS_RECORD) recorded[key] = answer
  else if (process.env.ANSWERS_COMPARE)
    expect(answer, `${key} against ${process.env.ANSWERS_COMPARE}`).toEqual(recorded[key])
}
afterAll(() => {
  if (process.env.ANSWERS_RECORD) writeFileSync(process.env.ANSWERS_RECORD, JSON.stringify(recorded))
})

async function contextOf(org: string, params: Partial<MetricQueryParams>, source: MetricSource) {
  const client = t.runtime.store.client
  const settings = await new SettingsStore(client).get(org)
  const calendar = await client.query({
    query: `SELECT argMax(zone, version) AS zone, argMax(ready, version) = 1 AS ready
            FROM org_calendar WHERE org = {org:String} GROUP BY org`,
    query_params: { org },
    format: 'JSONEachRow',
  })
  const [row] = await calendar.json<{ zone: string; ready: boolean | number }>()
  const ctx: MetricContext = {
    client,
    query: resolveQuery(org, metricQuerySchema.parse(params), settings.time_zone, now),
    settings,
    now,
    personLabel: (actor) => actor,
    // The whole answer, every group and list included: what is compared here is the SQL.
    role: 'admin',
    source,
    calendar: row ? { zone: row.zone, ready: Boolean(row.ready) } : undefined,
  }
  return ctx
}

async function answer(name: string, org: string, params: Partial<MetricQueryParams>, source: MetricSource) {
  const metric = metricRegistry.find((m) => m.name === name)!
  const ctx = await contextOf(org, params, source)
  try {
    return (await metric.run(ctx)).json
  } catch (err) {
    return { error: (err as Error).message }
  }
}

/** Sends events to the API as NDJSON, as a platform does. */
const post = (events: unknown[]) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: { ...auth(), 'content-type': 'application/x-ndjson' },
    payload: ndjson(events),
  })

const shapes: { org: string; params: Partial<MetricQueryParams> }[] = [
  { org: 'sim', params: { from: '2025-02-01', to: '2025-06-01', interval: 'week' } },
  { org: 'sim', params: { from: '2025-03-10', to: '2025-05-20', interval: 'day' } },
  { org: 'sim', params: { from: '2025-02-01', to: '2025-06-01', interval: 'month', by: 'department' } },
  { org: 'anon', params: { from: '2025-02-01', to: '2025-06-01', interval: 'week' } },
  ...zonedOrgs.map(([org]) => ({
    org,
    params: { from: '2025-02-01', to: '2025-06-01', interval: 'week' as const },
  })),
  { org: 'paris', params: { from: '2025-03-10', to: '2025-05-20', interval: 'day' } },
  { org: 'paris', params: { from: '2025-02-01', to: '2025-06-01', interval: 'month', by: 'department' } },
  { org: 'kolkata', params: { from: '2025-03-10', to: '2025-05-20', interval: 'day', feature: 'groups' } },
  // The count rollup keeps feature and space; the actor rollups fall back to the events.
  { org: 'sim', params: { from: '2025-02-01', to: '2025-06-01', interval: 'week', feature: 'groups' } },
  { org: 'sim', params: { from: '2025-02-01', to: '2025-06-01', interval: 'month', by: 'feature' } },
]

describe('rollups and raw scan', () => {
  it('the simulated org has events to compare', async () => {
    const rows = await t.runtime.store.client.query({
      query: `SELECT count() AS n FROM rollup_actor_day WHERE org = 'sim'`,
      format: 'JSONEachRow',
    })
    const [row] = await rows.json<{ n: string }>()
    expect(Number(row?.n)).toBeGreaterThan(1000)
    // The copies hold the same events (a `* REPLACE (… AS org)` must not filter on the new name).
    const copies = await t.runtime.store.client.query({
      query: `SELECT org, count() AS n FROM events WHERE org IN ('sim', 'anon', 'paris', 'newyork', 'kolkata') GROUP BY org ORDER BY org`,
      format: 'JSONEachRow',
    })
    const counts = (await copies.json<{ org: string; n: string }>()).map((r) => [r.org, Number(r.n)])
    const n = counts.find(([org]) => org === 'sim')?.[1]
    expect(n).toBeGreaterThan(1000)
    expect(counts).toEqual(['anon', 'kolkata', 'newyork', 'paris', 'sim'].map((org) => [org, n]))
  })

  it('sends the orgs of every zone to the rollups, with and without a department filter', async () => {
    const { rollupAnswers } = await import('../../../analytics/tables.ts')
    const stored = (ctx: MetricContext) =>
      (['rollup_actor_month', 'rollup_event_counts', 'rollup_actor_feature_month'] as const).map((table) =>
        rollupAnswers(ctx, table),
      )
    for (const org of ['sim', ...zonedOrgs.map(([o]) => o)]) {
      const plain = await contextOf(org, { from: '2025-02-01', to: '2025-06-01' }, 'rollup')
      expect(stored(plain), org).toEqual([true, true, true])
      const department = await contextOf(
        org,
        { from: '2025-02-01', to: '2025-06-01', department: 'Sales' },
        'rollup',
      )
      // The count rollup keeps no person: a department's counts are computed from its events.
      expect(stored(department), org).toEqual([true, false, true])
    }
    // An org whose calendar is still being rebuilt, or in another zone, reads computed rows.
    const rebuilding = await contextOf('paris', { from: '2025-02-01', to: '2025-06-01' }, 'rollup')
    expect(stored({ ...rebuilding, calendar: { zone: 'Europe/Paris', ready: false } })).toEqual([
      false,
      false,
      false,
    ])
    expect(stored({ ...rebuilding, calendar: { zone: 'UTC', ready: true } })).toEqual([false, false, false])
  })

  for (const metric of metricRegistry) {
    it(`${metric.name} answers the same on both paths`, async () => {
      for (const { org, params } of shapes) {
        const shape = { ...params }
        if (shape.by && !metric.breakdowns.includes(shape.by)) delete shape.by
        const fromRollups = await answer(metric.name, org, shape, 'rollup')
        const fromRaw = await answer(metric.name, org, shape, 'raw')
        expect(fromRollups, `${org} ${JSON.stringify(shape)}`).toEqual(fromRaw)
        againstRecord(`${metric.name} ${org} ${JSON.stringify(shape)}`, fromRaw)
      }
      // A department filter applies to the actor rows of the rollups as to the events.
      const department = { from: '2025-02-01', to: '2025-06-01', department: 'Sales' }
      const byDepartment = await answer(metric.name, 'sim', department, 'raw')
      expect(await answer(metric.name, 'sim', department, 'rollup')).toEqual(byDepartment)
      againstRecord(`${metric.name} sim department`, byDepartment)
      // So does a space filter (communities' rollup keeps the space), the range ending mid-month.
      const [busiest] = await t.runtime.store.client
        .query({
          query: `SELECT space FROM events WHERE org = 'sim' AND space != '' GROUP BY space ORDER BY count() DESC, space LIMIT 1`,
          format: 'JSONEachRow',
        })
        .then((r) => r.json<{ space: string }>())
      const space = { from: '2025-02-01', to: '2025-05-17', space: busiest!.space }
      const bySpace = await answer(metric.name, 'sim', space, 'raw')
      expect(await answer(metric.name, 'sim', space, 'rollup')).toEqual(bySpace)
      againstRecord(`${metric.name} sim space`, bySpace)
    }, 180_000)
  }
})

describe('every event sent twice through the writer', () => {
  const client = () => t.runtime.store.client
  async function one<T>(query: string): Promise<T> {
    const result = await client().query({
      query,
      format: 'JSONEachRow',
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    })
    return (await result.json<T>())[0]!
  }

  beforeAll(async () => {
    // sim's events as a platform would send them again, in two passes cut differently.
    const result = await client().query({
      query: `SELECT ${eventColumns.map((c) => (c === 'time' || c === 'received_at' ? `toString(${c}) AS ${c}` : c)).join(', ')}
              FROM events WHERE org = 'sim' ORDER BY source, id`,
      format: 'JSONEachRow',
    })
    const events = (await result.json<StoredEvent>()).map((e) => ({
      ...e,
      org: 'twice',
      count: Number(e.count),
    }))
    for (const size of [5000, 3000]) {
      for (let i = 0; i < events.length; i += size) {
        await writeEvents(client(), events.slice(i, i + size), { writer: 'test-twice' })
      }
    }
    await client().command({
      query: `INSERT INTO roster SELECT * REPLACE ('twice' AS org) FROM (SELECT * FROM roster WHERE org = 'sim')`,
    })
  }, 120_000)

  it('stores each event once: one physical row each, before any merge', async () => {
    const rows = await one<{ rows: number; distinct: number; sim: number }>(
      `SELECT count() AS rows, uniqExact(source, id) AS distinct,
              (SELECT count() FROM events WHERE org = 'sim') AS sim
       FROM events WHERE org = 'twice'`,
    )
    expect(rows).toEqual({ rows: rows.sim, distinct: rows.sim, sim: rows.sim })
  })

  it('holds in rollup_event_counts the counts and sums of the events, per day and type', async () => {
    const perDayAndType = (from: string) =>
      one<{ rows: [string, string, number, number][] }>(
        `SELECT groupArray(tuple(d, type, events, total)) AS rows FROM (${from} ORDER BY d, type)`,
      )
    const fromRollup = await perDayAndType(
      `SELECT d, type, events, total FROM (
         SELECT toString(day) AS d, type, sum(r.events) AS events, sum(r.events * r.count) AS total
         FROM rollup_event_counts AS r WHERE org = 'twice' GROUP BY d, type)`,
    )
    const fromEvents = await perDayAndType(
      `SELECT toString(toDate(time, 'UTC')) AS d, type, count() AS events, sum(count) AS total
       FROM events WHERE org = 'twice' GROUP BY d, type`,
    )
    expect(fromRollup.rows.length).toBeGreaterThan(100)
    expect(fromRollup).toEqual(fromEvents)
  })

  it('answers every metric from the rollups as the raw path does on the first copy', async () => {
    const shape = { from: '2025-02-01', to: '2025-06-01', interval: 'week' as const }
    for (const metric of metricRegistry) {
      const fromRollups = await answer(metric.name, 'twice', shape, 'rollup')
      const onOneCopy = (await answer(metric.name, 'sim', shape, 'raw')) as Record<string, unknown>
      // Answers that name their org name it differently; nothing else may differ.
      const expected = 'org' in onOneCopy ? { ...onOneCopy, org: 'twice' } : onOneCopy
      expect(fromRollups, metric.name).toEqual(expected)
    }
  }, 180_000)
})

describe('a duplicate event and the rollups', () => {
  it('counts an event sent twice, in two requests, once', async () => {
    const created = {
      org: 'dup',
      id: 'e1',
      source: 'app',
      type: 'post.created',
      time: '2025-05-05T09:00:00Z',
      actor: 'ann',
    }
    // A pre-aggregated feed: 5 emails sent by ann that day, in one event.
    const emails = {
      ...created,
      id: 'm1',
      type: 'email.sent',
      count: 5,
      time: '2025-05-05T18:00:00Z',
    }
    const viewed = {
      ...created,
      id: 'e2',
      type: 'content.viewed',
      feature: 'wiki',
      time: '2025-05-06T09:00:00Z',
      actor: 'ben',
    }
    const first = await post([created, viewed, emails])
    expect(first.json()).toMatchObject({ accepted: 3, rejected: 0 })
    const again = await post([created, emails]) // the same two events, in a request of their own
    expect(again.json()).toMatchObject({ accepted: 2, rejected: 0 })
    const client = t.runtime.store.client
    // The writer dropped the copy before the insert (ingest/event-writer.ts): one physical row,
    // before any merge, so neither the events nor the rollups' views ever saw it twice.
    const stored = await client.query({
      query: `SELECT count() AS n FROM events WHERE org = 'dup' AND id = 'e1'`,
      format: 'JSONEachRow',
    })
    expect(Number((await stored.json<{ n: string }>())[0]!.n)).toBe(1)

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
    // By hand: three events (post, view, emails), two active people (an email is level none).
    expect(summary).toMatchObject({ events: 3, active_people: 2 })
    const features = (await answer('features', 'dup', range, 'rollup')) as {
      features: { feature: string; events: number }[]
    }
    expect(features.features.filter((f) => f.events > 0).map((f) => [f.feature, f.events])).toEqual([
      ['groups', 1],
      ['wiki', 1],
    ])
    const email = (await answer('email', 'dup', range, 'rollup')) as {
      series: { period: string; emails: number }[]
    }
    expect(email.series.filter((p) => p.emails > 0)).toMatchObject([{ period: '2025-05-05', emails: 5 }])
    const roi = (await answer('roi', 'dup', range, 'rollup')) as {
      months: { month: string; events: number; create: number; react: number; emails: number }[]
    }
    expect(roi.months).toMatchObject([{ month: '2025-05-01', events: 3, create: 1, react: 0, emails: 5 }])
    const { tiers } = (await answer('participation', 'dup', range, 'rollup')) as {
      tiers: { tier: string; people: number }[]
    }
    expect(tiers.filter((x) => x.tier !== 'inactive').map((x) => [x.tier, x.people])).toEqual([
      ['creators', 1],
      ['contributors', 0],
      ['reactors', 0],
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
          (SELECT groupArray(tuple(day, type, feature, level, space, count, n)) FROM
            (SELECT day, type, feature, level, space, count, sum(events) AS n
             FROM rollup_event_counts WHERE org = 'sim'
             GROUP BY day, type, feature, level, space, count
             ORDER BY day, type, feature, level, space, count)) AS counts,
          (SELECT count() FROM rollup_actor_day WHERE org = 'anon') AS other_org`,
        format: 'JSON',
      })
      return (await result.json()).data
    }
    const before = await snapshot()
    const { rebuildRollups } = await import('../../../analytics/rollup-rebuild.ts')
    const months: string[] = []
    const report = await rebuildRollups(client, { org: 'sim', onProgress: (p) => months.push(p.date) })
    // February to May 2025, and the 8 weeks of email before the launch (from 7 December 2024).
    expect(report.months).toBe(6)
    expect(months).toEqual(['2024-12', '2025-01', '2025-02', '2025-03', '2025-04', '2025-05'])
    expect(await snapshot()).toEqual(before)
  }, 60_000)
})
