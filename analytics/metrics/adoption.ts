// Adoption (METRICS.md "Adoption"): workforce, adopters and rate as of the range end, the adoption
// curve per period, Rogers segments and the Bass diffusion fit; by department or site on demand.
import { z } from 'zod'
import { adoptedBy, inWorkforceOn, loadPersonFacts, type PersonFacts, shareOf } from '../adoption-facts.ts'
import { type BassFit, fitBass, weeksToReach } from '../bass.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { addDays, type Period, periodStart, periodsOf } from '../query.ts'
import { usesDayRollups, usesRollups } from '../rollups.ts'
import { runQuery } from '../run.ts'
import { rogersSegments, segmentCounts, segmentNames } from '../segments.ts'
import { withheldGroups } from '../small-groups.ts'
import {
  baseParams,
  eventFilters,
  eventsTable,
  latestRoster,
  levelAtLeast,
  localDay,
  timeInRange,
} from '../sql.ts'
import { type WorkforceSource, workforceSource } from '../workforce.ts'

const rate = z.number().nullable().describe('adopters ÷ workforce (4 decimals); null when the workforce is 0')

const curvePoint = z.object({
  period: z.string().describe('first day of the period, YYYY-MM-DD'),
  new_adopters: z
    .number()
    .describe(
      'workforce members as of the period whose adoption time falls in the period (within the range)',
    ),
  adopters: z.number().describe('workforce members as of the period who adopted on or before its last day'),
  workforce: z.number().describe('workforce as of the period (its last day within the range)'),
  rate,
})

const segmentCount = z.object({
  segment: z
    .enum(segmentNames)
    .describe('Rogers segment: rank r by (adoption time, id) among adopters, x = r / workforce'),
  people: z.number().describe('workforce members as of the range end in this Rogers segment'),
})

const bass = z
  .object({
    p: z.number().nullable().describe('coefficient of innovation, per week'),
    q: z.number().nullable().describe('coefficient of imitation, per week'),
    m: z.number().nullable().describe('share of the workforce that will ever adopt, in (0, 1]'),
    r2: z.number().nullable().describe('coefficient of determination on weekly new adopters'),
    peak_week: z
      .number()
      .nullable()
      .describe('week of the fastest adoption, ln(q/p)/(p+q), counted from `start`; 0 when q ≤ p'),
    forecast: z
      .object({
        rate_50: z.string().nullable().describe('day the fitted rate reaches 50 %; null when m ≤ 0.5'),
        rate_80: z.string().nullable().describe('day the fitted rate reaches 80 %; null when m ≤ 0.8'),
      })
      .describe('days (YYYY-MM-DD) holding the instant m·F(t) crosses the share, t counted from `start`'),
    reason: z
      .string()
      .nullable()
      .describe('why there is no fit (then every number is null); null when fitted'),
    start: z
      .string()
      .nullable()
      .describe("week 0: the Monday of the week of the org's first engaged event; null before any"),
    weeks: z.number().describe('complete weeks fitted, from `start` to the range end'),
  })
  .describe(
    'Bass diffusion fit on the weekly new adopters among the workforce as of the range end, ' +
      "from the org's first engaged event to the range end (not only the range)",
  )

const group = z.object({
  group: z.string().describe("department or site ('' for people without one)"),
  suppressed: z
    .boolean()
    .describe('withheld: fewer than min_group_size people, or the second smallest beside one that is'),
  workforce: z.number().nullable().describe("the group's workforce as of the range end; null when withheld"),
  adopters: z.number().nullable().describe("the group's adopters as of the range end; null when withheld"),
  rate,
  segments: z
    .array(segmentCount)
    .nullable()
    .describe('Rogers segments ranked inside the group (N = its workforce); null when withheld'),
  curve: z.array(curvePoint).nullable().describe("the group's adoption curve; null when withheld"),
})

const response = z.object({
  org: z.string().describe('the org'),
  workforce_source: z
    .enum(['roster', 'actors'])
    .describe('the roster, or (without one) the distinct actors seen up to each day'),
  workforce: z.number().describe('workforce as of the range end (to − 1 day)'),
  adopters: z.number().describe('workforce members as of the range end who adopted on or before it'),
  rate,
  unknown_actors: z
    .number()
    .describe('actors active in the range who are not on the roster (never adopters); 0 without roster'),
  curve: z.array(curvePoint).describe('one point per period of the range'),
  segments: z.array(segmentCount).describe('the six Rogers segments as of the range end, in this order'),
  bass,
  groups: z
    .array(group)
    .optional()
    .describe('with by=department|site: the same figures inside each group with a member at the range end'),
})
export type Adoption = z.infer<typeof response>
type CurvePoint = z.infer<typeof curvePoint>
type BassAnswer = z.infer<typeof bass>

/** The events that count towards adoption: the feature and space filters, as in `adoptionTimesSql`. */
function adoptionEventFilters(ctx: MetricContext): string {
  return [
    ctx.query.filters.feature ? ' AND feature = {feature:String}' : '',
    ctx.query.filters.space ? ' AND space = {space:String}' : '',
  ].join('')
}

/** The org's first engaged event day (the Bass week 0) and the unknown actors of the range. */
export function orgFactsSql(ctx: MetricContext, source: WorkforceSource): string {
  const rangeActors = usesDayRollups(ctx)
    ? `rollup_actor_day WHERE org = {org:String} AND max_level >= 1 AND day >= {from:Date} AND day < {to:Date}`
    : `${eventsTable(false)} WHERE org = {org:String} AND ${levelAtLeast('view')} AND ${timeInRange}`
  const unknownActors =
    source === 'roster'
      ? `(SELECT uniqExact(actor) FROM ${rangeActors}${eventFilters(ctx.query)}
            AND actor NOT IN (SELECT person_id FROM ${latestRoster}))`
      : '0'
  const firstEngaged = usesRollups(ctx)
    ? `(SELECT toString(${localDay('min(first_engaged)')}) FROM rollup_actor_firsts
            WHERE org = {org:String} AND first_engaged IS NOT NULL${adoptionEventFilters(ctx)})`
    : `(SELECT toString(${localDay('minOrNull(time)')}) FROM ${eventsTable(false)}
            WHERE org = {org:String} AND ${levelAtLeast('react')}${adoptionEventFilters(ctx)})`
  return `
    SELECT ${firstEngaged} AS first_engaged_day,
           ${unknownActors} AS unknown_actors`
}

export function adoptionCurve(people: readonly PersonFacts[], periods: readonly Period[]): CurvePoint[] {
  return periods.map(({ period, first, last }) => {
    const members = people.filter((p) => inWorkforceOn(p, last))
    const adopters = members.filter((p) => adoptedBy(p, last))
    return {
      period,
      new_adopters: adopters.filter((p) => p.adopted_day! >= first).length,
      adopters: adopters.length,
      workforce: members.length,
      rate: shareOf(adopters.length, members.length),
    }
  })
}

/** Weekly new adopters among the workforce as of `lastDay`, for the complete weeks from `start`. */
export function weeklyNewAdopters(people: readonly PersonFacts[], start: string, lastDay: string): number[] {
  const weeks = Math.floor((Date.parse(addDays(lastDay, 1)) - Date.parse(start)) / (7 * 86_400_000))
  const counts = new Array<number>(Math.max(weeks, 0)).fill(0)
  for (const p of people) {
    if (!inWorkforceOn(p, lastDay) || !adoptedBy(p, lastDay)) continue
    const week = Math.floor((Date.parse(p.adopted_day!) - Date.parse(start)) / (7 * 86_400_000))
    if (week >= 0 && week < counts.length) counts[week]! += 1
  }
  return counts
}

const significant = (x: number) => Number(x.toPrecision(4))

/** Days from `start` to 31 December 9999, the last day a YYYY-MM-DD can name. */
const lastRepresentableDay = (start: string) =>
  Math.floor((Date.UTC(9999, 11, 31) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000)

export function bassAnswer(fit: BassFit, start: string | null, weeks: number): BassAnswer {
  if (!fit.ok) {
    return {
      p: null,
      q: null,
      m: null,
      r2: null,
      peak_week: null,
      forecast: { rate_50: null, rate_80: null },
      reason: fit.reason,
      start,
      weeks,
    }
  }
  // A date is the day holding the instant the fitted rate crosses the share (week 0 = `start`);
  // a crossing past year 9999 (m barely above the share) has no calendar date to give.
  const dayOf = (t: number | null) => {
    if (t === null || start === null) return null
    const days = Math.floor(7 * t)
    return days <= lastRepresentableDay(start) ? addDays(start, days) : null
  }
  return {
    p: significant(fit.p),
    q: significant(fit.q),
    m: significant(fit.m),
    r2: Math.round(fit.r2 * 10_000) / 10_000,
    peak_week: Math.round(fit.peakWeek * 100) / 100,
    forecast: { rate_50: dayOf(weeksToReach(fit, 0.5)), rate_80: dayOf(weeksToReach(fit, 0.8)) },
    reason: null,
    start,
    weeks,
  }
}

function bassOf(people: readonly PersonFacts[], firstEngagedDay: string | null, lastDay: string): BassAnswer {
  if (firstEngagedDay === null || firstEngagedDay > lastDay) {
    return bassAnswer({ ok: false, reason: 'no engaged event up to the range end' }, null, 0)
  }
  const start = periodStart(firstEngagedDay, 'week')
  const weekly = weeklyNewAdopters(people, start, lastDay)
  const workforce = people.filter((p) => inWorkforceOn(p, lastDay)).length
  return bassAnswer(fitBass(weekly, workforce), start, weekly.length)
}

function groupsOf(
  people: readonly PersonFacts[],
  by: 'department' | 'site',
  periods: readonly Period[],
  lastDay: string,
  minGroupSize: number,
  role?: string,
): z.infer<typeof group>[] {
  const members = new Map<string, PersonFacts[]>()
  for (const p of people) {
    const list = members.get(p[by]) ?? []
    list.push(p)
    members.set(p[by], list)
  }
  const figures = [...members.entries()]
    .map(([name, list]) => ({ name, list, segmented: rogersSegments(list, lastDay) }))
    .filter((g) => g.segmented.length > 0)
    .sort((a, b) => (a.name < b.name ? -1 : 1))
  const withheld = withheldGroups(
    figures.map((g) => ({ group: g.name, size: g.segmented.length })),
    minGroupSize,
    role,
  )
  return figures.map(({ name, list, segmented }) => {
    if (withheld.has(name)) {
      return {
        group: name,
        suppressed: true,
        workforce: null,
        adopters: null,
        rate: null,
        segments: null,
        curve: null,
      }
    }
    const adopters = segmented.filter((s) => s.segment !== 'non_adopters').length
    return {
      group: name,
      suppressed: false,
      workforce: segmented.length,
      adopters,
      rate: shareOf(adopters, segmented.length),
      segments: segmentCounts(segmented),
      curve: adoptionCurve(list, periods),
    }
  })
}

export async function computeAdoption(ctx: MetricContext): Promise<Adoption> {
  const { query } = ctx
  const lastDay = addDays(query.range.to, -1)
  const source = await workforceSource(ctx)
  const [people, [org]] = await Promise.all([
    loadPersonFacts(ctx, source),
    runQuery<{ first_engaged_day: string | null; unknown_actors: number }>(
      ctx.client,
      orgFactsSql(ctx, source),
      baseParams(query),
    ),
  ])
  const periods = periodsOf(query.range, query.interval)
  const segmented = rogersSegments(people, lastDay)
  const adopters = segmented.filter((s) => s.segment !== 'non_adopters').length
  const answer: Adoption = {
    org: query.org,
    workforce_source: source,
    workforce: segmented.length,
    adopters,
    rate: shareOf(adopters, segmented.length),
    unknown_actors: org?.unknown_actors ?? 0,
    curve: adoptionCurve(people, periods),
    segments: segmentCounts(segmented),
    bass: bassOf(people, org?.first_engaged_day ?? null, lastDay),
  }
  if (query.by === 'department' || query.by === 'site') {
    answer.groups = groupsOf(people, query.by, periods, lastDay, ctx.settings.min_group_size, ctx.role)
  }
  return answer
}

export const adoption = registerMetric({
  name: 'adoption',
  summary: 'Adoption rate and curve, Rogers segments and the Bass diffusion fit',
  breakdowns: ['department', 'site'],
  response,
  compute: computeAdoption,
  tables: (r) => ({
    curve: r.curve,
    segments: r.segments,
    bass: [
      {
        p: r.bass.p,
        q: r.bass.q,
        m: r.bass.m,
        r2: r.bass.r2,
        peak_week: r.bass.peak_week,
        rate_50: r.bass.forecast.rate_50,
        rate_80: r.bass.forecast.rate_80,
        reason: r.bass.reason,
        start: r.bass.start,
        weeks: r.bass.weeks,
      },
    ],
    groups: (r.groups ?? []).map((g) => ({
      group: g.group,
      suppressed: g.suppressed,
      workforce: g.workforce,
      adopters: g.adopters,
      rate: g.rate,
      ...Object.fromEntries(
        segmentNames.map((name) => [name, g.segments?.find((s) => s.segment === name)?.people ?? null]),
      ),
    })),
    group_curve: (r.groups ?? []).flatMap((g) =>
      (g.curve ?? []).map((point) => ({ group: g.group, ...point })),
    ),
  }),
})
