// Rollups. 1) Every metric answers the same from the rollups as from a scan of the raw
// events, on a simulated organisation, for several query shapes (the raw path is the independent
// computation: the hand-computed expectations of the other files pin it down). 2) A duplicate
// event sent twice, in two separate requests, does not inflate any rollup-based figure. 3) An
// org whose every event is stored twice (merges stopped) answers from the rollups what the raw
// path answers on one copy, and the exact counts equal those read through FINAL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MetricContext, MetricSource } from '../../../analytics/metric.ts'
import { metricRegistry } from '../../../analytics/metrics/index.ts'
import { resolveQuery } from '../../../analytics/query.ts'
import { SettingsStore } from '../../../analytics/settings.ts'
import { type MetricQueryParams, metricQuerySchema } from '../../../schemas/api/query.ts'
import { orgSettingsSchema } from '../../../schemas/api/settings.ts'
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
    query: `INSERT INTO events SELECT * REPLACE ('anon' AS org) FROM (SELECT * FROM events WHERE org = 'sim')`,
  })
  // ... and in an org whose days are cut in Paris.
  await client.command({
    query: `INSERT INTO events SELECT * REPLACE ('paris' AS org) FROM (SELECT * FROM events WHERE org = 'sim')`,
  })
  await client.command({
    query: `INSERT INTO roster SELECT * REPLACE ('paris' AS org) FROM (SELECT * FROM roster WHERE org = 'sim')`,
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
  { org: 'paris', params: { from: '2025-02-01', to: '2025-06-01', interval: 'week' } },
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
      query: `SELECT org, count() AS n FROM events WHERE org IN ('sim', 'anon', 'paris') GROUP BY org ORDER BY org`,
      format: 'JSONEachRow',
    })
    const counts = (await copies.json<{ org: string; n: string }>()).map((r) => [r.org, Number(r.n)])
    expect(counts).toEqual([
      ['anon', counts[2]?.[1]],
      ['paris', counts[2]?.[1]],
      ['sim', counts[2]?.[1]],
    ])
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
      // So does a space filter (communities' rollup keeps the space), the range ending mid-month.
      const [busiest] = await t.runtime.store.client
        .query({
          query: `SELECT space FROM events WHERE org = 'sim' AND space != '' GROUP BY space ORDER BY count() DESC, space LIMIT 1`,
          format: 'JSONEachRow',
        })
        .then((r) => r.json<{ space: string }>())
      const space = { from: '2025-02-01', to: '2025-05-17', space: busiest!.space }
      expect(await answer(metric.name, 'sim', space, 'rollup')).toEqual(
        await answer(metric.name, 'sim', space, 'raw'),
      )
    }, 180_000)
  }
})

describe('every event stored twice, merges stopped', () => {
  const client = () => t.runtime.store.client
  async function one<T>(query: string): Promise<T> {
    const result = await client().query({
      query,
      format: 'JSONEachRow',
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    })
    return (await result.json<T>())[0]!
  }
  const stored = (org: string) =>
    one<{ rows: number; events: number; total: number }>(
      `SELECT (SELECT count() FROM events WHERE org = '${org}') AS rows,
              (SELECT count() FROM events FINAL WHERE org = '${org}') AS events,
              (SELECT sum(count) FROM events FINAL WHERE org = '${org}') AS total`,
    )

  beforeAll(async () => {
    // No merge may collapse the copies while the rollups are read.
    await client().command({ query: 'SYSTEM STOP MERGES events' })
    // Two copies of each event of sim, re-received a second apart (a re-send), in two inserts.
    for (const copy of [0, 1]) {
      await client().command({
        query: `INSERT INTO events SELECT * REPLACE ('twice' AS org, addSeconds(received_at, ${copy}) AS received_at)
                FROM (SELECT * FROM events WHERE org = 'sim')`,
      })
    }
    await client().command({
      query: `INSERT INTO roster SELECT * REPLACE ('twice' AS org) FROM (SELECT * FROM roster WHERE org = 'sim')`,
    })
  }, 120_000)
  afterAll(() => client().command({ query: 'SYSTEM START MERGES events' }))

  it('holds two physical rows per event: the copies are there, unmerged', async () => {
    const sim = await stored('sim')
    const twice = await stored('twice')
    expect(twice.rows).toBe(2 * sim.rows)
    expect(twice.events).toBe(sim.events)
    expect(twice.rows).toBeGreaterThan(twice.events)
  })

  it('counts each event once in rollup_event_counts: the same counts and sums as FINAL, per day and type', async () => {
    const perDayAndType = (from: string) =>
      one<{ rows: [string, string, number, number][] }>(
        `SELECT groupArray(tuple(d, type, events, total)) AS rows FROM (${from} ORDER BY d, type)`,
      )
    const fromRollup = await perDayAndType(
      `SELECT toString(day) AS d, type, sum(n) AS events, sum(n * count) AS total FROM (
         SELECT day, type, count, uniqExactMerge(events) AS n FROM rollup_event_counts
         WHERE org = 'twice' GROUP BY day, type, count)
       GROUP BY d, type`,
    )
    const fromFinal = await perDayAndType(
      `SELECT toString(toDate(time, 'UTC')) AS d, type, count() AS events, sum(count) AS total
       FROM events FINAL WHERE org = 'twice' GROUP BY d, type`,
    )
    expect(fromRollup.rows.length).toBeGreaterThan(100)
    expect(fromRollup).toEqual(fromFinal)
    const stillTwice = await stored('twice')
    expect(stillTwice.rows).toBe(2 * stillTwice.events)
  })

  it('answers every metric from the rollups as the raw path does on a single copy', async () => {
    const shape = { from: '2025-02-01', to: '2025-06-01', interval: 'week' as const }
    for (const metric of metricRegistry) {
      const fromRollups = await answer(metric.name, 'twice', shape, 'rollup')
      const onOneCopy = (await answer(metric.name, 'sim', shape, 'raw')) as Record<string, unknown>
      // Answers that name their org name it differently; nothing else may differ.
      const expected = 'org' in onOneCopy ? { ...onOneCopy, org: 'twice' } : onOneCopy
      expect(fromRollups, metric.name).toEqual(expected)
    }
    const merged = await stored('twice')
    expect(merged.rows).toBe(2 * merged.events) // still unmerged while the metrics were read
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
            (SELECT day, type, feature, level, space, count, uniqExactMerge(events) AS n
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
    expect(report.months).toBe(4) // February to May 2025
    expect(months).toEqual(['2025-02', '2025-03', '2025-04', '2025-05'])
    expect(await snapshot()).toEqual(before)
  }, 60_000)
})

describe('sealed counts (migration 011)', () => {
  const client = () => t.runtime.store.client
  const countMetrics = ['summary', 'features', 'email', 'roi', 'communities']
  const shape = { from: '2025-02-01', to: '2025-06-01', interval: 'week' as const }
  async function sameOnBothPaths(org: string) {
    for (const name of countMetrics) {
      for (const params of [
        shape,
        { ...shape, feature: 'groups' as const },
        { ...shape, interval: 'day' as const },
      ]) {
        const fromRollups = await answer(name, org, params, 'rollup')
        expect(fromRollups, `${name} ${JSON.stringify(params)}`).toEqual(
          await answer(name, org, params, 'raw'),
        )
      }
    }
  }
  const eventsOf = async (org: string) =>
    ((await answer('summary', org, shape, 'rollup')) as { events: number }).events

  beforeAll(async () => {
    await client().command({
      query: `INSERT INTO events SELECT * REPLACE ('sealed' AS org) FROM (SELECT * FROM events WHERE org = 'sim')`,
    })
    await client().command({
      query: `INSERT INTO roster SELECT * REPLACE ('sealed' AS org) FROM (SELECT * FROM roster WHERE org = 'sim')`,
    })
  }, 60_000)

  it('seals only quiet days: none just written, all of them with no quiet period', async () => {
    const { sealCounts, sealSnapshot } = await import('../../../analytics/count-seals.ts')
    expect(await sealCounts(client(), { org: 'sealed', quietSeconds: 3600 })).toEqual({ days: 0 })
    const report = await sealCounts(client(), { org: 'sealed', quietSeconds: 0 })
    const [days] = await client()
      .query({
        query: `SELECT uniqExact(toDate(time, 'UTC')) AS n FROM events WHERE org = 'sealed'`,
        format: 'JSONEachRow',
      })
      .then((r) => r.json<{ n: string }>())
    expect(report.days).toBe(Number(days!.n))
    expect((await sealSnapshot(client(), 'sealed')).sealed_days).toHaveLength(report.days)
    // Sealing again finds nothing new to seal.
    expect(await sealCounts(client(), { org: 'sealed', quietSeconds: 0 })).toEqual({ days: 0 })
  })

  it('stores per day the same counts and sums as the events read through FINAL', async () => {
    const perDay = async (query: string) =>
      (
        await client()
          .query({ query, format: 'JSONEachRow' })
          .then((r) => r.json<object>())
      ).map((r) => JSON.stringify(r))
    const sealed = await perDay(
      `SELECT toString(day) AS d, type, sum(n) AS events, sum(n * count) AS total
       FROM rollup_sealed_counts WHERE org = 'sealed' GROUP BY d, type ORDER BY d, type`,
    )
    expect(sealed.length).toBeGreaterThan(100)
    expect(sealed).toEqual(
      await perDay(
        `SELECT toString(toDate(time, 'UTC')) AS d, type, count() AS events, sum(count) AS total
         FROM events FINAL WHERE org = 'sealed' GROUP BY d, type ORDER BY d, type`,
      ),
    )
  })

  it('answers every counting metric from the sealed days as the raw path does', async () => {
    await sameOnBothPaths('sealed')
  }, 120_000)

  it('reads the stored numbers of sealed days (a stored number changed shows in the answer)', async () => {
    const before = await eventsOf('sealed')
    const { sealSnapshot } = await import('../../../analytics/count-seals.ts')
    const { sealed_days, sealed_ids } = await sealSnapshot(client(), 'sealed')
    const day = sealed_days.find((d) => d >= '2025-03-01' && d < '2025-04-01')!
    const seal = sealed_ids[sealed_days.indexOf(day)]!
    // A made-up extra row under the day's valid seal: readers must add its 1000 events.
    await client().command({
      query: `INSERT INTO rollup_sealed_counts VALUES ('sealed', {day:Date}, {seal:UUID}, 'made.up', 'groups', 'view', '', 1, 1000, now64(3))`,
      query_params: { day, seal },
    })
    expect(await eventsOf('sealed')).toBe(before + 1000)
    await client().command({
      query: `ALTER TABLE rollup_sealed_counts DELETE WHERE org = 'sealed' AND type = 'made.up'`,
      clickhouse_settings: { mutations_sync: '2' },
    })
    expect(await eventsOf('sealed')).toBe(before)
  })

  it('counts a day once when a seal was cut short or a second sealer sealed it too', async () => {
    const { sealSnapshot } = await import('../../../analytics/count-seals.ts')
    const before = await eventsOf('sealed')
    const { sealed_days, sealed_ids } = await sealSnapshot(client(), 'sealed')
    const day = sealed_days.find((d) => d >= '2025-04-01' && d < '2025-05-01')!
    const seal = sealed_ids[sealed_days.indexOf(day)]!
    const copyCounts = (newSeal: string) =>
      client().command({
        query: `INSERT INTO rollup_sealed_counts
                SELECT * REPLACE (toUUID({newSeal:String}) AS seal) FROM rollup_sealed_counts WHERE org = 'sealed' AND seal = {seal:UUID}`,
        query_params: { newSeal, seal },
      })
    // Cut short: counts written under a seal id that never reached rollup_count_seals.
    await copyCounts('00000000-0000-0000-0000-0000000000c5')
    expect(await eventsOf('sealed')).toBe(before)
    // Sealed twice: a second complete seal of the same day under the same touch.
    await copyCounts('ffffffff-0000-0000-0000-0000000000c5')
    await client().command({
      query: `INSERT INTO rollup_count_seals SELECT * REPLACE (toUUID('ffffffff-0000-0000-0000-0000000000c5') AS seal)
              FROM rollup_count_seals WHERE org = 'sealed' AND seal = {seal:UUID}`,
      query_params: { seal },
    })
    expect((await sealSnapshot(client(), 'sealed')).sealed_days).toHaveLength(sealed_days.length)
    expect(await eventsOf('sealed')).toBe(before)
  })

  it('counts a late event on a sealed day, and a re-sent copy once, before and after resealing', async () => {
    const { sealCounts, sealSnapshot } = await import('../../../analytics/count-seals.ts')
    const before = await eventsOf('sealed')
    const [existing] = await client()
      .query({
        query: `SELECT id, source, type, feature, toString(time) AS time, actor, space, object, parent, target, count
                FROM events WHERE org = 'sealed' AND type = 'content.viewed' ORDER BY time, id LIMIT 1 OFFSET 100`,
        format: 'JSONEachRow',
      })
      .then((r) => r.json<Record<string, string | number>>())
    const resent = Object.fromEntries(
      Object.entries({
        ...existing,
        org: 'sealed',
        time: `${String(existing!.time).replace(' ', 'T')}Z`,
        count: Number(existing!.count),
      }).filter(([, v]) => v !== ''),
    )
    const day = String(existing!.time).slice(0, 10)
    expect((await sealSnapshot(client(), 'sealed')).sealed_days).toContain(day)
    const late = { ...resent, id: 'late-1', feature: resent.feature === 'wiki' ? 'files' : 'wiki' }
    const res = await post([resent, late])
    expect(res.json()).toMatchObject({ accepted: 2, rejected: 0 })
    // The day is no longer sealed: read from its sets, where the copy finds its identity.
    expect((await sealSnapshot(client(), 'sealed')).sealed_days).not.toContain(day)
    expect(await eventsOf('sealed')).toBe(before + 1)
    await sameOnBothPaths('sealed')
    // Sealed again, the day's stored count holds the late event and the copy once.
    expect(await sealCounts(client(), { org: 'sealed', quietSeconds: 0 })).toEqual({ days: 1 })
    expect((await sealSnapshot(client(), 'sealed')).sealed_days).toContain(day)
    expect(await eventsOf('sealed')).toBe(before + 1)
    await sameOnBothPaths('sealed')
  }, 180_000)

  it('forgets the seals of an org its rebuild rewrites', async () => {
    const { sealSnapshot } = await import('../../../analytics/count-seals.ts')
    const { rebuildRollups } = await import('../../../analytics/rollup-rebuild.ts')
    const before = await eventsOf('sealed')
    await rebuildRollups(client(), { org: 'sealed' })
    expect((await sealSnapshot(client(), 'sealed')).sealed_days).toEqual([])
    expect(await eventsOf('sealed')).toBe(before)
  }, 60_000)
})
