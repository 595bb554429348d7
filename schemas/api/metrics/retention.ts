// Answer of GET /v1/orgs/:org/metrics/retention.
import { z } from 'zod'

const retentionPoint = z.object({
  k: z.number().describe('periods after the cohort period (0 = the adoption period itself)'),
  period: z.string().describe('first day of the cohort period + k'),
  retained: z.number().describe('cohort members engaged (react or above) in that period'),
  share: z.number().describe('retained ÷ cohort size'),
})

export const retentionResponse = z.object({
  interval: z.enum(['week', 'month']).describe('the cohort period'),
  cohorts: z
    .array(
      z.object({
        cohort: z.string().describe('first day of the adoption period, YYYY-MM-DD'),
        suppressed: z
          .boolean()
          .describe('withheld: fewer than min_group_size people, or the smallest beside a lone one that is'),
        size: z
          .number()
          .nullable()
          .describe(
            'workforce people whose adoption (first engaged event ever) fell in it; null when withheld',
          ),
        retention: z
          .array(retentionPoint)
          .nullable()
          .describe(
            'one point per period the cohort has fully lived through by the end of the range; null when withheld',
          ),
      }),
    )
    .describe('cohorts whose period starts inside the range, oldest first'),
})
export type Retention = z.infer<typeof retentionResponse>
