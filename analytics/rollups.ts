// Rollups: the SQL pieces that read the tables defined in rollup-definitions.ts. Which queries
// may read them is decided in tables.ts. Every event is stored once (ingest/event-writer.ts), so
// the rollups hold plain sums and no FINAL is needed on them.

import type { MetricContext } from './context.ts'
import { rollupDefinitions } from './rollup-definitions.ts'
import { rollupRows } from './tables.ts'

export { type RollupTable, socialEventPredicate } from './rollup-definitions.ts'

/** The rollup tables fed from the events (a rebuild empties and refills each of them). */
export const rollupTables = rollupDefinitions.map((d) => ({ table: d.table }))

/** The days of the range, on a rollup's `day` column (the org's local days: see tables.ts). */
export const dayInRange = 'day >= {from:Date} AND day < {to:Date}'

/**
 * Event counts per group, from the count rollup: one row per day, value of the `keys` (aliases of
 * SQL expressions over day, type, feature, level and space; none may be named `day`) and value of
 * `count`, with `n` the number of events among the rows matching `where`. The sum of the events'
 * `count` field over a group is `sum(n * count)`, their number `sum(n)`.
 *
 * The rows are `rollupRows(ctx, 'rollup_event_counts', { events })` (stored or computed,
 * narrowed by every filter of the query: it keeps no actor, so a department or site filter
 * computes them from the events); `events` (default `where`) must keep every event the rows
 * matching `where` come from.
 */
export function eventCountsSql(
  keys: Record<string, string>,
  where: string,
  ctx: MetricContext,
  events: string = where,
): string {
  const aliases = Object.keys(keys)
  const columns = Object.entries(keys).map(([alias, expression]) => `${expression} AS ${alias}`)
  const from = `${rollupRows(ctx, 'rollup_event_counts', { events })} WHERE ${where}`
  return `SELECT ${[...columns, 'count', 'sum(events) AS n'].join(', ')}
      FROM ${from}
      GROUP BY ${['day', ...aliases, 'count'].join(', ')}`
}

/**
 * Active (person, day) pairs in the query's days, `WHERE` clause given on `{day}`, from the rows
 * of `rollup_actor_day` (stored or computed: tables.ts). Every filter of the query applies.
 */
export function activeActorDaysSql(
  ctx: MetricContext,
  dayWhere: string,
  minLevel: 'view' | 'react' = 'view',
): string {
  const rank = minLevel === 'view' ? 1 : 2
  const days = dayWhere.replaceAll('{day}', 'day')
  return `SELECT DISTINCT actor, day FROM ${rollupRows(ctx, 'rollup_actor_day', { events: days })}
      WHERE max_level >= ${rank} AND ${days}`
}
