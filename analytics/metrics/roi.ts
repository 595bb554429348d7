// Return on Implication (METRICS.md): the Implication Index and the financial return, with every
// assumption used reported beside the figures.
//
// Implication Index (0–100) = 100 × the weighted mean (settings.index_weights) of five ratios:
// - adoption: adopters ÷ workforce as of the range end;
// - depth: (creators + contributors) ÷ active people over the range, i.e. workforce people with
//   an engaged event ÷ workforce people with any active event (actors missing from the roster are
//   no one's participation tier);
// - stickiness: as active-users computes it (mean working-day DAU of the last 28 days ÷ MAU);
// - reach: the cross-department share of interactions (collaboration);
// - responsiveness: questions answered by someone else within 24 h ÷ all questions of the range.
// A ratio that cannot be computed is left out and the other weights renormalised.
//
// Financial return, month by month (the first and last months clipped to the range):
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
// ROI is an org-wide figure: it takes no filter.
import { z } from 'zod'
import { supportOnlyFilters } from '../filter-support.ts'
import { type AdoptionAsOf, adoptionAsOf, workforceOnDays } from '../headcount.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { daysBetween } from '../period-arithmetic.ts'
import {
  addDays,
  earlierDate,
  type Filters,
  laterDate,
  nextPeriod,
  type Period,
  periodsOf,
} from '../query.ts'
import { responsiveness as answeredShare, questionOutcomes } from '../questions.ts'
import { dayInRange, eventCountsSql, usesCountRollup, usesDayRollups } from '../rollups.ts'
import { runQuery } from '../run.ts'
import type { OrgSettings } from '../settings.ts'
import { baseParams, eventFilters, eventsTable, levelAtLeast, localDay, timeInRange } from '../sql.ts'
import type { Row } from '../tabular.ts'
import { peopleSql, type WorkforceSource, workforceSource } from '../workforce.ts'
import { computeActiveUsers } from './active-users.ts'
import { computeCollaboration } from './collaboration.ts'

/** The query filters this metric honours (its OpenAPI parameters list these only). */
const roiFilters: readonly (keyof Filters)[] = []

const componentNames = ['adoption', 'depth', 'stickiness', 'reach', 'responsiveness'] as const
type ComponentName = (typeof componentNames)[number]

const component = z.object({
  component: z
    .enum(componentNames)
    .describe('adoption, depth, stickiness, reach or responsiveness (see the metric description)'),
  ratio: z.number().nullable().describe('the ratio in [0, 1]; null when it cannot be computed'),
  weight: z.number().describe('the weight set for the org'),
  effective_weight: z
    .number()
    .describe('its share of the index after leaving out the null ratios (0 when left out)'),
})

const indexSchema = z.object({
  value: z.number().nullable().describe('Implication Index, 0–100; null when no weighted ratio is known'),
  components: z.array(component).describe('the five ratios, in a fixed order'),
  reason: z.string().nullable().describe('why value is null, when it is'),
})
export type ImplicationIndex = z.infer<typeof indexSchema>

const month = z.object({
  month: z.string().describe('first day of the month'),
  days: z.number().describe('days of the month inside the range'),
  months: z.number().describe('days ÷ length of the month: the share of a month paid for'),
  workforce: z.number().describe('workforce at its last day inside the range'),
  events: z.number().describe('events stored in it (all types, exact)'),
  react: z.number().describe('react-level actions (sum of count)'),
  contribute: z.number().describe('contribute-level actions'),
  create: z.number().describe('create-level actions'),
  events_value: z.number().describe('(react × min + contribute × min + create × min) × hourly cost ÷ 60'),
  emails: z.number().describe('emails sent (sum of email.sent counts)'),
  email_days: z
    .number()
    .describe('days covered by the email feed (its first to its last day), on which emails can be avoided'),
  emails_avoided: z.number().describe('baseline × workforce × email_days ÷ 7 − emails'),
  emails_value: z.number().describe('emails_avoided × minutes per email × hourly cost ÷ 60'),
  value: z.number().describe('events_value + emails_value'),
  licence_cost: z.number().describe('licence per seat per month × workforce × months'),
  community_cost: z.number().describe('community management per month × months'),
  cost: z.number().describe('licence_cost + community_cost'),
  cumulative_value: z.number().nullable().describe('from the first month with data; null before it'),
  cumulative_cost: z.number().nullable().describe('from the first month with data; null before it'),
})
type Month = z.infer<typeof month>

const assumptions = z.object({
  currency: z.string().describe('currency of every amount'),
  hourly_cost: z.number().describe('fully loaded cost of an hour of work'),
  minutes_saved: z
    .object({ react: z.number(), contribute: z.number(), create: z.number() })
    .describe('minutes saved per engaged action, by level'),
  minutes_per_email: z.number().describe('minutes spent per email written and read'),
  baseline_emails_per_week: z
    .number()
    .nullable()
    .describe('emails per person per week before the platform; null without a setting or email data'),
  baseline_source: z
    .enum(['setting', 'first_28_days', 'none'])
    .describe('where the baseline comes from: the org setting, the first 28 days of email data, or none'),
  email_data_from: z.string().nullable().describe('first day of email data, if any'),
  email_data_to: z.string().nullable().describe('last day of email data up to the range end, if any'),
  licence_per_seat_month: z.number().describe('licence cost per workforce member per month'),
  community_management_month: z.number().describe('community management cost per month'),
  index_weights: z
    .object({
      adoption: z.number(),
      depth: z.number(),
      stickiness: z.number(),
      reach: z.number(),
      responsiveness: z.number(),
    })
    .describe('the Implication Index weights of the org'),
  workforce: z.number().describe('workforce as of the range end'),
  workforce_source: z.enum(['roster', 'actors']).describe('roster, or (without one) the actors seen so far'),
  weeks: z.number().describe('days of the range ÷ 7'),
  months: z.number().describe('sum of the month shares'),
})

const response = z.object({
  implication_index: indexSchema.describe('the Implication Index and its components'),
  financial: z
    .object({
      currency: z.string().describe('currency of every amount'),
      value: z.number().describe('events_value + emails_value'),
      events_value: z.number().describe('engaged actions × minutes saved × hourly cost ÷ 60'),
      emails_value: z.number().describe('emails avoided × minutes per email × hourly cost ÷ 60'),
      emails_avoided: z.number().describe('emails avoided over the range (negative when more were sent)'),
      cost: z.number().describe('licence_cost + community_cost'),
      licence_cost: z.number().describe('licence per seat per month × workforce × months'),
      community_cost: z.number().describe('community management per month × months'),
      roi: z.number().nullable().describe('(value − cost) ÷ cost; null when cost is 0'),
      payback_month: z
        .string()
        .nullable()
        .describe('first month where cumulative value ≥ cumulative cost, from the first month with data'),
    })
    .describe('the financial return over the range: sums of the monthly account'),
  months: z.array(month).describe('the month-by-month account the totals add up'),
  assumptions: assumptions.describe('every assumption used, beside the figures'),
})
type Roi = z.infer<typeof response>

const round2 = (x: number) => Math.round(x * 100) / 100
const round4 = (x: number) => Math.round(x * 10_000) / 10_000

/** Workforce people with an active event in the range, and those among them with an engaged one. */
export function depthSql(source: WorkforceSource, ctx: MetricContext): string {
  if (usesDayRollups(ctx)) {
    return `
    SELECT uniqExactIf(actor, max_level >= 2) AS engaged, uniqExact(actor) AS active
    FROM rollup_actor_day
    WHERE org = {org:String} AND max_level >= 1 AND day >= {from:Date} AND day < {to:Date}${eventFilters(ctx.query)}
      AND actor IN (SELECT person_id FROM ${peopleSql(source, ctx)})`
  }
  return `
    SELECT uniqExactIf(actor, ${levelAtLeast('react')}) AS engaged, uniqExact(actor) AS active
    FROM ${eventsTable(false)}
    WHERE org = {org:String} AND ${levelAtLeast('view')} AND ${timeInRange}${eventFilters(ctx.query)}
      AND actor IN (SELECT person_id FROM ${peopleSql(source, ctx)})`
}

/** The weighted mean of the known ratios, as 0–100. */
export function weightedIndex(
  ratios: Record<ComponentName, number | null>,
  weights: OrgSettings['index_weights'],
): ImplicationIndex {
  const used = componentNames.filter((name) => ratios[name] !== null && weights[name] > 0)
  const total = used.reduce((s, name) => s + weights[name], 0)
  const components = componentNames.map((name) => ({
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

interface MonthActions {
  month: string
  events: number
  react: number
  contribute: number
  create: number
  emails: number
}

/**
 * Per month of the range: events stored (each once), engaged actions by level and emails (sums of
 * `count`). From the sets of event identities of `rollup_event_counts` when it applies, else
 * counted through FINAL.
 */
export function monthlyActionsSql(ctx: MetricContext): string {
  if (usesCountRollup(ctx)) {
    const keys = { month: 'toStartOfMonth(day)', level: 'level', email: `type = 'email.sent'` }
    return `
    SELECT toString(month) AS month, sum(n) AS events,
           sumIf(n * count, level = 'react') AS react, sumIf(n * count, level = 'contribute') AS contribute,
           sumIf(n * count, level = 'create') AS create, sumIf(n * count, email) AS emails
    FROM (${eventCountsSql(keys, dayInRange)})
    GROUP BY month`
  }
  return `
    SELECT toString(toStartOfMonth(${localDay()})) AS month, count() AS events,
           sumIf(count, level = 'react') AS react, sumIf(count, level = 'contribute') AS contribute,
           sumIf(count, level = 'create') AS create, sumIf(count, type = 'email.sent') AS emails
    FROM ${eventsTable(true)}
    WHERE org = {org:String} AND ${timeInRange}
    GROUP BY month`
}

/**
 * The first and last local days of email data up to the range end (no FINAL needed for bounds);
 * `n` > 0 when there is any (rollup rows or events).
 */
function emailFeedSql(ctx: MetricContext): string {
  if (usesCountRollup(ctx)) {
    return `
  SELECT toString(min(day)) AS first, toString(max(day)) AS last, count() AS n
  FROM rollup_event_counts
  WHERE org = {org:String} AND type = 'email.sent' AND day < {to:Date}`
  }
  return `
  SELECT toString(min(${localDay()})) AS first, toString(max(${localDay()})) AS last, count() AS n
  FROM ${eventsTable(false)}
  WHERE org = {org:String} AND type = 'email.sent' AND time < toDateTime64({to:Date}, 3, {tz:String})`
}

/** Emails in [{window_from}, {window_to}), exact. */
function windowEmailsSql(ctx: MetricContext): string {
  if (usesCountRollup(ctx)) {
    const where = `type = 'email.sent' AND day >= {window_from:Date} AND day < {window_to:Date}`
    return `SELECT sum(n * count) AS emails FROM (${eventCountsSql({}, where)})`
  }
  return `
  SELECT sum(count) AS emails
  FROM ${eventsTable(true)}
  WHERE org = {org:String} AND type = 'email.sent'
    AND time >= toDateTime64({window_from:Date}, 3, {tz:String}) AND time < toDateTime64({window_to:Date}, 3, {tz:String})`
}

interface Baseline {
  perWeek: number | null
  source: 'setting' | 'first_28_days' | 'none'
}

/** The days covered by the email feed, up to the range end: [from, to). */
interface EmailFeed {
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

type MonthTerms = Omit<Month, 'cumulative_value' | 'cumulative_cost'>

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

export async function computeRoi(ctx: MetricContext): Promise<Roi> {
  supportOnlyFilters(ctx.query, 'roi', roiFilters)
  const { range } = ctx.query
  const roi = ctx.settings.roi
  const periods = periodsOf(range, 'month')
  const params = baseParams(ctx.query)
  const [source, feedBounds] = await Promise.all([
    workforceSource(ctx),
    runQuery<{ first: string; last: string; n: number }>(ctx.client, emailFeedSql(ctx), params),
  ])
  const bounds = feedBounds[0]
  const feed: EmailFeed | null =
    bounds && bounds.n > 0 ? { from: bounds.first, to: addDays(bounds.last, 1) } : null
  const [parts, actions, workforce, baseline] = await Promise.all([
    computeImplicationIndex(ctx, source),
    runQuery<MonthActions>(ctx.client, monthlyActionsSql(ctx), params),
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
  const months: Month[] = account.map((m, i) => {
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
    implication_index: parts.index,
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
      months: round4(total('months')),
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
  breakdowns: [],
  filters: roiFilters,
  response,
  compute: computeRoi,
  tables: roiTables,
})
