// Every metric served under /v1/orgs/:org/metrics/:name.
import type { RegisteredMetric } from '../metric.ts'
import { activeUsers } from './active-users.ts'
import { adopters } from './adopters.ts'
import { adoption } from './adoption.ts'
import { collaboration } from './collaboration.ts'
import { communities } from './communities.ts'
import { email } from './email.ts'
import { features } from './features.ts'
import { influence } from './influence.ts'
import { lifecycle } from './lifecycle.ts'
import { participation } from './participation.ts'
import { retention } from './retention.ts'
import { roi } from './roi.ts'
import { summary } from './summary.ts'

export const metricRegistry: readonly RegisteredMetric[] = [
  activeUsers,
  adoption,
  adopters,
  lifecycle,
  retention,
  participation,
  features,
  communities,
  collaboration,
  influence,
  email,
  roi,
  summary,
]
