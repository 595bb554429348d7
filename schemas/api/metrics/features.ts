// Answer of GET /v1/orgs/:org/metrics/features.
import { z } from 'zod'
import { features as allFeatures } from '../../event-catalogue.ts'
import { workforceSources } from '../vocabulary.ts'

const featureRow = z.object({
  feature: z.enum(allFeatures).describe('a platform feature of the event catalogue'),
  navigation: z
    .boolean()
    .describe(
      'true for `platform` (sessions, searches): how people get around, shown apart, not ranked as a feature',
    ),
  adopters: z
    .number()
    .describe(
      'workforce members as of the range end whose first engaged event of the feature is on or before it',
    ),
  adoption_rate: z.number().nullable().describe('adopters ÷ workforce; null when the workforce is 0'),
  active: z.number().describe('people with a view-or-above event of the feature in the range'),
  active_28d: z.number().describe('the same over the last 28 days of the range'),
  events: z.number().describe('view-or-above events of the feature in the range, each stored event once'),
  first_use: z
    .string()
    .nullable()
    .describe("day of the org's first view-or-above event of the feature up to the range end; null if none"),
})

const seriesPoint = z.object({
  period: z.string().describe('first day of the period'),
  feature: z.enum(allFeatures).describe('a platform feature of the event catalogue'),
  active: z
    .number()
    .describe('people with a view-or-above event of the feature in the period (within the range)'),
})

export const featuresResponse = z.object({
  workforce_source: z
    .enum(workforceSources)
    .describe('the roster, or (without one) the distinct actors seen up to each day'),
  workforce: z.number().describe('workforce as of the range end'),
  features: z.array(featureRow).describe('every platform feature (all but email), in catalogue order'),
  series: z.array(seriesPoint).describe('active people per period and feature'),
})
export type FeatureAdoption = z.infer<typeof featuresResponse>
