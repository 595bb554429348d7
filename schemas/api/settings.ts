// The org settings: time zone, privacy threshold, ROI assumptions and Implication Index weights.
// Every field has a documented default; GET and PUT /v1/orgs/:org/settings answer this shape.
import { z } from 'zod'
import { indexComponents } from './vocabulary.ts'

/** The IANA time zones this runtime knows, and UTC: the schema lists them (an enum in OpenAPI). */
/**
 * Current IANA names that Node's ICU may list only under an older alias (Node 20 lists
 * Asia/Calcutta, not Asia/Kolkata): an org in India must be able to say Asia/Kolkata. Kept only
 * where this runtime knows them.
 */
const currentNames = [
  'UTC',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Yangon',
  'Asia/Ho_Chi_Minh',
  'Europe/Kyiv',
  'America/Nuuk',
  'Atlantic/Faroe',
  'Pacific/Kanton',
  'Pacific/Chuuk',
  'Pacific/Pohnpei',
  'America/Argentina/Buenos_Aires',
  'America/Indiana/Indianapolis',
  'America/Kentucky/Louisville',
]

function knownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

export const timeZoneNames = [
  ...new Set(Intl.supportedValuesOf('timeZone').concat(currentNames.filter(knownZone))),
].sort() as [string, ...string[]]

export const roiAssumptionsSchema = z.strictObject({
  /** Fully loaded cost of an hour of an employee's time, in the org's currency. */
  hourly_cost: z.number().min(0).max(10_000).default(45),
  currency: z.string().length(3).default('EUR'),
  /** Minutes saved per engaged event of each level (a reply found instead of an email thread...). */
  minutes_saved: z
    .strictObject({
      react: z.number().min(0).max(600).default(0.5),
      contribute: z.number().min(0).max(600).default(3),
      create: z.number().min(0).max(600).default(10),
    })
    .default({ react: 0.5, contribute: 3, create: 10 }),
  /** Minutes spent per email written and read (baseline for emails avoided). */
  minutes_per_email: z.number().min(0).max(600).default(2),
  /** Emails per person per week before the platform; null = the first 4 weeks of data. */
  baseline_emails_per_week: z.number().min(0).max(10_000).nullable().default(null),
  licence_per_seat_month: z.number().min(0).max(10_000).default(6),
  community_management_month: z.number().min(0).max(10_000_000).default(4_000),
})

export const indexWeightsSchema = z
  .strictObject({
    adoption: z.number().min(0).max(100).default(1),
    depth: z.number().min(0).max(100).default(1),
    stickiness: z.number().min(0).max(100).default(1),
    reach: z.number().min(0).max(100).default(1),
    responsiveness: z.number().min(0).max(100).default(1),
  })
  .refine((w) => Object.values(w).some((v) => v > 0), 'at least one weight must be above 0')
  // The refinement, said in JSON Schema for the OpenAPI document: not every weight sent as 0.
  .meta({
    not: {
      type: 'object',
      required: [...indexComponents],
      properties: Object.fromEntries(indexComponents.map((k) => [k, { const: 0 }])),
    },
  })

const calendarDay = z.iso.date({ error: 'a date, YYYY-MM-DD' })

const clockTime = z
  .string()
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { error: 'a time of day, HH:MM (00:00 to 23:59)' })

/** Minutes after midnight of an HH:MM the schema accepted. */
export const minutesOfDay = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))

export const workingHoursSchema = z
  .strictObject({ start: clockTime, end: clockTime })
  .refine((h) => minutesOfDay(h.start) < minutesOfDay(h.end), {
    error: 'end must be after start (working hours within one day)',
    path: ['end'],
  })

export const orgSettingsSchema = z.strictObject({
  time_zone: z
    .enum(timeZoneNames, { error: 'not an IANA time zone (e.g. Europe/Paris)' })
    .default('UTC')
    .describe('IANA time zone of the org: its days, weeks and months'),
  holidays: z
    .union([z.enum(['FR', 'none']), z.array(calendarDay).max(2000)], {
      error: "'FR' (the 11 French public holidays, Easter computed), 'none', or a list of dates YYYY-MM-DD",
    })
    .default('FR')
    .describe("the org's public holidays: not working days (stickiness)"),
  closures: z
    .array(calendarDay)
    .max(2000)
    .default([])
    .describe('dates the org is closed (YYYY-MM-DD): not working days'),
  working_hours: workingHoursSchema
    .default({ start: '09:00', end: '18:00' })
    .describe('the working hours of a working day, in the org time zone: business time (replies)'),
  launched_at: calendarDay
    .nullable()
    .default(null)
    .describe("the platform's launch day (YYYY-MM-DD); null: the day of the org's first engaged event"),
  /** Breakdown groups with fewer people are withheld (never below 3). */
  min_group_size: z.number().int().min(3).max(1000).default(5),
  named_lists_for_community_managers: z.boolean().default(false),
  /** Replace actor, target and roster ids by a keyed pseudonym at ingest (ingest/pseudonymise.ts). */
  pseudonymise_ids: z.boolean().default(false),
  /** Events older than this many months are dropped (TTL, server/retention.ts). */
  retention_months: z.number().int().min(1).max(120).default(25),
  roi: roiAssumptionsSchema.default(roiAssumptionsSchema.parse({})),
  index_weights: indexWeightsSchema.default({
    adoption: 1,
    depth: 1,
    stickiness: 1,
    reach: 1,
    responsiveness: 1,
  }),
})
/** The settings as stored and answered (every default filled in). */
export type OrgSettings = z.infer<typeof orgSettingsSchema>
