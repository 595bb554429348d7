// What a metric is: a typed computation over one org and query, its response schema (which
// documents it in OpenAPI) and the tables it can be exported as (CSV, Arrow).
import type { ClickHouseClient } from '@clickhouse/client'
import type { z } from 'zod'
import type { Feature } from '../schemas/event-catalogue.ts'
import type { Breakdown, Filters, Interval, MetricQuery } from './query.ts'
import type { MetricSource } from './rollups.ts'
import type { OrgSettings } from './settings.ts'
import type { Row } from './tabular.ts'

export const metricNames = [
  'summary',
  'adoption',
  'adopters',
  'active-users',
  'lifecycle',
  'retention',
  'participation',
  'features',
  'communities',
  'collaboration',
  'influence',
  'email',
  'roi',
] as const
export type MetricName = (typeof metricNames)[number]

export interface MetricContext {
  client: ClickHouseClient
  query: MetricQuery
  settings: OrgSettings
  now: Date
  /** How per-person lists name people: a stable pseudonym, or the id itself when the org turned
   * named lists on and the caller may see them. */
  personLabel(actor: string): string
  /** The caller's role: an admin sees small groups (analytics/small-groups.ts); absent = not admin. */
  role?: string
  /** Read the rollups (default) or scan the raw events; the answers are the same. */
  source?: MetricSource
}

export interface MetricDefinition<R> {
  name: MetricName
  summary: string
  /** The values of `by` this metric accepts; others are a 400 naming `by`. */
  breakdowns: readonly Breakdown[]
  /** The query filters it honours (default: all); the others are not parameters of its route. */
  filters?: readonly (keyof Filters)[]
  /** The intervals it computes (default: all). */
  intervals?: readonly Interval[]
  /** The values of the `feature` filter it takes (default: every feature of the catalogue). */
  featureFilter?: readonly Feature[]
  response: z.ZodType<R>
  compute(ctx: MetricContext): Promise<R>
  /** The answer as flat tables, the first being the default for CSV and Arrow. */
  tables(result: R): Record<string, Row[]>
}

/** A metric with its result type erased, as the route registry holds it. */
export interface RegisteredMetric {
  name: MetricName
  summary: string
  breakdowns: readonly Breakdown[]
  filters: readonly (keyof Filters)[] | undefined
  intervals: readonly Interval[] | undefined
  featureFilter: readonly Feature[] | undefined
  response: z.ZodType
  run(ctx: MetricContext): Promise<{ json: unknown; tables: Record<string, Row[]> }>
}

export function registerMetric<R>(definition: MetricDefinition<R>): RegisteredMetric {
  return {
    name: definition.name,
    summary: definition.summary,
    breakdowns: definition.breakdowns,
    filters: definition.filters,
    intervals: definition.intervals,
    featureFilter: definition.featureFilter,
    response: definition.response,
    async run(ctx) {
      const json = await definition.compute(ctx)
      return { json, tables: definition.tables(json) }
    },
  }
}
