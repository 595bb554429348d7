// Rogers segments of METRICS.md "Adoption": adopters ranked by (adoption time, actor id) against
// the whole workforce, x = r / N, cut at 2.5 %, 16 %, 50 % and 84 %.
import { type Segment, segmentNames } from '../schemas/api/vocabulary.ts'
import { adoptedBy, inWorkforceOn, type PersonFacts } from './adoption-facts.ts'

/**
 * The segment of the adopter of rank `rank` (from 1) in a workforce of `workforce` people.
 * The cuts x ≤ 0.025, 0.16, 0.50, 0.84 are compared in integers (1000·r ≤ 25·N ...), so that
 * a rank exactly on a cut is never pushed out by floating-point rounding.
 */
export function rogersSegment(rank: number, workforce: number): Exclude<Segment, 'non_adopters'> {
  if (1000 * rank <= 25 * workforce) return 'innovators'
  if (100 * rank <= 16 * workforce) return 'early_adopters'
  if (100 * rank <= 50 * workforce) return 'early_majority'
  if (100 * rank <= 84 * workforce) return 'late_majority'
  return 'laggards'
}

export interface SegmentedPerson {
  person: PersonFacts
  segment: Segment
}

/**
 * The workforce members on `day`, each with their segment as of that day. `people` must be in
 * adoption order (`byAdoption`); the answer keeps it, non-adopters last.
 */
export function rogersSegments(people: readonly PersonFacts[], day: string): SegmentedPerson[] {
  const members = people.filter((p) => inWorkforceOn(p, day))
  let rank = 0
  return members.map((person) => {
    if (!adoptedBy(person, day)) return { person, segment: 'non_adopters' }
    rank += 1
    return { person, segment: rogersSegment(rank, members.length) }
  })
}

/** People per segment, all six in the order of `segmentNames`. */
export function segmentCounts(segmented: readonly SegmentedPerson[]): { segment: Segment; people: number }[] {
  return segmentNames.map((segment) => ({
    segment,
    people: segmented.filter((s) => s.segment === segment).length,
  }))
}
