// The options of a simulation, validated once (CLI flags arrive as strings) with their defaults.
import { z } from 'zod'
import { orgSchema } from '../schemas/event.ts'
import { dateOf, dayMs } from './calendar.ts'

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => dateOf(Math.floor(Date.parse(`${d}T00:00:00Z`) / dayMs)) === d, 'not a calendar date')

const share = (max: number) => z.coerce.number().min(0).max(max)

export const simulationDefaults = {
  org: 'demo',
  employees: 2000,
  months: 18,
  seed: 42,
  p: 0.01,
  q: 0.35,
  never: 0.15,
} as const

export const simulationOptionsSchema = z.object({
  org: orgSchema.default(simulationDefaults.org),
  employees: z.coerce.number().int().min(20).max(200_000).default(simulationDefaults.employees),
  months: z.coerce.number().int().min(1).max(120).default(simulationDefaults.months),
  seed: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(simulationDefaults.seed),
  /** First day after the simulated period; the last simulated day is the day before. */
  end: isoDate,
  p: share(1).default(simulationDefaults.p),
  q: share(5).default(simulationDefaults.q),
  never: share(1).default(simulationDefaults.never),
  badShare: share(0.5).default(0),
  duplicateShare: share(0.5).default(0),
})

export type SimulationOptions = z.infer<typeof simulationOptionsSchema>
export type SimulationInput = z.input<typeof simulationOptionsSchema>

/** `YYYY-MM-DD` of today in UTC: the default end, the one thing taken from the clock. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10)
}

export class SimulationOptionsError extends Error {
  override name = 'SimulationOptionsError'
}

/** Validates options, naming the flag at fault (`--bad-share: …`). */
export function parseSimulationOptions(
  input: Partial<Record<keyof SimulationInput, unknown>>,
): SimulationOptions {
  const result = simulationOptionsSchema.safeParse(input)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const key = String(issue?.path[0] ?? '')
  const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
  throw new SimulationOptionsError(`--${flag}: ${issue?.message ?? 'invalid'}`)
}
