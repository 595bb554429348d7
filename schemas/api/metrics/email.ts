// Answer of GET /v1/orgs/:org/metrics/email.
import { z } from 'zod'

const point = {
  period: z.string().describe('first day of the period'),
  emails: z.number().describe('emails sent in the period (sum of email.sent counts)'),
  workforce: z.number().describe('workforce at the last day of the period'),
  emails_per_person: z.number().nullable().describe('emails ÷ workforce; null when the workforce is 0'),
  engaged: z.number().describe('workforce members engaged (react or above) in the period'),
  engaged_rate: z.number().nullable().describe('engaged ÷ workforce; null when the workforce is 0'),
}
const emailPoint = z.object(point)
export type EmailPoint = z.infer<typeof emailPoint>

const correlation = z
  .number()
  .nullable()
  .describe(
    'Pearson correlation of emails_per_person and engaged_rate; null under 3 periods or without variance',
  )

const withheldText =
  'withheld: its people (largest workforce or number of senders of a period) are fewer than ' +
  'min_group_size, or it is the second smallest beside one that is'

export const emailResponse = z.object({
  series: z.array(emailPoint).describe('one row per period of the range (interval, default week)'),
  correlation,
  by: z.enum(['department', 'site']).nullable().describe('the breakdown applied, if any'),
  groups: z
    .array(
      z.object({
        group: z.string().describe('"" = not on the roster, or no value'),
        suppressed: z.boolean().describe(withheldText),
        ...point,
        emails: point.emails.nullable(),
        workforce: point.workforce.nullable(),
        engaged: point.engaged.nullable(),
      }),
    )
    .describe('with `by`: the same rows per group and period (null figures when withheld); empty otherwise'),
  group_correlations: z
    .array(
      z.object({
        group: z.string().describe('the breakdown group'),
        suppressed: z.boolean().describe(withheldText),
        correlation,
      }),
    )
    .describe('with `by`: the correlation within each group'),
})
export type Email = z.infer<typeof emailResponse>
