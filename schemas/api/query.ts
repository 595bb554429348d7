// The query of the metric routes: the common parameters, and each metric's own query (the
// parameters of its OpenAPI operation) made from its catalogue entry.
import { z } from 'zod'
import { features } from '../event-catalogue.ts'
import { breakdowns, filterNames, intervals, type MetricQueryShape } from './catalogue.ts'

/**
 * A calendar date, YYYY-MM-DD: the schema's own pattern admits real dates only (no 2025-02-30,
 * leap days where they exist), so that the OpenAPI document says exactly what is accepted.
 */
const isoDate = z.iso.date({ error: 'must be a real date YYYY-MM-DD' })

const text = z.string().min(1).max(256)

export const metricQuerySchema = z.strictObject({
  from: isoDate
    .optional()
    .describe('first day, inclusive (default: one year before `to`); before `to`, at most ten years apart'),
  to: isoDate.optional().describe('last day, exclusive (default: tomorrow in the org time zone)'),
  interval: z.enum(intervals).default('week'),
  by: z.enum(breakdowns).optional().describe('breakdown, where the metric offers it'),
  feature: z.enum(features).optional(),
  department: text.optional(),
  site: text.optional(),
  space: text.optional(),
  table: z
    .string()
    .regex(/^[a-z_]+$/)
    .optional()
    .describe('which table of the answer to send as CSV or Arrow (default: the first)'),
})
export type MetricQueryParams = z.infer<typeof metricQuerySchema>

/**
 * The query of one metric, so that its OpenAPI parameters are what it accepts: `by` lists its
 * breakdowns only (absent when it has none), only the filters it honours are parameters, and
 * `interval` and `feature` list the values it takes.
 */
export function metricQuerySchemaFor(metric: MetricQueryShape) {
  const unhonoured = Object.fromEntries(
    filterNames.filter((name) => !metric.filters.includes(name)).map((name) => [name, true] as const),
  ) as Partial<Record<(typeof filterNames)[number], true>>
  let schema = metricQuerySchema.omit(unhonoured)
  const [firstInterval, ...otherIntervals] = metric.intervals ?? []
  if (firstInterval !== undefined) {
    schema = schema.extend({
      interval: z.enum([firstInterval, ...otherIntervals]).default(firstInterval),
    }) as unknown as typeof schema
  }
  const [firstFeature, ...otherFeatures] = metric.featureValues ?? []
  if (firstFeature !== undefined && !unhonoured.feature) {
    schema = schema.extend({
      feature: z.enum([firstFeature, ...otherFeatures]).optional(),
    }) as unknown as typeof schema
  }
  const [firstMeasure, ...otherMeasures] = metric.measures ?? []
  if (firstMeasure !== undefined) {
    schema = schema.extend({
      measure: z
        .enum([firstMeasure, ...otherMeasures])
        .default(firstMeasure)
        .describe('what retains a cohort member in a period'),
    }) as unknown as typeof schema
  }
  const [firstWindow, ...otherWindows] = metric.windows ?? []
  if (firstWindow !== undefined) {
    schema = schema.extend({
      window: z
        .enum([firstWindow, ...otherWindows])
        .default(firstWindow)
        .describe('days of the window ending at `to` (exclusive) over which the figures are counted'),
    }) as unknown as typeof schema
  }
  const [first, ...rest] = metric.breakdowns
  if (first === undefined) return schema.omit({ by: true })
  return schema.extend({
    by: z
      .enum([first, ...rest])
      .optional()
      .describe('breakdown of the answer'),
  })
}
