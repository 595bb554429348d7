// Which query filters a metric honours (its catalogue entry says). A filter a metric cannot apply
// faithfully is a 400 naming it, never a parameter silently ignored.
import type { FilterName } from '../schemas/api/catalogue.ts'
import { type MetricQuery, QueryError } from './query.ts'

export function supportOnlyFilters(query: MetricQuery, metric: string, allowed: readonly FilterName[]): void {
  for (const name of Object.keys(query.filters) as FilterName[]) {
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
