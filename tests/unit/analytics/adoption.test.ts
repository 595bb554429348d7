// The shaping steps of the adoption metric, on hand-made people (no database).
import { describe, expect, it } from 'vitest'
import type { PersonFacts } from '../../../analytics/adoption-facts.ts'
import {
  adoptionCurve,
  bassAnswer,
  hiresByMonth,
  reachedDays,
  weeklyNewAdopters,
} from '../../../analytics/metrics/adoption.ts'
import { periodsOf } from '../../../analytics/query.ts'
import { segmentation } from '../../../analytics/segments.ts'

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

// Launched on 1 January (a's adoption): a, b, c, d are the launch cohort (L = 4), e a hire.
const launch = { day: '2025-01-01', source: 'first_engaged_event' as const }
const seg = segmentation(people, launch, 'roster')
const inCohort = (p: PersonFacts) => seg.eligibility.get(p.person)!.launchCohort

describe('adoptionCurve', () => {
  it('counts as of each period, new adopters within the part of the period in the range', () => {
    // Range 8–22 January (to = 23rd): weeks of 6, 13 and 20 January, the first clipped to 8–12
    // and the last to 20–22: both partial.
    const curve = adoptionCurve(people, periodsOf({ from: '2025-01-08', to: '2025-01-23' }, 'week'), seg)
    expect(curve).toEqual([
      // As of Sun 12th: a, b, c, d = 4 (e hired 15th); adopters a, b; b adopted on the 7th, before
      // the range's first day: not new. All four are of the launch cohort: 2/4.
      {
        period: '2025-01-06',
        partial: true,
        new_adopters: 0,
        adopters: 2,
        workforce: 4,
        rate: 0.5,
        launch_cohort_rate: 0.5,
      },
      // As of Sun 19th: + e = 5; + c (13th), d (19th). Launch cohort 4/4 (e is a hire).
      {
        period: '2025-01-13',
        partial: false,
        new_adopters: 2,
        adopters: 4,
        workforce: 5,
        rate: 0.8,
        launch_cohort_rate: 1,
      },
      // As of Wed 22nd (range end): b left on the 20th: 4 people, 3 adopters; cohort a, c, d 3/3.
      {
        period: '2025-01-20',
        partial: true,
        new_adopters: 0,
        adopters: 3,
        workforce: 4,
        rate: 0.75,
        launch_cohort_rate: 1,
      },
    ])
  })
})

describe('weeklyNewAdopters', () => {
  it('counts complete weeks from the launch day among the launch cohort, leavers kept', () => {
    // Week 0 = Wed 1 Jan. Up to Wed 22 Jan: complete weeks from 1, 8, 15 Jan = 3 (the fourth
    // would end on the 28th). a (1st) week 0; b (7th, left on the 20th, still in L) week 0;
    // c (13th) week 1; d (19th) week 2.
    expect(weeklyNewAdopters(people, '2025-01-01', '2025-01-22', inCohort)).toEqual([2, 1, 1])
    // An adoption before a launch set later (a pilot) counts in week 0: launch on the 8th,
    // a and b before it; up to the 21st two complete weeks.
    expect(weeklyNewAdopters(people, '2025-01-08', '2025-01-21', inCohort)).toEqual([3, 1])
  })
})

describe('reachedDays', () => {
  it('gives the day the launch cohort reached 50 % and 80 % of L', () => {
    // L = 4: 50 % = the 2nd adopter (b, 7th); 80 % needs ⌈3.2⌉ = 4 adopters: d on the 19th.
    expect(reachedDays(people, inCohort, 4, '2025-01-31')).toEqual({
      rate_50: '2025-01-07',
      rate_80: '2025-01-19',
    })
    // As of the 15th only a, b, c: 80 % not reached.
    expect(reachedDays(people, inCohort, 4, '2025-01-15')).toEqual({ rate_50: '2025-01-07', rate_80: null })
  })
})

describe('hiresByMonth', () => {
  it('counts hires by month of hire with their median days to adopt', () => {
    const staff = [
      person('a', '2025-01-01'),
      person('h1', '2025-03-10', { hired_at: '2025-03-03' }), // 7 days
      person('h2', '2025-03-05', { hired_at: '2025-03-04' }), // 1 day
      person('h3', null, { hired_at: '2025-03-20' }), // not adopted
      person('h4', '2025-04-02', { hired_at: '2025-04-01', left_at: '2025-05-01' }), // 1 day, left
    ]
    const s = segmentation(staff, launch, 'roster')
    expect(hiresByMonth(staff, s, '2025-05-31')).toEqual([
      // March: 3 hires, 2 adopters, median of 1 and 7 = 4.
      { month: '2025-03-01', hires: 3, adopters: 2, median_days_to_adopt: 4 },
      { month: '2025-04-01', hires: 1, adopters: 1, median_days_to_adopt: 1 },
    ])
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
      500,
      { rate_50: '2025-04-01', rate_80: null },
      {
        resamples: 200,
        fitted: 199,
        intervals: { rate_50: { low: 12, high: 14 }, rate_80: { low: null, high: null } },
      },
    )
    expect(answer).toEqual({
      p: 0.01,
      q: 0.3,
      m: 0.8,
      r2: 0.9877,
      peak_week: 10.97,
      forecast: {
        rate_50: '2025-04-05',
        rate_80: null,
        // 12 weeks = 84 days after 6 January = 31 March; 14 weeks = 98 days = 14 April.
        rate_50_low: '2025-03-31',
        rate_50_high: '2025-04-14',
        rate_80_low: null,
        rate_80_high: null,
        why_not_50: null,
        why_not_80: 'the fitted ceiling m = 80 % of the launch cohort is not above 80 %',
      },
      reached: { rate_50: '2025-04-01', rate_80: null },
      resamples: 199,
      cohort: 500,
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
      100,
    )
    expect(answer.forecast).toMatchObject({ rate_50: null, rate_80: null })
  })

  it('gives nulls and the reason when there is no fit', () => {
    expect(bassAnswer({ ok: false, reason: 'the fit did not converge' }, '2025-01-06', 9, 100)).toMatchObject(
      {
        p: null,
        q: null,
        m: null,
        r2: null,
        peak_week: null,
        forecast: { rate_50: null, rate_80: null, why_not_80: 'the fit did not converge' },
        reason: 'the fit did not converge',
      },
    )
  })
})
