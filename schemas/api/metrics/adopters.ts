// Answer of GET /v1/orgs/:org/metrics/adopters.
import { z } from 'zod'
import { segmentNames, workforceSources } from '../vocabulary.ts'

const person = z.object({
  person: z.string().describe('a stable pseudonym, or the id when named lists are on for the caller'),
  segment: z.enum(segmentNames).describe('Rogers segment as of the range end'),
  adopted_at: z
    .string()
    .nullable()
    .describe('time of the first engaged event, RFC 3339 UTC; null for non-adopters as of the range end'),
  department: z.string().describe("from the roster ('' when none)"),
  site: z.string().describe("from the roster ('' when none)"),
})

export const adoptersResponse = z.object({
  workforce_source: z
    .enum(workforceSources)
    .describe('the roster, or (without one) the distinct actors seen up to each day'),
  people: z
    .array(person)
    .describe('workforce members as of the range end: adopters by (adoption time, id), then non-adopters'),
  total: z.number().describe('number of people listed (the workforce as of the range end)'),
})
export type Adopters = z.infer<typeof adoptersResponse>
