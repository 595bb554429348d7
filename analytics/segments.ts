// Rogers segments of METRICS.md "Adoption" (v2: the yardstick is time since eligibility).
//
// The launch cohort (the workforce on the launch day, L people, leavers kept in L) is ranked by
// (adoption time, actor id): rank r, x = r / L, cut at 2.5 %, 16 %, 50 % and 84 %. Each band's
// threshold T_k is the time to adopt of the launch-cohort adopter of the band's last rank; a hire
// takes the first band whose threshold (reached by the hire's own adoption time) is at or above
// their time to adopt, beyond the last threshold reached the band after it, never innovators or
// early adopters. Everything a segment depends on is known at the person's adoption time, so it
// never changes with the range end.
import { type Segment, segmentNames } from '../schemas/api/vocabulary.ts'
import { adoptedBy, inWorkforceOn, type Launch, type PersonFacts } from './adoption-facts.ts'
import type { WorkforceSource } from './workforce.ts'

type Band = Exclude<Segment, 'non_adopters'>

/** The bands in order; laggards have no threshold (nothing comes after them). */
const bands: readonly Band[] = ['innovators', 'early_adopters', 'early_majority', 'late_majority', 'laggards']

/**
 * The segment of the adopter of rank `rank` (from 1) in a launch cohort of `cohort` people.
 * The cuts x ≤ 0.025, 0.16, 0.50, 0.84 are compared in integers (1000·r ≤ 25·L ...), so that
 * a rank exactly on a cut is never pushed out by floating-point rounding.
 */
export function rogersSegment(rank: number, cohort: number): Band {
  if (1000 * rank <= 25 * cohort) return 'innovators'
  if (100 * rank <= 16 * cohort) return 'early_adopters'
  if (100 * rank <= 50 * cohort) return 'early_majority'
  if (100 * rank <= 84 * cohort) return 'late_majority'
  return 'laggards'
}

/** The last rank inside each band with a threshold, in a cohort of L: ⌊0.025 L⌋, ⌊0.16 L⌋, ⌊0.5 L⌋, ⌊0.84 L⌋. */
export function bandLastRanks(cohort: number): number[] {
  return [
    Math.floor((25 * cohort) / 1000),
    Math.floor((16 * cohort) / 100),
    Math.floor(cohort / 2),
    Math.floor((84 * cohort) / 100),
  ]
}

export type { Launch } from './adoption-facts.ts'

export type Cohort = 'launch' | 'hire'

/** A person's eligibility: the later of the launch day and their hire day. */
export interface Eligibility {
  cohort: Cohort
  eligible_day: string | null
  /** Adoption day − eligibility day in days (0 for an adoption before eligibility); null if not adopted. */
  days_to_adopt: number | null
}

const dayMs = 86_400_000
export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / dayMs)

/**
 * Launch cohort or hire. Without a roster (`actors`) nobody has a hire day, so everyone is of the
 * launch cohort. Before any launch, everyone is too (there is nothing to be hired after).
 */
export function eligibilityOf(person: PersonFacts, launch: Launch, source: WorkforceSource): Eligibility {
  const hire =
    source === 'roster' && launch.day !== null && person.hired_at !== null && person.hired_at > launch.day
  const eligible = launch.day === null ? null : hire ? person.hired_at! : launch.day
  const days =
    person.adopted_day === null || eligible === null
      ? null
      : Math.max(0, daysBetween(eligible, person.adopted_day))
  return { cohort: hire ? 'hire' : 'launch', eligible_day: eligible, days_to_adopt: days }
}

/** In the launch cohort: not a hire, and still in the workforce on the launch day. */
function inLaunchCohort(person: PersonFacts, e: Eligibility, launch: Launch): boolean {
  return (
    e.cohort === 'launch' && (launch.day === null || person.left_at === null || person.left_at > launch.day)
  )
}

export interface SegmentedPerson extends Eligibility {
  person: PersonFacts
  segment: Segment
}

export interface Segmentation {
  /** L: the launch cohort's size (leavers included). */
  cohort: number
  /** Every person with an adoption time and their band (launch cohort and hires), by id. */
  bandOf: Map<string, Band>
  eligibility: Map<string, Eligibility & { launchCohort: boolean }>
}

/**
 * The bands of everyone who ever adopted. `people` must be in adoption order (`byAdoption`).
 * Nothing here depends on a range end: a band is fixed at the person's adoption.
 */
export function segmentation(
  people: readonly PersonFacts[],
  launch: Launch,
  source: WorkforceSource,
): Segmentation {
  const eligibility = new Map<string, Eligibility & { launchCohort: boolean }>()
  for (const p of people) {
    const e = eligibilityOf(p, launch, source)
    eligibility.set(p.person, { ...e, launchCohort: inLaunchCohort(p, e, launch) })
  }
  const launchAdopters = people.filter(
    (p) => p.adopted_at !== null && eligibility.get(p.person)!.launchCohort,
  )
  const cohort = people.filter((p) => eligibility.get(p.person)!.launchCohort).length
  const bandOf = new Map<string, Band>()
  for (const [i, p] of launchAdopters.entries()) bandOf.set(p.person, rogersSegment(i + 1, cohort))

  // Thresholds of the bands that hold someone (a band whose last rank is 0, or equals the one
  // before, is empty): the time to adopt and the adoption time of the adopter of that last rank.
  const lastRanks = bandLastRanks(cohort)
  const thresholds: { band: number; days: number; at: string }[] = []
  let previous = 0
  lastRanks.forEach((rank, band) => {
    if (rank > previous && rank <= launchAdopters.length) {
      const p = launchAdopters[rank - 1]!
      thresholds.push({ band, days: eligibility.get(p.person)!.days_to_adopt!, at: p.adopted_at! })
    }
    if (rank > previous) previous = rank
  })
  const earlyMajority = 2
  for (const p of people) {
    const e = eligibility.get(p.person)!
    if (p.adopted_at === null || e.launchCohort) continue
    // The thresholds reached by the hire's adoption time: a prefix, since ranks grow with time.
    const reached = thresholds.filter((t) => t.at <= p.adopted_at!)
    const within = reached.find((t) => t.days >= e.days_to_adopt!)
    let band: number
    if (within) band = within.band
    else if (reached.length === 0) band = earlyMajority
    else band = reached[reached.length - 1]!.band + 1
    bandOf.set(p.person, bands[Math.max(band, earlyMajority)]!)
  }
  return { cohort, bandOf, eligibility }
}

/**
 * The workforce members on `day`, each with their segment (non-adopters: not adopted by `day`).
 * `people` must be in adoption order (`byAdoption`); the answer keeps it, non-adopters last.
 */
export function rogersSegments(
  people: readonly PersonFacts[],
  day: string,
  launch: Launch,
  source: WorkforceSource,
  seg: Segmentation = segmentation(people, launch, source),
): SegmentedPerson[] {
  return people
    .filter((p) => inWorkforceOn(p, day))
    .map((person) => {
      const { cohort, eligible_day, days_to_adopt } = seg.eligibility.get(person.person)!
      const adopted = adoptedBy(person, day)
      return {
        person,
        cohort,
        eligible_day,
        days_to_adopt: adopted ? days_to_adopt : null,
        segment: adopted ? seg.bandOf.get(person.person)! : 'non_adopters',
      }
    })
}

/** People per segment, all six in the order of `segmentNames`. */
export function segmentCounts(segmented: readonly SegmentedPerson[]): { segment: Segment; people: number }[] {
  return segmentNames.map((segment) => ({
    segment,
    people: segmented.filter((s) => s.segment === segment).length,
  }))
}
