// Answer of GET /v1/orgs/:org/metrics/roi: the Implication Index and the financial return, with
// every assumption used.
import { z } from 'zod'
import { indexComponents, workforceSources } from '../vocabulary.ts'

const component = z.object({
  component: z
    .enum(indexComponents)
    .describe('adoption, depth, stickiness, reach or responsiveness (see the metric description)'),
  ratio: z.number().nullable().describe('the ratio in [0, 1]; null when it cannot be computed'),
  weight: z.number().describe('the weight set for the org'),
  effective_weight: z
    .number()
    .describe('its share of the index after leaving out the null ratios (0 when left out)'),
})

const implicationIndexSchema = z.object({
  value: z.number().nullable().describe('Implication Index, 0–100; null when no weighted ratio is known'),
  components: z.array(component).describe('the five ratios, in a fixed order'),
  reason: z.string().nullable().describe('why value is null, when it is'),
})
export type ImplicationIndex = z.infer<typeof implicationIndexSchema>

const month = z.object({
  month: z.string().describe('first day of the month'),
  days: z.number().describe('days of the month inside the range'),
  months: z.number().describe('days ÷ length of the month: the share of a month paid for'),
  workforce: z.number().describe('workforce at its last day inside the range'),
  events: z.number().describe('events stored in it (all types, exact)'),
  react: z.number().describe('react-level actions (sum of count)'),
  contribute: z.number().describe('contribute-level actions'),
  create: z.number().describe('create-level actions'),
  events_value: z.number().describe('(react × min + contribute × min + create × min) × hourly cost ÷ 60'),
  emails: z.number().describe('emails sent (sum of email.sent counts)'),
  email_days: z
    .number()
    .describe('days covered by the email feed (its first to its last day), on which emails can be avoided'),
  emails_avoided: z.number().describe('baseline × workforce × email_days ÷ 7 − emails'),
  emails_value: z.number().describe('emails_avoided × minutes per email × hourly cost ÷ 60'),
  value: z.number().describe('events_value + emails_value'),
  licence_cost: z.number().describe('licence per seat per month × workforce × months'),
  community_cost: z.number().describe('community management per month × months'),
  cost: z.number().describe('licence_cost + community_cost'),
  cumulative_value: z.number().nullable().describe('from the first month with data; null before it'),
  cumulative_cost: z.number().nullable().describe('from the first month with data; null before it'),
})
export type RoiMonth = z.infer<typeof month>

const assumptions = z.object({
  currency: z.string().describe('currency of every amount'),
  hourly_cost: z.number().describe('fully loaded cost of an hour of work'),
  minutes_saved: z
    .object({ react: z.number(), contribute: z.number(), create: z.number() })
    .describe('minutes saved per engaged action, by level'),
  minutes_per_email: z.number().describe('minutes spent per email written and read'),
  baseline_emails_per_week: z
    .number()
    .nullable()
    .describe('emails per person per week before the platform; null without a setting or email data'),
  baseline_source: z
    .enum(['setting', 'first_28_days', 'none'])
    .describe('where the baseline comes from: the org setting, the first 28 days of email data, or none'),
  email_data_from: z.string().nullable().describe('first day of email data, if any'),
  email_data_to: z.string().nullable().describe('last day of email data up to the range end, if any'),
  licence_per_seat_month: z.number().describe('licence cost per workforce member per month'),
  community_management_month: z.number().describe('community management cost per month'),
  index_weights: z
    .object({
      adoption: z.number(),
      depth: z.number(),
      stickiness: z.number(),
      reach: z.number(),
      responsiveness: z.number(),
    })
    .describe('the Implication Index weights of the org'),
  workforce: z.number().describe('workforce as of the range end'),
  workforce_source: z.enum(workforceSources).describe('roster, or (without one) the actors seen so far'),
  weeks: z.number().describe('days of the range ÷ 7'),
  months: z.number().describe('sum of the month shares'),
})

export const roiResponse = z.object({
  implication_index: implicationIndexSchema.describe('the Implication Index and its components'),
  financial: z
    .object({
      currency: z.string().describe('currency of every amount'),
      value: z.number().describe('events_value + emails_value'),
      events_value: z.number().describe('engaged actions × minutes saved × hourly cost ÷ 60'),
      emails_value: z.number().describe('emails avoided × minutes per email × hourly cost ÷ 60'),
      emails_avoided: z.number().describe('emails avoided over the range (negative when more were sent)'),
      cost: z.number().describe('licence_cost + community_cost'),
      licence_cost: z.number().describe('licence per seat per month × workforce × months'),
      community_cost: z.number().describe('community management per month × months'),
      roi: z.number().nullable().describe('(value − cost) ÷ cost; null when cost is 0'),
      payback_month: z
        .string()
        .nullable()
        .describe('first month where cumulative value ≥ cumulative cost, from the first month with data'),
    })
    .describe('the financial return over the range: sums of the monthly account'),
  months: z.array(month).describe('the month-by-month account the totals add up'),
  assumptions: assumptions.describe('every assumption used, beside the figures'),
})
export type Roi = z.infer<typeof roiResponse>
