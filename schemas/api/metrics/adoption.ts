// Answer of GET /v1/orgs/:org/metrics/adoption.
import { z } from 'zod'
import { segmentNames, workforceSources } from '../vocabulary.ts'

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
  launch_cohort_rate: z
    .number()
    .nullable()
    .describe('adopters ÷ members of the launch cohort still in the workforce, as of the period'),
  partial: z.boolean().describe('the range cuts the period: it is not a whole day, week or month'),
})

const segmentCount = z.object({
  segment: z
    .enum(segmentNames)
    .describe(
      'Rogers segment: launch cohort by rank r / L (adoption time, id); hires by time to adopt against the bands of the launch cohort',
    ),
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
        rate_50_low: z.string().nullable().describe('80 % interval of rate_50, low end (10th percentile)'),
        rate_50_high: z
          .string()
          .nullable()
          .describe('80 % interval of rate_50, high end (90th percentile); null: not reached in that tail'),
        rate_80_low: z.string().nullable().describe('80 % interval of rate_80, low end'),
        rate_80_high: z.string().nullable().describe('80 % interval of rate_80, high end; null: not reached'),
        why_not_50: z.string().nullable().describe('why rate_50 is null; null when it is given'),
        why_not_80: z.string().nullable().describe('why rate_80 is null; null when it is given'),
      })
      .describe(
        'days (YYYY-MM-DD) holding the instant m·F(t) crosses the share of the launch cohort, t counted from `start`; ' +
          'intervals from a seeded parametric bootstrap (Poisson noise on the weekly counts)',
      ),
    reached: z
      .object({
        rate_50: z.string().nullable().describe('day the launch cohort actually reached 50 % (adopters ÷ L)'),
        rate_80: z.string().nullable().describe('day the launch cohort actually reached 80 %'),
      })
      .describe('observed, not fitted: null while not reached'),
    resamples: z.number().describe('bootstrap resamples whose refit converged (of 200); 0 without a fit'),
    cohort: z.number().describe('L: the launch cohort the fit is on (leavers included)'),
    reason: z
      .string()
      .nullable()
      .describe('why there is no fit (then every number is null); null when fitted'),
    start: z.string().nullable().describe('week 0: the launch day; null before any launch'),
    weeks: z.number().describe('complete weeks fitted, from `start` to the range end'),
  })
  .describe(
    'Bass diffusion fit on the weekly new adopters of the launch cohort (hires are not in it), ' +
      'from the launch to the range end (not only the range)',
  )

const launch = z
  .object({
    day: z.string().nullable().describe('the launch day, YYYY-MM-DD; null before any engaged event'),
    source: z
      .enum(['setting', 'first_engaged_event'])
      .nullable()
      .describe("the org setting launched_at, or the day of the org's first engaged event"),
  })
  .describe('the launch: eligibility starts at the later of this day and the hire day')

const launchCohort = z
  .object({
    size: z.number().describe('L: the workforce on the launch day (people who left later stay in it)'),
    workforce: z.number().describe('launch-cohort members still in the workforce at the range end'),
    adopters: z.number().describe('of them, those who adopted by the range end'),
    rate,
  })
  .describe('the launch cohort: the workforce on the launch day')

const hires = z
  .object({
    workforce: z.number().describe('people hired after the launch, in the workforce at the range end'),
    adopters: z.number().describe('of them, those who adopted by the range end'),
    rate,
    median_days_to_adopt: z
      .number()
      .nullable()
      .describe('median days from hire to adoption among those adopters; null when none'),
  })
  .describe('the hires: eligible after the launch day')

const hireMonth = z.object({
  month: z.string().describe('first day of the month of hire, YYYY-MM-DD'),
  hires: z.number().describe('people hired that month (leavers included)'),
  adopters: z.number().describe('of them, those who adopted by the range end'),
  median_days_to_adopt: z.number().nullable().describe('their median days from hire to adoption'),
})

const group = z.object({
  group: z.string().describe("department or site ('' for people without one)"),
  suppressed: z
    .boolean()
    .describe('withheld: fewer than min_group_size people, or the second smallest beside one that is'),
  workforce: z.number().nullable().describe("the group's workforce as of the range end; null when withheld"),
  adopters: z.number().nullable().describe("the group's adopters as of the range end; null when withheld"),
  rate,
  launch_cohort_rate: z.number().nullable().describe("the group's launch cohort rate; null when withheld"),
  hires_rate: z.number().nullable().describe("the group's hires rate; null when withheld or no hire"),
  segments: z
    .array(segmentCount)
    .nullable()
    .describe('Rogers segments inside the group (its own launch cohort and thresholds); null when withheld'),
  curve: z.array(curvePoint).nullable().describe("the group's adoption curve; null when withheld"),
})

export const adoptionResponse = z.object({
  org: z.string().describe('the org'),
  workforce_source: z
    .enum(workforceSources)
    .describe('the roster, or (without one) the distinct actors seen up to each day'),
  launch,
  workforce: z.number().describe('workforce as of the range end (to − 1 day)'),
  adopters: z.number().describe('workforce members as of the range end who adopted on or before it'),
  rate,
  launch_cohort: launchCohort,
  hires,
  unknown_actors: z
    .number()
    .describe('actors active in the range who are not on the roster (never adopters); 0 without roster'),
  curve: z.array(curvePoint).describe('one point per period of the range'),
  segments: z.array(segmentCount).describe('the six Rogers segments as of the range end, in this order'),
  bass,
  hires_by_month: z.array(hireMonth).describe('per month of hire after the launch: how fast hires adopt'),
  groups: z
    .array(group)
    .optional()
    .describe('with by=department|site: the same figures inside each group with a member at the range end'),
})
export type Adoption = z.infer<typeof adoptionResponse>
export type CurvePoint = z.infer<typeof curvePoint>
export type BassAnswer = z.infer<typeof bass>
