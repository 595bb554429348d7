// Answer of GET /v1/orgs/:org/privacy: the processing register (what is collected, why, for how
// long, who sees what, with which thresholds).
import { z } from 'zod'

export const processingRegisterResponse = z.object({
  org: z.string(),
  generated_at: z.string(),
  purposes: z.array(z.object({ purpose: z.string(), data: z.array(z.string()) })),
  legal_basis: z.string(),
  data_collected: z.array(
    z.object({ category: z.string(), fields: z.array(z.string()), source: z.string(), kept: z.string() }),
  ),
  event_types: z.array(z.object({ type: z.string(), feature: z.string(), level: z.string() })),
  retention: z.object({ events_months: z.number(), mechanism: z.string() }),
  pseudonymisation: z.object({
    ids_pseudonymised_at_ingest: z.boolean(),
    method: z.string(),
    named_lists_for_community_managers: z.boolean(),
  }),
  thresholds: z.object({
    min_group_size: z.number(),
    complementary_suppression: z.boolean(),
    filters_below_threshold_withheld: z.boolean(),
    applies_to: z.array(z.string()),
    exempt_roles: z.array(z.string()),
  }),
  roles: z.array(z.object({ role: z.string(), sees: z.string() })),
  rights: z.object({ erasure: z.string(), erased_tables: z.array(z.string()) }),
  audit: z.string(),
})
export type ProcessingRegister = z.infer<typeof processingRegisterResponse>
