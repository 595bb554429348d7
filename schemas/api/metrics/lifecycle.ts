// Answer of GET /v1/orgs/:org/metrics/lifecycle.
import { z } from 'zod'
import { breakdowns } from '../catalogue.ts'

const lifecycleRow = z.object({
  period: z.string().describe('first day of the period, YYYY-MM-DD'),
  group: z
    .string()
    .optional()
    .describe('the breakdown group, only with `by` ("" = not on the roster, or no space)'),
  suppressed: z
    .boolean()
    .optional()
    .describe(
      'only with `by`: the group is withheld (fewer people than min_group_size, or the second smallest ' +
        'beside one that is); its counts are null',
    ),
  new: z.number().nullable().describe('active in the period for the first time ever'),
  returning: z.number().nullable().describe('active in the period and in the previous one'),
  resurrecting: z
    .number()
    .nullable()
    .describe('active in the period, not in the previous one, active before'),
  dormant: z
    .number()
    .nullable()
    .describe(
      'active in the previous period, not in this one, still in the workforce on its last day: a negative count (or 0)',
    ),
  left: z
    .number()
    .nullable()
    .describe(
      'active in the previous period, not in this one, and out of the workforce on its last day (left): a negative count (or 0), apart from dormant',
    ),
  active: z.number().nullable().describe('active in the period: new + returning + resurrecting'),
})
export type LifecycleRow = z.infer<typeof lifecycleRow>

export const lifecycleResponse = z.object({
  by: z.enum(breakdowns).nullable().describe('the breakdown applied, if any'),
  series: z
    .array(lifecycleRow)
    .describe('one row per period of the range (per group and period with `by`), in period order'),
})
export type Lifecycle = z.infer<typeof lifecycleResponse>
