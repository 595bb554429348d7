// Answer of GET /v1/orgs/:org/metrics/communities.
import { z } from 'zod'
import { managerShareMonth } from './community-managers.ts'

const space = z.object({
  space: z
    .string()
    .nullable()
    .describe('the space (group, community); null: the row of content and questions outside any space'),
  suppressed: z
    .boolean()
    .describe(
      'withheld for roles other than admin and community_manager: fewer than min_group_size people ever acted in it, or it is the smallest beside a lone one that did; its figures are null',
    ),
  members: z
    .number()
    .nullable()
    .describe(
      'members at the end of the range: joined or created content there, and did not leave since (null outside any space)',
    ),
  active_members: z
    .number()
    .nullable()
    .describe('people active (view or above) in the space in the range (null outside any space)'),
  contributors: z
    .number()
    .nullable()
    .describe('people with a contribute- or create-level event in the space in the range'),
  posts: z.number().nullable().describe('create-level events in the range'),
  replies: z
    .number()
    .nullable()
    .describe('comment.created and answer.created events with a parent, in the range'),
  questions: z.number().nullable().describe('questions asked in the range'),
  due: z
    .number()
    .nullable()
    .describe('questions of the range for which one business day had passed before the range end'),
  answered_1bd: z
    .number()
    .nullable()
    .describe(
      'share of the due questions first answered or commented by someone other than the asker within one business day; null without due questions',
    ),
  median_first_reply_business_minutes: z
    .number()
    .nullable()
    .describe(
      'median business minutes (working hours of working days) from question to that first reply, over the questions of the range that got one by the range end',
    ),
  unanswered: z
    .number()
    .nullable()
    .describe('due questions with no reply by another person by the range end'),
  pending: z.number().nullable().describe('questions of the range not yet due at the range end'),
  active_365d: z
    .number()
    .nullable()
    .describe('members active (view or above) in the space in the last 365 days up to the range end'),
  contributors_28d: z.number().nullable().describe('contributors in the last 28 days of the range'),
  contributors_prev_28d: z.number().nullable().describe('contributors in the 28 days before those'),
  breadth: z.number().nullable().describe('contributors_28d ÷ active_365d, at most 1'),
  responsiveness: z
    .number()
    .nullable()
    .describe(
      "share of the last 90 days' posts and questions replied to by someone else by the range end; null without any",
    ),
  momentum: z
    .number()
    .nullable()
    .describe(
      'contributors_28d ÷ contributors_prev_28d, at most 1 (1 when only the last 28 days have some, 0 when neither)',
    ),
  health: z
    .number()
    .nullable()
    .describe(
      'Community Health Index, 0–100: 100 × mean of breadth, responsiveness (0 when null) and momentum; null with a reason',
    ),
  health_reason: z
    .string()
    .nullable()
    .describe(
      "why health is null: 'too small to score' (fewer than 5 members active in 365 days), 'outside any space'",
    ),
  dormant: z
    .boolean()
    .nullable()
    .describe('no contribute- or create-level event in the last 28 days (views do not keep a space alive)'),
})
export type Space = z.infer<typeof space>

export const communitiesResponse = z.object({
  spaces: z
    .array(space)
    .describe(
      'one row per space, by active members (most first), then by name; the row outside any space last',
    ),
  communities: z.number().describe('number of spaces (not counting the row outside any space)'),
  dormant: z.number().describe('number of dormant spaces'),
  managers: z
    .object({
      managers: z.number().describe('people flagged community_manager on the current roster'),
      overall: z
        .array(managerShareMonth)
        .nullable()
        .describe('their monthly share of contributions and replies, org-wide; null when withheld'),
      withheld: z
        .string()
        .nullable()
        .describe(
          'why the curve is withheld: fewer managers than min_group_size, for roles other than admin and community_manager',
        ),
    })
    .describe("the community managers' hand-over curve: is the community taking over from them?"),
})
export type Communities = z.infer<typeof communitiesResponse>
