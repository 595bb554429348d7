// METRICS.md "Privacy rules that change numbers": breakdown groups of fewer than k people are
// withheld for every role but admin, and when only one would be, a second one too, so that it
// cannot be recovered by subtracting the others from the total. A filter that selects fewer
// than k people (a department, a site, a space) is withheld as a whole (`assertFilterPopulation`).
import type { MetricContext } from './metric.ts'
import { addDays } from './query.ts'
import { runQuery } from './run.ts'
import { inWorkforceOn, latestRoster } from './sql.ts'

export interface SizedGroup {
  group: string
  size: number
}

/** The role that sees small groups (flagged by the route, never withheld). */
export const suppressionExemptRole = 'admin'

/**
 * The names of the groups to withhold, with k the org's `min_group_size`. `role` is the caller's;
 * an admin gets none withheld. Without a role the rule applies (the safe default).
 */
export function withheldGroups(groups: readonly SizedGroup[], k: number, role?: string): Set<string> {
  if (role === suppressionExemptRole) return new Set()
  const withheld = new Set(groups.filter((g) => g.size < k).map((g) => g.group))
  if (withheld.size === 1 && groups.length > 1) {
    const [smallest] = groups
      .filter((g) => !withheld.has(g.group))
      .sort((a, b) => a.size - b.size || (a.group < b.group ? -1 : 1))
    if (smallest) withheld.add(smallest.group)
  }
  return withheld
}

/** A filter selecting fewer than k people: the whole answer is withheld (HTTP 403). */
export class WithheldError extends Error {
  readonly statusCode = 403
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`)
  }
}

/**
 * Closes the differencing hole of filters. `department=X` (or `site=X`) is withheld when X is a
 * group the `by=department` (or `by=site`) breakdown withholds: under k, or the complementary
 * second group; otherwise the total minus the visible groups minus the filtered one would give
 * the small group away. Group sizes are the roster workforce on the range's last day, as in the
 * breakdowns. Both filters at once: also withheld when together they select fewer than k people.
 * A space filter is withheld when fewer than k distinct people ever acted in the space. An empty
 * group is not withheld (there is nobody to protect, and a typo should read as zeros).
 */
export async function assertFilterPopulation(ctx: MetricContext): Promise<void> {
  if (ctx.role === suppressionExemptRole) return
  const k = ctx.settings.min_group_size
  const { department, site, space } = ctx.query.filters
  const params = {
    org: ctx.query.org,
    as_of: addDays(ctx.query.range.to, -1),
    department: department ?? '',
    site: site ?? '',
    space: space ?? '',
  }
  for (const field of ['department', 'site'] as const) {
    const value = ctx.query.filters[field]
    if (value === undefined) continue
    const sizes = await runQuery<{ group: string; size: number }>(
      ctx.client,
      `SELECT ${field} AS group, countIf(${inWorkforceOn('{as_of:Date}')}) AS size
       FROM ${latestRoster} GROUP BY ${field} HAVING size > 0`,
      params,
    )
    const groups = sizes.map((r) => ({ group: r.group, size: Number(r.size) }))
    if (withheldGroups(groups, k).has(value)) {
      throw new WithheldError(
        field,
        `withheld: ${value} has fewer than ${k} people (min_group_size), or is withheld beside a group that has`,
      )
    }
  }
  if (department !== undefined && site !== undefined) {
    const [row] = await runQuery<{ n: number }>(
      ctx.client,
      `SELECT countIf(${inWorkforceOn('{as_of:Date}')}) AS n FROM ${latestRoster}
       WHERE department = {department:String} AND site = {site:String}`,
      params,
    )
    const n = Number(row?.n ?? 0)
    if (n > 0 && n < k) {
      throw new WithheldError('site', `withheld: department and site together select fewer than ${k} people`)
    }
  }
  if (space !== undefined) {
    const [row] = await runQuery<{ n: number }>(
      ctx.client,
      `SELECT uniqExact(actor) AS n FROM events WHERE org = {org:String} AND space = {space:String}`,
      params,
    )
    const n = Number(row?.n ?? 0)
    if (n > 0 && n < k) {
      throw new WithheldError(
        'space',
        `withheld: fewer than ${k} people (min_group_size) ever acted in this space`,
      )
    }
  }
}
