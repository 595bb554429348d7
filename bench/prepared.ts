// The metric benchmark's preparation of a dataset, run in bench/dataset-child.ts (chDB binds one
// data directory per process, and the servers under test need it afterwards): pending migrations;
// then the Europe/Paris copy of the org, the baseline table, the department filter and the
// baseline's timing (bench/org-copy.ts). This side spawns the child and reads its RESULT line.
import { z } from 'zod'
import { runTsx } from './children.ts'

export const resultPrefix = 'RESULT '

/** The copy of the simulated UTC org whose calendar and settings are in another zone. */
export const zoneOrg = { suffix: '-paris', zone: 'Europe/Paris' } as const

const timingSchema = z.object({
  p50_ms: z.number(),
  p95_ms: z.number(),
  runs: z.number(),
})

export const preparedSchema = z.object({
  /** The UTC org's events. */
  events: z.number(),
  zoneOrg: z
    .object({
      org: z.string(),
      zone: z.string(),
      events: z.number(),
      /** Events copied by this run (0: cached). */
      copied: z.number(),
      /** What this run wrote of its settings and calendar row. */
      wrote: z.array(z.string()),
    })
    .nullable(),
  /** The department filter's value (null: the roster has no department). */
  department: z.object({ name: z.string(), people: z.number(), of: z.number() }).nullable(),
  baseline: timingSchema.extend({
    sql: z.string(),
    table: z.string(),
    /** Rows of the baseline table in the range, and the query's answer. */
    rows: z.number(),
    people: z.number(),
  }),
  /** No background merge was running when the baseline was timed. */
  mergesSettled: z.boolean(),
})
export type Prepared = z.infer<typeof preparedSchema>

/** Runs `bench/dataset-child.ts ARGS` on the store in `dir`: its progress on stderr, its RESULT parsed. */
async function runDatasetChild(dir: string, args: string[]): Promise<unknown> {
  const { code, out } = await runTsx('bench/dataset-child.ts', ['--data-dir', dir, ...args], {
    DATA_DIR: dir,
    LOG_LEVEL: 'warn',
  })
  const line = out.split('\n').find((l) => l.startsWith(resultPrefix))
  if (code !== 0 || !line)
    throw new Error(`bench/dataset-child.ts ${args.join(' ')} failed (exit ${code}):\n${out.slice(-2000)}`)
  return JSON.parse(line.slice(resultPrefix.length))
}

/** Applies pending migrations (and backfills new or changed rollups, with progress); answers what it did. */
export async function migrateDataset(dir: string): Promise<string> {
  return z.string().parse(await runDatasetChild(dir, ['--action', 'migrate']))
}

export interface PrepareOptions {
  org: string
  /** The range of the endpoints' default query: `from` inclusive, `to` exclusive (UTC days). */
  from: string
  to: string
  runs: number
  warmUp: number
  /** Make (or check) the copy in another zone. */
  withZoneOrg: boolean
}

export async function prepareDataset(dir: string, options: PrepareOptions): Promise<Prepared> {
  const args = [
    '--action',
    'prepare',
    ...['--org', options.org, '--from', options.from, '--to', options.to],
    ...['--runs', String(options.runs), '--warm-up', String(options.warmUp)],
    ...(options.withZoneOrg ? ['--zone-org', `${options.org}${zoneOrg.suffix}`, '--zone', zoneOrg.zone] : []),
  ]
  return preparedSchema.parse(await runDatasetChild(dir, args))
}
