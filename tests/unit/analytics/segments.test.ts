// Rogers segments and the adoption order, without a database.
import { describe, expect, it } from 'vitest'
import { byAdoption, compareIds, type PersonFacts } from '../../../analytics/adoption-facts.ts'
import {
  type Launch,
  rogersSegment,
  rogersSegments,
  segmentation,
  segmentCounts,
} from '../../../analytics/segments.ts'

const launched: Launch = { day: '2025-01-01', source: 'setting' }

const person = (id: string, adoptedAt: string | null, extra: Partial<PersonFacts> = {}): PersonFacts => ({
  person: id,
  department: '',
  site: '',
  hired_at: null,
  left_at: null,
  adopted_at: adoptedAt,
  adopted_day: adoptedAt?.slice(0, 10) ?? null,
  ...extra,
})

describe('rogersSegment', () => {
  it('puts a rank exactly on a cut inside the earlier segment', () => {
    // N = 200: 2.5 % = rank 5, 16 % = rank 32, 50 % = rank 100, 84 % = rank 168.
    expect([5, 6, 32, 33, 100, 101, 168, 169].map((r) => rogersSegment(r, 200))).toEqual([
      'innovators',
      'early_adopters',
      'early_adopters',
      'early_majority',
      'early_majority',
      'late_majority',
      'late_majority',
      'laggards',
    ])
  })

  it('has no innovators below 40 people (1/N > 2.5 %)', () => {
    expect(rogersSegment(1, 39)).toBe('early_adopters')
    expect(rogersSegment(1, 40)).toBe('innovators')
  })

  it("gives Rogers' 2.5 / 13.5 / 34 / 34 / 16 split when everyone has adopted", () => {
    const everyone = Array.from({ length: 1000 }, (_, i) =>
      person(`p${String(i).padStart(4, '0')}`, `2025-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`),
    ).sort(byAdoption)
    expect(
      segmentCounts(rogersSegments(everyone, '2025-12-31', launched, 'roster')).map((s) => s.people),
    ).toEqual([25, 135, 340, 340, 160, 0])
  })
})

describe('rogersSegments', () => {
  it('ranks the launch cohort against L, leavers kept in L, and counts the members of the day', () => {
    const people = [
      person('a', '2025-01-02T09:00:00.000Z', { left_at: '2025-03-01' }), // left: in L, not counted
      person('b', '2025-01-03T09:00:00.000Z'),
      person('c', '2025-02-10T09:00:00.000Z'),
      person('d', '2025-03-20T09:00:00.000Z'), // adopts after the day: non-adopter on it
      person('e', null),
      person('f', '2025-01-05T09:00:00.000Z', { hired_at: '2025-04-01' }), // not hired yet
    ].sort(byAdoption)
    // L = a, b, c, d, e = 5 (f is hired after the launch). a r1 x=0.2, b r2 0.4: early majority;
    // c r3 0.6 late majority. Members on 15 March: b, c, d, e.
    expect(
      rogersSegments(people, '2025-03-15', launched, 'roster').map((s) => [s.person.person, s.segment]),
    ).toEqual([
      ['b', 'early_majority'],
      ['c', 'late_majority'],
      ['d', 'non_adopters'],
      ['e', 'non_adopters'],
    ])
  })

  it('places hires by time to adopt against the launch bands, never as innovators or early adopters', () => {
    // L = 100 launch-cohort members; 90 adopt, the one of rank r on day r − 1 after the launch
    // (time to adopt r − 1). Last ranks: innovators 2, early adopters 16, early majority 50, late
    // majority 84: thresholds T = 1, 15, 49 and 83 days, reached on 2, 16, 50 and 84 January...
    // (rank r adopts on 1 January + r − 1 days).
    const day = (offset: number) => new Date(Date.UTC(2025, 0, 1 + offset)).toISOString().slice(0, 10)
    const cohort = Array.from({ length: 100 }, (_, i) =>
      person(`m${String(i + 1).padStart(3, '0')}`, i < 90 ? `${day(i)}T10:00:00.000Z` : null),
    )
    const hire = (id: string, hired: number, adoptedAfter: number) =>
      person(id, `${day(hired + adoptedAfter)}T11:00:00.000Z`, { hired_at: day(hired) })
    const hires = [
      hire('h-fast', 200, 0), // 0 days: would be innovators, takes early majority
      hire('h-mid', 200, 30), // 30 days: first threshold ≥ 30 is 49 (early majority)
      hire('h-late', 200, 60), // 60 ≤ 83: late majority
      hire('h-slow', 200, 100), // 100 > 83, all four reached: laggards
      // Hired the day after the launch, adopts on day 20 (21 January) after 19 days: only
      // innovators (T=1, day 1) and early adopters (T=15, day 15) reached by then; 19 > 15: the
      // band after early adopters.
      hire('h-early', 1, 19),
      // Adopts on day 60 after 55 days: early majority reached (T=49 on day 49), late majority not
      // yet (day 83): 55 > 49, the band after: late majority, whatever comes later.
      hire('h-before', 5, 55),
    ]
    const people = [...cohort, ...hires].sort(byAdoption)
    const segmentOf = (end: string) =>
      new Map(rogersSegments(people, end, launched, 'roster').map((s) => [s.person.person, s.segment]))
    const late = segmentOf('2025-12-31')
    expect(['h-fast', 'h-mid', 'h-late', 'h-slow', 'h-early', 'h-before'].map((id) => late.get(id))).toEqual([
      'early_majority',
      'early_majority',
      'late_majority',
      'laggards',
      'early_majority',
      'late_majority',
    ])
    // Rank 2 (day 1) innovators, rank 3 early adopters, rank 85 laggards.
    expect([late.get('m002'), late.get('m003'), late.get('m085')]).toEqual([
      'innovators',
      'early_adopters',
      'laggards',
    ])
    // The same segment for every range end after the adoption.
    for (const end of [day(60), day(90), day(200), day(400)]) {
      expect(segmentOf(end).get('h-before')).toBe('late_majority')
      expect(segmentOf(end).get('m050')).toBe('early_majority')
    }
  })

  it('makes everyone launch cohort without a roster (no hire day)', () => {
    const people = [person('x', '2025-02-01T09:00:00.000Z', { hired_at: '2025-01-20' })]
    expect(segmentation(people, launched, 'actors').eligibility.get('x')).toMatchObject({
      cohort: 'launch',
      launchCohort: true,
      days_to_adopt: 31,
    })
  })
})

describe('the adoption order', () => {
  it('breaks ties in adoption time by id, people who never adopted last', () => {
    const people = [
      person('zoe', '2025-01-01T10:00:00.000Z'),
      person('bob', null),
      person('amy', '2025-01-01T10:00:00.000Z'),
      person('cat', '2025-01-01T09:59:59.999Z'),
    ].sort(byAdoption)
    expect(people.map((p) => p.person)).toEqual(['cat', 'amy', 'zoe', 'bob'])
  })

  it('compares ids by UTF-8 bytes, as ClickHouse sorts strings', () => {
    // UTF-16 would put the emoji (surrogate 0xD83D) before the full-width Ａ (0xFF21); in UTF-8
    // Ａ is EF BC A1 and the emoji F0 9F 98 80.
    expect(compareIds('\uFF21', '😀')).toBeLessThan(0)
    expect(compareIds('Zed', 'amy')).toBeLessThan(0) // upper case first
  })
})
