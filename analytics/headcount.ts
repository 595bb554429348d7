// Headcounts of METRICS.md "Common ground" and "Adoption" on given days: the workforce N(d), per
// people group when asked, and the adopters among it.
import type { Breakdown } from '../schemas/api/catalogue.ts'
import type { MetricContext } from './context.ts'
import { QueryError } from './query.ts'
import { runQuery } from './run.ts'
import { baseParams, inWorkforceOn } from './sql.ts'
import { adoptionTimesSql, peopleSql, type WorkforceSource } from './workforce.ts'

/** Breakdowns that are a property of the person (one group each), as columns of `peopleSql`. */
export type PeopleGroup = 'department' | 'site'
const peopleGroupColumns: Record<PeopleGroup, string> = { department: 'department', site: 'site' }

/** A breakdown that must be a people group (the route has already checked `by` against the metric). */
export function peopleGroupOf(by: Breakdown | undefined): PeopleGroup | undefined {
  if (by === undefined || by === 'department' || by === 'site') return by
  throw new QueryError('by', `breaks down by department or site only, not ${by}`)
}

export function peopleGroupColumn(group: PeopleGroup | undefined): string {
  return group ? peopleGroupColumns[group] : `''`
}

/** N(d) for each day of `{days:Array(Date)}`, per group (`''` without one). */
export function workforceOnDaysSql(source: WorkforceSource, ctx: MetricContext, group?: PeopleGroup): string {
  return `
    SELECT toString(d) AS day, ${peopleGroupColumn(group)} AS grp, countIf(${inWorkforceOn('d')}) AS workforce
    FROM ${peopleSql(source, ctx)} ARRAY JOIN {days:Array(Date)} AS d
    GROUP BY d, grp`
}

export interface WorkforceOnDay {
  day: string
  grp: string
  workforce: number
}

export async function workforceOnDays(
  ctx: MetricContext,
  source: WorkforceSource,
  days: readonly string[],
  group?: PeopleGroup,
): Promise<WorkforceOnDay[]> {
  if (days.length === 0) return []
  return runQuery<WorkforceOnDay>(ctx.client, workforceOnDaysSql(source, ctx, group), {
    ...baseParams(ctx.query),
    days,
  })
}

/** Workforce and adopters on `{as_of:Date}`: adopters are workforce members adopted on or before it. */
export function adoptionAsOfSql(source: WorkforceSource, ctx: MetricContext): string {
  const member = inWorkforceOn('{as_of:Date}')
  return `
    SELECT countIf(${member}) AS workforce,
           countIf(${member} AND person_id IN (
             SELECT actor FROM ${adoptionTimesSql(ctx)} WHERE adopted_day <= {as_of:Date}
           )) AS adopters
    FROM ${peopleSql(source, ctx)}`
}

export interface AdoptionAsOf {
  workforce: number
  adopters: number
}

export async function adoptionAsOf(
  ctx: MetricContext,
  source: WorkforceSource,
  asOf: string,
): Promise<AdoptionAsOf> {
  const [row] = await runQuery<AdoptionAsOf>(ctx.client, adoptionAsOfSql(source, ctx), {
    ...baseParams(ctx.query),
    as_of: asOf,
  })
  return row ?? { workforce: 0, adopters: 0 }
}
