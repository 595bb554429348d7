// Adoption (METRICS.md "Adoption"): workforce, adopters and rate as of the range end, the adoption
// curve per period, Rogers segments and the Bass diffusion fit; by department or site on demand.
import {
  type Adoption,
  adoptionResponse,
  type BassAnswer,
  type CurvePoint,
} from '../../schemas/api/metrics/adoption.ts'
import { segmentNames } from '../../schemas/api/vocabulary.ts'
import { adoptedBy, inWorkforceOn, loadPersonFacts, type PersonFacts, shareOf } from '../adoption-facts.ts'
import { type BassFit, fitBass, weeksToReach } from '../bass.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { addDays, type Period, periodStart, periodsOf } from '../query.ts'
import { dayInRange } from '../rollups.ts'
import { runQuery } from '../run.ts'
import { rogersSegments, segmentCounts } from '../segments.ts'
import { baseParams, latestRoster, levelAtLeast, localDay, monthDaysMask } from '../sql.ts'
import { rollupRows } from '../tables.ts'
import { actorFirstsRows, type WorkforceSource, workforceSource } from '../workforce.ts'

/**
 * The org's first engaged event day (the Bass week 0) and the unknown actors of the range: people
 * active in the range (a day of the range in the month bit sets of `rollup_actor_month`, every
 * filter applied) missing from the roster, and the first engaged time ever among the rows of
 * `rollup_actor_firsts` (the feature and space filters narrow which events count, as in
 * `adoptionTimesSql`). A person's month may be split over parts: whether any part has a day of the
 * range is whether their OR has, so the parts need no merging here.
 */
export function orgFactsSql(ctx: MetricContext, source: WorkforceSource): string {
  const inRange = `${levelAtLeast('view')} AND ${dayInRange}`
  const unknownActors =
    source === 'roster'
      ? `(SELECT uniqExact(actor) FROM ${rollupRows(ctx, 'rollup_actor_month', { events: inRange })}
            WHERE month >= toStartOfMonth({from:Date}) AND month < {to:Date}
              AND bitAnd(days, ${monthDaysMask('month', '{from:Date}', '{to:Date}')}) != 0
              AND actor NOT IN (SELECT person_id FROM ${latestRoster}))`
      : '0'
  const { feature, space } = ctx.query.filters
  const adoptionFilters = { ...(feature ? { feature } : {}), ...(space ? { space } : {}) }
  const firstEngaged = `(SELECT toString(${localDay('min(first_engaged)')})
            FROM ${actorFirstsRows(ctx, adoptionFilters, levelAtLeast('react'))}
            WHERE first_engaged IS NOT NULL)`
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
): NonNullable<Adoption['groups']> {
  const members = new Map<string, PersonFacts[]>()
  for (const p of people) {
    const list = members.get(p[by]) ?? []
    list.push(p)
    members.set(p[by], list)
  }
  // Which groups are withheld is the privacy layer's (the `groups` declaration below).
  return [...members.entries()]
    .map(([name, list]) => ({ name, list, segmented: rogersSegments(list, lastDay) }))
    .filter((g) => g.segmented.length > 0)
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map(({ name, list, segmented }) => {
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
    answer.groups = groupsOf(people, query.by, periods, lastDay)
  }
  return answer
}

export const adoption = registerMetric({
  name: 'adoption',
  summary: 'Adoption rate and curve, Rogers segments and the Bass diffusion fit',
  response: adoptionResponse,
  compute: computeAdoption,
  groups: [{ kind: 'breakdown', rows: (r) => r.groups ?? [] }],
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
