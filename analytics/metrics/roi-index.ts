// The Implication Index (METRICS.md "Return on Implication"), 0–100 = 100 × the weighted mean
// (settings.index_weights) of five ratios:
// - adoption: adopters ÷ workforce as of the range end;
// - depth: (creators + contributors) ÷ active people over the range, i.e. workforce people with
//   an engaged event ÷ workforce people with any active event (actors missing from the roster are
//   no one's participation tier);
// - stickiness: as active-users computes it (mean working-day DAU of the last 28 days ÷ MAU);
// - reach: the cross-department share of interactions (collaboration);
// - responsiveness: questions answered by someone else within 24 h ÷ all questions of the range.
// A ratio that cannot be computed is left out and the other weights renormalised. The roi and
// summary metrics report it.
import type { ImplicationIndex } from '../../schemas/api/metrics/roi.ts'
import type { OrgSettings } from '../../schemas/api/settings.ts'
import { type IndexComponent, indexComponents } from '../../schemas/api/vocabulary.ts'
import { type AdoptionAsOf, adoptionAsOf } from '../headcount.ts'
import type { MetricContext } from '../metric.ts'
import { addDays, laterDate } from '../query.ts'
import { responsiveness as answeredShare, questionOutcomes } from '../questions.ts'
import { dayInRange } from '../rollups.ts'
import { runQuery } from '../run.ts'
import { baseParams, levelAtLeast, monthDaysMask } from '../sql.ts'
import { rollupRows } from '../tables.ts'
import { peopleSql, type WorkforceSource, workforceSource } from '../workforce.ts'
import { computeActiveUsers } from './active-users.ts'
import { computeCollaboration } from './collaboration.ts'

const round2 = (x: number) => Math.round(x * 100) / 100
const round4 = (x: number) => Math.round(x * 10_000) / 10_000

/**
 * Workforce people with an active event in the range, and those among them with an engaged one,
 * from the month bit sets of `rollup_actor_month` (the first and last months masked to the
 * range). A person's month may be split over parts; whether any part has a bit in the mask is
 * whether their OR has, so the parts need no merging here.
 */
export function depthSql(source: WorkforceSource, ctx: MetricContext): string {
  const mask = monthDaysMask('month', '{from:Date}', '{to:Date}')
  return `
    SELECT uniqExactIf(actor, bitAnd(engaged_days, ${mask}) != 0) AS engaged, uniqExact(actor) AS active
    FROM ${rollupRows(ctx, 'rollup_actor_month', { events: `${levelAtLeast('view')} AND ${dayInRange}` })}
    WHERE month >= toStartOfMonth({from:Date}) AND month < {to:Date} AND bitAnd(days, ${mask}) != 0
      AND actor IN (SELECT person_id FROM ${peopleSql(source, ctx)})`
}

/** The weighted mean of the known ratios, as 0–100. */
export function weightedIndex(
  ratios: Record<IndexComponent, number | null>,
  weights: OrgSettings['index_weights'],
): ImplicationIndex {
  const used = indexComponents.filter((name) => ratios[name] !== null && weights[name] > 0)
  const total = used.reduce((s, name) => s + weights[name], 0)
  const components = indexComponents.map((name) => ({
    component: name,
    ratio: ratios[name] === null ? null : round4(ratios[name]),
    weight: weights[name],
    effective_weight: used.includes(name) && total > 0 ? round4(weights[name] / total) : 0,
  }))
  if (total === 0) {
    return { value: null, components, reason: 'none of the weighted ratios can be computed for this range' }
  }
  const mean = used.reduce((s, name) => s + weights[name] * (ratios[name] ?? 0), 0) / total
  return { value: round2(100 * mean), components, reason: null }
}

/** What the index is made of, kept for the summary. */
export interface IndexParts {
  index: ImplicationIndex
  source: WorkforceSource
  adoption: AdoptionAsOf
  activeUsers: Awaited<ReturnType<typeof computeActiveUsers>>
}

/** The Implication Index of the query (the department and site filters narrow every ratio). */
export async function computeImplicationIndex(
  ctx: MetricContext,
  known?: WorkforceSource,
): Promise<IndexParts> {
  const { from, to } = ctx.query.range
  const asOf = addDays(to, -1)
  // Stickiness only reads the last 28 days of the range: ask active-users for those alone.
  const last28 = {
    ...ctx.query,
    range: { from: laterDate(from, addDays(to, -28)), to },
    interval: 'day' as const,
  }
  const source = known ?? (await workforceSource(ctx))
  const [adoption, depth, activeUsers, collaboration, outcomes] = await Promise.all([
    adoptionAsOf(ctx, source, asOf),
    runQuery<{ engaged: number; active: number }>(ctx.client, depthSql(source, ctx), baseParams(ctx.query)),
    computeActiveUsers({ ...ctx, query: { ...last28, by: undefined } }),
    computeCollaboration(ctx),
    questionOutcomes(ctx),
  ])
  const { engaged = 0, active = 0 } = depth[0] ?? {}
  const index = weightedIndex(
    {
      adoption: adoption.workforce > 0 ? adoption.adopters / adoption.workforce : null,
      depth: active > 0 ? engaged / active : null,
      stickiness: activeUsers.stickiness,
      reach: collaboration.share,
      responsiveness: answeredShare(outcomes),
    },
    ctx.settings.index_weights,
  )
  return { index, source, adoption, activeUsers }
}
