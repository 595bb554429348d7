// Answer of GET /v1/orgs/:org/metrics/adopters.
import { z } from 'zod'
import { segmentNames, workforceSources } from '../vocabulary.ts'

/**
 * Whether an answer holds its per-person list (METRICS.md "Privacy rules that change numbers"):
 * person-level lists go to admin, and to community managers when the org turned named lists on;
 * every other reader gets the counts only.
 */
export const personListStates = ['shown', 'withheld_for_role'] as const
export type PersonListState = (typeof personListStates)[number]
export const personListSchema = z
  .enum(personListStates)
  .describe(
    "'shown': the per-person list is in the answer; 'withheld_for_role': per-person lists go to admin, " +
      'and to community managers when the org turned named lists on (setting ' +
      '`named_lists_for_community_managers`), never to exec or hr: the list is null and the counts remain',
  )

const person = z.object({
  person: z
    .string()
    .describe(
      'the person id: the list goes only to roles that see names (admin, community managers with named lists)',
    ),
  segment: z.enum(segmentNames).describe('Rogers segment as of the range end'),
  adopted_on: z
    .string()
    .nullable()
    .describe(
      "day of the first engaged event, YYYY-MM-DD in the org's time zone (a day, never an instant); null for non-adopters as of the range end",
    ),
  cohort: z.enum(['launch', 'hire']).describe('the launch cohort (workforce on the launch day) or a hire'),
  days_to_adopt: z
    .number()
    .nullable()
    .describe('days from eligibility (the later of launch and hire) to adoption; null for non-adopters'),
  department: z.string().describe("from the roster ('' when none)"),
  site: z.string().describe("from the roster ('' when none)"),
})

const segmentCount = z.object({
  segment: z.enum(segmentNames),
  people: z.number().describe('workforce members in the segment as of the range end'),
})

export const adoptersResponse = z.object({
  workforce_source: z
    .enum(workforceSources)
    .describe('the roster, or (without one) the distinct actors seen up to each day'),
  person_list: personListSchema,
  people: z
    .array(person)
    .nullable()
    .describe(
      'workforce members as of the range end: adopters by (adoption time, id), then non-adopters by id; null when `person_list` is withheld_for_role',
    ),
  segments: z.array(segmentCount).describe('people per segment, all six in segment order (for every role)'),
  total: z.number().describe('the workforce as of the range end (the people listed, when listed)'),
})
export type Adopters = z.infer<typeof adoptersResponse>
export type AdopterRow = NonNullable<Adopters['people']>[number]
