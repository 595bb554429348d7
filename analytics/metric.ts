// What a metric is: a typed computation over one org and query, its response schema (which
// documents it in OpenAPI, schemas/api/metrics/) and the tables it can be exported as (CSV,
// Arrow). What its query takes comes from the metric catalogue (schemas/api/catalogue.ts).
import type { ClickHouseClient } from '@clickhouse/client'
import type { z } from 'zod'
import { type MetricName, type MetricQueryShape, metricCatalogue } from '../schemas/api/catalogue.ts'
import type { OrgSettings } from '../schemas/api/settings.ts'
import { supportOnlyFilters } from './filter-support.ts'
import type { MetricQuery } from './query.ts'
import type { Row } from './tabular.ts'

/** Read the rollups or scan the raw events; the answers are the same. */
export type MetricSource = 'rollup' | 'raw'

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
  /** Read the rollups (default) or scan the raw events. */
  source?: MetricSource
  /** The org's stored calendar (table org_calendar, migration 015): the zone its events' `day`
   * and the rollups are cut in, and whether they are done being rebuilt into it. Absent: UTC, ready.
   * The rollups answer only when it is ready in the query's zone (analytics/tables.ts). */
  calendar?: OrgCalendar
}

export interface OrgCalendar {
  zone: string
  ready: boolean
}

export interface MetricDefinition<R> {
  name: MetricName
  summary: string
  response: z.ZodType<R>
  compute(ctx: MetricContext): Promise<R>
  /** The answer as flat tables, the first being the default for CSV and Arrow. */
  tables(result: R): Record<string, Row[]>
}

/** A metric with its result type erased, as the route registry holds it, with its catalogue entry. */
export interface RegisteredMetric extends MetricQueryShape {
  name: MetricName
  summary: string
  response: z.ZodType
  run(ctx: MetricContext): Promise<{ json: unknown; tables: Record<string, Row[]> }>
}

export function registerMetric<R>(definition: MetricDefinition<R>): RegisteredMetric {
  const shape: MetricQueryShape = metricCatalogue[definition.name]
  return {
    ...shape,
    name: definition.name,
    summary: definition.summary,
    response: definition.response,
    async run(ctx) {
      supportOnlyFilters(ctx.query, definition.name, shape.filters)
      const json = await definition.compute(ctx)
      return { json, tables: definition.tables(json) }
    },
  }
}
