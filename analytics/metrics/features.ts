// Feature adoption (METRICS.md "Feature adoption"): per feature, the adoption and active-user
// figures of the platform restricted to that feature's events, and active people per period.
import { platformFeatures } from '../../schemas/api/catalogue.ts'
import { type FeatureAdoption, featuresResponse } from '../../schemas/api/metrics/features.ts'
import type { Feature } from '../../schemas/event-catalogue.ts'
import { shareOf } from '../adoption-facts.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { addDays, laterDate, periodsOf, QueryError } from '../query.ts'
import { dayInRange, eventCountsSql } from '../rollups.ts'
import { runQuery } from '../run.ts'
import { baseParams, inWorkforceOn, levelAtLeast, localDay, periodOf } from '../sql.ts'
import { rollupRows } from '../tables.ts'
import { peopleSql, type WorkforceSource, workforceSource } from '../workforce.ts'

/**
 * Per (actor, feature) up to the range end, from the days of use of `rollup_actor_feature_month`
 * (stored, or computed from the events for a space filter, another zone or during a calendar
 * change): each (actor, feature, month) row's bit sets become its active and engaged days before
 * the range end, from which come the first use and first engaged day (as midnights of the query's
 * zone, whose local day is that day: only the day is read), activity in the range and its last 28
 * days, and the periods of the range with activity.
 */
function usageSql(ctx: MetricContext): string {
  const daysOf = (bits: string) =>
    `arrayFilter(d -> d < {to:Date}, arrayMap(i -> month + i, arrayFilter(i -> bitTest(${bits}, i), range(31))))`
  const features = 'feature IN {features:Array(String)}'
  return `
      SELECT actor, feature,
             toDateTime64(min(active_days[1]), 3, {tz:String}) AS first_used,
             toDateTime64(minIf(engaged_list[1], notEmpty(engaged_list)), 3, {tz:String}) AS adopted_at,
             max(notEmpty(engaged_list)) AS engaged,
             max(notEmpty(range_days)) AS active,
             max(arrayExists(d -> d >= {recent_from:Date}, range_days)) AS active_recently,
             groupUniqArrayArray(arrayMap(d -> ${periodOf('d', ctx.query.interval)}, range_days)) AS periods
      FROM (
        SELECT actor, feature, ${daysOf('days')} AS active_days, ${daysOf('engaged_days')} AS engaged_list,
               arrayFilter(d -> d >= {from:Date}, active_days) AS range_days
        FROM (
          SELECT actor, feature, month, groupBitOr(days) AS days, groupBitOr(engaged_days) AS engaged_days
          FROM ${rollupRows(ctx, 'rollup_actor_feature_month', { events: `${features} AND day < {to:Date}` })}
          WHERE ${features} AND month < {to:Date}
          GROUP BY actor, feature, month
        )
        WHERE notEmpty(active_days)
      )
      GROUP BY actor, feature`
}

/**
 * Per feature, in one pass over the org's history up to the range end: first use (anyone),
 * adopters among the workforce on `last`, and the people active in the range, in its last 28
 * days and in each period. Each (actor, feature) is reduced to one row first; the periods an
 * actor was active in are counted per feature with `sumMap`.
 */
export function featureUsageSql(source: WorkforceSource, ctx: MetricContext): string {
  return `
    WITH usage AS (${usageSql(ctx)})
    SELECT u.feature AS feature,
           toString(${localDay('min(u.first_used)')}) AS first_use,
           countIf(r.person_id IS NOT NULL AND ${inWorkforceOn('{last:Date}')}
                   AND u.engaged AND ${localDay('u.adopted_at')} <= {last:Date}) AS adopters,
           countIf(u.active) AS active,
           countIf(u.active_recently) AS active_28d,
           sumMap(u.periods, arrayMap(p -> toUInt64(1), u.periods)) AS series
    FROM usage AS u
    LEFT JOIN ${peopleSql(source, ctx)} AS r ON r.person_id = u.actor
    GROUP BY u.feature
    SETTINGS join_use_nulls = 1`
}

/**
 * Events per feature in the range (the sum of their `count`), from the rows of
 * `rollup_event_counts` (a department or site filter computes them from the events).
 */
export function featureEventsSql(ctx: MetricContext): string {
  const features = 'feature IN {features:Array(String)}'
  return `
    SELECT feature, sum(n * count) AS events
    FROM (${eventCountsSql({ feature: 'feature' }, `${dayInRange} AND ${levelAtLeast('view')} AND ${features}`, ctx, `${dayInRange} AND ${features}`)})
    GROUP BY feature`
}

function workforceSql(source: WorkforceSource, ctx: MetricContext): string {
  return `SELECT countIf(${inWorkforceOn('{last:Date}')}) AS workforce FROM ${peopleSql(source, ctx)}`
}

interface UsageRow {
  feature: Feature
  first_use: string | null
  adopters: number
  active: number
  active_28d: number
  /** Period labels and the people active in each. */
  series: [string[], number[]]
}

export async function computeFeatures(ctx: MetricContext): Promise<FeatureAdoption> {
  const { query } = ctx
  if (query.filters.feature === 'email') {
    throw new QueryError(
      'feature',
      'email is the outside baseline, not a platform feature (see the email metric)',
    )
  }
  const featureList = platformFeatures.filter((f) => !query.filters.feature || f === query.filters.feature)
  const last = addDays(query.range.to, -1)
  const params = {
    ...baseParams(query),
    features: featureList,
    last,
    recent_from: laterDate(query.range.from, addDays(query.range.to, -28)),
  }
  const source = await workforceSource(ctx)
  const [usage, counts, [headcount]] = await Promise.all([
    runQuery<UsageRow>(ctx.client, featureUsageSql(source, ctx), params),
    runQuery<{ feature: Feature; events: number }>(ctx.client, featureEventsSql(ctx), params),
    runQuery<{ workforce: number }>(ctx.client, workforceSql(source, ctx), params),
  ])
  const workforce = headcount?.workforce ?? 0
  const usageOf = new Map(usage.map((u) => [u.feature, u]))
  const eventsOf = new Map(counts.map((c) => [c.feature, c.events]))
  const activeIn = new Map(
    usage.map((u) => {
      const [periods, people] = u.series
      return [u.feature, new Map(periods.map((p, i) => [p, people[i]!]))]
    }),
  )
  return {
    workforce_source: source,
    workforce,
    features: featureList.map((feature) => {
      const used = usageOf.get(feature)
      return {
        feature,
        navigation: feature === 'platform',
        adopters: used?.adopters ?? 0,
        adoption_rate: shareOf(used?.adopters ?? 0, workforce),
        active: used?.active ?? 0,
        active_28d: used?.active_28d ?? 0,
        events: eventsOf.get(feature) ?? 0,
        first_use: used?.first_use ?? null,
      }
    }),
    series: periodsOf(query.range, query.interval).flatMap(({ period }) =>
      featureList.map((feature) => ({ period, feature, active: activeIn.get(feature)?.get(period) ?? 0 })),
    ),
  }
}

export const features = registerMetric({
  name: 'features',
  summary: 'Adoption and active people per platform feature',
  response: featuresResponse,
  compute: computeFeatures,
  tables: (r) => ({ features: r.features, series: r.series }),
})
