// The answers the dashboard reads. Metric answers and the org settings are the types the server's
// zod schemas infer (schemas/api/), imported as types only: no zod reaches the bundle.
export type { ActiveUsers } from '../../../../schemas/api/metrics/active-users.ts'
export type { Adopters } from '../../../../schemas/api/metrics/adopters.ts'
export type { Adoption } from '../../../../schemas/api/metrics/adoption.ts'
export type { Collaboration } from '../../../../schemas/api/metrics/collaboration.ts'
export type { Communities, Space } from '../../../../schemas/api/metrics/communities.ts'
export type { Email } from '../../../../schemas/api/metrics/email.ts'
export type { FeatureAdoption as Features } from '../../../../schemas/api/metrics/features.ts'
export type { Influence, InfluencerSegment } from '../../../../schemas/api/metrics/influence.ts'
export type { Lifecycle } from '../../../../schemas/api/metrics/lifecycle.ts'
export type { Participation } from '../../../../schemas/api/metrics/participation.ts'
export type { Retention } from '../../../../schemas/api/metrics/retention.ts'
export type { Roi } from '../../../../schemas/api/metrics/roi.ts'
export type { Summary } from '../../../../schemas/api/metrics/summary.ts'
export type { OrgSettings } from '../../../../schemas/api/settings.ts'
export {
  type IndexComponent,
  indexComponents,
  type Segment,
  segmentNames,
  type Tier,
  tierNames,
  type WorkforceSource,
} from '../../../../schemas/api/vocabulary.ts'

// Not under schemas/ yet, so restated here: the ingest status, rejected events and roster answer
// (zod inline in ingest/routes.ts), the processing register (server/privacy-routes.ts) and the
// import summary (importers/pipeline.ts).

export interface IngestStatus {
  stored_events: number
  rejected_events: number
  last_event_time: string | null
  last_received_at: string | null
  /** Refused lines the rejected store deleted, oldest first, to stay within its per-org cap. */
  rejected_dropped?: number
  rejected_cap?: { rows: number; bytes: number }
}

export interface RejectedEvent {
  received_at: string
  channel: string
  request_id: string
  index: number
  event_id: string
  path: string
  reason: string
  raw: string
}

export interface RosterAnswer {
  people: number
  rejected: number
  errors: { line: number; path: string; message: string }[]
  ignored_columns: string[]
}

/** GET /v1/orgs/:org/privacy: the processing register. */
export interface ProcessingRegister {
  org: string
  generated_at: string
  purposes: { purpose: string; data: string[] }[]
  legal_basis: string
  data_collected: { category: string; fields: string[]; source: string; kept: string }[]
  event_types: { type: string; feature: string; level: string }[]
  retention: { events_months: number; mechanism: string }
  pseudonymisation: {
    ids_pseudonymised_at_ingest: boolean
    method: string
    named_lists_for_community_managers: boolean
  }
  thresholds: {
    min_group_size: number
    complementary_suppression: boolean
    filters_below_threshold_withheld: boolean
    applies_to: string[]
    exempt_roles: string[]
  }
  roles: { role: string; sees: string }[]
  rights: { erasure: string; erased_tables: string[] }
  audit: string
}

/** Answer of POST /v1/orgs/:org/imports/:source (history import, dry run or not). */
export interface ImportSummary {
  source: string
  org: string
  events: number
  eventsByType: Record<string, number>
  people: number
  spaces: number
  firstEvent: string | null
  lastEvent: string | null
  refused: number
  refusals: { file: string; line: number; reason: string }[]
  skipped: Record<string, number>
  duplicates: number
  roster: number | null
  dryRun: boolean
  destination: string
  timeZone: string
}
