// Return on Implication (METRICS.md): the Implication Index (roi-index.ts) and the financial
// return (roi-return.ts), with every assumption used reported beside the figures. ROI is an
// org-wide figure: it takes no filter.
import { type Roi, roiResponse } from '../../schemas/api/metrics/roi.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { daysBetween } from '../period-arithmetic.ts'
import { addDays } from '../query.ts'
import type { Row } from '../tabular.ts'
import { workforceSource } from '../workforce.ts'
import { computeImplicationIndex } from './roi-index.ts'
import { computeFinancialReturn, loadEmailFeed } from './roi-return.ts'

const round4 = (x: number) => Math.round(x * 10_000) / 10_000

export async function computeRoi(ctx: MetricContext): Promise<Roi> {
  const { range } = ctx.query
  const roi = ctx.settings.roi
  const [source, feed] = await Promise.all([workforceSource(ctx), loadEmailFeed(ctx)])
  const [parts, account] = await Promise.all([
    computeImplicationIndex(ctx, source),
    computeFinancialReturn(ctx, source, feed),
  ])
  const { baseline } = account
  return {
    implication_index: parts.index,
    financial: account.financial,
    months: account.months,
    assumptions: {
      currency: roi.currency,
      hourly_cost: roi.hourly_cost,
      minutes_saved: { ...roi.minutes_saved },
      minutes_per_email: roi.minutes_per_email,
      baseline_emails_per_week: baseline.perWeek === null ? null : round4(baseline.perWeek),
      baseline_source: baseline.source,
      email_data_from: feed?.from ?? null,
      email_data_to: feed ? addDays(feed.to, -1) : null,
      licence_per_seat_month: roi.licence_per_seat_month,
      community_management_month: roi.community_management_month,
      index_weights: { ...ctx.settings.index_weights },
      workforce: parts.adoption.workforce,
      workforce_source: source,
      weeks: round4(daysBetween(range.from, range.to) / 7),
      months: round4(account.monthShares),
    },
  }
}

function roiTables(r: Roi): Record<string, Row[]> {
  const { minutes_saved, index_weights, ...flat } = r.assumptions
  return {
    overview: [
      {
        implication_index: r.implication_index.value,
        ...r.financial,
      },
    ],
    components: r.implication_index.components,
    months: r.months,
    assumptions: Object.entries({
      ...flat,
      minutes_saved_react: minutes_saved.react,
      minutes_saved_contribute: minutes_saved.contribute,
      minutes_saved_create: minutes_saved.create,
      ...Object.fromEntries(Object.entries(index_weights).map(([k, v]) => [`index_weight_${k}`, v])),
    }).map(([assumption, value]) => ({ assumption, value })),
  }
}

export const roi = registerMetric({
  name: 'roi',
  summary: 'Implication Index and financial return (value, cost, ROI, payback) with their assumptions',
  response: roiResponse,
  compute: computeRoi,
  tables: roiTables,
})
