// Answer of GET /v1/orgs/:org/metrics/communities.
import { z } from 'zod'

const space = z.object({
  space: z.string().describe('the space (group, community)'),
  suppressed: z
    .boolean()
    .describe(
      'withheld for roles other than admin and community_manager: fewer than min_group_size people ever acted in it, or it is the smallest beside a lone one that did; its figures are null',
    ),
  members: z
    .number()
    .nullable()
    .describe('members at the end of the range: joined or created content there, and did not leave since'),
  active_members: z.number().nullable().describe('people active (view or above) in the space in the range'),
  posts: z.number().nullable().describe('create-level events in the range'),
  replies: z
    .number()
    .nullable()
    .describe('comment.created and answer.created events with a parent, in the range'),
  questions: z.number().nullable().describe('questions asked in the range'),
  answered_24h: z
    .number()
    .nullable()
    .describe(
      'share of those questions first answered or commented by someone other than the asker within 24 h',
    ),
  median_first_reply_minutes: z
    .number()
    .nullable()
    .describe('median minutes from question to that first reply, over the questions that got one'),
  unanswered: z
    .number()
    .nullable()
    .describe('questions of the range with no reply by another person (up to the range end)'),
  active_28d: z.number().nullable().describe('people active in the space in the last 28 days of the range'),
  active_365d: z
    .number()
    .nullable()
    .describe('people active in the space in the last 365 days up to the range end'),
  health_index: z.number().nullable().describe('Community Health Index = active_28d ÷ active_365d'),
  dormant: z.boolean().nullable().describe('no active person in the last 28 days'),
})
export type Space = z.infer<typeof space>

export const communitiesResponse = z.object({
  spaces: z.array(space).describe('one row per space, by active members (most first), then by name'),
  communities: z.number().describe('number of spaces'),
  dormant: z.number().describe('number of dormant spaces'),
})
export type Communities = z.infer<typeof communitiesResponse>
