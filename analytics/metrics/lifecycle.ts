// Lifecycle (METRICS.md "Engagement"): per period, the active people who are new, returning or
// resurrecting, those who went dormant, and apart from them those who left the workforce (active
// in the previous period, out of the workforce on the period's last day). "Active" = an event of
// level view or above.
//
// Periods are those of the range, the first and last clipped to it. The period before the first
// one is the whole calendar period before it, read from the history before `from` (people active
// before `from` are known). With a `from` inside a period, the days between that period's start
// and `from` belong to neither: someone active only there is not dormant, and someone active
// there and in the first period is resurrecting (known, but not active in the previous period).
// With `by`, each group has its own lifecycle: "new" in a feature means active in that feature
// for the first time ever; people missing from the roster form the department/site group "".
// A group's people are those it counts in any period; small groups are withheld (METRICS.md
// "Privacy rules", `analytics/privacy/layer.ts`).
import type { Breakdown } from '../../schemas/api/catalogue.ts'
import { type Lifecycle, type LifecycleRow, lifecycleResponse } from '../../schemas/api/metrics/lifecycle.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { nextPeriodSql, previousPeriod, previousPeriodSql } from '../period-arithmetic.ts'
import { periodsOf } from '../query.ts'
import { runQuery } from '../run.ts'
import {
  baseParams,
  breakdownColumn,
  eventFilters,
  latestRoster,
  levelAtLeast,
  localDay,
  monthDaysBefore,
  periodOf,
  rosterJoin,
} from '../sql.ts'
import { rollupRows } from '../tables.ts'
import type { Row } from '../tabular.ts'

/** The group of an event: a breakdown column, or one group for all. */
function groupColumn(by: Breakdown | undefined): string {
  return by ? breakdownColumn(by) : `''`
}

function usesRoster(by: Breakdown | undefined): boolean {
  return by === 'department' || by === 'site'
}

/**
 * Per period and group, the four lifecycle counts, in one pass over the history: per person and
 * group, the first active day ever and the set of active periods in the window (the period
 * before the first one, `[{previous}, {start})`, and the range). Each active period speaks for
 * itself ("active now") and for the next one ("active before"). `{start:Date}` is the first
 * period's first day, `{previous:Date}` the first day of the period before it. Rows with a null
 * period give each group's people (those counted in any of its periods), for the privacy rule.
 */
export function lifecycleSql(ctx: MetricContext): string {
  const { interval } = ctx.query
  return `
    SELECT if(p IS NULL, NULL, toString(p)) AS period, grp, uniqExact(actor) AS people,
           countIf(now AND first_day >= greatest(p, {from:Date})) AS new,
           countIf(now AND before) AS returning,
           countIf(now AND NOT before AND first_day < greatest(p, {from:Date})) AS resurrecting,
           countIf(before AND NOT now AND NOT gone) AS dormant,
           countIf(before AND NOT now AND gone) AS left
    FROM (
      SELECT actor, grp, first_day, p, has(periods, p) AS now, has(periods, ${previousPeriodSql('p', interval)}) AS before,
             -- Out of the workforce on the period's last day (in the range): left, not dormant.
             ifNull(left_at < least(${nextPeriodSql('p', interval)}, {to:Date}), false) AS gone
      FROM (
        SELECT a.*, r.left_at AS left_at
        FROM (${activePeriodsSql(ctx)}) AS a
        LEFT JOIN (SELECT person_id, left_at FROM ${latestRoster}) AS r ON r.person_id = a.actor
      )
      ARRAY JOIN arrayDistinct(arrayConcat(periods, arrayMap(x -> ${nextPeriodSql('x', interval)}, periods))) AS p
      WHERE p >= {start:Date} AND p < {to:Date}
    )
    GROUP BY GROUPING SETS ((p, grp), (grp))
    SETTINGS group_by_use_nulls = 1`
}

/**
 * Per person and group: the first active day ever and the active periods in the window. Groups
 * of people (none, department, site) come from the month bit sets of `rollup_actor_month` (masked
 * to the days before `to`; a person's month may be split over parts, but the first day of their OR
 * is the earliest first day of the parts and its days the union of theirs, so the parts need no
 * merging here), features from the day bit sets of `rollup_actor_feature_month`.
 */
function activePeriodsSql(ctx: MetricContext): string {
  const { interval, by } = ctx.query
  const inWindow = '(day >= {previous:Date} AND day < {start:Date}) OR day >= {from:Date}'
  const active = `${levelAtLeast('view')} AND day < {to:Date}`
  if (by === 'feature') {
    // Each month's active days of a person in a feature (bit d-1 for day d), OR-ed over the
    // parts holding them, one row per day before `to`.
    return `
        SELECT actor, feature AS grp, min(day) AS first_day,
               groupUniqArrayIf(${periodOf('day', interval)}, ${inWindow}) AS periods
        FROM (
          SELECT actor, feature, month, groupBitOr(days) AS bits
          FROM ${rollupRows(ctx, 'rollup_actor_feature_month', { events: active })}
          WHERE month < {to:Date}
          GROUP BY month, actor, feature
        )
        ARRAY JOIN arrayFilter(d -> d < {to:Date},
                     arrayMap(i -> month + i, arrayFilter(i -> bitTest(bits, i), range(31)))) AS day
        GROUP BY actor, grp`
  }
  if (by === 'space') {
    // No rollup keeps a person's active days in a space (rollup_space_actor_month keeps only the
    // last times of a month, rollup_actor_firsts the first time at any level): read the events.
    const inWindowTimes = `(time >= toDateTime64({previous:Date}, 3, {tz:String}) AND time < toDateTime64({start:Date}, 3, {tz:String}))
                 OR time >= toDateTime64({from:Date}, 3, {tz:String})`
    return `
        SELECT actor, space AS grp, min(${localDay()}) AS first_day,
               groupUniqArrayIf(${periodOf(localDay(), interval)}, ${inWindowTimes}) AS periods
        FROM events
        WHERE org = {org:String} AND ${levelAtLeast('view')}
          AND time < toDateTime64({to:Date}, 3, {tz:String})${eventFilters(ctx.query)}
        GROUP BY actor, grp`
  }
  const roster = usesRoster(by) ? rosterJoin : ''
  // A month's active days in the window: none before the month of `previous`.
  const windowDays = `if(month >= toStartOfMonth({previous:Date}),
                   arrayFilter(day -> ${inWindow}, arrayMap(i -> month + i, bitPositionsToArray(bits))), [])`
  return `
        SELECT actor, ${groupColumn(by)} AS grp, min(month + bitPositionsToArray(bits)[1]) AS first_day,
               groupUniqArrayArray(arrayMap(day -> ${periodOf('day', interval)}, ${windowDays})) AS periods
        FROM (
          SELECT actor, month, bitAnd(days, ${monthDaysBefore('month', '{to:Date}')}) AS bits
          FROM ${rollupRows(ctx, 'rollup_actor_month', { events: active })}
          WHERE month < {to:Date}
        ) AS d ${roster}
        WHERE bits != 0
        GROUP BY actor, grp`
}

interface LifecycleCounts {
  /** null on the rows giving a group's people */
  period: string | null
  grp: string
  people: number
  new: number
  returning: number
  resurrecting: number
  dormant: number
  left: number
}

export async function computeLifecycle(ctx: MetricContext): Promise<Lifecycle> {
  const { range, interval, by } = ctx.query
  const periods = periodsOf(range, interval)
  const start = periods[0]!.period
  const rows = await runQuery<LifecycleCounts>(ctx.client, lifecycleSql(ctx), {
    ...baseParams(ctx.query),
    start,
    previous: previousPeriod(start, interval),
  })

  const sizes = rows.filter((r) => r.period === null).map((r) => ({ group: r.grp, size: r.people }))
  const groups = by ? sizes.map((s) => s.group).sort() : ['']
  const counts = new Map(rows.map((r) => [`${r.grp}\u0000${r.period}`, r]))
  const series: LifecycleRow[] = []
  for (const group of groups) {
    for (const { period } of periods) {
      const c = counts.get(`${group}\u0000${period}`)
      const n = c?.new ?? 0
      const returning = c?.returning ?? 0
      const resurrecting = c?.resurrecting ?? 0
      series.push({
        period,
        ...(by ? { group, suppressed: false } : {}),
        new: n,
        returning,
        resurrecting,
        dormant: c?.dormant ? -c.dormant : 0,
        left: c?.left ? -c.left : 0,
        active: n + returning + resurrecting,
      })
    }
  }
  return { by: by ?? null, series }
}

function lifecycleTable(result: Lifecycle): Row[] {
  return result.series.map(({ period, group, suppressed, ...counts }) =>
    group === undefined
      ? { period, ...counts }
      : { group, period, suppressed: suppressed ?? false, ...counts },
  )
}

export const lifecycle = registerMetric({
  name: 'lifecycle',
  summary: 'New, returning, resurrecting and dormant people per period',
  response: lifecycleResponse,
  compute: computeLifecycle,
  groups: [{ kind: 'breakdown', rows: (r) => (r.by ? r.series : []), keys: ['group', 'period'] }],
  tables: (r) => ({ series: lifecycleTable(r) }),
})
