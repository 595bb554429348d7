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

export const adoptionResponse = z.object({
  org: z.string().describe('the org'),
  workforce_source: z
    .enum(workforceSources)
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
export type Adoption = z.infer<typeof adoptionResponse>
export type CurvePoint = z.infer<typeof curvePoint>
export type BassAnswer = z.infer<typeof bass>
