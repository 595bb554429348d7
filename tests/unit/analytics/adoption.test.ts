// The shaping steps of the adoption metric, on hand-made people (no database).
import { describe, expect, it } from 'vitest'
import type { PersonFacts } from '../../../analytics/adoption-facts.ts'
import { adoptionCurve, bassAnswer, weeklyNewAdopters } from '../../../analytics/metrics/adoption.ts'
import { periodsOf } from '../../../analytics/query.ts'

const person = (id: string, adoptedDay: string | null, extra: Partial<PersonFacts> = {}): PersonFacts => ({
  person: id,
  department: '',
  site: '',
  hired_at: null,
  left_at: null,
  adopted_at: adoptedDay && `${adoptedDay}T12:00:00.000Z`,
  adopted_day: adoptedDay,
  ...extra,
})

const people = [
  person('a', '2025-01-01'),
  person('b', '2025-01-07', { left_at: '2025-01-20' }),
  person('c', '2025-01-13'), // a Monday
  person('d', '2025-01-19'), // a Sunday
  person('e', null, { hired_at: '2025-01-15' }),
]

describe('adoptionCurve', () => {
  it('counts as of each period, new adopters within the part of the period in the range', () => {
    // Range 8–22 January (to = 23rd): weeks of 6, 13 and 20 January, the first clipped to 8–12.
    const curve = adoptionCurve(people, periodsOf({ from: '2025-01-08', to: '2025-01-23' }, 'week'))
    expect(curve).toEqual([
      // As of Sun 12th: a, b, c, d = 4 (e hired 15th); adopters a, b; b adopted on the 7th, before
      // the range's first day: not new.
      { period: '2025-01-06', new_adopters: 0, adopters: 2, workforce: 4, rate: 0.5 },
      // As of Sun 19th: + e = 5; + c (13th), d (19th).
      { period: '2025-01-13', new_adopters: 2, adopters: 4, workforce: 5, rate: 0.8 },
      // As of Wed 22nd (range end): b left on the 20th: 4 people, 3 adopters.
      { period: '2025-01-20', new_adopters: 0, adopters: 3, workforce: 4, rate: 0.75 },
    ])
  })
})

describe('weeklyNewAdopters', () => {
  it('counts complete weeks from week 0 among the workforce as of the last day', () => {
    // Week 0 = Mon 30 Dec 2024. Up to Wed 22 Jan: complete weeks 30 Dec, 6 Jan, 13 Jan = 3.
    // a (1 Jan) in week 0; b has left by the 22nd; c and d in week 2.
    expect(weeklyNewAdopters(people, '2024-12-30', '2025-01-22')).toEqual([1, 0, 2])
    // Up to Sunday 26 Jan the week of 20 Jan is complete too.
    expect(weeklyNewAdopters(people, '2024-12-30', '2025-01-26')).toEqual([1, 0, 2, 0])
  })
})

describe('bassAnswer', () => {
  it('turns weeks into the days the fitted rate crosses 50 % and 80 %', () => {
    // p = 0.01, q = 0.3, m = 0.8 reaches 50 % at t = 12.787 weeks (see bass.test.ts): 7t = 89.5
    // days after Monday 6 January 2025 → day 89 = 5 April. m = 0.8 never exceeds 80 %.
    const answer = bassAnswer(
      { ok: true, p: 0.01, q: 0.3, m: 0.8, r2: 0.98765, peakWeek: 10.9716 },
      '2025-01-06',
      60,
    )
    expect(answer).toEqual({
      p: 0.01,
      q: 0.3,
      m: 0.8,
      r2: 0.9877,
      peak_week: 10.97,
      forecast: { rate_50: '2025-04-05', rate_80: null },
      reason: null,
      start: '2025-01-06',
      weeks: 60,
    })
  })

  it('gives no date for a crossing beyond the calendar (m a hair above the share)', () => {
    // q = 0: F(t) = 1 − e^{−pt} must reach 0.5/m ≈ 1 − 2e-12, so e^{−pt} = 2e-12 and
    // t = ln(5e11)/1e-7 ≈ 2.7e8 weeks: long past year 9999.
    const answer = bassAnswer(
      { ok: true, p: 1e-7, q: 0, m: 0.5 + 1e-12, r2: 0.5, peakWeek: 0 },
      '2025-01-06',
      9,
    )
    expect(answer.forecast).toEqual({ rate_50: null, rate_80: null })
  })

  it('gives nulls and the reason when there is no fit', () => {
    expect(bassAnswer({ ok: false, reason: 'the fit did not converge' }, '2025-01-06', 9)).toMatchObject({
      p: null,
      q: null,
      m: null,
      r2: null,
      peak_week: null,
      forecast: { rate_50: null, rate_80: null },
      reason: 'the fit did not converge',
    })
  })
})
