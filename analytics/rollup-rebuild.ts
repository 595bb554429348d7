// Rebuilds rollups from the stored events, one month of events at a time, each from its one
// definition (rollup-definitions.ts): `implication rollups rebuild [--org ORG]`, the backfill of a
// new or changed rollup, an org's calendar moved to another zone. The org's rows are deleted
// first, so a rebuild also drops what the events no longer hold (an erasure, a retention cut).
// Plain sums (rollup_event_counts) are exact only if no event of the org is stored while its
// month is being refilled. A calendar change holds the writes of its process around the rebuild
// (`withWritesHeld`, ingest/event-writer.ts; tested in calendar-change.test.ts); the migrations'
// backfill runs before any writer starts; `implication rollups rebuild` on an embedded store runs
// alone (chDB opens a store in one process). On a ClickHouse server written to by other processes,
// run the rebuild with the workers stopped, or an event stored during the refill of its own month
// may be counted twice there until the next rebuild. The idempotent rollups (max, min, OR) and the
// social copy (replacing) are exact regardless.
import type { ClickHouseClient } from '@clickhouse/client'
import type { ProgressListener } from '../terminal/progress.ts'
import { feedSql, type RollupTable, rollupDefinitions } from './rollup-definitions.ts'
import { runQuery } from './run.ts'

export { feedSql as rollupFeedSql }

export interface RebuildOptions {
  /** Only this org; every org when absent. */
  org?: string
  /** Only these rollups; every one when absent. */
  tables?: readonly RollupTable[]
  onProgress?: ProgressListener
}

export interface RebuildReport {
  months: number
  events: number
}

export async function rebuildRollups(
  client: ClickHouseClient,
  options: RebuildOptions = {},
): Promise<RebuildReport> {
  const orgClause = options.org === undefined ? '1' : 'org = {org:String}'
  const params = options.org === undefined ? {} : { org: options.org }
  const tables = options.tables ?? rollupDefinitions.map((d) => d.table)
  const months = await runQuery<{ month: string; events: number }>(
    client,
    `SELECT toString(toStartOfMonth(toDate(time, 'UTC'))) AS month, count() AS events
     FROM events WHERE ${orgClause} GROUP BY month ORDER BY month`,
    params,
  )
  const total = months.reduce((sum, m) => sum + m.events, 0)
  for (const table of tables) {
    await client.command({
      query: `DELETE FROM ${table} WHERE ${orgClause}`,
      query_params: params,
      clickhouse_settings: { mutations_sync: '2' },
    })
  }
  let done = 0
  for (const [i, { month, events }] of months.entries()) {
    // A local day may straddle two UTC months: its rows then come in two inserts, which the
    // rollups' aggregates (max, min, OR, sums) merge into the same row.
    const where = `${orgClause} AND time >= toDateTime64({month:Date}, 3, 'UTC') AND time < toDateTime64(addMonths(toDate({month:Date}), 1), 3, 'UTC')`
    for (const table of tables) {
      await client.command({ query: feedSql(table, where), query_params: { ...params, month } })
    }
    done += events
    options.onProgress?.({ done: i + 1, total: months.length, events: done, date: month.slice(0, 7) })
  }
  return { months: months.length, events: total }
}
