// The answer of POST /v1/orgs/:org/imports/:source: what a history import read, kept and refused.
import { z } from 'zod'

export const importSummaryResponse = z.object({
  source: z.string(),
  org: z.string(),
  events: z.number(),
  eventsByType: z.record(z.string(), z.number()),
  people: z.number().describe('distinct actors of the accepted events'),
  spaces: z.number(),
  firstEvent: z.string().nullable(),
  lastEvent: z.string().nullable(),
  refused: z.number().describe('rows or events refused'),
  refusals: z
    .array(z.object({ file: z.string(), line: z.number(), reason: z.string() }))
    .describe('where the refused rows came from (the first 20)'),
  skipped: z.record(z.string(), z.number()).describe('left out on purpose, by reason'),
  duplicates: z.number().describe('the same id met more than once in the export (kept once)'),
  roster: z.number().nullable().describe("people in the export's roster, null when it has none"),
  dryRun: z.boolean(),
  destination: z.string(),
  timeZone: z.string().describe('the zone that times without one were read in'),
})
export type ImportSummaryAnswer = z.infer<typeof importSummaryResponse>
