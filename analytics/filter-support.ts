// Which query filters a metric honours. A filter a metric cannot apply faithfully is a 400 naming
// it, never a parameter silently ignored.
import type { Filters, MetricQuery } from './query.ts'
import { QueryError } from './query.ts'

export function supportOnlyFilters(
  query: MetricQuery,
  metric: string,
  allowed: readonly (keyof Filters)[],
): void {
  for (const name of Object.keys(query.filters) as (keyof Filters)[]) {
    if (query.filters[name] !== undefined && !allowed.includes(name)) {
      throw new QueryError(
        name,
        allowed.length > 0
          ? `${metric} filters by ${allowed.join(', ')} only, not ${name}`
          : `${metric} takes no filter`,
      )
    }
  }
}
