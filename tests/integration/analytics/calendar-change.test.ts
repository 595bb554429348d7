// A change of an org's time zone on the real engine (server/calendar-change.ts): the settings route
// starts it, the ingest status shows it, the events end up stamped with their local day and minute
// in the new zone (checked against ClickHouse's own time-zone functions), new events are stamped
// in it, and the rollups rebuilt in it answer as the raw events do. While it runs the calendar says
// not ready; a change asked meanwhile waits and runs for the latest zone; a runtime's close stops
// a change; a start rebuilds every calendar that is not ready in its org's zone; a zone that is not
// an IANA name never reaches the SQL.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mismatchedEvents, readCalendar, restampEvents } from '../../../analytics/calendar.ts'
import type { MetricContext, MetricSource } from '../../../analytics/metric.ts'
import { metricRegistry } from '../../../analytics/metrics/index.ts'
import { resolveQuery } from '../../../analytics/query.ts'
import { SettingsStore } from '../../../analytics/settings.ts'
import { rollupAnswers } from '../../../analytics/tables.ts'
import type { IngestStatus } from '../../../schemas/api/ingest.ts'
import { type MetricQueryParams, metricQuerySchema } from '../../../schemas/api/query.ts'
import { orgSettingsSchema } from '../../../schemas/api/settings.ts'
import { CalendarChangeStopped, changeCalendar } from '../../../server/calendar-change.ts'
import { parseSimulationOptions } from '../../../simulation/options.ts'
import { StoreOutput } from '../../../simulation/outputs.ts'
import { runSimulation } from '../../../simulation/simulate.ts'
import { auth, ndjson, startTestApp, type TestApp } from '../../helpers/app.ts'
import { seedEvents } from '../../helpers/seed.ts'

let t: TestApp
const now = new Date('2025-06-01T12:00:00Z')
const client = () => t.runtime.store.client

/** Events around midnight UTC and the clock change of 2025-03-30 (01:00 UTC in Europe). */
const edgeEvents = [
  { id: 'e1', type: 'content.viewed', time: '2025-03-29T23:30:00Z', actor: 'ana', feature: 'articles' },
  { id: 'e2', type: 'content.viewed', time: '2025-03-30T00:59:00Z', actor: 'ben', feature: 'articles' },
  { id: 'e3', type: 'content.viewed', time: '2025-03-30T01:00:00Z', actor: 'ana', feature: 'articles' },
  { id: 'e4', type: 'content.viewed', time: '2025-03-30T22:10:00Z', actor: 'cid', feature: 'articles' },
  { id: 'e5', type: 'content.viewed', time: '2025-04-30T22:45:00Z', actor: 'ben', feature: 'articles' },
]

beforeAll(async () => {
  t = await startTestApp()
  const options = parseSimulationOptions({
    org: 'cal-paris',
    employees: 40,
    months: 3,
    seed: 11,
    end: '2025-06-01',
  })
  await runSimulation(options, { output: new StoreOutput(client(), 'cal-paris') })
  await seedEvents(client(), 'cal-paris', edgeEvents)
}, 120_000)
afterAll(() => t?.close())

async function status(app: TestApp, org: string): Promise<IngestStatus> {
  const res = await app.app.inject({ method: 'GET', url: `/v1/orgs/${org}/ingest/status`, headers: auth() })
  expect(res.statusCode).toBe(200)
  return res.json()
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 90_000) {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Events whose stored day or minute is not ClickHouse's for their time in `zone`, and all of them. */
async function stamps(app: TestApp, org: string, zone: string): Promise<{ wrong: number; all: number }> {
  const result = await app.runtime.store.client.query({
    query: `SELECT countIf(day != toDate(time, '${zone}')
                      OR minute != toHour(time, '${zone}') * 60 + toMinute(time, '${zone}')) AS wrong,
                   count() AS all
            FROM events WHERE org = {org:String}`,
    query_params: { org },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ wrong: string; all: string }>()
  return { wrong: Number(row!.wrong), all: Number(row!.all) }
}

async function contextOf(org: string, params: Partial<MetricQueryParams>, source: MetricSource) {
  const settings = await new SettingsStore(client()).get(org)
  const ctx: MetricContext = {
    client: client(),
    query: resolveQuery(org, metricQuerySchema.parse(params), settings.time_zone, now),
    settings,
    now,
    personLabel: (actor) => actor,
    // The whole answer, every group and list included: what is compared here is the SQL.
    role: 'admin',
    source,
    calendar: await readCalendar(client(), org),
  }
  return ctx
}

async function answer(name: string, org: string, params: Partial<MetricQueryParams>, source: MetricSource) {
  const metric = metricRegistry.find((m) => m.name === name)!
  return (await metric.run(await contextOf(org, params, source))).json
}

describe('a time-zone change through the settings route', () => {
  it('restamps the events in the new zone, then says the calendar is ready there', async () => {
    expect(await status(t, 'cal-paris')).toMatchObject({ calendar: { zone: 'UTC', ready: true } })
    expect((await stamps(t, 'cal-paris', 'UTC')).wrong).toBe(0)
    expect((await stamps(t, 'cal-paris', 'Europe/Paris')).wrong).toBeGreaterThan(0)

    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/orgs/cal-paris/settings',
      headers: auth(),
      payload: { time_zone: 'Europe/Paris' },
    })
    expect(put.statusCode).toBe(200)
    await until(
      'the calendar of cal-paris',
      async () => (await status(t, 'cal-paris')).calendar,
      (c) => c.zone === 'Europe/Paris' && c.ready,
    )
    const after = await stamps(t, 'cal-paris', 'Europe/Paris')
    expect(after.all).toBeGreaterThan(1000)
    expect(after.wrong).toBe(0)
    // By hand: 23:30 UTC on the 29th is 00:30 in Paris (winter time), 01:00 UTC on the 30th is
    // 03:00 (summer time), 22:45 UTC on 30 April is 00:45 on 1 May.
    const edges = await client().query({
      query: `SELECT id, toString(day) AS day, minute FROM events
              WHERE org = 'cal-paris' AND source = 'seed' ORDER BY id`,
      format: 'JSONEachRow',
    })
    expect(await edges.json()).toEqual([
      { id: 'e1', day: '2025-03-30', minute: 30 },
      { id: 'e2', day: '2025-03-30', minute: 119 },
      { id: 'e3', day: '2025-03-30', minute: 180 },
      { id: 'e4', day: '2025-03-31', minute: 10 },
      { id: 'e5', day: '2025-05-01', minute: 45 },
    ])
  }, 120_000)

  it('stamps the events sent after the change in the new zone', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(), 'content-type': 'application/x-ndjson' },
      payload: ndjson([
        {
          org: 'cal-paris',
          id: 'late-1',
          type: 'content.viewed',
          feature: 'articles',
          time: '2025-05-10T22:15:00Z',
          actor: 'ana',
        },
      ]),
    })
    expect(res.statusCode).toBe(202)
    expect(res.json()).toMatchObject({ accepted: 1, rejected: 0 })
    const result = await client().query({
      query: `SELECT toString(day) AS day, minute FROM events WHERE org = 'cal-paris' AND id = 'late-1'`,
      format: 'JSONEachRow',
    })
    expect(await result.json()).toEqual([{ day: '2025-05-11', minute: 15 }])
    expect((await stamps(t, 'cal-paris', 'Europe/Paris')).wrong).toBe(0)
  })

  it('has rollups cut in the new zone, which answer as the raw events do', async () => {
    // The per-person days of the rollup are the events' days in Paris.
    const days = await client().query({
      query: `SELECT
                (SELECT arraySort(groupArray((day, actor))) FROM
                  (SELECT DISTINCT day, actor FROM rollup_actor_day WHERE org = 'cal-paris')) AS rollup,
                (SELECT arraySort(groupArray((day, actor))) FROM
                  (SELECT DISTINCT toDate(time, 'Europe/Paris') AS day, actor FROM events WHERE org = 'cal-paris')) AS raw`,
      format: 'JSONEachRow',
    })
    const [pair] = await days.json<{ rollup: unknown[]; raw: unknown[] }>()
    expect(pair!.raw.length).toBeGreaterThan(100)
    expect(pair!.rollup).toEqual(pair!.raw)

    const ranges: Partial<MetricQueryParams>[] = [
      { from: '2025-03-01', to: '2025-06-01', interval: 'week' },
      { from: '2025-03-25', to: '2025-05-05', interval: 'day' },
    ]
    const routed = await contextOf('cal-paris', ranges[0]!, 'rollup')
    expect([rollupAnswers(routed, 'rollup_actor_day'), rollupAnswers(routed, 'rollup_event_counts')]).toEqual(
      [true, true],
    )
    for (const name of ['active-users', 'summary', 'adoption', 'features']) {
      for (const params of ranges) {
        const raw = await answer(name, 'cal-paris', params, 'raw')
        const rollup = await answer(name, 'cal-paris', params, 'rollup')
        expect(rollup, `${name} ${JSON.stringify(params)}`).toEqual(raw)
      }
    }
  }, 120_000)
})

describe('while a change runs', () => {
  it('says the calendar is not ready, so the metrics scan the raw events; a change asked meanwhile runs for the latest zone', async () => {
    await seedEvents(client(), 'cal-wait', edgeEvents)
    await new SettingsStore(client()).put('cal-wait', orgSettingsSchema.parse({ time_zone: 'Asia/Kolkata' }))
    const first = new AbortController()
    const running = changeCalendar(client(), 'cal-wait', 'Asia/Kolkata', {
      settleMs: 600_000,
      signal: first.signal,
    })
    const stopped = running.then(
      () => null,
      (err: Error) => err,
    )
    await until(
      'the calendar of cal-wait',
      async () => (await status(t, 'cal-wait')).calendar,
      (c) => c.zone === 'Asia/Kolkata',
    )
    expect(await readCalendar(client(), 'cal-wait')).toEqual({ zone: 'Asia/Kolkata', ready: false })
    const ctx = await contextOf('cal-wait', { from: '2025-03-01', to: '2025-06-01' }, 'rollup')
    expect([rollupAnswers(ctx, 'rollup_actor_day'), rollupAnswers(ctx, 'rollup_event_counts')]).toEqual([
      false,
      false,
    ])
    expect(
      await answer('active-users', 'cal-wait', { from: '2025-03-01', to: '2025-06-01' }, 'rollup'),
    ).toEqual(await answer('active-users', 'cal-wait', { from: '2025-03-01', to: '2025-06-01' }, 'raw'))
    // Nothing is restamped yet: the change waits for the writers.
    expect((await stamps(t, 'cal-wait', 'UTC')).wrong).toBe(0)

    // Two more asks while it waits: both wait for it, then one change runs, for the latest zone.
    const second = changeCalendar(client(), 'cal-wait', 'America/New_York', { settleMs: 0 })
    const third = changeCalendar(client(), 'cal-wait', 'Australia/Lord_Howe', { settleMs: 0 })
    first.abort()
    expect(await stopped).toBeInstanceOf(CalendarChangeStopped)
    const [a, b] = await Promise.all([second, third])
    expect(a).toBe(b)
    expect(a).toMatchObject({ zone: 'Australia/Lord_Howe', changed: true, restamped: edgeEvents.length })
    expect(await readCalendar(client(), 'cal-wait')).toEqual({ zone: 'Australia/Lord_Howe', ready: true })
    expect(await stamps(t, 'cal-wait', 'Australia/Lord_Howe')).toEqual({ wrong: 0, all: edgeEvents.length })
    // Asked again for the zone it is ready in: nothing to do.
    expect(await changeCalendar(client(), 'cal-wait', 'Australia/Lord_Howe', { settleMs: 0 })).toMatchObject({
      changed: false,
    })
  }, 60_000)
})

describe('events arriving during a change', () => {
  it('are counted once in the rollups: the writes of the process wait for the restamp and rebuild', async () => {
    const org = 'cal-busy'
    const batch = (round: number) =>
      Array.from({ length: 50 }, (_, i) => ({
        id: `busy-${round}-${i}`,
        type: 'content.viewed',
        time: `2025-0${3 + (i % 3)}-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:15:00Z`,
        actor: `p${i % 7}`,
        feature: 'articles',
      }))
    for (let round = 0; round < 20; round++) await seedEvents(client(), org, batch(round))
    await new SettingsStore(client()).put(org, orgSettingsSchema.parse({ time_zone: 'Europe/Paris' }))
    let writing = true
    let rounds = 20
    const writer = (async () => {
      // Batches keep coming, in the months being rebuilt, until the change is over.
      while (writing) {
        await seedEvents(client(), org, batch(rounds++))
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    })()
    const report = await changeCalendar(client(), org, 'Europe/Paris', { settleMs: 0 })
    writing = false
    await writer
    expect(report.changed).toBe(true)
    expect(rounds).toBeGreaterThan(21)
    const result = await client().query({
      query: `SELECT toString(day) AS day, count() AS n FROM events WHERE org = {org:String} GROUP BY day
              UNION ALL SELECT toString(day) AS day, -toInt64(sum(events)) AS n FROM rollup_event_counts
              WHERE org = {org:String} GROUP BY day`,
      query_params: { org },
      format: 'JSONEachRow',
    })
    const balance = new Map<string, number>()
    for (const row of await result.json<{ day: string; n: string }>())
      balance.set(row.day, (balance.get(row.day) ?? 0) + Number(row.n))
    expect([...balance].filter(([, n]) => n !== 0)).toEqual([])
    expect(await stamps(t, org, 'Europe/Paris')).toEqual({ wrong: 0, all: rounds * 50 })
  }, 60_000)
})

describe('zones', () => {
  it('refuses a zone that is not an IANA name before any SQL', async () => {
    for (const zone of ['Mars/Olympus', "UTC') OR 1 = 1 OR ('", 'utc', '']) {
      await expect(restampEvents(client(), 'cal-paris', zone), zone).rejects.toThrow(/not an IANA time zone/)
      await expect(mismatchedEvents(client(), 'cal-paris', zone), zone).rejects.toThrow(
        /not an IANA time zone/,
      )
      await expect(changeCalendar(client(), 'cal-paris', zone, { settleMs: 0 }), zone).rejects.toThrow(
        /not an IANA time zone/,
      )
    }
    expect(await readCalendar(client(), 'cal-paris')).toEqual({ zone: 'Europe/Paris', ready: true })
  })
})

const repoRoot = path.resolve(import.meta.dirname, '../../..')

function cli(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'server/cli.ts'), ...args],
      { cwd: repoRoot, timeout: 120_000, env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' } },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    )
  })
}

describe('at start, and on the command line', () => {
  it('a close stops a running change; the next start rebuilds every calendar not ready in its zone', async () => {
    // An org whose setting says New York while its calendar is UTC (as after migration 015): the
    // setting is written without the route, so no change runs.
    await seedEvents(client(), 'cal-ny', edgeEvents)
    await new SettingsStore(client()).put(
      'cal-ny',
      orgSettingsSchema.parse({ time_zone: 'America/New_York' }),
    )
    expect(await readCalendar(client(), 'cal-ny')).toEqual({ zone: 'UTC', ready: true })
    // A change cut short by the close: its calendar stays not ready, and its setting is UTC.
    await seedEvents(client(), 'cal-stop', edgeEvents)
    const cut = changeCalendar(client(), 'cal-stop', 'Europe/Berlin', { settleMs: 600_000 }).catch(
      (err: Error) => err,
    )
    await until(
      'the calendar of cal-stop',
      () => readCalendar(client(), 'cal-stop'),
      (c) => !c.ready,
    )
    const closing = performance.now()
    await t.app.close()
    await t.runtime.close()
    expect(performance.now() - closing).toBeLessThan(10_000)
    expect(await cut).toBeInstanceOf(CalendarChangeStopped)

    t = await startTestApp({}, 'all', t.dataDir)
    const ny = await until(
      'the calendar of cal-ny',
      async () => (await status(t, 'cal-ny')).calendar,
      (c) => c.ready && c.zone === 'America/New_York',
    )
    expect(ny).toEqual({ zone: 'America/New_York', ready: true })
    expect(await stamps(t, 'cal-ny', 'America/New_York')).toEqual({ wrong: 0, all: edgeEvents.length })
    await until(
      'the calendar of cal-stop',
      async () => (await status(t, 'cal-stop')).calendar,
      (c) => c.ready && c.zone === 'UTC',
    )
    expect(await stamps(t, 'cal-stop', 'UTC')).toEqual({ wrong: 0, all: edgeEvents.length })
    // Already in their zones: left alone.
    expect(await status(t, 'cal-paris')).toMatchObject({ calendar: { zone: 'Europe/Paris', ready: true } })
  }, 120_000)

  it('implication calendar rebuild moves a calendar in the foreground; the next start moves it back', async () => {
    await t.app.close()
    await t.runtime.close()
    const run = await cli(t.dataDir, ['calendar', 'rebuild', '--org', 'cal-ny', '--zone', 'Asia/Kathmandu'])
    expect(run.stderr).toMatch(/time_zone setting is America\/New_York/)
    expect(run.stdout).toMatch(/^calendar of cal-ny ready in Asia\/Kathmandu: 5 events restamped/)
    expect(run.code).toBe(0)
    const again = await cli(t.dataDir, ['calendar', 'rebuild', '--org', 'cal-ny', '--zone', 'Asia/Kathmandu'])
    expect(again.stdout).toMatch(/already ready in Asia\/Kathmandu: nothing to do/)
    const bad = await cli(t.dataDir, ['calendar', 'rebuild', '--org', 'cal-ny', '--zone', 'Mars/Olympus'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/--zone: "Mars\/Olympus" is not an IANA time zone/)
    // The next start moves it back to the zone of the setting (afterAll's close removes the data).
    t = await startTestApp({}, 'all', t.dataDir)
    await until(
      'the calendar of cal-ny',
      async () => (await status(t, 'cal-ny')).calendar,
      (c) => c.ready && c.zone === 'America/New_York',
    )
    expect(await stamps(t, 'cal-ny', 'America/New_York')).toEqual({ wrong: 0, all: edgeEvents.length })
  }, 180_000)
})
