// Answer of GET /v1/orgs/:org/metrics/participation.
import { z } from 'zod'
import { tierNames, workforceSources } from '../vocabulary.ts'

const date = z.string().describe('YYYY-MM-DD')

const tier = z.object({
  tier: z
    .enum(tierNames)
    .describe(
      'creators: ≥ 1 create; contributors: ≥ 1 contribute, no create; reactors: only reactions and ' +
        'views, at least one reaction; lurkers: only views; inactive: workforce members with nothing ' +
        '(by=space: see the group)',
    ),
  people: z.number().describe('people in the tier, every active actor counted (also outside the workforce)'),
  share_of_active: z.number().nullable().describe('people ÷ active people; null for inactive'),
  reference: z
    .number()
    .nullable()
    .describe(
      'the 90-9-1 share of active people; null for reactors (the rule has no such tier: its 90 % ' +
        'who do not contribute are reactors and lurkers together) and inactive',
    ),
  workforce_members: z.number().describe('of them, workforce members as of the window’s last day'),
  share_of_workforce: z
    .number()
    .nullable()
    .describe('workforce_members ÷ workforce: the five shares split the workforce; null when it is 0'),
})

const month = z.object({
  month: date.describe('the month, labelled by its first day'),
  window_from: date.describe('the first day counted (inclusive): the month’s first day inside the range'),
  window_to: date.describe('the day after the last one counted (exclusive)'),
  partial: z.boolean().describe('the range cuts the month: only its days inside the range are counted'),
  workforce: z.number().describe('workforce as of the month’s last day inside the range'),
  active: z.number().describe('people with at least one view-or-above event in the month'),
  unknown_actors: z.number().describe('active people not on the roster'),
  tiers: z.array(tier).describe('the five tiers with the window = the month'),
})

const group = z.object({
  group: z.string().describe("department, site ('' for people not on the roster) or space"),
  suppressed: z
    .boolean()
    .describe('withheld: fewer than min_group_size people, or the second smallest beside one that is'),
  workforce: z
    .number()
    .nullable()
    .describe(
      "the group's workforce as of the window's last day; by=space: the workforce members who ever " +
        'acted in the space before the window’s end; null when withheld',
    ),
  active: z.number().nullable().describe("the group's active people in the window; null when withheld"),
  tiers: z
    .array(tier)
    .nullable()
    .describe(
      'the five tiers inside the group (by=space: on the events of the space; inactive = its ' +
        'workforce members, as above, with no event there in the window); null when withheld',
    ),
})

export const participationResponse = z.object({
  workforce_source: z
    .enum(workforceSources)
    .describe('the roster, or (without one) the distinct actors seen up to each day'),
  window: z.number().describe('days of the window: 28 (default) or 90'),
  window_from: date.describe('first day of the window (inclusive): window_to − window days'),
  window_to: date.describe('the range end `to` (exclusive): the window is its last `window` days'),
  workforce: z.number().describe('workforce as of the window’s last day'),
  active: z.number().describe('people with at least one view-or-above event in the window'),
  unknown_actors: z
    .number()
    .describe('active people not on the roster (in the tiers, never in the workforce)'),
  tiers: z.array(tier).describe('creators, contributors, reactors, lurkers, inactive, over the window'),
  reference: z
    .object({
      lurkers: z.number().describe('0.9'),
      contributors: z.number().describe('0.09'),
      creators: z.number().describe('0.01'),
    })
    .describe('the 90-9-1 rule as shares of the active people'),
  monthly: z
    .array(month)
    .describe('per month of the range, the tiers with the window = the month (clipped to the range)'),
  groups: z
    .array(group)
    .optional()
    .describe(
      'with by=department|site|space: the same tiers over the window inside each group (active ' +
        'leavers in their department or site)',
    ),
})
export type Participation = z.infer<typeof participationResponse>
export type TierRow = z.infer<typeof tier>
export type ParticipationMonth = z.infer<typeof month>
