// What each rollup costs at insert: `npx tsx bench/view-cost.ts [--events 200000] [--batch 20000]`.
// In a fresh embedded store (a temporary data directory migrated with the project's migrations),
// inserts the same benchmark events (as the server stores them, in batches of `--batch`) with every
// materialized view of analytics/rollup-definitions.ts in place, then with each view alone dropped
// (and made again after), then with none, and prints the insert rate of each: the difference
// between "every view" and "without X" is what X costs. The configurations are run in rounds,
// interleaved, so that a neighbour's load falls on all of them alike; the figure is the median of
// the rounds. The tables are emptied before each insert; one untimed round first warms up.
import { parseArgs } from 'node:util'
import type { ClickHouseClient } from '@clickhouse/client'
import { rollupDefinitions } from '../analytics/rollup-definitions.ts'
import { parseConfig } from '../schemas/config.ts'
import { createStore } from '../server/clickhouse.ts'
import { migrate } from '../server/migrate.ts'
import { makeTempDir, removeTempDir } from './children.ts'
import { insertInBatches, storedEvents } from './raw-insert.ts'
import { median } from './stats.ts'

const viewOf = (table: string) => `${table}_mv`
const rollups: readonly string[] = rollupDefinitions.map((d) => d.table)
const tables = ['events', ...rollups]

/** Makes the store's views exactly `wanted` (tables untouched). */
async function setViews(client: ClickHouseClient, present: Set<string>, wanted: Set<string>): Promise<void> {
  for (const definition of rollupDefinitions) {
    const table = definition.table
    if (present.has(table) && !wanted.has(table)) {
      await client.command({ query: `DROP VIEW ${viewOf(table)}` })
      present.delete(table)
    } else if (!present.has(table) && wanted.has(table)) {
      await client.command({
        query: `CREATE MATERIALIZED VIEW ${viewOf(table)} TO ${table} AS ${definition.feed('1')}`,
      })
      present.add(table)
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '200000' },
      repeats: { type: 'string', default: '3' },
      batch: { type: 'string', default: '20000' },
    },
  })
  const count = Number(values.events)
  const repeats = Number(values.repeats)
  const batch = Number(values.batch)
  if (!Number.isInteger(batch) || batch < 1) throw new Error('--batch: a positive whole number')
  if (!Number.isInteger(count) || count < batch) throw new Error('--events: a whole number ≥ --batch')
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error('--repeats: a positive whole number')
  const dir = makeTempDir('implication-view-cost-')
  const store = await createStore(parseConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }))
  try {
    await migrate(store.client)
    const client = store.client
    const events = storedEvents(
      { org: 'viewcost', count, idPrefix: 'v', seed: 11, nowMs: Date.now() },
      new Date(),
    )
    const configs: { step: string; views: Set<string> }[] = [
      { step: 'every view', views: new Set(rollups) },
      ...rollups.map((r) => ({ step: `without ${r}`, views: new Set(rollups.filter((x) => x !== r)) })),
      { step: 'no view', views: new Set<string>() },
    ]
    const present = new Set(rollups)
    const rates = new Map<string, number[]>()
    const cpus = new Map<string, number[]>()
    for (let round = 0; round <= repeats; round++) {
      for (const config of configs) {
        process.stderr.write(`\r\x1b[Kround ${round}/${repeats}: ${config.step}`)
        await setViews(client, present, config.views)
        for (const table of tables) await client.command({ query: `TRUNCATE TABLE ${table}` })
        const cpu0 = process.cpuUsage()
        const { seconds } = await insertInBatches(client, events, batch)
        // The process's CPU, the engine's threads included (chDB runs in it): µs per event.
        const { user, system } = process.cpuUsage(cpu0)
        // Round 0 warms up (JIT, the engine's first parts), untimed.
        if (round > 0) {
          rates.set(config.step, [...(rates.get(config.step) ?? []), count / seconds])
          cpus.set(config.step, [...(cpus.get(config.step) ?? []), (user + system) / count])
        }
      }
    }
    await setViews(client, present, new Set(rollups))
    process.stderr.write('\r\x1b[K')

    const eps = (step: string) => median(rates.get(step)!)
    const cpu = (step: string) => median(cpus.get(step)!)
    const all = eps('every view')
    const bare = eps('no view')
    const viewsUs = (1 / all - 1 / bare) * 1e6
    const viewsCpu = cpu('every view') - cpu('no view')
    console.log(
      `\n${count.toLocaleString('en')} events in batches of ${batch.toLocaleString('en')}, median of ${repeats} rounds (embedded chDB)`,
    )
    console.log(
      `${'configuration'.padEnd(40)} ${'events/s'.padStart(9)}  × bare  ${'wall µs/ev saved'.padStart(16)}  ${'CPU µs/ev'.padStart(9)}  CPU µs/ev saved`,
    )
    for (const { step } of configs) {
      const rate = eps(step)
      const saved = step.startsWith('without ')
        ? [(1 / all - 1 / rate) * 1e6, cpu('every view') - cpu(step)]
        : step === 'every view'
          ? [viewsUs, viewsCpu]
          : null
      const share = (v: number, of: number) =>
        `${v.toFixed(1).padStart(6)} (${((v / of) * 100).toFixed(0).padStart(3)} %)`
      console.log(
        `${step.padEnd(40)} ${Math.round(rate).toLocaleString('en').padStart(9)}  ${(rate / bare).toFixed(2).padStart(5)}  ${
          saved ? share(saved[0]!, viewsUs).padStart(16) : ''.padStart(16)
        }  ${cpu(step).toFixed(1).padStart(9)}  ${saved ? share(saved[1]!, viewsCpu) : ''}`,
      )
    }
    console.log(
      '(saved: what dropping that view alone saves against every view; "every view": all views against none)',
    )
  } finally {
    await store.close()
    removeTempDir(dir)
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
