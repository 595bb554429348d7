// The HR report download, GET /v1/orgs/:org/exports/:report: which reports, in which formats,
// broken down by which dimension, and its query.
import { z } from 'zod'
import { metricQuerySchema } from './query.ts'

export const exportReports = ['engagement'] as const
export type ExportReport = (typeof exportReports)[number]

export const exportFormats = ['csv', 'xlsx', 'parquet', 'arrow', 'json'] as const
export type ExportFormat = (typeof exportFormats)[number]

/** What the engagement report breaks its groups down by. */
export const engagementDimensions = ['department', 'site'] as const
export type EngagementDimension = (typeof engagementDimensions)[number]

export const exportQuerySchema = z.strictObject({
  format: z.enum(exportFormats).default('csv'),
  from: metricQuerySchema.shape.from,
  to: metricQuerySchema.shape.to,
  by: z.enum(engagementDimensions).optional().describe('one dimension only (default: department and site)'),
  sep: z
    .enum(['comma', 'semicolon', ',', ';'])
    .default('comma')
    .describe('CSV separator; semicolon also writes decimal commas, for French Excel'),
})
export type ExportQuery = z.infer<typeof exportQuerySchema>
