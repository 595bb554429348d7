// What the engine child reports back to the benchmark (one `RESULT {json}` line on stdout).
import { z } from 'zod'

export const resultPrefix = 'RESULT '

export const rawResultSchema = z.object({
  rows: z.number(),
  batches: z.number(),
  insertSeconds: z.number(),
  eps: z.number(),
  storedFinal: z.number(),
  clickhouseVersion: z.string(),
})
export type RawResult = z.infer<typeof rawResultSchema>

export const queryTimingSchema = z.object({
  ms: z.number(),
  /** Median time over the plain variant of the same query shape. */
  vs_plain: z.number(),
  /** What the query answered: the count, or the sum of daily distinct actors over its days. */
  result: z.number(),
  rows: z.number(),
})
export type QueryTiming = z.infer<typeof queryTimingSchema>

export const dedupScenarioSchema = z.object({
  active_parts: z.number(),
  queries: z.record(z.string(), queryTimingSchema),
})
export type DedupScenario = z.infer<typeof dedupScenarioSchema>

export const dedupResultSchema = z.object({
  events: z.number(),
  unique: z.number(),
  duplicates: z.number(),
  runs: z.number(),
  insert_eps: z.number(),
  /** Originals merged into settled parts, duplicates in recent parts not merged yet (merges stopped). */
  pending: dedupScenarioSchema,
  /** The same table after OPTIMIZE FINAL: every duplicate collapsed. */
  merged: dedupScenarioSchema,
  clickhouseVersion: z.string(),
})
export type DedupResult = z.infer<typeof dedupResultSchema>
