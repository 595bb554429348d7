// Answer of GET /v1/orgs/:org/metrics/active-users.
import { z } from 'zod'

export const activeUsersResponse = z.object({
  series: z
    .array(z.object({ date: z.string(), dau: z.number(), wau: z.number(), mau: z.number() }))
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
})
export type ActiveUsers = z.infer<typeof activeUsersResponse>
