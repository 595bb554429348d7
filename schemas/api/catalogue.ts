// The metric catalogue: every metric route under /v1/orgs/:org/metrics/:name and what its query
// takes (filters, breakdowns, intervals, feature values). Plain data without zod: the server
// registers and checks its routes from it, and the dashboard decides from it which filters to send.
import { type Feature, features } from '../event-catalogue.ts'

export const intervals = ['day', 'week', 'month'] as const
export type Interval = (typeof intervals)[number]

export const breakdowns = ['department', 'site', 'feature', 'space'] as const
export type Breakdown = (typeof breakdowns)[number]

/** The query filters a metric may honour. */
export const filterNames = ['feature', 'department', 'site', 'space'] as const
export type FilterName = (typeof filterNames)[number]

/** The platform's features: `email` is the outside baseline the platform is meant to relieve. */
export const platformFeatures = features.filter((f): f is Exclude<Feature, 'email'> => f !== 'email')

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

export interface MetricQueryShape {
  /** The query filters it honours; any other is a 400 naming it. */
  readonly filters: readonly FilterName[]
  /** The values of `by` it accepts; others are a 400 naming `by`. */
  readonly breakdowns: readonly Breakdown[]
  /** The intervals it computes (absent: all). */
  readonly intervals?: readonly Interval[]
  /** The values of the `feature` filter it takes (absent: every feature of the event catalogue). */
  readonly featureValues?: readonly Feature[]
  /** The values of `measure` it takes, the first the default (absent: no `measure`). */
  readonly measures?: readonly string[]
  /** The values of `window` (days ending at `to`) it takes, the first the default (absent: no
   * `window`). */
  readonly windows?: readonly string[]
}

const allFilters = filterNames
const peopleGroups = ['department', 'site'] as const

export const metricCatalogue = {
  // Feature and space would change what half of the figures mean.
  summary: { filters: peopleGroups, breakdowns: [] },
  adoption: { filters: allFilters, breakdowns: peopleGroups },
  adopters: { filters: allFilters, breakdowns: [] },
  'active-users': { filters: allFilters, breakdowns: peopleGroups },
  lifecycle: { filters: allFilters, breakdowns },
  retention: {
    filters: allFilters,
    breakdowns: [],
    intervals: ['week', 'month'],
    measures: ['engaged', 'active'],
  },
  // Tiers over a fixed window of 28 or 90 days ending at `to`.
  participation: {
    filters: allFilters,
    breakdowns: ['department', 'site', 'space'],
    windows: ['28', '90'],
  },
  features: { filters: allFilters, breakdowns: [], featureValues: platformFeatures },
  // Spaces are what it lists: only the space filter applies.
  communities: { filters: ['space'], breakdowns: [] },
  collaboration: { filters: allFilters, breakdowns: [] },
  influence: { filters: allFilters, breakdowns: [] },
  // Department and site narrow both sides; feature and space narrow the engaged side only.
  email: { filters: allFilters, breakdowns: peopleGroups },
  // An org-wide figure.
  roi: { filters: [], breakdowns: [] },
} as const satisfies Record<MetricName, MetricQueryShape>
