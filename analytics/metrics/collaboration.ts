// Collaboration across silos (METRICS.md): among interactions, the share that crosses departments,
// per period and as a department × department matrix, beside what random mixing would give: the
// expected cross share 1 − Σ_d a_d·t_d (a_d, t_d: the shares of interactions whose actor, whose
// target, is in department d), the mixing ratio (observed ÷ expected) and Krackhardt's E-I index
// (external − internal) ÷ (external + internal).
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

const round4 = (x: number) => Math.round(x * 10_000) / 10_000
const ratio = (part: number, whole: number) => (whole > 0 ? round4(part / whole) : null)

/**
 * The yardsticks of a set of interactions (cells of one period, or of the range). The targets'
 * shares come from `targets`: the same cells, or, when a department or site filter narrows the
 * actors, the whole org's (else the filtered actors' own targets would make random mixing equal
 * whatever they did).
 */
export function mixingOf(
  cells: readonly Cell[],
  targets: readonly Cell[] = cells,
): {
  expected_cross_share: number | null
  mixing: number | null
  ei_index: number | null
} {
  const byActor = new Map<string, number>()
  const byTarget = new Map<string, number>()
  let total = 0
  let cross = 0
  for (const c of cells) {
    byActor.set(c.from_department, (byActor.get(c.from_department) ?? 0) + c.interactions)
    total += c.interactions
    if (c.from_department !== c.to_department) cross += c.interactions
  }
  let received = 0
  for (const c of targets) {
    byTarget.set(c.to_department, (byTarget.get(c.to_department) ?? 0) + c.interactions)
    received += c.interactions
  }
  if (total === 0 || received === 0) return { expected_cross_share: null, mixing: null, ei_index: null }
  let same = 0
  for (const [d, a] of byActor) same += (a / total) * ((byTarget.get(d) ?? 0) / received)
  const expected = 1 - same
  return {
    expected_cross_share: round4(expected),
    // Every interaction inside one department (expected 0): no yardstick.
    mixing: expected > 0 ? round4(cross / total / expected) : null,
    ei_index: round4((cross - (total - cross)) / total),
  }
}

export async function computeCollaboration(ctx: MetricContext): Promise<Collaboration> {
  if (!(await hasRoster(ctx.client, ctx.query.org))) {
    return {
      series: [],
      matrix: [],
      interactions: null,
      share: null,
      expected_cross_share: null,
      mixing: null,
      ei_index: null,
      reason: 'no roster: departments are unknown (upload one with PUT /v1/orgs/:org/roster)',
    }
  }
  const { department, site, ...others } = ctx.query.filters
  const narrowed = department !== undefined || site !== undefined
  const orgWide = { ...ctx, query: { ...ctx.query, filters: others } }
  const [cells, orgCells] = await Promise.all([
    runQuery<Cell>(ctx.client, interactionsSql(ctx), baseParams(ctx.query)),
    // The whole org's targets, for random mixing under a department or site filter.
    narrowed ? runQuery<Cell>(ctx.client, interactionsSql(orgWide), baseParams(orgWide.query)) : null,
  ])
  const targets = orgCells ?? cells

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
      ...mixingOf(
        cells.filter((c) => c.period === period),
        targets.filter((c) => c.period === period),
      ),
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
    ...mixingOf(cells, targets),
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
