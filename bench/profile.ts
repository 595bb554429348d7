// Where a metric's time goes: `npx tsx bench/profile.ts [--dataset 1m] [--metric NAME]
// [--source rollup|raw] [--serial] [--org bench-paris] [--department NAME]` (`--serial`: one query at a time, so each time is the query's own,
// not time spent queued behind the metric's other queries).
// Opens a cached dataset in this process (no server may hold it), runs every metric once on the
// rollups and once on the raw scan, and times each SQL query it sends, with the rows ClickHouse
// expects to read (EXPLAIN ESTIMATE). chDB keeps no system.query_log, hence this.

import { parseArgs } from 'node:util'
import type { ClickHouseClient } from '@clickhouse/client'
import { readCalendar } from '../analytics/calendar.ts'
import type { MetricContext, MetricSource } from '../analytics/metric.ts'
import { metricRegistry } from '../analytics/metrics/index.ts'
import { resolveQuery } from '../analytics/query.ts'
import { SettingsStore } from '../analytics/settings.ts'
import { metricQuerySchema } from '../schemas/api/query.ts'
import { parseConfig } from '../schemas/config.ts'
import { createStore } from '../server/clickhouse.ts'
import { benchOrg, datasetSpecs, ensureDataset } from './datasets.ts'
import { defaultQuery } from './metric-latency.ts'

interface Traced {
  sql: string
  ms: number
  rows: number | null
}

/** A client whose `query` records each statement's time; everything else passes through. */
function tracing(client: ClickHouseClient, trace: Traced[]): ClickHouseClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver)
      return async (params: Parameters<ClickHouseClient['query']>[0]) => {
        if (values.serial) {
          // One query at a time: each waits for the previous one to end.
          const turn = queue.then(() => timed(target, params))
          queue = turn.catch(() => undefined)
          return turn
        }
        return timed(target, params)
      }
    },
  })

  async function timed(target: ClickHouseClient, params: Parameters<ClickHouseClient['query']>[0]) {
    const t0 = performance.now()
    const result = await target.query(params)
    const json = await result.json()
    const ms = performance.now() - t0
    let rows: number | null = null
    try {
      const estimate = await target.query({
        query: `EXPLAIN ESTIMATE ${params.query}`,
        query_params: params.query_params,
        format: 'JSONEachRow',
      })
      rows = (await estimate.json<{ rows: string }>()).reduce((s, r) => s + Number(r.rows), 0)
    } catch {}
    trace.push({ sql: params.query.replace(/\s+/g, ' ').trim(), ms, rows })
    return { json: async () => json } as never
  }
}

let queue: Promise<unknown> = Promise.resolve()

const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: '1m' },
    metric: { type: 'string' },
    source: { type: 'string' },
    serial: { type: 'boolean', default: false },
    org: { type: 'string', default: benchOrg },
    department: { type: 'string' },
  },
})
const spec = datasetSpecs.find((d) => d.name === values.dataset)
if (!spec) throw new Error(`--dataset: one of ${datasetSpecs.map((d) => d.name).join(', ')}`)
const dataset = await ensureDataset(spec, (l) => process.stderr.write(`${l}\n`))
const store = await createStore(parseConfig({ DATA_DIR: dataset.dir, LOG_LEVEL: 'silent' }))
try {
  const org = values.org
  const settings = await new SettingsStore(store.client).get(org)
  const calendar = await readCalendar(store.client, org)
  const params = metricQuerySchema.parse({
    ...Object.fromEntries(new URLSearchParams(defaultQuery(dataset))),
    ...(values.department ? { department: values.department } : {}),
  })
  const now = new Date(`${spec.end}T00:00:00Z`)
  for (const metric of metricRegistry) {
    if (values.metric && metric.name !== values.metric) continue
    for (const source of ['rollup', 'raw'] as MetricSource[]) {
      if (values.source && source !== values.source) continue
      const trace: Traced[] = []
      const ctx: MetricContext = {
        client: tracing(store.client, trace),
        query: resolveQuery(org, params, settings.time_zone, now),
        settings,
        now,
        personLabel: (a) => a,
        source,
        calendar,
      }
      const t0 = performance.now()
      await metric.run(ctx)
      const total = performance.now() - t0
      const sqlMs = trace.reduce((s, q) => s + q.ms, 0)
      console.log(
        `${metric.name} ${source}: ${total.toFixed(0)} ms total, ${trace.length} queries, ${sqlMs.toFixed(0)} ms summed over queries (they may overlap)`,
      )
      for (const q of [...trace].sort((a, b) => b.ms - a.ms).slice(0, 3)) {
        console.log(
          `    ${q.ms.toFixed(0).padStart(6)} ms  ~${q.rows === null ? '?' : q.rows.toLocaleString('en')} rows  ${q.sql.slice(0, 150)}`,
        )
      }
    }
  }
} finally {
  await store.close()
}
