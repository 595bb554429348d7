// The context of one metric answer: the engine, the query, the org's settings and calendar, the
// caller's role. Apart from metric.ts so that what the metrics build on (the privacy layer, the
// table choice, the workforce) can take it without importing the metric registry.
import type { ClickHouseClient } from '@clickhouse/client'
import type { OrgSettings } from '../schemas/api/settings.ts'
import type { MetricQuery } from './query.ts'

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
  /** The caller's role: an admin sees small groups (analytics/privacy/layer.ts); absent = not admin. */
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
