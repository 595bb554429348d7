// What the dashboard knows of each metric route: the metric catalogue the server registers its
// routes from (schemas/api/catalogue.ts). The API answers 400 to a filter a metric cannot apply,
// so the others are not sent and the card says so.
import {
  type FilterName,
  filterNames,
  type MetricName,
  metricCatalogue,
  metricNames,
} from '../../../../schemas/api/catalogue.ts'

export { type FilterName, filterNames, type MetricName, metricNames }

export interface MetricRequest {
  metric: MetricName
  params: Record<string, string>
  /** Filters that were set but that this metric does not take. */
  dropped: FilterName[]
}

/** The request for a metric: the common params plus extras, without the filters it does not take. */
export function metricRequest(
  metric: MetricName,
  common: Record<string, string>,
  extra: Record<string, string | undefined> = {},
): MetricRequest {
  const honoured: readonly FilterName[] = metricCatalogue[metric].filters
  const params: Record<string, string> = {}
  const dropped: FilterName[] = []
  for (const [key, value] of Object.entries({ ...common, ...extra })) {
    if (value === undefined || value === '') continue
    if ((filterNames as readonly string[]).includes(key) && !honoured.includes(key as FilterName)) {
      dropped.push(key as FilterName)
      continue
    }
    params[key] = value
  }
  return { metric, params, dropped }
}
