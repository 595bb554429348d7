// Rogers segments and the adoption order, without a database.
import { describe, expect, it } from 'vitest'
import { byAdoption, compareIds, type PersonFacts } from '../../../analytics/adoption-facts.ts'
import { rogersSegment, rogersSegments, segmentCounts } from '../../../analytics/segments.ts'

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
    expect(segmentCounts(rogersSegments(everyone, '2025-12-31')).map((s) => s.people)).toEqual([
      25, 135, 340, 340, 160, 0,
    ])
  })
})

describe('rogersSegments', () => {
  it('ranks only the workforce members of the day, against the whole workforce', () => {
    const people = [
      person('a', '2025-01-02T09:00:00.000Z', { left_at: '2025-03-01' }), // left: not ranked
      person('b', '2025-01-03T09:00:00.000Z'),
      person('c', '2025-02-10T09:00:00.000Z'),
      person('d', '2025-03-20T09:00:00.000Z'), // adopts after the day: non-adopter on it
      person('e', null),
      person('f', '2025-01-05T09:00:00.000Z', { hired_at: '2025-04-01' }), // not hired yet
    ].sort(byAdoption)
    // Members on 15 March: b, c, d, e = 4. b 1/4 = 0.25 and c 2/4 = 0.5 early majority.
    expect(rogersSegments(people, '2025-03-15').map((s) => [s.person.person, s.segment])).toEqual([
      ['b', 'early_majority'],
      ['c', 'early_majority'],
      ['d', 'non_adopters'],
      ['e', 'non_adopters'],
    ])
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
