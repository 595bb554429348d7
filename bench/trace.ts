// `npx tsx bench/trace.ts --dataset 10m summary features`: runs metrics on a cached benchmark
// dataset the way the server does (dashboard default query, rollups) and prints each query they
// send with its time, slowest first: where a metric's time goes. No server may hold the dataset.
import { parseArgs } from 'node:util'
import type { ClickHouseClient } from '@clickhouse/client'
import type { MetricContext } from '../analytics/metric.ts'
import { metricRegistry } from '../analytics/metrics/index.ts'
import { metricQuerySchema, resolveQuery } from '../analytics/query.ts'
import type { MetricSource } from '../analytics/rollups.ts'
import { SettingsStore } from '../analytics/settings.ts'
import { parseConfig } from '../schemas/config.ts'
import { createStore } from '../server/clickhouse.ts'
import { benchOrg, datasetSpecs, ensureDataset } from './datasets.ts'
import { defaultQuery } from './metric-latency.ts'

const { values, positionals } = parseArgs({
  options: {
    dataset: { type: 'string', default: '1m' },
    source: { type: 'string', default: 'rollup' },
    runs: { type: 'string', default: '2' },
    /** One query at a time: each time is the query's own, not time spent queued behind others. */
    serial: { type: 'boolean', default: false },
  },
  allowPositionals: true,
})
const spec = datasetSpecs.find((d) => d.name === values.dataset)
if (!spec) throw new Error(`--dataset: one of ${datasetSpecs.map((d) => d.name).join(', ')}`)
const names = positionals.length > 0 ? positionals : metricRegistry.map((m) => m.name)
const dataset = await ensureDataset(spec, (l) => process.stderr.write(`${l}\n`))
const store = await createStore(parseConfig({ DATA_DIR: dataset.dir, LOG_LEVEL: 'silent' }))

let queue: Promise<unknown> = Promise.resolve()

/** The client, with each query's time and opening words recorded in `log`. */
function traced(client: ClickHouseClient, log: { ms: number; sql: string }[]): ClickHouseClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver)
      return async (args: Parameters<ClickHouseClient['query']>[0]) => {
        const run = async () => {
          const t0 = performance.now()
          const result = await target.query(args)
          const rows = await result.json()
          const sql = String(args.query).replace(/\s+/g, ' ').trim()
          log.push({ ms: performance.now() - t0, sql })
          return { json: async () => rows }
        }
        if (!values.serial) return run()
        const turn = queue.then(run)
        queue = turn.catch(() => undefined)
        return turn
      }
    },
  })
}

try {
  const settings = await new SettingsStore(store.client).get(benchOrg)
  const params = metricQuerySchema.parse(Object.fromEntries(new URLSearchParams(defaultQuery(dataset))))
  const now = new Date(`${spec.end}T00:00:00Z`)
  for (const name of names) {
    const metric = metricRegistry.find((m) => m.name === name)
    if (!metric) throw new Error(`no metric "${name}"`)
    let log: { ms: number; sql: string }[] = []
    let total = 0
    for (let run = 0; run < Number(values.runs); run++) {
      log = []
      const ctx: MetricContext = {
        client: traced(store.client, log),
        query: resolveQuery(benchOrg, params, settings.time_zone, now),
        settings,
        now,
        personLabel: (a) => a,
        source: values.source as MetricSource,
      }
      const t0 = performance.now()
      await metric.run(ctx)
      total = performance.now() - t0
    }
    console.log(`\n${name}: ${total.toFixed(0)} ms (last of ${values.runs} runs), ${log.length} queries`)
    for (const { ms, sql } of log.sort((a, b) => b.ms - a.ms)) {
      console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${sql.slice(0, 230)}`)
    }
  }
} finally {
  await store.close()
}
