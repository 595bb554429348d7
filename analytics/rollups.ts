// Rollups: which queries may read the tables maintained at insert by migrations 007 to
// 013, and the SQL pieces that read them. Every rollup aggregate is idempotent (max, min, OR, exact
// sets), so a re-sent copy of an event cannot inflate it and no FINAL is needed: event counts and
// sums read sets of event identities (rollup_event_counts), or the numbers stored for sealed days
// (count-seals.ts), not running totals. All rollup answers are exact.

import { countRowsSql } from './count-seals.ts'
import type { MetricContext } from './metric.ts'
import { eventFilters, levelAtLeast, localDay } from './sql.ts'

/** The rollup tables fed from the events (a rebuild empties and refills each of them). */
export const rollupTables = [
  { table: 'rollup_actor_day' },
  { table: 'rollup_actor_firsts' },
  { table: 'rollup_event_counts' },
  { table: 'rollup_social_events' },
  { table: 'rollup_space_actor_month' },
  { table: 'rollup_actor_feature_month' },
] as const
export type RollupTable = (typeof rollupTables)[number]['table']

export function usesRollups(ctx: MetricContext): boolean {
  return (ctx.source ?? 'rollup') === 'rollup'
}

/**
 * The per-day rollups cut days in UTC, so they answer only orgs whose time zone is UTC, and they
 * keep no feature or space, so they answer only queries without those filters.
 */
export function usesDayRollups(ctx: MetricContext): boolean {
  return (
    usesRollups(ctx) &&
    ctx.query.timeZone === 'UTC' &&
    ctx.query.filters.feature === undefined &&
    ctx.query.filters.space === undefined
  )
}

/**
 * `rollup_event_counts` cuts days in UTC and keeps type, feature, level and space but no actor: it
 * answers orgs whose time zone is UTC, with any feature or space filter, and without a department
 * or site filter (those select people).
 */
export function usesCountRollup(ctx: MetricContext): boolean {
  return (
    usesRollups(ctx) &&
    ctx.query.timeZone === 'UTC' &&
    ctx.query.filters.department === undefined &&
    ctx.query.filters.site === undefined
  )
}

/**
 * `rollup_actor_feature_month` (migration 013) keeps no space and cuts days in UTC: it answers
 * orgs whose time zone is UTC, without a space filter.
 */
export function usesFeatureDays(ctx: MetricContext): boolean {
  return usesRollups(ctx) && ctx.query.timeZone === 'UTC' && ctx.query.filters.space === undefined
}

/**
 * The events that link people or content (migration 009): `rollup_social_events`, a copy of every
 * event with a target or a parent and of every question, when the rollups apply (any time zone,
 * any filter: it keeps every column the filters read), else the raw events. `exact` reads through
 * FINAL, as counting readers of the events do. Only for queries whose rows all satisfy
 * `socialEventPredicate`.
 */
export function socialEventsTable(ctx: MetricContext, exact: boolean): string {
  const table = usesRollups(ctx) ? 'rollup_social_events' : 'events'
  return exact ? `${table} FINAL` : table
}

/** Which events `rollup_social_events` holds (the view of migration 009 filters on it). */
export const socialEventPredicate = "target != '' OR parent != '' OR type = 'question.asked'"

/** The UTC days of the range, on a rollup's `day` column (the org's days when it uses UTC). */
export const dayInRange = 'day >= {from:Date} AND day < {to:Date}'

/**
 * Exact event counts per group, from the count rollup (migrations 008 and 011): one row per day,
 * value of the `keys` (aliases of SQL expressions over day, type, feature, level and space; none
 * may be named `day`) and value of `count`, with `n` the number of distinct events (source, id)
 * among the rows matching `where`. The sum of the events' `count` field over a group is
 * `sum(n * count)`, their number `sum(n)`. Sealed days give stored numbers; the others merge their
 * sets of event identities (`countRowsSql`). Runs through `runQuery`, which binds the seal snapshot.
 */
export function eventCountsSql(keys: Record<string, string>, where: string): string {
  const aliases = Object.keys(keys)
  const columns = Object.entries(keys).map(([alias, expression]) => `${expression} AS ${alias}`)
  return `SELECT ${[...columns, 'count', 'sum(n) AS n'].join(', ')}
      FROM (${countRowsSql(where)})
      GROUP BY ${['day', ...aliases, 'count'].join(', ')}`
}

/** Adoption time per actor from `rollup_actor_firsts`: the same rows as the raw `adoptionTimesSql`. */
export function rollupAdoptionTimesSql(ctx: MetricContext): string {
  const filters = [
    ctx.query.filters.feature ? ' AND feature = {feature:String}' : '',
    ctx.query.filters.space ? ' AND space = {space:String}' : '',
  ].join('')
  return `(
    SELECT actor, assumeNotNull(min(first_engaged)) AS adopted_at, ${localDay('assumeNotNull(min(first_engaged))')} AS adopted_day
    FROM rollup_actor_firsts
    WHERE org = {org:String} AND first_engaged IS NOT NULL${filters}
    GROUP BY actor
  )`
}

/**
 * Active (person, day) pairs in the org's days, `WHERE` clause given on `day`: from
 * `rollup_actor_day` when it applies, else the raw events. Department and site filters apply.
 */
export function activeActorDaysSql(
  ctx: MetricContext,
  dayWhere: string,
  minLevel: 'view' | 'react' = 'view',
): string {
  if (usesDayRollups(ctx)) {
    const rank = minLevel === 'view' ? 1 : 2
    return `SELECT DISTINCT actor, day FROM rollup_actor_day
      WHERE org = {org:String} AND max_level >= ${rank} AND ${dayWhere.replaceAll('{day}', 'day')}${eventFilters(ctx.query)}`
  }
  return `SELECT DISTINCT actor, ${localDay()} AS day FROM events
      WHERE org = {org:String} AND ${levelAtLeast(minLevel)} AND ${dayWhere.replaceAll('{day}', localDay())}${eventFilters(ctx.query)}`
}
