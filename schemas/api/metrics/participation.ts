// Answer of GET /v1/orgs/:org/metrics/participation.
import { z } from 'zod'
import { tierNames, workforceSources } from '../vocabulary.ts'

const tier = z.object({
  tier: z
    .enum(tierNames)
    .describe(
      'creators: ≥ 1 create; contributors: ≥ 1 contribute or react, no create; lurkers: only views; ' +
        'inactive: workforce members with nothing in the range',
    ),
  people: z.number().describe('people in the tier, every active actor counted (also outside the workforce)'),
  share_of_active: z.number().nullable().describe('people ÷ active people; null for inactive'),
  reference: z.number().nullable().describe('the 90-9-1 share of active people; null for inactive'),
  workforce_members: z.number().describe('of them, workforce members as of the range end'),
  share_of_workforce: z
    .number()
    .nullable()
    .describe('workforce_members ÷ workforce: the four shares split the workforce; null when it is 0'),
})

const group = z.object({
  group: z.string().describe("department or site ('' for people not on the roster)"),
  suppressed: z
    .boolean()
    .describe('withheld: fewer than min_group_size people, or the second smallest beside one that is'),
  workforce: z.number().nullable().describe("the group's workforce as of the range end; null when withheld"),
  active: z.number().nullable().describe("the group's active people in the range; null when withheld"),
  tiers: z.array(tier).nullable().describe('the four tiers inside the group; null when withheld'),
})

export const participationResponse = z.object({
  workforce_source: z
    .enum(workforceSources)
    .describe('the roster, or (without one) the distinct actors seen up to each day'),
  workforce: z.number().describe('workforce as of the range end'),
  active: z.number().describe('people with at least one view-or-above event in the range'),
  unknown_actors: z
    .number()
    .describe('active people not on the roster (in the tiers, never in the workforce)'),
  tiers: z.array(tier).describe('creators, contributors, lurkers, inactive'),
  reference: z
    .object({
      lurkers: z.number().describe('0.9'),
      contributors: z.number().describe('0.09'),
      creators: z.number().describe('0.01'),
    })
    .describe('the 90-9-1 rule as shares of the active people'),
  groups: z
    .array(group)
    .optional()
    .describe('with by=department|site: the same tiers inside each group (active leavers in their own)'),
})
export type Participation = z.infer<typeof participationResponse>
export type TierRow = z.infer<typeof tier>
