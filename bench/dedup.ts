// The cost of exact deduplication on ReplacingMergeTree: one org's events with 10 % re-sent copies
// in their own blocks, then plain, FINAL, uniqExact and LIMIT 1 BY readings of the same questions.
import { performance } from 'node:perf_hooks'
import type { ClickHouseClient } from '@clickhouse/client'
import { type StoredEvent, toClickHouseTime } from '../schemas/event.ts'
import type { DedupResult, DedupScenario, QueryTiming } from './engine-results.ts'
import type { EventSpec } from './events.ts'
import { clickhouseVersion, insertInBatches, storedEvents } from './raw-insert.ts'
import { median } from './stats.ts'

export interface DedupOptions {
  spec: EventSpec
  /** Share of the rows that are re-sent copies, e.g. 0.1. */
  duplicateShare: number
  batchRows: number
  runs: number
  log: (line: string) => void
}

interface BenchQuery {
  key: string
  /** The plain query of the same shape, the base of the ratio. */
  plain: string
  sql: string
}

const dailyActors = (from: string) =>
  `SELECT toDate(time) AS d, uniqExact(actor) AS n FROM ${from} WHERE org = {org:String} AND level >= 'view' GROUP BY d`

export const dedupQueries: readonly BenchQuery[] = [
  {
    key: 'count_plain',
    plain: 'count_plain',
    sql: 'SELECT count() AS n FROM events WHERE org = {org:String}',
  },
  {
    key: 'count_final',
    plain: 'count_plain',
    sql: 'SELECT count() AS n FROM events FINAL WHERE org = {org:String}',
  },
  {
    key: 'uniq_exact_ids',
    plain: 'count_plain',
    sql: 'SELECT uniqExact(source, id) AS n FROM events WHERE org = {org:String}',
  },
  { key: 'daily_actors_plain', plain: 'daily_actors_plain', sql: dailyActors('events') },
  { key: 'daily_actors_final', plain: 'daily_actors_plain', sql: dailyActors('events FINAL') },
  {
    key: 'daily_actors_limit_1_by',
    plain: 'daily_actors_plain',
    sql:
      'SELECT toDate(time) AS d, uniqExact(actor) AS n FROM (SELECT actor, time, level FROM events ' +
      `WHERE org = {org:String} LIMIT 1 BY source, id) WHERE level >= 'view' GROUP BY d`,
  },
]

/** The re-sent copies: evenly spread originals, received one minute later. */
export function resentCopies(originals: readonly StoredEvent[], count: number, nowMs: number): StoredEvent[] {
  const receivedAt = toClickHouseTime(nowMs + 60_000)
  return Array.from({ length: count }, (_, j) => {
    const original = originals[Math.floor((j * originals.length) / count)]!
    return { ...original, received_at: receivedAt }
  })
}

async function runQuery(client: ClickHouseClient, sql: string, org: string): Promise<{ n: string }[]> {
  const result = await client.query({ query: sql, query_params: { org }, format: 'JSONEachRow' })
  return result.json<{ n: string }>()
}

async function timeQuery(
  client: ClickHouseClient,
  query: BenchQuery,
  org: string,
  runs: number,
): Promise<{ ms: number; result: number; rows: number }> {
  const rows = await runQuery(client, query.sql, org) // warm-up, and the answer
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await runQuery(client, query.sql, org)
    times.push(performance.now() - started)
  }
  return { ms: median(times), result: rows.reduce((sum, r) => sum + Number(r.n), 0), rows: rows.length }
}

async function activeParts(client: ClickHouseClient): Promise<number> {
  const result = await client.query({
    query:
      "SELECT count() AS n FROM system.parts WHERE database = currentDatabase() AND table = 'events' AND active",
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ n: string }>()
  return Number(row?.n ?? 0)
}

async function measureScenario(
  client: ClickHouseClient,
  org: string,
  runs: number,
  label: string,
  log: (line: string) => void,
): Promise<DedupScenario> {
  const timings = new Map<string, { ms: number; result: number; rows: number }>()
  for (const query of dedupQueries) {
    timings.set(query.key, await timeQuery(client, query, org, runs))
    log(`dedup (${label}): ${query.key} ${timings.get(query.key)!.ms.toFixed(1)} ms`)
  }
  const queries: Record<string, QueryTiming> = {}
  for (const query of dedupQueries) {
    const t = timings.get(query.key)!
    queries[query.key] = { ...t, vs_plain: t.ms / timings.get(query.plain)!.ms }
  }
  return { active_parts: await activeParts(client), queries }
}

/**
 * Originals are inserted and merged into settled parts; merges are then stopped and the copies
 * inserted in their own blocks, the state FINAL exists for. Then everything is merged, and measured again.
 */
export async function measureDedup(client: ClickHouseClient, options: DedupOptions): Promise<DedupResult> {
  const { spec, log } = options
  const duplicates = Math.round(spec.count * options.duplicateShare)
  const unique = spec.count - duplicates
  log(
    `dedup: normalising ${unique.toLocaleString('en')} events and ${duplicates.toLocaleString('en')} copies`,
  )
  const now = Date.now()
  const originals = storedEvents({ ...spec, count: unique }, new Date(now))
  const copies = resentCopies(originals, duplicates, now)
  const inserted = await insertInBatches(client, originals, options.batchRows)
  log(`dedup: ${unique.toLocaleString('en')} originals inserted, merging them`)
  await client.command({ query: 'OPTIMIZE TABLE events FINAL' })
  await client.command({ query: 'SYSTEM STOP MERGES events' })
  const copyInsert = await insertInBatches(client, copies, options.batchRows)
  log(`dedup: ${duplicates.toLocaleString('en')} re-sent copies inserted in separate blocks`)
  const pending = await measureScenario(client, spec.org, options.runs, 'copies not merged', log)
  await client.command({ query: 'SYSTEM START MERGES events' })
  await client.command({ query: 'OPTIMIZE TABLE events FINAL' })
  const merged = await measureScenario(client, spec.org, options.runs, 'after OPTIMIZE FINAL', log)
  return {
    events: spec.count,
    unique,
    duplicates,
    runs: options.runs,
    insert_eps: spec.count / (inserted.seconds + copyInsert.seconds),
    pending,
    merged,
    clickhouseVersion: await clickhouseVersion(client),
  }
}
