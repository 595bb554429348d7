// The roster (workforce snapshot) contract of EVENTS.md.
import { z } from 'zod'

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a valid date')

const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.trim()))

const optionalDate = z
  .union([isoDate, z.literal(''), z.null()])
  .optional()
  .transform((d) => (d ? d : undefined))

const trueForms = new Set(['true', '1', 'oui'])
const falseForms = new Set(['false', '0', 'non'])

/** An optional yes/no column: `true`/`false`, `1`/`0` or `oui`/`non` (any case; JSON may also send
 * the boolean or the number); empty or absent = not said. */
const optionalBoolean = z
  .unknown()
  .transform((v, ctx): boolean | undefined => {
    if (v === undefined || v === null) return undefined
    if (typeof v === 'boolean') return v
    const text = typeof v === 'string' || typeof v === 'number' ? String(v).trim().toLowerCase() : undefined
    if (text === '') return undefined
    if (text !== undefined && trueForms.has(text)) return true
    if (text !== undefined && falseForms.has(text)) return false
    ctx.addIssue({ code: 'custom', message: 'must be true/false, 1/0 or oui/non' })
    return z.NEVER
  })
  .optional()

export const rosterPersonSchema = z.strictObject({
  id: z.string().trim().min(1, 'required').max(256),
  department: optionalText(256),
  site: optionalText(256),
  manager: optionalText(256),
  hired_at: optionalDate,
  left_at: optionalDate,
  /** The person animates communities (METRICS.md "Community managers"). */
  community_manager: optionalBoolean,
})
export type RosterPerson = z.infer<typeof rosterPersonSchema>

export const rosterColumns = [
  'id',
  'department',
  'site',
  'manager',
  'hired_at',
  'left_at',
  'community_manager',
] as const
