// What a metric is: a typed computation over one org and query, its response schema (which
// documents it in OpenAPI, schemas/api/metrics/) and the tables it can be exported as (CSV,
// Arrow). What its query takes comes from the metric catalogue (schemas/api/catalogue.ts).
import type { z } from 'zod'
import { type MetricName, type MetricQueryShape, metricCatalogue } from '../schemas/api/catalogue.ts'
import type { MetricContext } from './context.ts'
import { supportOnlyFilters } from './filter-support.ts'
import { assertFilters, type GroupTable, withholdGroups } from './privacy/layer.ts'
import type { Row } from './tabular.ts'

export type { MetricContext, MetricSource, OrgCalendar } from './context.ts'

export interface MetricDefinition<R> {
  name: MetricName
  summary: string
  response: z.ZodType<R>
  compute(ctx: MetricContext): Promise<R>
  /** The answer as flat tables, the first being the default for CSV and Arrow; made from the
   * answer after the privacy layer withheld its groups, so every format withholds the same. */
  tables(result: R): Record<string, Row[]>
  /** The rows of the answer that are groups of people (analytics/privacy/layer.ts). A metric
   * that declares no `breakdown` table cannot break down. */
  groups?: readonly GroupTable<R>[]
}

/** A metric with its result type erased, as the route registry holds it, with its catalogue entry. */
export interface RegisteredMetric extends MetricQueryShape {
  name: MetricName
  summary: string
  response: z.ZodType
  /** The kinds of group tables it declares to the privacy layer. */
  groupKinds: readonly GroupTable<unknown>['kind'][]
  run(ctx: MetricContext): Promise<{ json: unknown; tables: Record<string, Row[]> }>
}

export function registerMetric<R>(definition: MetricDefinition<R>): RegisteredMetric {
  const shape: MetricQueryShape = metricCatalogue[definition.name]
  return {
    ...shape,
    name: definition.name,
    summary: definition.summary,
    response: definition.response,
    groupKinds: (definition.groups ?? []).map((g) => g.kind),
    async run(ctx) {
      supportOnlyFilters(ctx.query, definition.name, shape.filters)
      // A filter selecting a withheld group is refused before anything is computed.
      const grid = await assertFilters(ctx)
      const json = await definition.compute(ctx)
      await withholdGroups(ctx, definition.groups ?? [], json, grid)
      return { json, tables: definition.tables(json) }
    },
  }
}
