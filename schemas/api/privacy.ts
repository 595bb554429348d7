// Answer of GET /v1/orgs/:org/privacy: the processing register (what is collected, why, for how
// long, who sees what, with which thresholds), with what a DPO and a works council ask for next:
// the processing activities of the analyses, their lawful basis and its balancing test, the
// impact assessment (DPIA) checklist, the consultation of the works council (CSE) and the
// employee information notice (GET /v1/orgs/:org/privacy/notice).
import { z } from 'zod'

/** Where in Implication a measure or an item lives: a setting, a page, an endpoint. */
const whereInImplication = z
  .string()
  .describe('the setting, dashboard page or endpoint of Implication that implements or shows it')

export const processingActivity = z.object({
  id: z.enum(['aggregates', 'email_event_study', 'influence_ties', 'person_lists']),
  activity: z.string(),
  purpose: z.string(),
  data: z.array(z.string()),
  /** True when the analysis itself works on data about identified or identifiable people. */
  personal_data: z.boolean(),
  lawful_basis: z.string(),
  /** Who sees the result, and in which form. */
  who_sees: z.string(),
  /** The roles that see a result about single people (none: aggregates only). */
  person_level_roles: z.array(z.string()),
})

export const dpiaItem = z.object({
  id: z.string(),
  section: z.enum(['description', 'necessity', 'risks', 'measures']),
  what: z.string(),
  where_in_implication: whereInImplication,
  /** Filled in by the org in its own DPIA: Implication answers every item `to_do`. */
  status: z.enum(['to_do', 'in_progress', 'done']),
})

export const processingRegisterResponse = z.object({
  org: z.string(),
  generated_at: z.string(),
  purposes: z.array(z.object({ purpose: z.string(), data: z.array(z.string()) })),
  /** One line: the lawful basis. `lawful_basis` gives it in full. */
  legal_basis: z.string(),
  lawful_basis: z.object({
    article: z.string(),
    basis: z.string(),
    interest: z.string(),
    /** The balancing test of the legitimate interest against the employees' rights, in short. */
    balancing_test: z.array(z.object({ id: z.string(), safeguard: z.string() })),
    consent: z.string(),
    references: z.array(z.string()),
  }),
  activities: z.array(processingActivity),
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
    /** How the withheld cells are chosen, once per org. */
    rule: z.string(),
    /** What a filter selecting fewer than k people gets. */
    filters_below_threshold: z.string(),
    groups: z.array(
      z.object({
        id: z.enum([
          'departments',
          'sites',
          'department_site',
          'spaces',
          'department_matrix',
          'cohorts',
          'filtered',
        ]),
        group: z.string(),
        population: z.string().describe('whose distinct people are counted against k'),
        exempt_roles: z.array(z.string()),
      }),
    ),
    applies_to: z.array(z.string()),
    exempt_roles: z.array(z.string()),
  }),
  roles: z.array(z.object({ role: z.string(), sees: z.string() })),
  dpia: z.object({
    required: z.boolean(),
    article: z.string(),
    why: z.string(),
    /** The CNIL's wording of the item of its list that applies. */
    cnil_list_item: z.string(),
    items: z.array(dpiaItem),
  }),
  works_council: z.object({
    required: z.boolean(),
    article: z.string(),
    rule: z.string(),
    /** When: before the decision to put the analyses to use. */
    when: z.string(),
    items_to_present: z.array(
      z.object({ id: z.string(), what: z.string(), where_in_implication: whereInImplication }),
    ),
    /** No org setting holds the date: null, and `consultation_date_step` says what to do. */
    consultation_date: z.string().nullable(),
    consultation_date_step: z.string(),
  }),
  notice: z.object({
    article: z.string(),
    rule: z.string(),
    /** The printable notice, one per language. */
    urls: z.object({ fr: z.string(), en: z.string() }),
  }),
  rights: z.object({ erasure: z.string(), erased_tables: z.array(z.string()) }),
  audit: z.string(),
})
export type ProcessingRegister = z.infer<typeof processingRegisterResponse>
export type ProcessingActivity = z.infer<typeof processingActivity>
export type DpiaItem = z.infer<typeof dpiaItem>

export const noticeLanguages = ['fr', 'en'] as const
export type NoticeLanguage = (typeof noticeLanguages)[number]

export const noticeQuery = z.strictObject({
  lang: z.enum(noticeLanguages).default('fr').describe('language of the notice (default fr)'),
})
