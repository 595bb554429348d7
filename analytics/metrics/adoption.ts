// Adoption (METRICS.md "Adoption"): workforce, adopters and rate as of the range end, the adoption
// curve per period, Rogers segments and the Bass diffusion fit; by department or site on demand.
import {
  type Adoption,
  adoptionResponse,
  type BassAnswer,
  type CurvePoint,
} from '../../schemas/api/metrics/adoption.ts'
import { segmentNames } from '../../schemas/api/vocabulary.ts'
import {
  adoptedBy,
  inWorkforceOn,
  loadLaunch,
  loadPersonFacts,
  type PersonFacts,
  shareOf,
} from '../adoption-facts.ts'
import { type BassBootstrap, type BassFit, bootstrapBass, fitBass, weeksToReach } from '../bass.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { addDays, type Period, periodsOf } from '../query.ts'
import { dayInRange } from '../rollups.ts'
import { runQuery } from '../run.ts'
import {
  daysBetween,
  type Launch,
  rogersSegments,
  type Segmentation,
  type SegmentedPerson,
  segmentation,
  segmentCounts,
} from '../segments.ts'
import { baseParams, latestRoster, levelAtLeast, monthDaysMask } from '../sql.ts'
import { rollupRows } from '../tables.ts'
import { type WorkforceSource, workforceSource } from '../workforce.ts'

/**
 * The unknown actors of the range: people active in the range (a day of the range in the month
 * bit sets of `rollup_actor_month`, every filter applied) missing from the roster. A person's
 * month may be split over parts: whether any part has a day of the range is whether their OR
 * has, so the parts need no merging here.
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
  return `SELECT ${unknownActors} AS unknown_actors`
}

/** Per period: adopters, workforce and rate as of the period; and the launch cohort's rate. */
export function adoptionCurve(
  people: readonly PersonFacts[],
  periods: readonly Period[],
  seg: Segmentation,
): CurvePoint[] {
  return periods.map(({ period, first, last, partial }) => {
    const members = people.filter((p) => inWorkforceOn(p, last))
    const adopters = members.filter((p) => adoptedBy(p, last))
    const launchMembers = members.filter((p) => seg.eligibility.get(p.person)?.launchCohort)
    return {
      period,
      partial,
      new_adopters: adopters.filter((p) => p.adopted_day! >= first).length,
      adopters: adopters.length,
      workforce: members.length,
      rate: shareOf(adopters.length, members.length),
      launch_cohort_rate: shareOf(
        launchMembers.filter((p) => adoptedBy(p, last)).length,
        launchMembers.length,
      ),
    }
  })
}

/**
 * Weekly new adopters of the launch cohort (leavers included: L is fixed at launch), for the
 * complete weeks from the launch day (week 0) to `lastDay`. An adoption before the launch (a
 * pilot, when `launched_at` is set later) counts in week 0.
 */
export function weeklyNewAdopters(
  people: readonly PersonFacts[],
  launchDay: string,
  lastDay: string,
  inCohort: (p: PersonFacts) => boolean,
): number[] {
  const weeks = Math.floor(daysBetween(launchDay, addDays(lastDay, 1)) / 7)
  const counts = new Array<number>(Math.max(weeks, 0)).fill(0)
  for (const p of people) {
    if (!inCohort(p) || !adoptedBy(p, lastDay)) continue
    const week = Math.max(0, Math.floor(daysBetween(launchDay, p.adopted_day!) / 7))
    if (week < counts.length) counts[week]! += 1
  }
  return counts
}

const significant = (x: number) => Number(x.toPrecision(4))

/** Days from `start` to 31 December 9999, the last day a YYYY-MM-DD can name. */
const lastRepresentableDay = (start: string) =>
  Math.floor((Date.UTC(9999, 11, 31) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000)

const shares = { rate_50: 0.5, rate_80: 0.8 } as const
type ShareKey = keyof typeof shares

/** The observed days the launch cohort's cumulative adoption (adopters ÷ L) reached 50 % and 80 %. */
export function reachedDays(
  people: readonly PersonFacts[],
  inCohort: (p: PersonFacts) => boolean,
  cohort: number,
  lastDay: string,
): Record<ShareKey, string | null> {
  const days = people
    .filter((p) => inCohort(p) && adoptedBy(p, lastDay))
    .map((p) => p.adopted_day!)
    .sort()
  const at = (share: number) => {
    // The first rank r with r ≥ share·L, in integers (r·100 ≥ share·100·L).
    const rank = Math.ceil((Math.round(share * 100) * cohort) / 100)
    return cohort > 0 && rank >= 1 && rank <= days.length ? days[rank - 1]! : null
  }
  return { rate_50: at(0.5), rate_80: at(0.8) }
}

export function bassAnswer(
  fit: BassFit,
  start: string | null,
  weeks: number,
  cohort: number,
  reached: Record<ShareKey, string | null> = { rate_50: null, rate_80: null },
  bootstrap: BassBootstrap | null = null,
): BassAnswer {
  const base = { start, weeks, cohort, reached }
  if (!fit.ok) {
    return {
      p: null,
      q: null,
      m: null,
      r2: null,
      peak_week: null,
      forecast: {
        rate_50: null,
        rate_80: null,
        rate_50_low: null,
        rate_50_high: null,
        rate_80_low: null,
        rate_80_high: null,
        why_not_50: fit.reason,
        why_not_80: fit.reason,
      },
      resamples: 0,
      reason: fit.reason,
      ...base,
    }
  }
  // A date is the day holding the instant the fitted rate crosses the share (week 0 = `start`);
  // a crossing past year 9999 (m barely above the share) has no calendar date to give.
  const dayOf = (t: number | null) => {
    if (t === null || start === null) return null
    const days = Math.floor(7 * t)
    return days <= lastRepresentableDay(start) ? addDays(start, days) : null
  }
  const whyNot = (key: ShareKey) =>
    fit.m <= shares[key]
      ? `the fitted ceiling m = ${Math.round(fit.m * 1000) / 10} % of the launch cohort is not above ${shares[key] * 100} %`
      : null
  const interval = (key: ShareKey) => bootstrap?.intervals[key] ?? { low: null, high: null }
  return {
    p: significant(fit.p),
    q: significant(fit.q),
    m: significant(fit.m),
    r2: Math.round(fit.r2 * 10_000) / 10_000,
    peak_week: Math.round(fit.peakWeek * 100) / 100,
    forecast: {
      rate_50: dayOf(weeksToReach(fit, 0.5)),
      rate_80: dayOf(weeksToReach(fit, 0.8)),
      rate_50_low: dayOf(interval('rate_50').low),
      rate_50_high: dayOf(interval('rate_50').high),
      rate_80_low: dayOf(interval('rate_80').low),
      rate_80_high: dayOf(interval('rate_80').high),
      why_not_50: whyNot('rate_50'),
      why_not_80: whyNot('rate_80'),
    },
    resamples: bootstrap?.fitted ?? 0,
    reason: null,
    ...base,
  }
}

/** Fits cost a few milliseconds each and the bootstrap 200 of them: answers are kept by their inputs. */
const bassCache = new Map<string, BassAnswer>()

function bassOf(
  people: readonly PersonFacts[],
  launch: Launch,
  seg: Segmentation,
  lastDay: string,
): BassAnswer {
  if (launch.day === null || launch.day > lastDay) {
    return bassAnswer(
      { ok: false, reason: 'no launch up to the range end (no engaged event yet)' },
      launch.day,
      0,
      0,
    )
  }
  const inCohort = (p: PersonFacts) => seg.eligibility.get(p.person)?.launchCohort === true
  const weekly = weeklyNewAdopters(people, launch.day, lastDay, inCohort)
  const reached = reachedDays(people, inCohort, seg.cohort, lastDay)
  const key = JSON.stringify([launch.day, seg.cohort, weekly, reached])
  const cached = bassCache.get(key)
  if (cached) return cached
  const fit = fitBass(weekly, seg.cohort)
  const bootstrap = fit.ok ? bootstrapBass(fit, weekly.length, seg.cohort) : null
  const answer = bassAnswer(fit, launch.day, weekly.length, seg.cohort, reached, bootstrap)
  if (bassCache.size >= 200) bassCache.delete(bassCache.keys().next().value!)
  bassCache.set(key, answer)
  return answer
}

const median = (xs: readonly number[]): number | null => {
  if (xs.length === 0) return null
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** The launch cohort and the hires among the workforce members on `lastDay`. */
export function cohortSplit(segmented: readonly SegmentedPerson[], seg: Segmentation) {
  const launch = segmented.filter((s) => seg.eligibility.get(s.person.person)?.launchCohort)
  const hires = segmented.filter((s) => s.cohort === 'hire')
  const adopted = (list: readonly SegmentedPerson[]) => list.filter((s) => s.segment !== 'non_adopters')
  return {
    launch_cohort: {
      size: seg.cohort,
      workforce: launch.length,
      adopters: adopted(launch).length,
      rate: shareOf(adopted(launch).length, launch.length),
    },
    hires: {
      workforce: hires.length,
      adopters: adopted(hires).length,
      rate: shareOf(adopted(hires).length, hires.length),
      median_days_to_adopt: median(adopted(hires).map((s) => s.days_to_adopt!)),
    },
  }
}

/**
 * Per month of hire (the local month of `hired_at`, after the launch, up to the range end): the
 * people hired, those who adopted by the range end, and their median time to adopt. Leavers count
 * in their month of hire: the series is about how fast newcomers take the platform up.
 */
export function hiresByMonth(people: readonly PersonFacts[], seg: Segmentation, lastDay: string) {
  const months = new Map<string, { hires: number; days: number[] }>()
  for (const p of people) {
    const e = seg.eligibility.get(p.person)
    if (e?.cohort !== 'hire' || e.eligible_day === null || e.eligible_day > lastDay) continue
    const month = `${e.eligible_day.slice(0, 7)}-01`
    const entry = months.get(month) ?? { hires: 0, days: [] }
    entry.hires += 1
    if (adoptedBy(p, lastDay)) entry.days.push(e.days_to_adopt!)
    months.set(month, entry)
  }
  return [...months.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([month, { hires, days }]) => ({
      month,
      hires,
      adopters: days.length,
      median_days_to_adopt: median(days),
    }))
}

function groupsOf(
  people: readonly PersonFacts[],
  by: 'department' | 'site',
  periods: readonly Period[],
  lastDay: string,
  launch: Launch,
  source: WorkforceSource,
): NonNullable<Adoption['groups']> {
  const members = new Map<string, PersonFacts[]>()
  for (const p of people) {
    const list = members.get(p[by]) ?? []
    list.push(p)
    members.set(p[by], list)
  }
  // Which groups are withheld is the privacy layer's (the `groups` declaration below). Inside a
  // group the same definitions apply to its own people: its launch cohort, its thresholds.
  return [...members.entries()]
    .map(([name, list]) => {
      const seg = segmentation(list, launch, source)
      return { name, list, seg, segmented: rogersSegments(list, lastDay, launch, source, seg) }
    })
    .filter((g) => g.segmented.length > 0)
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map(({ name, list, seg, segmented }) => {
      const adopters = segmented.filter((s) => s.segment !== 'non_adopters').length
      const split = cohortSplit(segmented, seg)
      return {
        group: name,
        suppressed: false,
        workforce: segmented.length,
        adopters,
        rate: shareOf(adopters, segmented.length),
        launch_cohort_rate: split.launch_cohort.rate,
        hires_rate: split.hires.rate,
        segments: segmentCounts(segmented),
        curve: adoptionCurve(list, periods, seg),
      }
    })
}

export async function computeAdoption(ctx: MetricContext): Promise<Adoption> {
  const { query } = ctx
  const lastDay = addDays(query.range.to, -1)
  const source = await workforceSource(ctx)
  const [people, launch, [org]] = await Promise.all([
    loadPersonFacts(ctx, source),
    loadLaunch(ctx),
    runQuery<{ unknown_actors: number }>(ctx.client, orgFactsSql(ctx, source), baseParams(query)),
  ])
  const periods = periodsOf(query.range, query.interval)
  const seg = segmentation(people, launch, source)
  const segmented = rogersSegments(people, lastDay, launch, source, seg)
  const adopters = segmented.filter((s) => s.segment !== 'non_adopters').length
  const answer: Adoption = {
    org: query.org,
    workforce_source: source,
    launch,
    workforce: segmented.length,
    adopters,
    rate: shareOf(adopters, segmented.length),
    ...cohortSplit(segmented, seg),
    unknown_actors: org?.unknown_actors ?? 0,
    curve: adoptionCurve(people, periods, seg),
    segments: segmentCounts(segmented),
    bass: bassOf(people, launch, seg, lastDay),
    hires_by_month: hiresByMonth(people, seg, lastDay),
  }
  if (query.by === 'department' || query.by === 'site') {
    answer.groups = groupsOf(people, query.by, periods, lastDay, launch, source)
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
    cohorts: [
      {
        launch_day: r.launch.day,
        launch_source: r.launch.source,
        launch_cohort_size: r.launch_cohort.size,
        launch_cohort_workforce: r.launch_cohort.workforce,
        launch_cohort_adopters: r.launch_cohort.adopters,
        launch_cohort_rate: r.launch_cohort.rate,
        hires_workforce: r.hires.workforce,
        hires_adopters: r.hires.adopters,
        hires_rate: r.hires.rate,
        hires_median_days_to_adopt: r.hires.median_days_to_adopt,
      },
    ],
    hires_by_month: r.hires_by_month,
    bass: [
      {
        p: r.bass.p,
        q: r.bass.q,
        m: r.bass.m,
        r2: r.bass.r2,
        peak_week: r.bass.peak_week,
        ...r.bass.forecast,
        reached_50: r.bass.reached.rate_50,
        reached_80: r.bass.reached.rate_80,
        resamples: r.bass.resamples,
        reason: r.bass.reason,
        start: r.bass.start,
        weeks: r.bass.weeks,
        cohort: r.bass.cohort,
      },
    ],
    groups: (r.groups ?? []).map((g) => ({
      group: g.group,
      suppressed: g.suppressed,
      workforce: g.workforce,
      adopters: g.adopters,
      rate: g.rate,
      launch_cohort_rate: g.launch_cohort_rate,
      hires_rate: g.hires_rate,
      ...Object.fromEntries(
        segmentNames.map((name) => [name, g.segments?.find((s) => s.segment === name)?.people ?? null]),
      ),
    })),
    group_curve: (r.groups ?? []).flatMap((g) =>
      (g.curve ?? []).map((point) => ({ group: g.group, ...point })),
    ),
  }),
})
