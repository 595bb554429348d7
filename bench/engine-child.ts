// Child process entry: a fresh embedded store in the --data-dir the parent made (chDB allows one data
// dir per process), then the raw insert or the dedup measurement, reported as one RESULT line on stdout.
import { parseArgs } from 'node:util'
import { createStore } from '../server/clickhouse.ts'
import { migrate } from '../server/migrate.ts'
import { measureDedup } from './dedup.ts'
import { resultPrefix } from './engine-results.ts'
import type { EventSpec } from './events.ts'
import { measureRawInsert } from './raw-insert.ts'

const batchRows = 20_000

function specFromArgs(): { mode: string; dataDir: string; spec: EventSpec; runs: number } {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string' },
      'data-dir': { type: 'string' },
      org: { type: 'string' },
      events: { type: 'string' },
      seed: { type: 'string' },
      now: { type: 'string' },
      prefix: { type: 'string' },
      runs: { type: 'string', default: '7' },
    },
  })
  const number = (name: string, value: string | undefined) => {
    const n = Number(value)
    if (!Number.isFinite(n)) throw new Error(`engine child: --${name} must be a number (got ${value})`)
    return n
  }
  return {
    mode: values.mode ?? '',
    dataDir: values['data-dir'] ?? '',
    spec: {
      org: values.org ?? 'bench',
      count: number('events', values.events),
      idPrefix: values.prefix ?? 'evt',
      seed: number('seed', values.seed),
      nowMs: number('now', values.now),
    },
    runs: number('runs', values.runs),
  }
}

async function main(): Promise<void> {
  const { mode, dataDir, spec, runs } = specFromArgs()
  if (!dataDir) throw new Error('engine child: --data-dir is required (an empty directory of its own)')
  const log = (line: string) => process.stderr.write(`${line}\n`)
  const store = await createStore({ DATA_DIR: dataDir, CLICKHOUSE_URL: undefined })
  try {
    await migrate(store.client)
    let result: unknown
    if (mode === 'raw') result = await measureRawInsert(store.client, spec, batchRows, log)
    else if (mode === 'dedup') {
      result = await measureDedup(store.client, { spec, duplicateShare: 0.1, batchRows, runs, log })
    } else throw new Error(`engine child: --mode must be raw or dedup (got "${mode}")`)
    const cpu = process.cpuUsage() // every thread of this process, the engine's included
    const cpuSeconds = (cpu.user + cpu.system) / 1e6
    process.stdout.write(`${resultPrefix}${JSON.stringify({ cpuSeconds, result })}\n`)
  } finally {
    await store.close()
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`engine child: ${(err as Error).stack ?? String(err)}\n`)
    process.exit(1)
  },
)
