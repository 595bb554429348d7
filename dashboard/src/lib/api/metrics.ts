// What the dashboard knows of each metric route: its name and the filters it honours (the API
// answers 400 to a filter a metric cannot apply, so the others are not sent and the card says so).
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

export const filterNames = ['department', 'site', 'feature', 'space'] as const
export type FilterName = (typeof filterNames)[number]

const all = filterNames
export const metricFilters: Record<MetricName, readonly FilterName[]> = {
  summary: ['department', 'site'],
  adoption: all,
  adopters: all,
  'active-users': all,
  lifecycle: all,
  retention: all,
  participation: all,
  features: all,
  communities: ['space'],
  collaboration: all,
  influence: all,
  email: ['department', 'site'],
  roi: [],
}

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
  const params: Record<string, string> = {}
  const dropped: FilterName[] = []
  for (const [key, value] of Object.entries({ ...common, ...extra })) {
    if (value === undefined || value === '') continue
    if (
      (filterNames as readonly string[]).includes(key) &&
      !metricFilters[metric].includes(key as FilterName)
    ) {
      dropped.push(key as FilterName)
      continue
    }
    params[key] = value
  }
  return { metric, params, dropped }
}
