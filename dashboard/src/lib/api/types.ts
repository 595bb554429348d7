// The answers the dashboard reads: the types the server's zod schemas infer (schemas/api/),
// imported as types only, so no zod reaches the bundle.
export type {
  EngagementDimension,
  ExportFormat,
  ExportReport,
} from '../../../../schemas/api/exports.ts'
export type { ImportSummaryAnswer as ImportSummary } from '../../../../schemas/api/imports.ts'
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
