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

export const rosterPersonSchema = z.strictObject({
  id: z.string().trim().min(1, 'required').max(256),
  department: optionalText(256),
  site: optionalText(256),
  manager: optionalText(256),
  hired_at: optionalDate,
  left_at: optionalDate,
})
export type RosterPerson = z.infer<typeof rosterPersonSchema>

export const rosterColumns = ['id', 'department', 'site', 'manager', 'hired_at', 'left_at'] as const
