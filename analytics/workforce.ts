// The workforce and adoption building blocks of METRICS.md "Common ground" and "Adoption":
// who is in the workforce on a day, and each person's adoption time (first engaged event ever).
import type { MetricContext } from './metric.ts'
import { rollupAdoptionTimesSql, usesRollups } from './rollups.ts'
import { hasRoster } from './run.ts'
import { eventsTable, latestRoster, levelAtLeast, localDay } from './sql.ts'

/** Where the workforce comes from: the roster, or (without one) the actors seen so far. */
export type WorkforceSource = 'roster' | 'actors'

export async function workforceSource(ctx: MetricContext): Promise<WorkforceSource> {
  return (await hasRoster(ctx.client, ctx.query.org)) ? 'roster' : 'actors'
}

/**
 * The people, one row each: person_id, department, site, hired_at, left_at (Date32, nullable).
 * Without a roster, every actor ever seen, "hired" on the local day of their first event, so
 * that `inWorkforceOn(d)` means "seen up to d". The department and site filters apply here.
 */
export function peopleSql(source: WorkforceSource, ctx: MetricContext): string {
  const filters = [
    ctx.query.filters.department ? 'department = {department:String}' : '',
    ctx.query.filters.site ? 'site = {site:String}' : '',
  ].filter(Boolean)
  const where = filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : ''
  if (source === 'roster') {
    return `(SELECT person_id, department, site, hired_at, left_at FROM ${latestRoster} ${where})`
  }
  if (usesRollups(ctx)) {
    // The local day of the first event is the local day of the earliest time (toDate is monotone).
    return `(
    SELECT actor AS person_id, '' AS department, '' AS site,
           CAST(${localDay('min(first_time)')} AS Nullable(Date32)) AS hired_at, CAST(NULL AS Nullable(Date32)) AS left_at
    FROM rollup_actor_firsts
    WHERE org = {org:String}
    GROUP BY actor
    ${where ? 'HAVING 0' : ''}
  )`
  }
  return `(
    SELECT actor AS person_id, '' AS department, '' AS site,
           CAST(min(${localDay()}) AS Nullable(Date32)) AS hired_at, CAST(NULL AS Nullable(Date32)) AS left_at
    FROM ${eventsTable(false)}
    WHERE org = {org:String}
    GROUP BY actor
    ${where ? 'HAVING 0' : ''}
  )`
}

/**
 * Adoption time per actor: the time of their first engaged event (level react or above), ever,
 * not only within the range; `adopted_day` is its local day. The feature and space filters
 * restrict which events count (feature adoption).
 */
export function adoptionTimesSql(ctx: MetricContext): string {
  if (usesRollups(ctx)) return rollupAdoptionTimesSql(ctx)
  const filters = [
    ctx.query.filters.feature ? ' AND feature = {feature:String}' : '',
    ctx.query.filters.space ? ' AND space = {space:String}' : '',
  ].join('')
  return `(
    SELECT actor, min(time) AS adopted_at, ${localDay('min(time)')} AS adopted_day
    FROM ${eventsTable(false)}
    WHERE org = {org:String} AND ${levelAtLeast('react')}${filters}
    GROUP BY actor
  )`
}
