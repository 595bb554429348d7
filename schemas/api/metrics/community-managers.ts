// The community managers' share (METRICS.md "Communities (spaces)", "Community managers"): per
// local month of the range, overall and per space, the contributions and replies and how many of
// them the roster's community managers made. A piece of the communities answer.
import { z } from 'zod'

export const managerShareMonth = z.object({
  month: z
    .string()
    .regex(/^\d{4}-\d{2}-01$/)
    .describe('first day of the local month (YYYY-MM-01); the range may cut the first and last month'),
  contributions: z
    .number()
    .int()
    .nonnegative()
    .describe('contribute- and create-level events of the month, in the range'),
  manager_contributions: z
    .number()
    .int()
    .nonnegative()
    .describe('of them, by people flagged community_manager on the current roster'),
  manager_contribution_share: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .describe('manager_contributions ÷ contributions, 4 decimals; null without contributions'),
  replies: z
    .number()
    .int()
    .nonnegative()
    .describe('comment.created and answer.created events with a parent, of the month, in the range'),
  manager_replies: z.number().int().nonnegative().describe('of them, by community managers'),
  manager_reply_share: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .describe('manager_replies ÷ replies, 4 decimals; null without replies'),
})
export type ManagerShareMonth = z.infer<typeof managerShareMonth>

export const managerShareSpace = z.object({
  space: z
    .string()
    .nullable()
    .describe('the space; null: the row of contributions and replies outside any space'),
  months: z.array(managerShareMonth).describe('every month of the range, in order'),
})
export type ManagerShareSpace = z.infer<typeof managerShareSpace>

export const communityManagersShare = z.object({
  managers: z
    .number()
    .int()
    .nonnegative()
    .describe('people flagged community_manager on the current roster (0: the shares are all 0 or null)'),
  overall: z
    .array(managerShareMonth)
    .describe('every month of the range, all contributions and replies (in a space or not)'),
  spaces: z
    .array(managerShareSpace)
    .describe(
      'spaces with a contribution or a reply in the range (and the row outside any space, if it has one), most contributions first',
    ),
})
export type CommunityManagersShare = z.infer<typeof communityManagersShare>
