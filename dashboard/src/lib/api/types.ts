// The answers the dashboard reads: the types the server's zod schemas infer (schemas/api/),
// imported as types only, so no zod reaches the bundle.
export type {
  EngagementDimension,
  ExportFormat,
  ExportReport,
} from '../../../../schemas/api/exports.ts'
export type {
  IngestStatus,
  RejectedEvent,
  RejectedPage,
  RosterAnswer,
} from '../../../../schemas/api/ingest.ts'
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
export type { ProcessingRegister } from '../../../../schemas/api/privacy.ts'
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

// Not under schemas/ yet, so restated here: the import summary (importers/pipeline.ts).

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
