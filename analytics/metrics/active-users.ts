// DAU, WAU and MAU (METRICS.md "Engagement"), stickiness and the active-days histogram; by
// department or site on demand.
import { type ActiveUsers, activeUsersResponse } from '../../schemas/api/metrics/active-users.ts'
import { peopleGroupOf } from '../headcount.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { addDays, periodsOf } from '../query.ts'
import { runQuery } from '../run.ts'
import { baseParams, latestRoster } from '../sql.ts'
import { rollupRows } from '../tables.ts'
import type { Row } from '../tabular.ts'
import { workingDayTest } from '../working-days.ts'

interface DailyActives {
  date: string
  dau: number
  wau: number
  mau: number
}

/**
 * Per active person, the sorted days of [lower, upper) (SQL date expressions) with a view or
 * above, from the month bit sets of `rollup_actor_month` (stored or computed: tables.ts). A
 * month's row may be split over parts, hence the OR per (actor, month) first.
 */
function activeDaysSql(ctx: MetricContext, lower: string, upper: string): string {
  const days = `day >= ${lower} AND day < ${upper}`
  const by = peopleGroupOf(ctx.query.by)
  // With `by=department|site`, each person's group on the latest roster ('' when off it).
  const group = by ? `ifNull(r.${by}, '')` : `''`
  const roster = by ? `LEFT JOIN ${latestRoster} AS r ON r.person_id = a.actor` : ''
  return `
    SELECT a.actor AS actor, ${group} AS grp, a.days AS days
    FROM (
      SELECT actor,
             arraySort(arrayFilter(d -> d >= ${lower} AND d < ${upper},
               arrayFlatten(groupArray(arrayMap(i -> month + i, arrayFilter(i -> bitTest(bits, i), range(31))))))) AS days
      FROM (
        SELECT actor, month, groupBitOr(days) AS bits
        FROM ${rollupRows(ctx, 'rollup_actor_month', { events: days })}
        WHERE month >= toStartOfMonth(${lower}) AND month < ${upper}
        GROUP BY actor, month
      )
      GROUP BY actor
      HAVING notEmpty(days)
    ) AS a ${roster}`
}

/**
 * DAU, WAU and MAU for every day of [from, to), as a sliding window over each person's active
 * days: an active day `a` covers the W-day windows (W = 1, 7, 28) ending on days [a, a + W). A
 * person's covered days form runs; a +1 where each run starts and a −1 where it ends, summed in
 * day order, give the people covered on each day: DAU, WAU and MAU. Days of [from, to) without
 * any change are added with no change, so every day comes out.
 */
export function dailyActivesSql(ctx: MetricContext): string {
  const actives = activeDaysSql(ctx, 'toDate({from:Date}) - 27', '{to:Date}')
  // Per person and window W: +1 where a run of coverage starts (an active day more than W days
  // after the previous one) and -1 where it ends (W days after an active day followed by none
  // within W days); only the runs' bounds become rows, not every day.
  const bounds = (w: number, slot: 0 | 1 | 2) => {
    const change = (sign: 1 | -1) => [0, 1, 2].map((i) => (i === slot ? String(sign) : '0')).join(', ')
    return [
      `arrayMap(a -> (a, ${change(1)}), arrayFilter((a, p) -> a > p + ${w}, days, prevs))`,
      `arrayMap(a -> (a + ${w}, ${change(-1)}), arrayFilter((a, n) -> n > a + ${w}, days, nexts))`,
    ]
  }
  const by = peopleGroupOf(ctx.query.by)
  // The groups every day of the range is written for: the roster's, and '' (the whole org, or
  // the people off the roster).
  const groups = by
    ? `(SELECT DISTINCT ${by} AS grp FROM ${latestRoster} UNION DISTINCT SELECT '' AS grp)`
    : `(SELECT '' AS grp)`
  return `
    SELECT grp, toString(d) AS date, dau, wau, mau FROM (
      SELECT grp, d,
             sum(dau_change) OVER running AS dau,
             sum(wau_change) OVER running AS wau,
             sum(mau_change) OVER running AS mau
      FROM (
        SELECT grp, change.1 AS d, sum(change.2) AS dau_change, sum(change.3) AS wau_change, sum(change.4) AS mau_change
        FROM (
          SELECT grp, arrayConcat(${[...bounds(1, 0), ...bounds(7, 1), ...bounds(28, 2)].join(', ')}) AS changes
          FROM (
            SELECT grp, days,
                   arrayPushFront(arrayPopBack(days), toDate('1970-01-01')) AS prevs,
                   arrayPushBack(arrayPopFront(days), toDate('2149-06-06')) AS nexts
            FROM (${actives})
          )
          UNION ALL
          -- Every day of the range for every group (the whole org: ''), with no change.
          SELECT g.grp AS grp, [(toDate({from:Date}) + n.number, 0, 0, 0)] AS changes
          FROM numbers(toUInt64(dateDiff('day', toDate({from:Date}), toDate({to:Date})))) AS n
          CROSS JOIN ${groups} AS g
        )
        ARRAY JOIN changes AS change
        GROUP BY grp, d
      )
      WINDOW running AS (PARTITION BY grp ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    )
    WHERE d >= {from:Date} AND d < {to:Date}
    ORDER BY grp, d`
}

/** People by their active days among the range's last 28. */
function histogramSql(ctx: MetricContext): string {
  return `
    SELECT length(days) AS days, count() AS people
    FROM (${activeDaysSql(ctx, 'greatest(toDate({to:Date}) - 28, toDate({from:Date}))', '{to:Date}')})
    GROUP BY days ORDER BY days`
}

const round2 = (x: number) => Math.round(x * 100) / 100

interface GroupDailyActives extends DailyActives {
  grp: string
}

/** The series and stickiness of one set of daily figures (the org's, or a group's). */
function figuresOf(ctx: MetricContext, byDate: ReadonlyMap<string, DailyActives>) {
  const on = (date: string): DailyActives => byDate.get(date) ?? { date, dau: 0, wau: 0, mau: 0 }
  const series = periodsOf(ctx.query.range, ctx.query.interval).map((p) => {
    const days: DailyActives[] = []
    for (let d = p.first; d < p.end; d = addDays(d, 1)) days.push(on(d))
    const last = on(p.last)
    return {
      date: p.period,
      dau: round2(days.reduce((sum, d) => sum + d.dau, 0) / days.length),
      wau: last.wau,
      mau: last.mau,
    }
  })
  const { from, to } = ctx.query.range
  // Working days: Monday to Friday minus the org's holidays and closures (the org calendar).
  const isWorkingDay = workingDayTest(ctx.settings)
  const workingDays: DailyActives[] = []
  for (let d = addDays(to, -28); d < to; d = addDays(d, 1)) {
    if (d >= from && isWorkingDay(d)) workingDays.push(on(d))
  }
  const mau = on(addDays(to, -1)).mau
  const meanDau = workingDays.length > 0 ? workingDays.reduce((s, d) => s + d.dau, 0) / workingDays.length : 0
  return { series, stickiness: mau > 0 ? Math.round((meanDau / mau) * 10_000) / 10_000 : null }
}

/**
 * DAU, WAU and MAU of every day of the query's range, for the whole org (`total`) and per group
 * of `by` (without `by`, one group ''), keyed by date.
 */
export async function dailyActives(ctx: MetricContext): Promise<{
  total: Map<string, DailyActives>
  groups: Map<string, Map<string, DailyActives>>
}> {
  const daily = await runQuery<GroupDailyActives>(ctx.client, dailyActivesSql(ctx), baseParams(ctx.query))
  // Each person is in one group, so the org's figures of a day are the sums over the groups.
  const total = new Map<string, DailyActives>()
  const groups = new Map<string, Map<string, DailyActives>>()
  for (const { grp, ...day } of daily) {
    const t = total.get(day.date) ?? { date: day.date, dau: 0, wau: 0, mau: 0 }
    total.set(day.date, { date: day.date, dau: t.dau + day.dau, wau: t.wau + day.wau, mau: t.mau + day.mau })
    const g = groups.get(grp) ?? new Map<string, DailyActives>()
    g.set(day.date, day)
    groups.set(grp, g)
  }
  return { total, groups }
}

export async function computeActiveUsers(ctx: MetricContext): Promise<ActiveUsers> {
  const [{ total, groups }, histogram] = await Promise.all([
    dailyActives(ctx),
    runQuery<{ days: number; people: number }>(ctx.client, histogramSql(ctx), baseParams(ctx.query)),
  ])
  const counts = new Map(histogram.map((h) => [h.days, h.people]))
  const answer: ActiveUsers = {
    ...figuresOf(ctx, total),
    active_days_histogram: Array.from({ length: 28 }, (_, i) => ({
      days: i + 1,
      people: counts.get(i + 1) ?? 0,
    })),
  }
  if (ctx.query.by) {
    // Which groups are withheld is the privacy layer's (the `groups` declaration below). The
    // group '' (people off the roster) is listed when someone in it was active.
    answer.groups = [...groups.entries()]
      .filter(([group, days]) => group !== '' || [...days.values()].some((d) => d.mau > 0))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([group, days]) => ({ group, suppressed: false, ...figuresOf(ctx, days) }))
  }
  return answer
}

export const activeUsers = registerMetric({
  name: 'active-users',
  summary: 'DAU, WAU, MAU, stickiness and the active-days histogram',
  response: activeUsersResponse,
  compute: computeActiveUsers,
  groups: [{ kind: 'breakdown', rows: (r) => r.groups ?? [] }],
  tables: (r) => ({
    series: r.series,
    active_days_histogram: r.active_days_histogram,
    ...(r.groups
      ? {
          groups: r.groups.flatMap((g): Row[] =>
            g.series
              ? g.series.map((p) => ({ group: g.group, suppressed: false, ...p, stickiness: g.stickiness }))
              : [
                  {
                    group: g.group,
                    suppressed: true,
                    date: null,
                    dau: null,
                    wau: null,
                    mau: null,
                    stickiness: null,
                  },
                ],
          ),
        }
      : {}),
  }),
})
