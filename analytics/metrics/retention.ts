// Retention (METRICS.md "Engagement"): adopters grouped by the week or month of their adoption
// (first engaged event ever); a cohort member is retained in period k when engaged (react or
// above) in the cohort's period + k.
//
// Cohorts are the periods that start inside the range; adopters are workforce people (roster
// people, or every actor without a roster), so actors missing from the roster are in no cohort.
// A cohort keeps its size: people who leave stay in it and are not retained afterwards. Only the
// periods a cohort has fully lived through by the end of the range are reported. Retention is
// weekly or monthly: `interval=day` is a 400.
import type { Interval } from '../../schemas/api/catalogue.ts'
import { type Retention, retentionResponse } from '../../schemas/api/metrics/retention.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { periodDistanceSql } from '../period-arithmetic.ts'
import { nextPeriod, QueryError } from '../query.ts'
import { runQuery } from '../run.ts'
import { baseParams, levelAtLeast, monthDaysBefore, periodOf } from '../sql.ts'
import { rollupRows } from '../tables.ts'
import { peopleSql, type WorkforceSource, workforceSource } from '../workforce.ts'

type CohortInterval = Retention['interval']

function cohortInterval(interval: Interval): CohortInterval {
  if (interval === 'day') {
    throw new QueryError('interval', 'retention cohorts are weekly or monthly: use week or month')
  }
  return interval
}

/**
 * Per cohort: its size and, as a map k → people, its members engaged in the cohort period + k.
 * One pass over the engaged events up to the range end gives each person's adoption day (their
 * first engaged event ever, as `adoptionTimesSql`) and engaged periods in the range; adoption on
 * or after `to` is not known yet. Department and site filters apply through the people.
 */
export function retentionSql(source: WorkforceSource, ctx: MetricContext, interval: CohortInterval): string {
  return `
    SELECT toString(cohort) AS cohort, count() AS size, sumMap(ks, arrayMap(k -> toUInt64(1), ks)) AS retained
    FROM (
      SELECT ${periodOf('adopted_day', interval)} AS cohort,
             arrayFilter(k -> k >= 0, arrayMap(p -> ${periodDistanceSql('cohort', 'p', interval)}, periods)) AS ks
      FROM (${engagedPeriodsSql(ctx, interval)})
      WHERE cohort >= {from:Date} AND actor IN (SELECT person_id FROM ${peopleSql(source, ctx)})
    )
    GROUP BY cohort`
}

/**
 * Per person: the adoption day and the engaged (or, with `measure=active`, active) periods in the
 * range, from the month bit sets of `rollup_actor_month` (`engaged_days`: the days with a
 * react-or-above event; `days`: view or above), masked to the days before `to`. A person's month may be split over parts: the first day of their OR is the earliest
 * first day of the parts, and its days the union of theirs, so the parts need no merging here. The
 * feature and space filters narrow which events count, for adoption and engagement alike; the
 * department and site filters apply through the people (`retentionSql`), so they are not asked of
 * the rows.
 */
function engagedPeriodsSql(ctx: MetricContext, interval: CohortInterval): string {
  const { feature, space } = ctx.query.filters
  const scoped = {
    ...ctx,
    query: { ...ctx.query, filters: { ...(feature ? { feature } : {}), ...(space ? { space } : {}) } },
  }
  // Adoption is always the first engaged day; retention reads the engaged days (the default) or
  // every active day (`measure=active`: a view is enough).
  const active = ctx.query.measure === 'active'
  const level = active ? levelAtLeast('view') : levelAtLeast('react')
  const kept = active ? 'days' : 'engaged_days'
  // A month's kept days in the range: none before the month of `from`.
  const inRange = `if(month >= toStartOfMonth({from:Date}),
                   arrayFilter(day -> day >= {from:Date}, arrayMap(i -> month + i, bitPositionsToArray(bits))), [])`
  return `
        SELECT actor, minIf(month + bitPositionsToArray(engaged)[1], engaged != 0) AS adopted_day,
               groupUniqArrayArray(arrayMap(day -> ${periodOf('day', interval)}, ${inRange})) AS periods
        FROM (
          SELECT actor, month,
                 bitAnd(engaged_days, ${monthDaysBefore('month', '{to:Date}')}) AS engaged,
                 bitAnd(${kept}, ${monthDaysBefore('month', '{to:Date}')}) AS bits
          FROM ${rollupRows(scoped, 'rollup_actor_month', { events: `${level} AND day < {to:Date}` })}
          WHERE month < {to:Date}
        )
        WHERE bits != 0 OR engaged != 0
        GROUP BY actor
        HAVING countIf(engaged != 0) > 0`
}

interface CohortRow {
  cohort: string
  size: number
  /** [k values, people] */
  retained: [number[], number[]]
}

export async function computeRetention(ctx: MetricContext): Promise<Retention> {
  const interval = cohortInterval(ctx.query.interval)
  const source = await workforceSource(ctx)
  const rows = await runQuery<CohortRow>(
    ctx.client,
    retentionSql(source, ctx, interval),
    baseParams(ctx.query),
  )
  const { to } = ctx.query.range
  const cohorts = rows
    .sort((a, b) => (a.cohort < b.cohort ? -1 : 1))
    .map(({ cohort, size, retained: [ks, people] }) => {
      const kept = new Map(ks.map((k, i) => [k, people[i] ?? 0]))
      const retention: Retention['cohorts'][number]['retention'] = []
      for (let k = 0, period = cohort; nextPeriod(period, interval) <= to; k++) {
        const n = kept.get(k) ?? 0
        retention.push({ k, period, retained: n, share: Math.round((n / size) * 10_000) / 10_000 })
        period = nextPeriod(period, interval)
      }
      return { cohort, suppressed: false, size, retention }
    })
  return { interval, cohorts }
}

export const retention = registerMetric({
  name: 'retention',
  summary: 'Share of each adoption cohort engaged k weeks (or months) later',
  response: retentionResponse,
  compute: computeRetention,
  // A cohort is a group of people (METRICS.md "Privacy rules").
  groups: [
    {
      kind: 'cohort',
      rows: (r) => r.cohorts,
      keys: ['cohort'],
      group: (c) => String(c.cohort),
      population: (c) => Number(c.size),
    },
  ],
  tables: (r) => ({
    retention: r.cohorts.flatMap((c) =>
      (c.retention ?? []).map((p) => ({ cohort: c.cohort, size: c.size, ...p })),
    ),
    cohorts: r.cohorts.map(({ cohort, suppressed, size }) => ({ cohort, suppressed, size })),
  }),
})
