// `npx tsx bench/sql.ts --dataset 10m "SELECT …"`: one query on a cached benchmark dataset, with
// its time; for looking at a dataset by hand while profiling (no server may hold it).
import { parseArgs } from 'node:util'
import { createStore } from '../server/clickhouse.ts'
import { datasetsRoot } from './datasets.ts'

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { dataset: { type: 'string', default: '1m' }, runs: { type: 'string', default: '1' } },
    allowPositionals: true,
  })
  const store = await createStore({
    DATA_DIR: `${datasetsRoot}/${values.dataset}`,
    CLICKHOUSE_URL: undefined,
  })
  try {
    for (const sql of positionals) {
      for (let run = 0; run < Number(values.runs); run++) {
        const t0 = performance.now()
        const rs = await store.client.query({ query: sql, format: 'JSONEachRow' })
        const rows = await rs.json()
        const ms = performance.now() - t0
        console.log(`${ms.toFixed(0)} ms  ${JSON.stringify(rows).slice(0, 1500)}`)
      }
    }
  } finally {
    await store.close()
  }
}
main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
