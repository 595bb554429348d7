// Answer of GET /v1/orgs/:org/metrics/active-users.
import { z } from 'zod'

const point = z.object({ date: z.string(), dau: z.number(), wau: z.number(), mau: z.number() })

export const activeUsersResponse = z.object({
  series: z
    .array(point)
    .describe(
      'per period: dau is the mean daily actives over its days (the day itself for interval=day); ' +
        'wau and mau are as of its last day',
    ),
  stickiness: z
    .number()
    .nullable()
    .describe('mean DAU over the working days of the last 28 days ÷ MAU at the end'),
  active_days_histogram: z
    .array(z.object({ days: z.number(), people: z.number() }))
    .describe('people by number of active days in the last 28 days of the range (within the range)'),
  groups: z
    .array(
      z.object({
        group: z.string().describe("the department or site on the latest roster ('' = not on the roster)"),
        suppressed: z.boolean().describe('withheld by the privacy rules: its figures are null'),
        series: z.array(point).nullable().describe("the group's series, as `series`"),
        stickiness: z.number().nullable().describe("the group's stickiness, as `stickiness`"),
      }),
    )
    .optional()
    .describe('only with `by=department|site`: the same figures per group'),
})
export type ActiveUsers = z.infer<typeof activeUsersResponse>
