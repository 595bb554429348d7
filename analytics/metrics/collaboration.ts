// Collaboration across silos (METRICS.md): among interactions, the share that crosses departments,
// per period and as a department × department matrix.
//
// An interaction is an event of the range with a `target` other than its actor, of level view or
// above (bookkeeping events such as `email.sent` are not platform interactions), whose actor and
// target are both on the roster (latest snapshot) with a department. Without a roster there are
// no departments: every figure is null or empty and `reason` says why.
import { type Collaboration, collaborationResponse } from '../../schemas/api/metrics/collaboration.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { periodsOf } from '../query.ts'
import { dayInRange } from '../rollups.ts'
import { hasRoster, runQuery } from '../run.ts'
import { baseParams, latestRoster, levelAtLeast, localDay, periodOf, timeInRange } from '../sql.ts'
import { rollupRows } from '../tables.ts'

/**
 * Interactions per period and department pair. Every interaction has a target, so the rows of
 * `rollup_social_events` hold them all.
 */
export function interactionsSql(ctx: MetricContext): string {
  const social = rollupRows(ctx, 'rollup_social_events', { events: `target != '' AND ${dayInRange}` })
  return `
    SELECT toString(e.period) AS period, a.department AS from_department, t.department AS to_department,
           count() AS interactions
    FROM (
      SELECT ${periodOf(localDay(), ctx.query.interval)} AS period, actor, target
      FROM ${social}
      WHERE target != '' AND target != actor AND ${levelAtLeast('view')} AND ${timeInRange}
    ) AS e
    INNER JOIN ${latestRoster} AS a ON a.person_id = e.actor
    INNER JOIN ${latestRoster} AS t ON t.person_id = e.target
    WHERE a.department != '' AND t.department != ''
    GROUP BY e.period, from_department, to_department`
}

interface Cell {
  period: string
  from_department: string
  to_department: string
  interactions: number
}

const ratio = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null

export async function computeCollaboration(ctx: MetricContext): Promise<Collaboration> {
  if (!(await hasRoster(ctx.client, ctx.query.org))) {
    return {
      series: [],
      matrix: [],
      interactions: null,
      share: null,
      reason: 'no roster: departments are unknown (upload one with PUT /v1/orgs/:org/roster)',
    }
  }
  const cells = await runQuery<Cell>(ctx.client, interactionsSql(ctx), baseParams(ctx.query))

  const perPeriod = new Map<string, { interactions: number; cross: number }>()
  const perPair = new Map<string, Collaboration['matrix'][number]>()
  for (const c of cells) {
    const p = perPeriod.get(c.period) ?? { interactions: 0, cross: 0 }
    p.interactions += c.interactions
    if (c.from_department !== c.to_department) p.cross += c.interactions
    perPeriod.set(c.period, p)
    const key = `${c.from_department}\u0000${c.to_department}`
    const pair = perPair.get(key) ?? {
      from_department: c.from_department,
      to_department: c.to_department,
      suppressed: false,
      interactions: 0,
    }
    pair.interactions = (pair.interactions ?? 0) + c.interactions
    perPair.set(key, pair)
  }
  const series = periodsOf(ctx.query.range, ctx.query.interval).map(({ period }) => {
    const p = perPeriod.get(period) ?? { interactions: 0, cross: 0 }
    return {
      period,
      interactions: p.interactions,
      cross_department: p.cross,
      share: ratio(p.cross, p.interactions),
    }
  })
  const interactions = series.reduce((s, p) => s + p.interactions, 0)
  const cross = series.reduce((s, p) => s + p.cross_department, 0)
  const matrix = [...perPair.values()].sort(
    (x, y) =>
      compareText(x.from_department, y.from_department) || compareText(x.to_department, y.to_department),
  )
  const share = ratio(cross, interactions)
  return {
    series,
    matrix,
    interactions,
    share,
    reason: share === null ? 'no interaction between two roster people with a department in the range' : null,
  }
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

export const collaboration = registerMetric({
  name: 'collaboration',
  summary: 'Share of interactions across departments, per period and as a department matrix',
  response: collaborationResponse,
  compute: computeCollaboration,
  // A cell is about the people of two departments: withheld when either is.
  groups: [
    {
      kind: 'department-pair',
      rows: (r) => r.matrix,
      keys: ['from_department', 'to_department'],
      pair: (c) => [String(c.from_department), String(c.to_department)],
    },
  ],
  tables: (r) => ({ series: r.series, matrix: r.matrix }),
})
