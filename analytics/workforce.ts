// The workforce and adoption building blocks of METRICS.md "Common ground" and "Adoption":
// who is in the workforce on a day, and each person's adoption time (first engaged event ever).
import type { MetricContext } from './context.ts'
import type { Filters } from './query.ts'
import { hasRoster } from './run.ts'
import { latestRoster, levelAtLeast, localDay } from './sql.ts'
import { rollupRows } from './tables.ts'

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
  // The local day of the first event is the local day of the earliest time (toDate is monotone).
  // Every actor ever seen: none of the query's filters narrows the rows.
  return `(
    SELECT actor AS person_id, '' AS department, '' AS site,
           CAST(${localDay('min(first_time)')} AS Nullable(Date32)) AS hired_at, CAST(NULL AS Nullable(Date32)) AS left_at
    FROM ${actorFirstsRows(ctx, {})}
    GROUP BY actor
    ${where ? 'HAVING 0' : ''}
  )`
}

/**
 * The rows of `rollup_actor_firsts` for a question on a person's first times ever, narrowed by
 * `filters` (which of the query's filters apply) and, when computed from the events, by
 * `events`. Such a question takes the min over all of a person's months, so how the months are
 * cut does not matter: the stored rows answer in any zone whenever the rollups may
 * (`usesRollups`), as they always did (`anyZone`); during a calendar change the rows are
 * computed from the events.
 */
export function actorFirstsRows(ctx: MetricContext, filters: Filters, events?: string): string {
  const scoped: MetricContext = { ...ctx, query: { ...ctx.query, filters } }
  return rollupRows(scoped, 'rollup_actor_firsts', {
    anyZone: true,
    ...(events === undefined ? {} : { events }),
  })
}

/**
 * Adoption time per actor: the time of their first engaged event (level react or above), ever,
 * not only within the range; `adopted_day` is its local day. The feature and space filters
 * restrict which events count (feature adoption).
 */
export function adoptionTimesSql(ctx: MetricContext): string {
  const { feature, space } = ctx.query.filters
  const filters: Filters = { ...(feature ? { feature } : {}), ...(space ? { space } : {}) }
  return `(
    SELECT actor, assumeNotNull(min(first_engaged)) AS adopted_at, ${localDay('assumeNotNull(min(first_engaged))')} AS adopted_day
    FROM ${actorFirstsRows(ctx, filters, levelAtLeast('react'))}
    WHERE first_engaged IS NOT NULL
    GROUP BY actor
  )`
}
