// Sealed event counts (migration 011). A day of `rollup_event_counts` whose sets of event
// identities have not changed for a while is sealed: its counts are merged once and kept as plain
// numbers in `rollup_sealed_counts`, under the day's latest touch. Readers take the plain numbers
// of the days whose seal still matches their latest touch and merge the sets of the other days
// only, so a year of counts no longer deserialises one hash per event. Exact either way: a write
// to a sealed day (a late event, a re-sent copy, a rebuild) touches it, and it is read from its
// sets until it is sealed again.
import { randomUUID } from 'node:crypto'
import type { ClickHouseClient } from '@clickhouse/client'
import type { ProgressListener } from '../terminal/progress.ts'

/** The parameters `eventCountsSql` reads: the org's sealed days and the seal to read for each. */
export interface SealSnapshot {
  sealed_days: string[]
  sealed_ids: string[]
}

/** Marks SQL needing a `SealSnapshot` among its parameters (runQuery binds one when it is absent). */
export const sealedDaysParam = '{sealed_days:Array(Date)}'

/** The valid seals: those carrying their day's latest touch (SQL over rollup_count_seals). */
const validSealsWhere = (orgClause: string) =>
  `(org, day, touched) IN (SELECT org, day, max(touched) FROM rollup_count_touches WHERE ${orgClause} GROUP BY org, day)`

/**
 * The days of `org` sealed now, each with one valid seal. Taken once per query, before it runs,
 * so both halves of `countRowsSql` see the same days: a seal landing or a day touched while the
 * query runs can neither drop a day nor count it twice.
 */
export async function sealSnapshot(client: ClickHouseClient, org: string): Promise<SealSnapshot> {
  const result = await client.query({
    query: `SELECT groupArray(toString(day)) AS sealed_days, groupArray(toString(seal)) AS sealed_ids
            FROM (
              SELECT day, min(seal) AS seal FROM rollup_count_seals
              WHERE org = {org:String} AND ${validSealsWhere('org = {org:String}')}
              GROUP BY day
            )`,
    query_params: { org },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<SealSnapshot>()
  return row ?? { sealed_days: [], sealed_ids: [] }
}

/**
 * The rows of `rollup_event_counts` matching `where` (over day, type, feature, level, space and
 * count), one per row key and day, with `n` their number of distinct events: the stored numbers
 * of the snapshot's seals for sealed days, the merged sets for the others. Needs the parameters
 * of a `SealSnapshot`.
 */
export function countRowsSql(where: string): string {
  const key = 'day, type, feature, level, space, count'
  return `
      SELECT ${key}, n FROM rollup_sealed_counts
      WHERE org = {org:String} AND ${where} AND day IN ${sealedDaysParam} AND seal IN {sealed_ids:Array(UUID)}
      UNION ALL
      SELECT ${key}, uniqExactMerge(events) AS n FROM rollup_event_counts
      WHERE org = {org:String} AND ${where} AND day NOT IN ${sealedDaysParam}
      GROUP BY ${key}`
}

export interface SealOptions {
  /** Only this org; every org when absent. */
  org?: string
  /** Seal only days untouched for this long (default 10 minutes: a day still receiving is left). */
  quietSeconds?: number
  /** Days merged per query (their sets are held at once). */
  daysPerBatch?: number
  onProgress?: ProgressListener
}

export interface SealReport {
  days: number
}

interface DayToSeal {
  org: string
  day: string
  touched: string
}

/**
 * Seals the quiet days that have no valid seal. The touch is read first and the counts computed
 * after: a write landing in between makes a newer touch, so that seal never matches and the day
 * is simply sealed again later. The seal row is written last, so a seal cut short is never read.
 * Then deletes the counts of seals no longer valid (made over an hour ago: a seal still being
 * written is younger).
 */
export async function sealCounts(client: ClickHouseClient, options: SealOptions = {}): Promise<SealReport> {
  const orgClause = options.org === undefined ? '1' : 'org = {org:String}'
  const result = await client.query({
    query: `SELECT org, toString(day) AS day, toString(t) AS touched FROM (
              SELECT org, day, max(touched) AS t FROM rollup_count_touches WHERE ${orgClause} GROUP BY org, day
            )
            WHERE t <= now64(6, 'UTC') - toIntervalSecond({quiet:UInt32})
              AND (org, day, t) NOT IN (SELECT org, day, touched FROM rollup_count_seals WHERE ${orgClause})
            ORDER BY org, day`,
    query_params: { org: options.org ?? '', quiet: options.quietSeconds ?? 600 },
    format: 'JSONEachRow',
  })
  const days = await result.json<DayToSeal>()
  const perBatch = options.daysPerBatch ?? 14
  const batches: DayToSeal[][] = []
  for (const day of days) {
    const last = batches.at(-1)
    if (last && last.length < perBatch && last[0]!.org === day.org) last.push(day)
    else batches.push([day])
  }
  let done = 0
  for (const [i, batch] of batches.entries()) {
    const params = {
      org: batch[0]!.org,
      days: batch.map((d) => d.day),
      touches: batch.map((d) => d.touched),
      seals: batch.map(() => randomUUID()),
    }
    await client.command({
      query: `INSERT INTO rollup_sealed_counts
              SELECT org, day, toUUID(transform(day, {days:Array(Date)}, {seals:Array(String)}, '')),
                     type, feature, level, space, count, uniqExactMerge(events), now64(3, 'UTC')
              FROM rollup_event_counts
              WHERE org = {org:String} AND day IN {days:Array(Date)}
              GROUP BY org, day, type, feature, level, space, count`,
      query_params: params,
    })
    await client.command({
      query: `INSERT INTO rollup_count_seals
              SELECT {org:String}, z.1, z.2, z.3, now64(3, 'UTC')
              FROM (SELECT arrayJoin(arrayZip({days:Array(Date)}, {touches:Array(DateTime64(6, 'UTC'))}, {seals:Array(UUID)})) AS z)`,
      query_params: params,
    })
    done += batch.length
    options.onProgress?.({
      done: i + 1,
      total: batches.length,
      events: done,
      unit: 'days',
      date: batch.at(-1)!.day,
    })
  }
  if (days.length > 0) await deleteOutdatedSeals(client)
  return { days: days.length }
}

/** Deletes the counts of seals no longer valid, made over an hour ago, when there are any. */
async function deleteOutdatedSeals(client: ClickHouseClient): Promise<void> {
  const outdated = `sealed < now64(3, 'UTC') - INTERVAL 1 HOUR
    AND seal NOT IN (SELECT seal FROM rollup_count_seals WHERE ${validSealsWhere('1')})`
  const result = await client.query({
    query: `SELECT count() AS n FROM rollup_sealed_counts WHERE ${outdated}`,
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ n: string }>()
  if (Number(row?.n ?? 0) > 0)
    await client.command({ query: `DELETE FROM rollup_sealed_counts WHERE ${outdated}` })
}

/** The tables of migration 011 holding seals (forgotten when their days are recomputed). */
export const sealTables = ['rollup_count_seals', 'rollup_sealed_counts'] as const

/**
 * Forgets seals: of some days of an org (an erasure recomputing them), of all the days of an org,
 * or of every org (a rebuild).
 */
export async function dropSeals(
  client: ClickHouseClient,
  scope: { org?: string; days?: readonly string[] } = {},
): Promise<void> {
  const where = [
    scope.org === undefined ? '1' : 'org = {org:String}',
    scope.days === undefined ? '1' : 'day IN {days:Array(Date)}',
  ].join(' AND ')
  for (const table of sealTables) {
    await client.command({
      query: `ALTER TABLE ${table} DELETE WHERE ${where}`,
      query_params: { org: scope.org ?? '', days: scope.days ?? [] },
      clickhouse_settings: { mutations_sync: '2' },
    })
  }
}

/** Seals every `everyMs` (0: never), days quiet for `quietSeconds`; stop() ends it. Errors go to `onError`. */
export function startCountSealing(
  client: ClickHouseClient,
  onError: (err: Error) => void,
  everyMs: number,
  quietSeconds: number,
): { stop(): void } {
  if (everyMs <= 0) return { stop: () => undefined }
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    sealCounts(client, { quietSeconds })
      .catch(onError)
      .finally(() => {
        running = false
      })
  }, everyMs)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
