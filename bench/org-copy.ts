// What the metric benchmark adds beside a simulated dataset's UTC org, in SQL only (no event passes
// through JavaScript, so it holds at 100M events): a copy of the org in another time zone (its
// events with their local day and minute in that zone, its roster, its settings and its calendar
// row), and a bare table of (org, time, actor) for the baseline query. Each step is done once and
// recorded in `bench_prepared` (the copy month by month, so an interrupted copy resumes).
// Runs in bench/dataset-child.ts, which holds the dataset's store.
import type { ClickHouseClient } from '@clickhouse/client'
import { mismatchedEvents, zoneLiteral } from '../analytics/calendar.ts'
import { rebuildRollups } from '../analytics/rollup-rebuild.ts'
import { runQuery } from '../analytics/run.ts'
import { SettingsStore } from '../analytics/settings.ts'
import { ProgressBar } from '../terminal/progress.ts'

type Log = (line: string) => void

/** The bare table the baseline query reads: a plain MergeTree sorted by (org, time). */
export const baselineTable = 'bench_baseline'

async function ensureLedger(client: ClickHouseClient): Promise<void> {
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS bench_prepared
      (step String, part String, rows UInt64, at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = MergeTree ORDER BY (step, part)`,
  })
}

async function doneParts(client: ClickHouseClient, step: string): Promise<Set<string>> {
  const rows = await runQuery<{ part: string }>(
    client,
    'SELECT part FROM bench_prepared WHERE step = {step:String}',
    { step },
  )
  return new Set(rows.map((r) => r.part))
}

async function record(client: ClickHouseClient, step: string, part: string, rows: number): Promise<void> {
  await client.insert({ table: 'bench_prepared', format: 'JSONEachRow', values: [{ step, part, rows }] })
}

/** The table's stored columns in order (not MATERIALIZED, ALIAS or EPHEMERAL ones, which take no value). */
async function storedColumns(client: ClickHouseClient, table: string): Promise<string[]> {
  const rows = await runQuery<{ name: string }>(
    client,
    `SELECT name FROM system.columns
     WHERE database = currentDatabase() AND table = {table:String} AND default_kind IN ('', 'DEFAULT')
     ORDER BY position`,
    { table },
  )
  if (rows.length === 0) throw new Error(`no table ${table}`)
  return rows.map((r) => r.name)
}

const ident = (name: string) => `\`${name.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``
const literal = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`

/** The org's events per UTC month, oldest first: the unit of the copies and of their progress. */
async function eventMonths(client: ClickHouseClient, org: string): Promise<{ month: string; n: number }[]> {
  return runQuery<{ month: string; n: number }>(
    client,
    `SELECT toString(toStartOfMonth(time)) AS month, count() AS n
     FROM events WHERE org = {org:String} GROUP BY month ORDER BY month`,
    { org },
  )
}

const inMonth = `time >= toDateTime64({month:Date}, 3, 'UTC') AND time < toDateTime64(addMonths({month:Date}, 1), 3, 'UTC')`

async function countMonth(client: ClickHouseClient, org: string, month: string): Promise<number> {
  const [row] = await runQuery<{ n: number }>(
    client,
    `SELECT count() AS n FROM events WHERE org = {org:String} AND ${inMonth}`,
    { org, month },
  )
  return Number(row?.n ?? 0)
}

export interface CopyReport {
  /** Events copied by this call (0 when the copy was already complete). */
  copied: number
  /** Events of the copy, all months. */
  events: number
}

/**
 * Copies the events of `from` into `to`, with `day` and `minute` in `zone` (what the writer stamps
 * for an org whose calendar is in that zone), one UTC month per INSERT … SELECT; the rollup views
 * fill as the rows go in. A month recorded in bench_prepared is skipped. A month that holds some
 * of the copy but was not recorded (an interrupted run) gets only the events it lacks, and the
 * copy's rollups are then rebuilt from its events, as a view may have missed the last block.
 */
export async function copyOrgEvents(
  client: ClickHouseClient,
  from: string,
  to: string,
  zone: string,
  log: Log,
): Promise<CopyReport> {
  await ensureLedger(client)
  const step = `events ${from} -> ${to} ${zone}`
  const done = await doneParts(client, step)
  const months = await eventMonths(client, from)
  const total = months.reduce((s, m) => s + m.n, 0)
  const todo = months.filter((m) => !done.has(m.month))
  if (todo.length === 0) return { copied: 0, events: total }
  const columns = await storedColumns(client, 'events')
  const tz = zoneLiteral(zone)
  // No aliases: INSERT … SELECT maps by position, and ClickHouse would read an alias `org` in the
  // WHERE clause instead of the column (and select no row at all).
  const select = columns.map((c) => {
    if (c === 'org') return literal(to)
    if (c === 'day') return `toDate(time, ${tz})`
    if (c === 'minute') return `toUInt16(toHour(time, ${tz}) * 60 + toMinute(time, ${tz}))`
    return ident(c)
  })
  log(
    `copying the events of ${from} into ${to} (${zone}): ${todo.length} of ${months.length} months to do, ${todo.reduce((s, m) => s + m.n, 0).toLocaleString('en')} events of ${from} (once; kept in the dataset)`,
  )
  const progress = new ProgressBar(`copy ${to}`, process.stderr)
  let copied = 0
  let resumed = false
  let seen = 0
  for (const [i, m] of months.entries()) {
    seen += m.n
    if (done.has(m.month)) continue
    const partial = (await countMonth(client, to, m.month)) > 0
    resumed ||= partial
    await client.command({
      query: `INSERT INTO events (${columns.map(ident).join(', ')})
        SELECT ${select.join(', ')} FROM events
        WHERE org = {from:String} AND ${inMonth}
        ${partial ? `AND (source, id) NOT IN (SELECT source, id FROM events WHERE org = {to:String} AND ${inMonth})` : ''}`,
      query_params: { from, to, month: m.month },
    })
    const stored = await countMonth(client, to, m.month)
    if (stored !== m.n)
      throw new Error(`copy into ${to}, month ${m.month}: ${m.n} events of ${from}, ${stored} copied`)
    await record(client, step, m.month, m.n)
    copied += m.n
    progress.update({ done: i + 1, total: months.length, events: seen, date: m.month.slice(0, 7) })
  }
  progress.finish()
  // The calendar's own check: every copied event's day and minute are its time's in the zone.
  const wrong = await mismatchedEvents(client, to, zone)
  if (wrong > 0) throw new Error(`copy into ${to}: ${wrong} events with a day or minute not in ${zone}`)
  if (resumed) {
    log(`the copy into ${to} had been interrupted: rebuilding its rollups from its events`)
    const rebuild = new ProgressBar(`rollups ${to}`, process.stderr)
    await rebuildRollups(client, { org: to, onProgress: rebuild.update })
    rebuild.finish()
  }
  return { copied, events: total }
}

/** Copies the roster snapshots of `from` into `to` (once; an interrupted copy is deleted and redone). */
export async function copyRoster(client: ClickHouseClient, from: string, to: string): Promise<number> {
  await ensureLedger(client)
  const step = `roster ${from} -> ${to}`
  if ((await doneParts(client, step)).size > 0) return 0
  await client.command({
    query: 'DELETE FROM roster WHERE org = {to:String}',
    query_params: { to },
    clickhouse_settings: { mutations_sync: '2' },
  })
  const columns = await storedColumns(client, 'roster')
  // No alias (see copyOrgEvents).
  const select = columns.map((c) => (c === 'org' ? literal(to) : ident(c)))
  await client.command({
    query: `INSERT INTO roster (${columns.map(ident).join(', ')})
      SELECT ${select.join(', ')} FROM roster WHERE org = {from:String}`,
    query_params: { from },
  })
  const count = async (org: string) => {
    const sql = 'SELECT count() AS n FROM roster WHERE org = {org:String}'
    return Number((await runQuery<{ n: number }>(client, sql, { org }))[0]?.n ?? 0)
  }
  const rows = await count(to)
  const expected = await count(from)
  if (rows !== expected)
    throw new Error(`roster copy into ${to}: ${expected} rows of ${from}, ${rows} copied`)
  await record(client, step, 'all', rows)
  return rows
}

/**
 * Gives `to` the settings of `from` with `zone` as its time zone, and a calendar row saying its
 * stored calendar is in `zone` and ready (the row the time-zone change job writes when it is
 * done; a server reconciling settings against calendars at start then has nothing to do).
 * Written only when they differ. Answers what it wrote.
 */
export async function setZone(
  client: ClickHouseClient,
  from: string,
  to: string,
  zone: string,
): Promise<string[]> {
  const wrote: string[] = []
  const settings = new SettingsStore(client)
  const current = await settings.get(to)
  if (current.time_zone !== zone) {
    await settings.put(to, { ...(await settings.get(from)), time_zone: zone })
    wrote.push(`settings (time_zone ${zone})`)
  }
  const [calendar] = await runQuery<{ zone: string; ready: number }>(
    client,
    `SELECT argMax(zone, version) AS zone, argMax(ready, version) AS ready
     FROM org_calendar WHERE org = {to:String} GROUP BY org`,
    { to },
  )
  if (calendar?.zone !== zone || Number(calendar.ready) !== 1) {
    await client.insert({
      table: 'org_calendar',
      format: 'JSONEachRow',
      values: [{ org: to, zone, ready: 1, version: Date.now() }],
    })
    wrote.push(`calendar (${zone}, ready)`)
  }
  return wrote
}

/**
 * The baseline's table: (org, time, actor) of `org`'s events in a plain MergeTree ordered by
 * (org, time), made once (month by month, with progress). Answers the rows copied by this call.
 */
export async function ensureBaselineTable(client: ClickHouseClient, org: string, log: Log): Promise<number> {
  await ensureLedger(client)
  const step = `baseline ${org}`
  if ((await doneParts(client, step)).size > 0) return 0
  const months = await eventMonths(client, org)
  const total = months.reduce((s, m) => s + m.n, 0)
  log(`making ${baselineTable}: (org, time, actor) of ${total.toLocaleString('en')} events of ${org} (once)`)
  await client.command({ query: `DROP TABLE IF EXISTS ${baselineTable}` })
  await client.command({
    query: `CREATE TABLE ${baselineTable}
      (org LowCardinality(String), time DateTime64(3, 'UTC'), actor String)
      ENGINE = MergeTree ORDER BY (org, time)`,
  })
  const progress = new ProgressBar(baselineTable, process.stderr)
  let seen = 0
  for (const [i, m] of months.entries()) {
    await client.command({
      query: `INSERT INTO ${baselineTable} SELECT org, time, actor FROM events WHERE org = {org:String} AND ${inMonth}`,
      query_params: { org, month: m.month },
    })
    seen += m.n
    progress.update({ done: i + 1, total: months.length, events: seen, date: m.month.slice(0, 7) })
  }
  progress.finish()
  await record(client, step, 'all', total)
  return total
}

/**
 * Waits until no background merge is running (the copies leave many parts), at most `maxMs`, so
 * that the timings do not share the CPU with them. Answers whether merges settled.
 */
export async function waitForMerges(client: ClickHouseClient, log: Log, maxMs = 600_000): Promise<boolean> {
  const started = performance.now()
  let lastLog = started
  let quiet = 0
  while (performance.now() - started < maxMs) {
    const [row] = await runQuery<{ n: number; tables: string }>(
      client,
      `SELECT count() AS n, arrayStringConcat(groupUniqArray(table), ', ') AS tables
       FROM system.merges WHERE database = currentDatabase()`,
      {},
    )
    if ((row?.n ?? 0) === 0) {
      if (++quiet >= 2) return true
    } else {
      quiet = 0
      if (performance.now() - lastLog > 10_000) {
        log(`waiting for ${row!.n} background merges (${row!.tables}) before timing`)
        lastLog = performance.now()
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000))
  }
  log(`background merges still running after ${Math.round(maxMs / 1000)} s: timing anyway`)
  return false
}

export interface Department {
  name: string
  people: number
  /** People in the org's latest roster. */
  of: number
}

/**
 * A department that holds a typical share of people: the department of the median person when
 * people are ranked by the size of their department (the simulated departments are a few large
 * ones and many small ones, so this is a mid-sized one), from the org's latest roster.
 */
export async function typicalDepartment(client: ClickHouseClient, org: string): Promise<Department | null> {
  const rows = await runQuery<{ name: string; people: number }>(
    client,
    `SELECT department AS name, count() AS people FROM roster
     WHERE org = {org:String} AND snapshot = (SELECT max(snapshot) FROM roster WHERE org = {org:String})
     GROUP BY department ORDER BY people DESC, name`,
    { org },
  )
  const of = rows.reduce((s, r) => s + Number(r.people), 0)
  let seen = 0
  for (const r of rows) {
    seen += Number(r.people)
    // People without a department are counted in the org, never chosen.
    if (seen * 2 >= of && r.name !== '') return { name: r.name, people: Number(r.people), of }
  }
  return null
}
