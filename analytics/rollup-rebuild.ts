// Rebuilds the rollups of migrations 007 to 013 from the stored events, one UTC month at a time:
// `implication rollups rebuild [--org ORG]` (the command then seals the days: count-seals.ts).
// The org's rollup rows and seals are deleted first, so a rebuild also drops what the events no
// longer hold (an erasure, a retention cut); inserts arriving meanwhile are safe because every
// rollup aggregate is idempotent (a row written twice is one).
import type { ClickHouseClient } from '@clickhouse/client'
import type { ProgressListener } from '../terminal/progress.ts'
import { dropSeals } from './count-seals.ts'
import { type RollupTable, rollupTables, socialEventPredicate } from './rollups.ts'
import { runQuery } from './run.ts'

/** The SELECT feeding each rollup table from the events of `{org}` (or every org) in `{month}`. */
const feeds: Record<RollupTable, string> = {
  rollup_actor_day: `SELECT org, toDate(time, 'UTC') AS day, actor,
      max(CAST(level, 'Int8')), min(time), minIfOrNull(time, CAST(level, 'Int8') >= 2), max(time)
    FROM events WHERE ORG_AND_MONTH GROUP BY org, day, actor`,
  rollup_actor_firsts: `SELECT org, toStartOfMonth(toDate(time, 'UTC')) AS month, actor, feature, space,
      min(time), minIfOrNull(time, CAST(level, 'Int8') >= 2)
    FROM events WHERE ORG_AND_MONTH GROUP BY org, month, actor, feature, space`,
  rollup_event_counts: `SELECT org, toDate(time, 'UTC') AS day, type, feature, level, space, count,
      uniqExactState(CAST(source, 'String'), id)
    FROM events WHERE ORG_AND_MONTH GROUP BY org, day, type, feature, level, space, count`,
  rollup_social_events: `SELECT org, source, id, type, feature, level, time, actor, space, object, parent,
      target, count, received_at, retention_months
    FROM events WHERE ORG_AND_MONTH AND (${socialEventPredicate})`,
  rollup_space_actor_month: `SELECT org, toStartOfMonth(toDate(time, 'UTC')) AS month, space, actor,
      maxIf(time, CAST(level, 'Int8') >= 1), maxIf(time, type = 'group.joined' OR level = 'create'),
      maxIf(time, type = 'group.left')
    FROM events WHERE ORG_AND_MONTH AND space != '' GROUP BY org, month, space, actor`,
  rollup_actor_feature_month: `SELECT org, toStartOfMonth(toDate(time, 'UTC')) AS month, actor, feature,
      groupBitOr(bitShiftLeft(toUInt32(1), toDayOfMonth(time, 'UTC') - 1)),
      groupBitOrIf(bitShiftLeft(toUInt32(1), toDayOfMonth(time, 'UTC') - 1), CAST(level, 'Int8') >= 2)
    FROM events WHERE ORG_AND_MONTH AND CAST(level, 'Int8') >= 1 GROUP BY org, month, actor, feature`,
}

/** The INSERT recomputing `table` from the events matching `where` (its parameters bound by the caller). */
export function rollupFeedSql(table: RollupTable, where: string): string {
  return `INSERT INTO ${table} ${feeds[table].replace('ORG_AND_MONTH', where)}`
}

export interface RebuildOptions {
  /** Only this org; every org when absent. */
  org?: string
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
  const months = await runQuery<{ month: string; events: number }>(
    client,
    `SELECT toString(toStartOfMonth(toDate(time, 'UTC'))) AS month, count() AS events
     FROM events WHERE ${orgClause} GROUP BY month ORDER BY month`,
    params,
  )
  const total = months.reduce((sum, m) => sum + m.events, 0)
  for (const { table } of rollupTables) {
    await client.command({
      query: `DELETE FROM ${table} WHERE ${orgClause}`,
      query_params: params,
      clickhouse_settings: { mutations_sync: '2' },
    })
  }
  // Every day is rewritten (and touched): the seals of migration 011 are outdated anyway.
  await dropSeals(client, { org: options.org })
  let done = 0
  for (const [i, { month, events }] of months.entries()) {
    const where = `${orgClause} AND time >= toDateTime64({month:Date}, 3, 'UTC') AND time < toDateTime64(addMonths(toDate({month:Date}), 1), 3, 'UTC')`
    for (const { table } of rollupTables) {
      await client.command({
        query: rollupFeedSql(table, where),
        query_params: { ...params, month },
      })
    }
    done += events
    options.onProgress?.({ done: i + 1, total: months.length, events: done, date: month.slice(0, 7) })
  }
  return { months: months.length, events: total }
}
