// What the rollups cost at insert: `npx tsx bench/view-cost.ts [--events 200000]`.
// In a fresh embedded store, inserts the same benchmark events (as the server stores them, in
// batches of 20,000) with every materialized view in place, then again after dropping the views
// one at a time, newest first, and prints the insert rate of each step: the difference between
// two steps is what that view costs. The tables are emptied before each insert; one untimed
// round first warms up.
import { parseArgs } from 'node:util'
import { parseConfig } from '../schemas/config.ts'
import { createStore } from '../server/clickhouse.ts'
import { migrate } from '../server/migrate.ts'
import { makeTempDir, removeTempDir } from './children.ts'
import { insertInBatches, storedEvents } from './raw-insert.ts'
import { median } from './stats.ts'

/** The views of migrations 007–009 (but rollup_day_actives, dropped by 010), dropped in this order. */
const views = [
  'rollup_social_events_mv',
  'rollup_event_counts_mv',
  'rollup_actor_firsts_mv',
  'rollup_actor_day_mv',
]
const tables = [
  'events',
  'rollup_social_events',
  'rollup_event_counts',
  'rollup_actor_firsts',
  'rollup_actor_day',
]

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { events: { type: 'string', default: '200000' }, repeats: { type: 'string', default: '3' } },
  })
  const count = Number(values.events)
  const repeats = Number(values.repeats)
  if (!Number.isInteger(count) || count < 20_000) throw new Error('--events: a whole number ≥ 20000')
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error('--repeats: a positive whole number')
  const dir = makeTempDir('implication-view-cost-')
  const store = await createStore(parseConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }))
  try {
    await migrate(store.client)
    const events = storedEvents(
      { org: 'viewcost', count, idPrefix: 'v', seed: 11, nowMs: Date.now() },
      new Date(),
    )
    const rows: { step: string; eps: number }[] = []
    const measure = async (step: string) => {
      const rates: number[] = []
      for (let i = 0; i < repeats; i++) {
        for (const table of tables) await store.client.command({ query: `TRUNCATE TABLE ${table}` })
        const { seconds } = await insertInBatches(store.client, events, 20_000)
        rates.push(count / seconds)
      }
      rows.push({ step, eps: median(rates) })
      process.stderr.write(`${step}: ${Math.round(median(rates)).toLocaleString('en')} events/s\n`)
    }
    // A warm-up round, untimed (JIT, the engine's first parts).
    await insertInBatches(store.client, events, 20_000)
    await measure('every view (migrations 007–009)')
    for (const view of views) {
      await store.client.command({ query: `DROP VIEW ${view}` })
      await measure(`… and without ${view}`)
    }
    const bare = rows.at(-1)!.eps
    console.log(`\n${count.toLocaleString('en')} events in batches of 20,000, median of ${repeats}`)
    for (const [i, r] of rows.entries()) {
      const cost =
        i + 1 < rows.length
          ? ` (${views[i]}: ${((1 / r.eps - 1 / rows[i + 1]!.eps) * 1e6).toFixed(1)} µs/event)`
          : ''
      console.log(
        `${r.step.padEnd(40)} ${Math.round(r.eps).toLocaleString('en').padStart(9)} ev/s  ${(r.eps / bare).toFixed(2)} × bare${cost}`,
      )
    }
  } finally {
    await store.close()
    removeTempDir(dir)
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
