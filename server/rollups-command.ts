// `implication rollups rebuild [--org ORG]`: recompute the rollups from the stored events, each
// from its one definition (analytics/rollup-definitions.ts).
import { parseArgs } from 'node:util'
import { rebuildRollups } from '../analytics/rollup-rebuild.ts'
import type { Config } from '../schemas/config.ts'
import { orgSchema } from '../schemas/event.ts'
import { ProgressBar } from '../terminal/progress.ts'
import { createStore } from './clickhouse.ts'
import { migrate } from './migrate.ts'

export const rollupsUsage = `  rollups rebuild [--org ORG]       recompute the rollups from the stored events, month by month
                                     (stop the server on an embedded DATA_DIR first, and the
                                     workers of a distributed deployment: see docs/ARCHITECTURE.md)`

export async function rollupsCommand(config: Config, args: string[]): Promise<number> {
  const [action, ...rest] = args
  const fail = (message: string) => {
    console.error(`implication rollups: ${message}\n\nUsage:\n${rollupsUsage}`)
    return 1
  }
  if (action !== 'rebuild') return fail(`expected "rebuild"${action ? `, not "${action}"` : ''}`)
  let org: string | undefined
  try {
    const { values } = parseArgs({ args: rest, options: { org: { type: 'string' } } })
    org = values.org as string | undefined
  } catch (err) {
    return fail((err as Error).message)
  }
  if (org !== undefined && !orgSchema.safeParse(org).success)
    return fail(`--org: "${org}" is not a valid org id`)
  const store = await createStore(config)
  try {
    await migrate(store.client)
    const started = performance.now()
    const progress = new ProgressBar(`rollups ${org ?? 'all orgs'}`, process.stderr)
    const report = await rebuildRollups(store.client, { org, onProgress: progress.update })
    progress.finish()
    const seconds = (performance.now() - started) / 1000
    console.log(
      `rollups rebuilt for ${org ?? 'every org'}: ${report.events} events over ${report.months} months in ${seconds.toFixed(1)} s`,
    )
    return 0
  } finally {
    await store.close()
  }
}
