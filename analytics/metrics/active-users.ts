// DAU, WAU and MAU (METRICS.md "Engagement"), stickiness and the active-days histogram.
import { type ActiveUsers, activeUsersResponse } from '../../schemas/api/metrics/active-users.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { addDays, periodsOf } from '../query.ts'
import { activeActorDaysSql } from '../rollups.ts'
import { runQuery } from '../run.ts'
import { baseParams } from '../sql.ts'
import { rollupRows } from '../tables.ts'

interface DailyActives {
  date: string
  dau: number
  wau: number
  mau: number
}

/**
 * DAU, WAU and MAU for every day of [from, to), from the person-days of `rollup_actor_day`, as a
 * sliding window read once: each active (person, day) `a` extends the person's coverage of a
 * W-day window (W = 1, 7, 28) to `[max(a, prev + W), a + W)`, `prev` being the person's previous
 * active day, so the pieces of one person never overlap. A +1 at the start and a −1 at the end of
 * every piece, summed in day order, give the people covered on each day: DAU, WAU and MAU. Days
 * of [from, to) without any change are added with no change, so every day comes out.
 */
export function dailyActivesSql(ctx: MetricContext): string {
  const days = 'day >= toDate({from:Date}) - 27 AND day < {to:Date}'
  return `
    SELECT toString(d) AS date, dau, wau, mau FROM (
      SELECT d,
             sum(dau_change) OVER running AS dau,
             sum(wau_change) OVER running AS wau,
             sum(mau_change) OVER running AS mau
      FROM (
        SELECT d, sum(dau) AS dau_change, sum(wau) AS wau_change, sum(mau) AS mau_change
        FROM (
          SELECT d, dau, wau, mau
          FROM (
            SELECT arraySort(groupUniqArray(day)) AS days
            FROM ${rollupRows(ctx, 'rollup_actor_day', { events: days })}
            WHERE max_level >= 1 AND ${days}
            GROUP BY actor
          )
          ARRAY JOIN days AS day, arrayPushFront(arrayPopBack(days), toDate('1970-01-01')) AS prev
          ARRAY JOIN
            [day, day + 1, greatest(day, prev + 7), day + 7, greatest(day, prev + 28), day + 28] AS d,
            [1, -1, 0, 0, 0, 0] AS dau,
            [0, 0, 1, -1, 0, 0] AS wau,
            [0, 0, 0, 0, 1, -1] AS mau
          UNION ALL
          SELECT toDate({from:Date}) + number AS d, 0 AS dau, 0 AS wau, 0 AS mau
          FROM numbers(toUInt64(dateDiff('day', toDate({from:Date}), toDate({to:Date}))))
        )
        GROUP BY d
      )
      WINDOW running AS (ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    )
    WHERE d >= {from:Date} AND d < {to:Date}
    ORDER BY d`
}

/** People by their active days among the range's last 28. */
function histogramSql(ctx: MetricContext): string {
  return `
    SELECT days, count() AS people FROM (
      SELECT actor, uniqExact(day) AS days
      FROM (${activeActorDaysSql(ctx, '{day} >= greatest(toDate({to:Date}) - 28, toDate({from:Date})) AND {day} < {to:Date}')})
      GROUP BY actor
    ) GROUP BY days ORDER BY days`
}

const round2 = (x: number) => Math.round(x * 100) / 100

export async function computeActiveUsers(ctx: MetricContext): Promise<ActiveUsers> {
  const params = baseParams(ctx.query)
  const [daily, histogram] = await Promise.all([
    runQuery<DailyActives>(ctx.client, dailyActivesSql(ctx), params),
    runQuery<{ days: number; people: number }>(ctx.client, histogramSql(ctx), params),
  ])
  const byDate = new Map(daily.map((d) => [d.date, d]))
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
  const lastDay = addDays(to, -1)
  const workingDays: DailyActives[] = []
  for (let d = addDays(to, -28); d < to; d = addDays(d, 1)) {
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay()
    if (d >= from && weekday !== 0 && weekday !== 6) workingDays.push(on(d))
  }
  const mau = on(lastDay).mau
  const meanDau = workingDays.length > 0 ? workingDays.reduce((s, d) => s + d.dau, 0) / workingDays.length : 0
  const counts = new Map(histogram.map((h) => [h.days, h.people]))
  return {
    series,
    stickiness: mau > 0 ? Math.round((meanDau / mau) * 10_000) / 10_000 : null,
    active_days_histogram: Array.from({ length: 28 }, (_, i) => ({
      days: i + 1,
      people: counts.get(i + 1) ?? 0,
    })),
  }
}

export const activeUsers = registerMetric({
  name: 'active-users',
  summary: 'DAU, WAU, MAU, stickiness and the active-days histogram',
  response: activeUsersResponse,
  compute: computeActiveUsers,
  tables: (r) => ({ series: r.series, active_days_histogram: r.active_days_histogram }),
})
