// The financial return of the roi metric (METRICS.md "Return on Implication"), month by month
// (the first and last months clipped to the range):
// - value = Σ engaged actions (sum of `count` of react/contribute/create events, exact) ×
//   minutes_saved[level] × hourly_cost ÷ 60, plus emails avoided × minutes_per_email ×
//   hourly_cost ÷ 60, where emails avoided = baseline emails per person per week × workforce ×
//   weeks − emails sent. Emails can only be avoided on days covered by the email feed (from its
//   first to its last day up to the range end): without email data that term is 0, and a feed that
//   stopped credits nothing after it stopped. The baseline is the setting, or else the emails per
//   person per week of the first 28 days of email data (within the feed and the range), with the
//   workforce at the last of those days. More emails than the baseline make the term negative.
// - cost = licence_per_seat_month × workforce × months + community_management_month × months,
//   where a month's share is its days inside the range ÷ its length and the workforce is N(d) at
//   its last day inside the range.
// - roi = (value − cost) ÷ cost; payback month = the first month, counting from the first month
//   of the range with any event, whose cumulative value reaches its cumulative cost.
import type { Roi, RoiMonth } from '../../schemas/api/metrics/roi.ts'
import type { OrgSettings } from '../../schemas/api/settings.ts'
import { workforceOnDays } from '../headcount.ts'
import type { MetricContext } from '../metric.ts'
import { daysBetween } from '../period-arithmetic.ts'
import { addDays, earlierDate, laterDate, nextPeriod, type Period, periodsOf } from '../query.ts'
import { dayInRange, eventCountsSql } from '../rollups.ts'
import { runQuery } from '../run.ts'
import { baseParams } from '../sql.ts'
import { rollupRows } from '../tables.ts'
import type { WorkforceSource } from '../workforce.ts'

const round2 = (x: number) => Math.round(x * 100) / 100
const round4 = (x: number) => Math.round(x * 10_000) / 10_000

export interface MonthActions {
  month: string
  events: number
  react: number
  contribute: number
  create: number
  emails: number
}

/**
 * Per month of the range: events stored (each once), engaged actions by level and emails (sums of
 * `count`), from the rows of `rollup_event_counts`.
 */
export function monthlyActionsSql(ctx: MetricContext): string {
  const keys = { month: 'toStartOfMonth(day)', level: 'level', email: `type = 'email.sent'` }
  return `
    SELECT toString(month) AS month, sum(n) AS events,
           sumIf(n * count, level = 'react') AS react, sumIf(n * count, level = 'contribute') AS contribute,
           sumIf(n * count, level = 'create') AS create, sumIf(n * count, email) AS emails
    FROM (${eventCountsSql(keys, dayInRange, ctx)})
    GROUP BY month`
}

/**
 * The first and last local days of email data up to the range end, from the rows of
 * `rollup_event_counts`; `n` > 0 when there is any.
 */
function emailFeedSql(ctx: MetricContext): string {
  const emails = `type = 'email.sent' AND day < {to:Date}`
  return `
  SELECT toString(min(day)) AS first, toString(max(day)) AS last, count() AS n
  FROM ${rollupRows(ctx, 'rollup_event_counts', { events: emails })}
  WHERE ${emails}`
}

/** Emails in [{window_from}, {window_to}), from the rows of `rollup_event_counts`. */
function windowEmailsSql(ctx: MetricContext): string {
  const where = `type = 'email.sent' AND day >= {window_from:Date} AND day < {window_to:Date}`
  return `SELECT sum(n * count) AS emails FROM (${eventCountsSql({}, where, ctx)})`
}

export interface Baseline {
  perWeek: number | null
  source: 'setting' | 'first_28_days' | 'none'
}

/** The days covered by the email feed, up to the range end: [from, to). */
export interface EmailFeed {
  from: string
  to: string
}

async function emailBaseline(
  ctx: MetricContext,
  source: WorkforceSource,
  feed: EmailFeed | null,
): Promise<Baseline> {
  const configured = ctx.settings.roi.baseline_emails_per_week
  if (configured !== null) return { perWeek: configured, source: 'setting' }
  if (feed === null) return { perWeek: null, source: 'none' }
  const firstDay = feed.from
  const windowTo = earlierDate(addDays(firstDay, 28), feed.to)
  const [emails, workforce] = await Promise.all([
    runQuery<{ emails: number }>(ctx.client, windowEmailsSql(ctx), {
      ...baseParams(ctx.query),
      window_from: firstDay,
      window_to: windowTo,
    }),
    workforceOnDays(ctx, source, [addDays(windowTo, -1)]),
  ])
  const n = workforce[0]?.workforce ?? 0
  if (n === 0) return { perWeek: null, source: 'none' }
  const weeks = daysBetween(firstDay, windowTo) / 7
  return { perWeek: (emails[0]?.emails ?? 0) / weeks / n, source: 'first_28_days' }
}

type MonthTerms = Omit<RoiMonth, 'cumulative_value' | 'cumulative_cost'>

/** One month of the financial account, unrounded. */
export function monthAccount(
  p: Period,
  actions: MonthActions,
  workforce: number,
  feed: EmailFeed | null,
  baselinePerWeek: number | null,
  roi: OrgSettings['roi'],
): MonthTerms {
  const perHour = roi.hourly_cost / 60
  const days = daysBetween(p.first, p.end)
  const share = days / daysBetween(p.period, nextPeriod(p.period, 'month'))
  const eventsValue =
    (actions.react * roi.minutes_saved.react +
      actions.contribute * roi.minutes_saved.contribute +
      actions.create * roi.minutes_saved.create) *
    perHour
  const emailDays =
    feed === null ? 0 : Math.max(0, daysBetween(laterDate(p.first, feed.from), earlierDate(p.end, feed.to)))
  const emailsAvoided =
    baselinePerWeek === null || emailDays === 0
      ? 0
      : (baselinePerWeek * workforce * emailDays) / 7 - actions.emails
  const emailsValue = emailsAvoided * roi.minutes_per_email * perHour
  const licenceCost = roi.licence_per_seat_month * workforce * share
  const communityCost = roi.community_management_month * share
  return {
    month: p.period,
    days,
    months: share,
    workforce,
    events: actions.events,
    react: actions.react,
    contribute: actions.contribute,
    create: actions.create,
    events_value: eventsValue,
    emails: actions.emails,
    email_days: emailDays,
    emails_avoided: emailsAvoided,
    emails_value: emailsValue,
    value: eventsValue + emailsValue,
    licence_cost: licenceCost,
    community_cost: communityCost,
    cost: licenceCost + communityCost,
  }
}

/** The email feed's days up to the range end; null without email data. */
export async function loadEmailFeed(ctx: MetricContext): Promise<EmailFeed | null> {
  const [bounds] = await runQuery<{ first: string; last: string; n: number }>(
    ctx.client,
    emailFeedSql(ctx),
    baseParams(ctx.query),
  )
  return bounds && bounds.n > 0 ? { from: bounds.first, to: addDays(bounds.last, 1) } : null
}

export interface FinancialReturn {
  financial: Roi['financial']
  months: RoiMonth[]
  baseline: Baseline
  /** Sum of the month shares, unrounded. */
  monthShares: number
}

/** The monthly account of the range and its totals. */
export async function computeFinancialReturn(
  ctx: MetricContext,
  source: WorkforceSource,
  feed: EmailFeed | null,
): Promise<FinancialReturn> {
  const roi = ctx.settings.roi
  const periods = periodsOf(ctx.query.range, 'month')
  const [actions, workforce, baseline] = await Promise.all([
    runQuery<MonthActions>(ctx.client, monthlyActionsSql(ctx), baseParams(ctx.query)),
    workforceOnDays(
      ctx,
      source,
      periods.map((p) => p.last),
    ),
    emailBaseline(ctx, source, feed),
  ])

  const actionsOf = new Map(actions.map((a) => [a.month, a]))
  const workforceOn = new Map(workforce.map((w) => [w.day, w.workforce]))
  const account = periods.map((p) =>
    monthAccount(
      p,
      actionsOf.get(p.period) ?? {
        month: p.period,
        events: 0,
        react: 0,
        contribute: 0,
        create: 0,
        emails: 0,
      },
      workforceOn.get(p.last) ?? 0,
      feed,
      baseline.perWeek,
      roi,
    ),
  )

  // Payback: cumulate from the first month of the range with any event.
  const firstWithData = account.findIndex((m) => m.events > 0)
  let cumulativeValue = 0
  let cumulativeCost = 0
  let paybackMonth: string | null = null
  const months: RoiMonth[] = account.map((m, i) => {
    const started = firstWithData >= 0 && i >= firstWithData
    if (started) {
      cumulativeValue += m.value
      cumulativeCost += m.cost
      if (paybackMonth === null && cumulativeValue >= cumulativeCost) paybackMonth = m.month
    }
    return {
      ...m,
      months: round4(m.months),
      events_value: round2(m.events_value),
      emails_avoided: round2(m.emails_avoided),
      emails_value: round2(m.emails_value),
      value: round2(m.value),
      licence_cost: round2(m.licence_cost),
      community_cost: round2(m.community_cost),
      cost: round2(m.cost),
      cumulative_value: started ? round2(cumulativeValue) : null,
      cumulative_cost: started ? round2(cumulativeCost) : null,
    }
  })
  // Totals add the unrounded monthly terms.
  const total = (key: Exclude<keyof MonthTerms, 'month'>) => account.reduce((s, m) => s + m[key], 0)
  const value = total('value')
  const cost = total('cost')
  return {
    financial: {
      currency: roi.currency,
      value: round2(value),
      events_value: round2(total('events_value')),
      emails_value: round2(total('emails_value')),
      emails_avoided: round2(total('emails_avoided')),
      cost: round2(cost),
      licence_cost: round2(total('licence_cost')),
      community_cost: round2(total('community_cost')),
      roi: cost > 0 ? round4((value - cost) / cost) : null,
      payback_month: paybackMonth,
    },
    months,
    baseline,
    monthShares: total('months'),
  }
}
