// Answer of GET /v1/orgs/:org/metrics/summary.
import { z } from 'zod'
import { workforceSources } from '../vocabulary.ts'

export const summaryResponse = z.object({
  as_of: z.string().describe('the last day of the range'),
  workforce: z.number().describe('workforce on that day'),
  workforce_source: z.enum(workforceSources).describe('roster, or (without one) the actors seen so far'),
  adopters: z.number().describe('workforce members whose first engaged event is on or before that day'),
  adoption_rate: z.number().nullable().describe('adopters ÷ workforce'),
  dau: z
    .number()
    .nullable()
    .describe(
      'mean daily active people over the working days of the last complete ISO week of the range (2 decimals); null without one',
    ),
  dau_week: z.string().nullable().describe('the Monday of that week; null without one'),
  wau: z.number().nullable().describe('active people in that week (as of its Sunday); null without one'),
  mau: z.number().describe('active people in the 28 days ending on mau_as_of'),
  mau_as_of: z
    .string()
    .describe(
      "the range's last complete day: its last day, or yesterday in the org's zone when the range runs to today",
    ),
  stickiness: z.number().nullable().describe('mean working-day DAU of the last 28 days ÷ MAU'),
  implication_index: z.number().nullable().describe('Implication Index, 0–100 (see roi)'),
  events: z.number().describe('events stored in the range, of every type, each counted once'),
  active_people: z.number().describe('people active (view or above) in the range, on the roster or not'),
  unknown_actors: z
    .number()
    .nullable()
    .describe('active people of the range missing from the roster; null without a roster'),
  communities: z.number().describe('spaces with any event up to the range end'),
  dormant_communities: z.number().describe('those with no active person in the last 28 days'),
})
export type Summary = z.infer<typeof summaryResponse>
