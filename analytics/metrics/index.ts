// Every metric served under /v1/orgs/:org/metrics/:name.
import type { RegisteredMetric } from '../metric.ts'
import { activeUsers } from './active-users.ts'

export const metricRegistry: readonly RegisteredMetric[] = [activeUsers]
