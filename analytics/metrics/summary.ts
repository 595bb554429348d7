// The executive overview: the headline numbers of the other metrics, as of the range end, in one
// call (its queries run side by side). The department and site filters narrow every figure to
// those people; feature and space would change what half of the figures mean, so they are a 400.
import { type Summary, summaryResponse } from '../../schemas/api/metrics/summary.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { addDays, earlierDate, todayIn } from '../query.ts'
import { dayInRange, eventCountsSql } from '../rollups.ts'
import { runQuery } from '../run.ts'
import { baseParams, latestRoster, levelAtLeast, monthDaysMask } from '../sql.ts'
import { rollupRows } from '../tables.ts'
import { workingDayTest } from '../working-days.ts'
import { dailyActives } from './active-users.ts'
import { communityCountsSql } from './communities.ts'
import { computeImplicationIndex } from './roi-index.ts'

/**
 * Events, active people and active actors missing from the roster, over the range: the events
 * from the rows of `rollup_event_counts` (computed from the events under a department or site
 * filter: it keeps no actor), the people from the month bit sets of `rollup_actor_month` (a day
 * of the range set in any part of a person's month). Summary takes no feature or space filter.
 */
export function rangeActivitySql(ctx: MetricContext): string {
  const inRange = `${levelAtLeast('view')} AND ${dayInRange}`
  return `
    SELECT (SELECT sum(n) FROM (${eventCountsSql({}, dayInRange, ctx)})) AS events,
           uniqExact(actor) AS active_people,
           uniqExactIf(actor, actor NOT IN (SELECT person_id FROM ${latestRoster})) AS unknown_actors
    FROM ${rollupRows(ctx, 'rollup_actor_month', { events: inRange })}
    WHERE month >= toStartOfMonth({from:Date}) AND month < {to:Date}
      AND bitAnd(days, ${monthDaysMask('month', '{from:Date}', '{to:Date}')}) != 0`
}

/**
 * The headline actives (METRICS.md "Common ground": no headline reads a partial day): DAU is the
 * mean DAU over the working days of the last complete ISO week of the range, WAU as of that
 * week's Sunday, MAU as of the range's last complete day (the range's last day, or yesterday in
 * the org's zone when the range runs to today). Without a complete week in the range, DAU and
 * WAU are null.
 */
async function headlineActives(ctx: MetricContext) {
  const { from, to } = ctx.query.range
  const lastComplete = earlierDate(addDays(to, -1), addDays(todayIn(ctx.query.timeZone, ctx.now), -1))
  const weekday = new Date(`${lastComplete}T00:00:00Z`).getUTCDay()
  const sunday = addDays(lastComplete, -weekday)
  const monday = addDays(sunday, -6)
  const week = monday >= from
  // The daily figures only: the active-days histogram is not a headline.
  const { total } = await dailyActives({
    ...ctx,
    query: {
      ...ctx.query,
      by: undefined,
      interval: 'day',
      range: { from: week ? monday : lastComplete, to: addDays(lastComplete, 1) },
    },
  })
  const on = (date: string) => total.get(date)
  const isWorkingDay = workingDayTest(ctx.settings)
  const working = week ? [...total.values()].filter((d) => d.date <= sunday && isWorkingDay(d.date)) : []
  return {
    mau_as_of: lastComplete,
    dau_week: week ? monday : null,
    dau:
      working.length > 0
        ? Math.round((working.reduce((s, d) => s + d.dau, 0) / working.length) * 100) / 100
        : null,
    wau: week ? (on(sunday)?.wau ?? 0) : null,
    mau: on(lastComplete)?.mau ?? 0,
  }
}

export async function computeSummary(ctx: MetricContext): Promise<Summary> {
  const params = baseParams(ctx.query)
  const [parts, activity, counts, headline] = await Promise.all([
    computeImplicationIndex(ctx),
    runQuery<{ events: number; active_people: number; unknown_actors: number }>(
      ctx.client,
      rangeActivitySql(ctx),
      params,
    ),
    runQuery<{ communities: number; dormant: number }>(ctx.client, communityCountsSql(ctx), params),
    headlineActives(ctx),
  ])
  const { adoption, activeUsers, source } = parts
  return {
    as_of: addDays(ctx.query.range.to, -1),
    workforce: adoption.workforce,
    workforce_source: source,
    adopters: adoption.adopters,
    adoption_rate:
      adoption.workforce > 0 ? Math.round((adoption.adopters / adoption.workforce) * 10_000) / 10_000 : null,
    dau: headline.dau,
    dau_week: headline.dau_week,
    wau: headline.wau,
    mau: headline.mau,
    mau_as_of: headline.mau_as_of,
    stickiness: activeUsers.stickiness,
    implication_index: parts.index.value,
    events: activity[0]?.events ?? 0,
    active_people: activity[0]?.active_people ?? 0,
    unknown_actors: source === 'roster' ? (activity[0]?.unknown_actors ?? 0) : null,
    communities: counts[0]?.communities ?? 0,
    dormant_communities: counts[0]?.dormant ?? 0,
  }
}

export const summary = registerMetric({
  name: 'summary',
  summary: 'Headline numbers as of the range end: workforce, adoption, actives, index, communities',
  response: summaryResponse,
  compute: computeSummary,
  tables: (r) => ({ summary: [r] }),
})
