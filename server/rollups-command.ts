// `implication rollups rebuild|seal [--org ORG]`: recompute the rollups from the events;
// seal the quiet days of the count rollup into plain counts (analytics/count-seals.ts).
import { parseArgs } from 'node:util'
import { sealCounts } from '../analytics/count-seals.ts'
import { rebuildRollups } from '../analytics/rollup-rebuild.ts'
import type { Config } from '../schemas/config.ts'
import { orgSchema } from '../schemas/event.ts'
import { ProgressBar } from '../terminal/progress.ts'
import { createStore } from './clickhouse.ts'
import { migrate } from './migrate.ts'

export const rollupsUsage = `  rollups rebuild [--org ORG]       recompute the rollups from the stored events, month by month,
                                     then seal every day (idempotent; stop the server on an
                                     embedded DATA_DIR first)
  rollups seal [--org ORG] [--quiet SECONDS]
                                     store the counts of the days untouched for SECONDS (default
                                     0: every day) as plain numbers; the server does it every
                                     ROLLUP_SEAL_EVERY_SECONDS for days quiet ROLLUP_SEAL_QUIET_SECONDS`

export async function rollupsCommand(config: Config, args: string[]): Promise<number> {
  const [action, ...rest] = args
  const fail = (message: string) => {
    console.error(`implication rollups: ${message}\n\nUsage:\n${rollupsUsage}`)
    return 1
  }
  if (action !== 'rebuild' && action !== 'seal')
    return fail(`expected "rebuild" or "seal"${action ? `, not "${action}"` : ''}`)
  let org: string | undefined
  let quiet = 0
  try {
    const { values } = parseArgs({
      args: rest,
      options: { org: { type: 'string' }, ...(action === 'seal' ? { quiet: { type: 'string' } } : {}) },
    })
    org = values.org as string | undefined
    if (values.quiet !== undefined) {
      quiet = Number(values.quiet)
      if (!Number.isInteger(quiet) || quiet < 0)
        return fail(`--quiet: "${values.quiet}" is not a whole number of seconds`)
    }
  } catch (err) {
    return fail((err as Error).message)
  }
  if (org !== undefined && !orgSchema.safeParse(org).success)
    return fail(`--org: "${org}" is not a valid org id`)
  const store = await createStore(config)
  try {
    await migrate(store.client)
    const started = performance.now()
    const scope = org ?? 'every org'
    if (action === 'rebuild') {
      const progress = new ProgressBar(`rollups ${org ?? 'all orgs'}`, process.stderr)
      const report = await rebuildRollups(store.client, { org, onProgress: progress.update })
      progress.finish()
      const seconds = (performance.now() - started) / 1000
      console.log(
        `rollups rebuilt for ${scope}: ${report.events} events over ${report.months} months in ${seconds.toFixed(1)} s`,
      )
    }
    const sealStarted = performance.now()
    const progress = new ProgressBar(`sealing ${org ?? 'all orgs'}`, process.stderr)
    const sealed = await sealCounts(store.client, { org, quietSeconds: quiet, onProgress: progress.update })
    progress.finish()
    const seconds = (performance.now() - sealStarted) / 1000
    console.log(`count rollup sealed for ${scope}: ${sealed.days} days in ${seconds.toFixed(1)} s`)
    return 0
  } finally {
    await store.close()
  }
}
