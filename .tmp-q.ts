import { dayInRange, eventCountsSql } from './analytics/rollups.ts'
import { runQuery } from './analytics/run.ts'
import { createStore } from './server/clickhouse.ts'

const store = await createStore({ DATA_DIR: `data/bench/10m`, CLICKHOUSE_URL: undefined } as never)
const p = { org: 'bench', from: '2025-11-01', to: '2026-11-01' }
const qs: Record<string, string> = {
  full: `SELECT sum(n) FROM (${eventCountsSql({}, dayInRange)})`,
  sealedOnly: `SELECT sum(n) FROM rollup_sealed_counts WHERE org = {org:String} AND ${dayInRange} AND day IN {sealed_days:Array(Date)} AND seal IN {sealed_ids:Array(UUID)}`,
  sealedNoSeal: `SELECT sum(n) FROM rollup_sealed_counts WHERE org = {org:String} AND ${dayInRange} AND day IN {sealed_days:Array(Date)}`,
  setsOnly: `SELECT count() FROM rollup_event_counts WHERE org = {org:String} AND ${dayInRange} AND day NOT IN {sealed_days:Array(Date)}`,
}
for (let r = 0; r < 3; r++)
  for (const [k, q] of Object.entries(qs)) {
    const t0 = performance.now()
    const rows = await runQuery(store.client, q, p)
    console.log(k, (performance.now() - t0).toFixed(0), JSON.stringify(rows))
  }
await store.close()
