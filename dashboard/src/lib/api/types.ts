// The answers the dashboard reads, as the metrics' zod `response` schemas define them
// (analytics/metrics/*.ts). Only the fields the pages use are spelled out.

export const segmentNames = [
  'innovators',
  'early_adopters',
  'early_majority',
  'late_majority',
  'laggards',
  'non_adopters',
] as const
export type Segment = (typeof segmentNames)[number]

export type WorkforceSource = 'roster' | 'actors'

export interface Summary {
  as_of: string
  workforce: number
  workforce_source: WorkforceSource
  adopters: number
  adoption_rate: number | null
  dau: number
  wau: number
  mau: number
  stickiness: number | null
  implication_index: number | null
  events: number
  active_people: number
  unknown_actors: number | null
  communities: number
  dormant_communities: number
}

export interface CurvePoint {
  period: string
  new_adopters: number
  adopters: number
  workforce: number
  rate: number | null
}

export interface SegmentCount {
  segment: Segment
  people: number
}

export interface Bass {
  p: number | null
  q: number | null
  m: number | null
  r2: number | null
  peak_week: number | null
  forecast: { rate_50: string | null; rate_80: string | null }
  reason: string | null
  start: string | null
  weeks: number
}

export interface AdoptionGroup {
  group: string
  suppressed: boolean
  workforce: number | null
  adopters: number | null
  rate: number | null
  segments: SegmentCount[] | null
  curve: CurvePoint[] | null
}

export interface Adoption {
  org: string
  workforce_source: WorkforceSource
  workforce: number
  adopters: number
  rate: number | null
  unknown_actors: number
  curve: CurvePoint[]
  segments: SegmentCount[]
  bass: Bass
  groups?: AdoptionGroup[]
}

export interface ActiveUsers {
  series: { date: string; dau: number; wau: number; mau: number }[]
  stickiness: number | null
  active_days_histogram: { days: number; people: number }[]
}

export interface LifecycleRow {
  period: string
  group?: string
  new: number
  returning: number
  resurrecting: number
  dormant: number
  active: number
}

export interface Lifecycle {
  by: string | null
  series: LifecycleRow[]
}

export interface Retention {
  interval: 'week' | 'month'
  cohorts: {
    cohort: string
    size: number
    retention: { k: number; period: string; retained: number; share: number }[]
  }[]
}

export interface Space {
  space: string
  members: number
  active_members: number
  posts: number
  replies: number
  questions: number
  answered_24h: number | null
  median_first_reply_minutes: number | null
  unanswered: number
  active_28d: number
  active_365d: number
  health_index: number | null
  dormant: boolean
}

export interface Communities {
  spaces: Space[]
  communities: number
  dormant: number
}

export interface Collaboration {
  series: { period: string; interactions: number; cross_department: number; share: number | null }[]
  matrix: { from_department: string; to_department: string; interactions: number }[]
  interactions: number | null
  share: number | null
  reason: string | null
}

export interface EmailPoint {
  period: string
  emails: number
  workforce: number
  emails_per_person: number | null
  engaged: number
  engaged_rate: number | null
}

export interface Email {
  series: EmailPoint[]
  correlation: number | null
  by: 'department' | 'site' | null
  groups: (EmailPoint & { group: string })[]
  group_correlations: { group: string; correlation: number | null }[]
}

export const indexComponents = ['adoption', 'depth', 'stickiness', 'reach', 'responsiveness'] as const
export type IndexComponent = (typeof indexComponents)[number]

export interface RoiMonth {
  month: string
  workforce: number
  value: number
  cost: number
  events_value: number
  emails_value: number
  cumulative_value: number | null
  cumulative_cost: number | null
}

export interface Roi {
  implication_index: {
    value: number | null
    components: { component: IndexComponent; ratio: number | null; weight: number; share: number }[]
    reason: string | null
  }
  financial: {
    currency: string
    value: number
    events_value: number
    emails_value: number
    emails_avoided: number
    cost: number
    licence_cost: number
    community_cost: number
    roi: number | null
    payback_month: string | null
  }
  months: RoiMonth[]
  assumptions: {
    currency: string
    hourly_cost: number
    minutes_saved: { react: number; contribute: number; create: number }
    minutes_per_email: number
    baseline_emails_per_week: number | null
    baseline_source: string
    email_data_from: string | null
    licence_per_seat_month: number
    community_management_month: number
    index_weights: Record<IndexComponent, number>
    workforce: number
    workforce_source: WorkforceSource
    weeks: number
    months: number
  }
}

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

export interface OrgSettings {
  time_zone: string
  min_group_size: number
  named_lists_for_community_managers: boolean
  /** Person ids replaced by keyed pseudonyms at ingest (absent from older servers). */
  pseudonymise_ids?: boolean
  /** Events older than this are dropped (absent from older servers). */
  retention_months?: number
  roi: {
    hourly_cost: number
    currency: string
    minutes_saved: { react: number; contribute: number; create: number }
    minutes_per_email: number
    baseline_emails_per_week: number | null
    licence_per_seat_month: number
    community_management_month: number
  }
  index_weights: Record<IndexComponent, number>
}

export const tierNames = ['creators', 'contributors', 'lurkers', 'inactive'] as const
export type Tier = (typeof tierNames)[number]

export interface TierCount {
  tier: Tier
  people: number
  share_of_active: number | null
  reference: number | null
  workforce_members: number
  share_of_workforce: number | null
}

export interface Participation {
  workforce_source: WorkforceSource
  workforce: number
  active: number
  unknown_actors: number
  tiers: TierCount[]
  reference: { lurkers: number; contributors: number; creators: number }
  groups?: {
    group: string
    suppressed: boolean
    workforce: number | null
    active: number | null
    tiers: TierCount[] | null
  }[]
}

export interface AdopterPerson {
  person: string
  segment: Segment
  adopted_at: string | null
  department: string
  site: string
}

export interface Adopters {
  workforce_source: WorkforceSource
  people: AdopterPerson[]
  total: number
}

export interface FeatureRow {
  feature: string
  adopters: number
  adoption_rate: number | null
  active: number
  active_28d: number
  events: number
  first_use: string | null
}

export interface Features {
  workforce_source: WorkforceSource
  workforce: number
  features: FeatureRow[]
  series: { period: string; feature: string; active: number }[]
}

/** An influencer's segment: an adopter segment, or gone from the workforce since. */
export type InfluencerSegment = Exclude<Segment, 'non_adopters'> | 'former_members'

/** Diffusion flows and champions (metric `influence`). */
export interface Influence {
  flows: { from: InfluencerSegment; to: Exclude<Segment, 'non_adopters'>; credit: number }[]
  champions: {
    person: string
    segment: InfluencerSegment
    department: string
    influenced: number
    credit: number
  }[]
  influenced_adopters: number
  adopters_in_range: number
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
