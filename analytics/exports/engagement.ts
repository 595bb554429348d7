// The `engagement` HR report: per month and per department or site, the workforce, active,
// engaged and creator counts, adopters and adoption rate, and community participation, with the
// small-group rule of METRICS.md applied to every role but admin. One tidy table: a row per
// (month, dimension, group).
//
// It runs in two steps so that every format can come out of the engine itself: a first query
// lists every (month, dimension, group); the org's withheld grid (analytics/privacy/grid.ts),
// the one every metric answer follows, decides which departments and sites are withheld; the
// second query computes the figures and blanks the withheld groups, whose keys arrive as a bound
// array.
import { TupleParam } from '@clickhouse/client'
import { type EngagementDimension, engagementDimensions } from '../../schemas/api/exports.ts'
import type { MetricContext } from '../metric.ts'
import { familyGrid } from '../privacy/layer.ts'
import { type DateRange, periodsOf } from '../query.ts'
import { dayInRange } from '../rollups.ts'
import { rollupRows } from '../tables.ts'
import { adoptionTimesSql, peopleSql, type WorkforceSource, workforceSource } from '../workforce.ts'

/** Columns of the report, in order, with their engine type (for the typed formats). */
export const engagementColumns = [
  { name: 'org', type: 'text', description: 'the org' },
  { name: 'month', type: 'date', description: 'first day of the month (in the org time zone)' },
  { name: 'dimension', type: 'text', description: 'department or site' },
  { name: 'group', type: 'text', description: "the department or site ('' for people not on the roster)" },
  { name: 'suppressed', type: 'boolean', description: 'withheld: a small group, or its complement' },
  { name: 'workforce', type: 'integer', description: 'workforce members as of the month end' },
  { name: 'active', type: 'integer', description: 'people with a view-or-above event in the month' },
  { name: 'engaged', type: 'integer', description: 'people with a react-or-above event in the month' },
  { name: 'creators', type: 'integer', description: 'people with a create event in the month' },
  { name: 'adopters', type: 'integer', description: 'workforce members adopted by the month end' },
  { name: 'adoption_rate', type: 'number', description: 'adopters ÷ workforce' },
  {
    name: 'community_participants',
    type: 'integer',
    description: 'people active in at least one space (community) in the month',
  },
  { name: 'community_participation', type: 'number', description: 'community_participants ÷ active' },
] as const

export type ColumnType = (typeof engagementColumns)[number]['type']

export interface EngagementRow {
  org: string
  month: string
  dimension: EngagementDimension
  group: string
  suppressed: boolean
  workforce: number | null
  active: number | null
  engaged: number | null
  creators: number | null
  adopters: number | null
  adoption_rate: number | null
  community_participants: number | null
  community_participation: number | null
}

export interface EngagementRequest {
  ctx: MetricContext
  /** Only one dimension; both by default. */
  dimension?: EngagementDimension
  /** Apply the small-group rule (every role but admin). */
  suppress: boolean
}

/** The SQL pieces and bound values of one report, ready to run in any output format. */
export interface EngagementQuery {
  /** Figures with withheld groups blanked, ordered by month, dimension, group. */
  sql: string
  params: Record<string, unknown>
  /** How many rows it will return (for progress). */
  rows: number
}

const dimensionPairs: Record<EngagementDimension, string> = {
  department: `('department', ifNull(r.department, ''))`,
  site: `('site', ifNull(r.site, ''))`,
}

/** Months of the range: their label (first day) and their last day inside the range. */
export function monthsOf(range: DateRange): { months: string[]; lasts: string[] } {
  const periods = periodsOf(range, 'month')
  return { months: periods.map((p) => p.period), lasts: periods.map((p) => p.last) }
}

/**
 * One row per (month, dimension, group) with raw counts and `people`, the number of people the
 * row is about (workforce members and active people): the size the small-group rule looks at.
 * Members and active people are stacked (UNION ALL) and folded per (month, person), so that an
 * active person outside the workforce still counts as active, in their roster group or in ''.
 * The activity of a (month, person) comes from the days of `rollup_actor_day` (active: view or
 * above; engaged: react or above; creator: create) and from `rollup_space_actor_month` (a view
 * or above in a space, its last time in the month).
 */
export function engagementCountsSql(
  source: WorkforceSource,
  ctx: MetricContext,
  dimensions: readonly EngagementDimension[],
): string {
  const pairs = dimensions.map((d) => dimensionPairs[d]).join(', ')
  // A month wholly inside the range: its stored rows of rollup_space_actor_month are the month's.
  // The days of a month the range cuts: their rows computed from those days' events.
  const wholeMonth = (month: string) => `${month} >= {from:Date} AND addMonths(${month}, 1) <= {to:Date}`
  const cutMonthDays = `${dayInRange} AND NOT (${wholeMonth('toStartOfMonth(day)')})`
  return `
    WITH
      periods AS (
        SELECT p.1 AS month, p.2 AS last
        FROM (SELECT arrayJoin(arrayZip({months:Array(Date)}, {lasts:Array(Date)})) AS p)
      ),
      people AS (
        SELECT p.person_id AS person, p.department AS department, p.site AS site,
               p.hired_at AS hired_at, p.left_at AS left_at, a.adopted_day AS adopted_day
        FROM ${peopleSql(source, ctx)} AS p
        LEFT JOIN ${adoptionTimesSql(ctx)} AS a ON a.actor = p.person_id
      ),
      members AS (
        SELECT periods.month AS month, people.person AS person,
               (people.adopted_day IS NOT NULL AND people.adopted_day <= periods.last) AS adopted
        FROM periods CROSS JOIN people
        WHERE (people.hired_at IS NULL OR people.hired_at <= periods.last)
          AND (people.left_at IS NULL OR people.left_at > periods.last)
      ),
      activity AS (
        SELECT month, person, max(engaged) AS engaged, max(created) AS created, max(in_space) AS in_space
        FROM (
          SELECT toStartOfMonth(day) AS month, actor AS person,
                 max(max_level >= 2) AS engaged, max(max_level = 4) AS created, 0 AS in_space
          FROM ${rollupRows(ctx, 'rollup_actor_day', { events: dayInRange })}
          WHERE max_level >= 1 AND ${dayInRange}
          GROUP BY month, person
          UNION ALL
          SELECT month, actor AS person, 0, 0, 1
          FROM (
            SELECT month, space, actor, max(last_active) AS last_active
            FROM (
              SELECT month, space, actor, last_active
              FROM ${rollupRows(ctx, 'rollup_space_actor_month', { events: dayInRange })}
              WHERE ${wholeMonth('month')}
              UNION ALL
              SELECT month, space, actor, last_active
              FROM ${rollupRows(ctx, 'rollup_space_actor_month', { events: cutMonthDays, computed: true })}
            )
            GROUP BY month, space, actor
          )
          WHERE last_active >= toDateTime64(month, 3, {tz:String})
          GROUP BY month, person
        )
        GROUP BY month, person
      ),
      person_months AS (
        SELECT month, person, max(member) AS member, max(adopted) AS adopted, max(active) AS active,
               max(engaged) AS engaged, max(created) AS created, max(in_space) AS in_space
        FROM (
          SELECT month, person, 1 AS member, toUInt8(adopted) AS adopted, 0 AS active,
                 0 AS engaged, 0 AS created, 0 AS in_space
          FROM members
          UNION ALL
          SELECT month, person, 0, 0, 1, toUInt8(engaged), toUInt8(created), toUInt8(in_space)
          FROM activity
        )
        GROUP BY month, person
      )
    SELECT pm.month AS month, dim.1 AS dimension, dim.2 AS grp,
           toUInt32(countIf(pm.member = 1)) AS workforce,
           toUInt32(countIf(pm.active = 1)) AS active,
           toUInt32(countIf(pm.engaged = 1)) AS engaged,
           toUInt32(countIf(pm.created = 1)) AS creators,
           toUInt32(countIf(pm.member = 1 AND pm.adopted = 1)) AS adopters,
           toUInt32(countIf(pm.in_space = 1)) AS community_participants,
           toUInt32(count()) AS people
    FROM person_months AS pm
    LEFT JOIN people AS r ON r.person = pm.person
    ARRAY JOIN [${pairs}] AS dim
    GROUP BY month, dimension, grp
    ORDER BY month, dimension, grp`
}

/**
 * Settings both queries need ("never adopted" stays NULL in the LEFT JOINs, not 1970-01-01), in
 * the SQL text: the embedded engine's connection turns clickhouse_settings into session-wide SET
 * statements, which would then change the joins of every later query of the process.
 */
export const engagementSettings = 'SETTINGS join_use_nulls = 1'

/** The figures, with the groups whose key is in {withheld} blanked and flagged. */
export function engagementReportSql(countsSql: string): string {
  const hide = (column: string) => `if(suppressed, NULL, c.${column})`
  return `
    SELECT {org:String} AS org, c.month AS month, c.dimension AS dimension, c.grp AS \`group\`,
           CAST(has({withheld:Array(Tuple(Date, String, String))}, (c.month, c.dimension, c.grp)), 'Bool') AS suppressed,
           ${hide('workforce')} AS workforce,
           ${hide('active')} AS active,
           ${hide('engaged')} AS engaged,
           ${hide('creators')} AS creators,
           ${hide('adopters')} AS adopters,
           if(suppressed OR c.workforce = 0, NULL, round(c.adopters / c.workforce, 4)) AS adoption_rate,
           ${hide('community_participants')} AS community_participants,
           if(suppressed OR c.active = 0, NULL, round(c.community_participants / c.active, 4)) AS community_participation
    FROM (${countsSql}) AS c
    ORDER BY c.month, c.dimension, c.grp
    ${engagementSettings}`
}

interface GroupSize {
  month: string
  dimension: EngagementDimension
  grp: string
  people: number
}

/**
 * Lists every group, decides what to withhold (the departments and sites the org's grid
 * withholds as groups), and returns the report query.
 */
export async function prepareEngagement(request: EngagementRequest): Promise<EngagementQuery> {
  const { ctx } = request
  const source = await workforceSource(ctx)
  const dimensions = request.dimension ? [request.dimension] : [...engagementDimensions]
  const countsSql = engagementCountsSql(source, ctx, dimensions)
  const params: Record<string, unknown> = {
    org: ctx.query.org,
    tz: ctx.query.timeZone,
    from: ctx.query.range.from,
    to: ctx.query.range.to,
    ...monthsOf(ctx.query.range),
  }
  const sizesResult = await ctx.client.query({
    query: `SELECT toString(month) AS month, dimension, grp, people FROM (${countsSql}) ${engagementSettings}`,
    query_params: params,
    format: 'JSONEachRow',
  })
  const sizes = await sizesResult.json<GroupSize>()
  const withheld: TupleParam[] = []
  if (request.suppress) {
    // The org's withheld grid, as for every metric: a department or site withheld as a group is
    // withheld in every month.
    const grid = await familyGrid({ ...ctx, query: { ...ctx.query, filters: {} } })
    for (const s of sizes) {
      const hidden = s.dimension === 'department' ? grid.departments.has(s.grp) : grid.sites.has(s.grp)
      if (hidden) withheld.push(new TupleParam([s.month, s.dimension, s.grp]))
    }
  }
  return { sql: engagementReportSql(countsSql), params: { ...params, withheld }, rows: sizes.length }
}
