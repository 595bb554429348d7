// Email displacement (METRICS.md): emails per workforce member per period beside the platform's
// engaged-user rate over the same periods, and the Pearson correlation of the two series.
//
// Emails are the `count` of `email.sent` events, summed (each event is stored once). The workforce of a
// period is N(d) at its last day (clipped to the range); the engaged are workforce members of
// that day with an event of level react or above in the period. The feature and space filters
// narrow the engaged side only (emails have neither), e.g. `feature=messaging` compares email
// with messaging; department and site narrow both sides to those people. With `by`, small groups
// are withheld (METRICS.md "Privacy rules"); the totals stay those of the whole org.
import { type Email, type EmailPoint, emailResponse } from '../../schemas/api/metrics/email.ts'
import { peopleGroupColumn, peopleGroupOf, workforceOnDays } from '../headcount.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { nextPeriodSql } from '../period-arithmetic.ts'
import { type MetricQuery, periodsOf } from '../query.ts'
import { activeActorDaysSql, dayInRange, eventCountsSql } from '../rollups.ts'
import { runQuery } from '../run.ts'
import {
  baseParams,
  breakdownColumn,
  eventFilters,
  inWorkforceOn,
  localDay,
  periodOf,
  rosterJoin,
  timeInRange,
} from '../sql.ts'
import { peopleSql, type WorkforceSource, workforceSource } from '../workforce.ts'

/** The query with only the filters on people (department, site), for the email side. */
function peopleFiltersOnly(query: MetricQuery): MetricQuery {
  const { department, site } = query.filters
  return { ...query, filters: { ...(department ? { department } : {}), ...(site ? { site } : {}) } }
}

/**
 * Emails per period (and group). Without a breakdown, from the rows of `rollup_event_counts`
 * narrowed by the department and site filters only (computed from the events when there is one:
 * the rollup keeps no actor). With a breakdown, the group and `senders` (the group's people, for
 * the privacy rule) need the sender of each email, which no rollup keeps beside the event type:
 * that question reads the events.
 */
export function emailsSql(ctx: MetricContext): string {
  const by = peopleGroupOf(ctx.query.by)
  const emailQuery = { ...ctx, query: peopleFiltersOnly(ctx.query) }
  if (by === undefined) {
    const period = periodOf('day', ctx.query.interval)
    const emails = `type = 'email.sent' AND ${dayInRange}`
    return `
    SELECT toString(period) AS period, '' AS grp, sum(n * count) AS emails
    FROM (${eventCountsSql({ period }, emails, emailQuery)})
    GROUP BY period`
  }
  return `
    SELECT toString(${periodOf(localDay(), ctx.query.interval)}) AS period,
           ${breakdownColumn(by)} AS grp, sum(count) AS emails, uniqExact(actor) AS senders
    FROM events ${rosterJoin}
    WHERE org = {org:String} AND type = 'email.sent' AND ${timeInRange}${eventFilters(emailQuery.query)}
    GROUP BY period, grp`
}

/**
 * Workforce members engaged in each period, judged on the period's last day inside the range:
 * the people with a react-or-above day of `rollup_actor_day` in the period (every filter applies).
 */
export function engagedSql(source: WorkforceSource, ctx: MetricContext): string {
  const { interval } = ctx.query
  const by = peopleGroupOf(ctx.query.by)
  const asOf = `least(${nextPeriodSql('e.period', interval)} - 1, toDate({to:Date}) - 1)`
  return `
    SELECT toString(e.period) AS period, p.grp AS grp, uniqExact(e.actor) AS engaged
    FROM (
      SELECT DISTINCT actor, ${periodOf('day', interval)} AS period
      FROM (${activeActorDaysSql(ctx, '{day} >= {from:Date} AND {day} < {to:Date}', 'react')})
    ) AS e
    INNER JOIN (
      SELECT person_id, ${peopleGroupColumn(by)} AS grp, hired_at, left_at FROM ${peopleSql(source, ctx)}
    ) AS p ON p.person_id = e.actor
    WHERE ${inWorkforceOn(asOf)}
    GROUP BY e.period, grp`
}

/** Pearson's r over the points where both values exist; null under 3 points or without variance. */
export function pearson(pairs: readonly (readonly [number | null, number | null])[]): number | null {
  const points = pairs.filter((p): p is [number, number] => p[0] !== null && p[1] !== null)
  if (points.length < 3) return null
  const n = points.length
  const mx = points.reduce((s, [x]) => s + x, 0) / n
  const my = points.reduce((s, [, y]) => s + y, 0) / n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my)
    sxx += (x - mx) ** 2
    syy += (y - my) ** 2
  }
  if (sxx === 0 || syy === 0) return null
  return Math.round((sxy / Math.sqrt(sxx * syy)) * 10_000) / 10_000
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000

interface Counts {
  emails: number
  workforce: number
  engaged: number
}

function toPoint(period: string, c: Counts): EmailPoint {
  return {
    period,
    emails: c.emails,
    workforce: c.workforce,
    emails_per_person: c.workforce > 0 ? round4(c.emails / c.workforce) : null,
    engaged: c.engaged,
    engaged_rate: c.workforce > 0 ? round4(c.engaged / c.workforce) : null,
  }
}

const correlationOf = (points: readonly EmailPoint[]) =>
  pearson(
    points.map((p) => [
      p.workforce > 0 ? p.emails / p.workforce : null,
      p.workforce > 0 ? p.engaged / p.workforce : null,
    ]),
  )

export async function computeEmail(ctx: MetricContext): Promise<Email> {
  const by = peopleGroupOf(ctx.query.by) ?? null
  const periods = periodsOf(ctx.query.range, ctx.query.interval)
  const source = await workforceSource(ctx)
  const params = baseParams(ctx.query)
  const [emails, workforce, engaged] = await Promise.all([
    runQuery<{ period: string; grp: string; emails: number; senders?: number }>(
      ctx.client,
      emailsSql(ctx),
      params,
    ),
    workforceOnDays(
      ctx,
      source,
      periods.map((p) => p.last),
      by ?? undefined,
    ),
    runQuery<{ period: string; grp: string; engaged: number }>(ctx.client, engagedSql(source, ctx), params),
  ])

  // Counts per (group, period); the workforce rows are keyed by the period's last day.
  const periodOfLastDay = new Map(periods.map((p) => [p.last, p.period]))
  const counts = new Map<string, Counts>()
  const countsOf = (grp: string, period: string) => {
    const key = `${grp}\u0000${period}`
    let c = counts.get(key)
    if (!c) {
      c = { emails: 0, workforce: 0, engaged: 0 }
      counts.set(key, c)
    }
    return c
  }
  for (const e of emails) countsOf(e.grp, e.period).emails += e.emails
  for (const w of workforce) countsOf(w.grp, periodOfLastDay.get(w.day) ?? w.day).workforce += w.workforce
  for (const e of engaged) countsOf(e.grp, e.period).engaged += e.engaged

  const groupNames = [...new Set([...emails, ...workforce, ...engaged].map((r) => r.grp))].sort()
  const groups = by
    ? groupNames.map((group) => ({
        group,
        points: periods.map((p) => toPoint(p.period, countsOf(group, p.period))),
      }))
    : []
  // Groups partition the people (one department or site each), so totals are sums over groups.
  const series = periods.map((p) => {
    const total: Counts = { emails: 0, workforce: 0, engaged: 0 }
    for (const group of groupNames) {
      const c = countsOf(group, p.period)
      total.emails += c.emails
      total.workforce += c.workforce
      total.engaged += c.engaged
    }
    return toPoint(p.period, total)
  })
  return {
    series,
    correlation: correlationOf(series),
    by,
    // Which groups are withheld is the privacy layer's (the `groups` declaration below).
    groups: groups.flatMap((g) => g.points.map((p) => ({ group: g.group, suppressed: false, ...p }))),
    group_correlations: groups.map((g) => ({
      group: g.group,
      suppressed: false,
      correlation: correlationOf(g.points),
    })),
  }
}

export const email = registerMetric({
  name: 'email',
  summary: 'Emails per workforce member per period beside the engaged-user rate, and their correlation',
  response: emailResponse,
  compute: computeEmail,
  groups: [
    { kind: 'breakdown', rows: (r) => r.groups, keys: ['group', 'period'] },
    { kind: 'breakdown', rows: (r) => r.group_correlations },
  ],
  tables: (r) => ({
    series: r.series,
    ...(r.by ? { groups: r.groups, correlations: r.group_correlations } : {}),
  }),
})
