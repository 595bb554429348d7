// Metric endpoints on the cached datasets: p50 and p95 of every metric over HTTP, from a
// server child process, on the rollups and on the raw-scan baseline of the same query
// (IMPLICATION_METRICS_SOURCE=raw), with the server's peak RSS; then, in this process, the rows and
// bytes each metric reads on both paths (system.query_log), to show where the time goes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { addDays } from '../analytics/query.ts'
import { metricNames } from '../schemas/api/catalogue.ts'
import { benchOrg, type Dataset } from './datasets.ts'
import { benchAdminToken, startServer } from './server.ts'
import { percentile, round } from './stats.ts'

export interface MetricTiming {
  p50_ms: number
  p95_ms: number
  raw_p50_ms: number
  raw_p95_ms: number
  /** raw p95 ÷ rollup p95 */
  speedup: number
  runs: number
  raw_runs: number
  /** Why a path has no timing (e.g. "raw: HTTP 504 …"): the endpoint failed; NaN figures. */
  error?: string
}

export interface DatasetTimings {
  events: number
  query: string
  metrics: Record<string, MetricTiming>
  serverRssMb: { rollup: number; raw: number }
}

export interface LatencyOptions {
  runs: number
  rawRuns: number
  warmUp: number
  /** Only these endpoints (every one when absent). */
  metrics?: string[]
  log: (line: string) => void
}

/** The bench servers' query time limit, in seconds (QUERY_MAX_EXECUTION_SECONDS). */
export const benchQuerySeconds = 900

/** The dashboard's default view: the last year of the dataset, by week. */
export function defaultQuery(dataset: Dataset): string {
  return `from=${addDays(dataset.spec.end, -365)}&to=${dataset.spec.end}&interval=week`
}

async function timeEndpoints(
  dataset: Dataset,
  source: 'rollup' | 'raw',
  runs: number,
  options: LatencyOptions,
): Promise<{ timings: Record<string, number[]>; errors: Record<string, string>; peakRssMb: number }> {
  // The query time limit is raised (default 30 s) so that the large datasets' slow endpoints are
  // timed rather than cut; the per-query memory limit stays the server's default.
  const server = await startServer(
    { IMPLICATION_METRICS_SOURCE: source, QUERY_MAX_EXECUTION_SECONDS: String(benchQuerySeconds) },
    dataset.dir,
  )
  const timings: Record<string, number[]> = {}
  const errors: Record<string, string> = {}
  try {
    for (const name of options.metrics ?? metricNames) {
      const url = `${server.url}/v1/orgs/${benchOrg}/metrics/${name}?${defaultQuery(dataset)}`
      const list: number[] = []
      for (let i = 0; i < options.warmUp + runs; i++) {
        const t0 = performance.now()
        const res = await fetch(url, {
          headers: { authorization: `Bearer ${benchAdminToken}` },
          signal: AbortSignal.timeout((benchQuerySeconds + 60) * 1000),
        }).catch((err: Error) => err)
        const body = res instanceof Error ? res.message : await res.text()
        if (res instanceof Error || res.status !== 200) {
          // One failed endpoint does not end the run: it is reported as failed, the others go on.
          errors[name] =
            `${source}: ${res instanceof Error ? res.name : `HTTP ${res.status}`} ${body.slice(0, 160)}`
          options.log(`  ${dataset.spec.name} ${source.padEnd(6)} ${name.padEnd(14)} FAILED ${errors[name]}`)
          list.length = 0
          break
        }
        if (i >= options.warmUp) list.push(performance.now() - t0)
      }
      timings[name] = list
      if (errors[name]) continue
      options.log(
        `  ${dataset.spec.name} ${source.padEnd(6)} ${name.padEnd(14)} p50 ${round(percentile(list, 50))} ms, p95 ${round(percentile(list, 95))} ms`,
      )
    }
    return { timings, errors, peakRssMb: server.peakRssMb() }
  } finally {
    await server.stop()
  }
}

export async function measureDataset(dataset: Dataset, options: LatencyOptions): Promise<DatasetTimings> {
  options.log(
    `metrics on ${dataset.spec.name}: rollups, ${options.runs} runs after ${options.warmUp} warm-up each`,
  )
  const rollup = await timeEndpoints(dataset, 'rollup', options.runs, options)
  options.log(
    `metrics on ${dataset.spec.name}: raw scan, ${options.rawRuns} runs after ${options.warmUp} warm-up each`,
  )
  const raw = await timeEndpoints(dataset, 'raw', options.rawRuns, options)
  const metrics: Record<string, MetricTiming> = {}
  // A failed path has no timings: NaN, written as null in the JSON.
  const pct = (xs: number[], p: number) => (xs.length > 0 ? percentile(xs, p) : Number.NaN)
  for (const name of options.metrics ?? metricNames) {
    const r = rollup.timings[name]!
    const b = raw.timings[name]!
    const p95 = pct(r, 95)
    metrics[name] = {
      p50_ms: round(pct(r, 50), 1),
      p95_ms: round(p95, 1),
      raw_p50_ms: round(pct(b, 50), 1),
      raw_p95_ms: round(pct(b, 95), 1),
      speedup: round(pct(b, 95) / p95, 2),
      runs: r.length,
      raw_runs: b.length,
      ...(rollup.errors[name] || raw.errors[name]
        ? { error: [rollup.errors[name], raw.errors[name]].filter(Boolean).join('; ') }
        : {}),
    }
  }
  return {
    events: dataset.events,
    query: defaultQuery(dataset),
    metrics,
    serverRssMb: { rollup: round(rollup.peakRssMb), raw: round(raw.peakRssMb) },
  }
}

/** The metric table: one line per metric and dataset, with the p95 aim of that size. */
export function formatLatencyTable(results: Record<string, DatasetTimings>): string {
  const aims: Record<string, number> = { '1m': 100, '10m': 100, '100m': 1000 }
  const lines = [
    `${'dataset'.padEnd(8)}${'metric'.padEnd(15)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'raw p95'.padStart(10)}${'raw/rollup'.padStart(12)}${'aim p95'.padStart(9)}  met`,
  ]
  for (const [name, r] of Object.entries(results)) {
    const aim = aims[name] ?? 1000
    for (const [metric, t] of Object.entries(r.metrics)) {
      lines.push(
        `${name.padEnd(8)}${metric.padEnd(15)}${String(t.p50_ms).padStart(9)}${String(t.p95_ms).padStart(9)}${String(t.raw_p95_ms).padStart(10)}${`${t.speedup}×`.padStart(12)}${String(aim).padStart(9)}  ${t.p95_ms <= aim ? 'yes' : 'no'}${t.error ? `  FAILED ${t.error.slice(0, 80)}` : ''}`,
      )
    }
    lines.push(
      `${name.padEnd(8)}${`(${r.events.toLocaleString('en')} events; server peak RSS ${r.serverRssMb.rollup} MB on rollups, ${r.serverRssMb.raw} MB raw)`}`,
    )
  }
  return lines.join('\n')
}

/** Writes the metric figures into bench/results/latest.json beside the ingest section:
 * `queries.<dataset>.<metric>` and `memory.server_rss_mb` (the larger of ingest and metrics). */
export function mergeIntoResults(file: string, results: Record<string, DatasetTimings>): void {
  let json: Record<string, unknown> = {}
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  } catch {}
  const queries = { ...((json.queries as Record<string, unknown> | undefined) ?? {}) }
  const memory = { ...((json.memory as Record<string, number> | undefined) ?? {}) }
  const metricsRss: Record<string, { rollup: number; raw: number }> = {
    ...((memory.metrics_server_rss_mb as unknown as Record<string, { rollup: number; raw: number }>) ?? {}),
  }
  for (const [name, r] of Object.entries(results)) {
    // A run of some endpoints only (--metrics) updates those and keeps the others' figures, and
    // its peak RSS counts only when above the full run's.
    const partial = Object.keys(r.metrics).length < metricNames.length
    const before = (queries[name] ?? {}) as Record<string, unknown>
    queries[name] = { ...(partial ? before : {}), events: r.events, query: r.query, ...r.metrics }
    const old = metricsRss[name]
    metricsRss[name] =
      partial && old
        ? { rollup: Math.max(old.rollup, r.serverRssMb.rollup), raw: Math.max(old.raw, r.serverRssMb.raw) }
        : r.serverRssMb
  }
  const ingestRss =
    typeof memory.ingest_server_rss_mb === 'number'
      ? memory.ingest_server_rss_mb
      : (memory.server_rss_mb ?? 0)
  const peaks = Object.values(metricsRss).flatMap((r) => [r.rollup, r.raw])
  const out = {
    ...json,
    queries,
    memory: {
      server_rss_mb: Math.max(ingestRss, ...peaks),
      ingest_server_rss_mb: ingestRss,
      metrics_server_rss_mb: metricsRss,
    },
  }
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`)
}
