// Metric endpoints on the cached datasets: p50 and p95 of every metric over HTTP, from a server
// child process, for the simulated UTC org, its copy in Europe/Paris and both with a department
// filter (the variants), on the rollups; the UTC org again on the raw scan of the same query
// (IMPLICATION_METRICS_SOURCE=raw); the server's peak RSS. Each p95 is also given as a multiple of
// the baseline's: a bare `uniqExact(actor)` over the year of raw events, timed on the same store
// beforehand (bench/dataset-child.ts), which the endpoints aim to beat 4× (0.25×).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { addDays } from '../analytics/query.ts'
import { metricCatalogue, metricNames } from '../schemas/api/catalogue.ts'
import { benchOrg, type Dataset } from './datasets.ts'
import { type Prepared, prepareDataset, zoneOrg } from './prepared.ts'
import { benchAdminToken, startServer } from './server.ts'
import { percentile, round } from './stats.ts'

/** What an endpoint is timed for: the UTC org or its Paris copy, with or without the department
 * filter; the last one as HR, whose answers go through the privacy layer's grid (an admin's skip
 * it). */
export const variantNames = [
  'utc',
  'utc-department',
  'paris',
  'paris-department',
  'paris-department-hr',
] as const
export type VariantName = (typeof variantNames)[number]

const variantLabels: Record<VariantName, string> = {
  utc: 'UTC',
  'utc-department': 'UTC + dept',
  paris: 'Paris',
  'paris-department': 'Paris + dept',
  'paris-department-hr': 'Paris + dept, HR',
}

/** The aim: an endpoint's p95 at most this multiple of the baseline's p95. */
export const baselineAim = 0.25

export interface VariantTiming {
  org: string
  p50_ms: number
  p95_ms: number
  /** p95 ÷ the baseline's p95. */
  vs_baseline: number
  runs: number
  /** Why it has no timing: the endpoint failed (NaN figures). */
  error?: string
  /** Why it was not timed: the endpoint takes no department filter. */
  skipped?: string
}

export interface MetricTiming {
  /** The UTC org on the rollups (the `utc` variant). */
  p50_ms: number
  p95_ms: number
  raw_p50_ms: number
  raw_p95_ms: number
  /** raw p95 ÷ rollup p95 */
  speedup: number
  runs: number
  raw_runs: number
  /** Every variant timed, `utc` included. */
  variants: Partial<Record<VariantName, VariantTiming>>
  /** Why a path has no timing (e.g. "raw: HTTP 504 …"): the endpoint failed; NaN figures. */
  error?: string
}

export interface DatasetTimings {
  events: number
  query: string
  baseline: Prepared['baseline']
  /** The department filter's value and size. */
  department: Prepared['department']
  zone_org: Prepared['zoneOrg']
  merges_settled: boolean
  metrics: Record<string, MetricTiming>
  serverRssMb: { rollup: number; raw: number }
}

export interface LatencyOptions {
  runs: number
  rawRuns: number
  warmUp: number
  /** Only these endpoints (every one when absent). */
  metrics?: string[]
  /** The variants to time on the rollups (`utc` is always timed). */
  variants: readonly VariantName[]
  log: (line: string) => void
}

/** The bench servers' query time limit, in seconds (QUERY_MAX_EXECUTION_SECONDS). */
export const benchQuerySeconds = 900

/** The dashboard's default view: the last year of the dataset, by week. */
export function defaultQuery(dataset: Dataset): string {
  return `from=${addDays(dataset.spec.end, -365)}&to=${dataset.spec.end}&interval=week`
}

/** One series of requests: an org and a query string, for every metric that takes it. */
interface Target {
  name: VariantName
  org: string
  query: string
  /** Asked as HR (the privacy layer applies), else as the admin. */
  hr: boolean
  /** Why a metric is not timed for this target, or null when it is. */
  skip(metric: string): string | null
}

function targetsOf(dataset: Dataset, prepared: Prepared, variants: readonly VariantName[]): Target[] {
  const base = defaultQuery(dataset)
  return variants.map((name) => {
    const paris = name.startsWith('paris')
    const withDepartment = name.includes('-department')
    const department = withDepartment ? prepared.department : null
    return {
      name,
      org: paris ? (prepared.zoneOrg?.org ?? `${benchOrg}${zoneOrg.suffix}`) : benchOrg,
      query: department ? `${base}&department=${encodeURIComponent(department.name)}` : base,
      hr: name.endsWith('-hr'),
      skip: (metric) => {
        if (!withDepartment) return null
        if (!department) return 'no department in the roster'
        const filters: readonly string[] = metricCatalogue[metric as keyof typeof metricCatalogue].filters
        return filters.includes('department') ? null : 'takes no department filter'
      },
    }
  })
}

interface TargetResult {
  timings: Record<string, number[]>
  errors: Record<string, string>
  skipped: Record<string, string>
}

async function timeEndpoints(
  dataset: Dataset,
  source: 'rollup' | 'raw',
  runs: number,
  targets: readonly Target[],
  options: LatencyOptions,
): Promise<{ results: Partial<Record<VariantName, TargetResult>>; peakRssMb: number }> {
  // The query time limit is raised (default 30 s) so that the large datasets' slow endpoints are
  // timed rather than cut; the per-query memory limit stays the server's default.
  const server = await startServer(
    { IMPLICATION_METRICS_SOURCE: source, QUERY_MAX_EXECUTION_SECONDS: String(benchQuerySeconds) },
    dataset.dir,
  )
  const results: Partial<Record<VariantName, TargetResult>> = {}
  for (const t of targets) results[t.name] = { timings: {}, errors: {}, skipped: {} }
  try {
    const hrToken = targets.some((t) => t.hr) ? await createToken(server.url, 'hr') : ''
    // Metric by metric, the variants in rounds (one request each per round, warm-ups first): a
    // variant's figures are taken over the same minutes as the UTC org's, so a change of load on
    // the machine, or the first requests' cold caches, shift them alike.
    for (const name of options.metrics ?? metricNames) {
      const live: Target[] = []
      for (const target of targets) {
        const skip = target.skip(name)
        if (skip) results[target.name]!.skipped[name] = skip
        else {
          results[target.name]!.timings[name] = []
          live.push(target)
        }
      }
      const label = (target: Target) =>
        `  ${dataset.spec.name} ${source.padEnd(6)} ${target.name.padEnd(16)} ${name.padEnd(14)}`
      for (let i = 0; i < options.warmUp + runs; i++) {
        for (const target of live) {
          const result = results[target.name]!
          if (result.errors[name]) continue
          const url = `${server.url}/v1/orgs/${target.org}/metrics/${name}?${target.query}`
          const t0 = performance.now()
          const res = await fetch(url, {
            headers: { authorization: `Bearer ${target.hr ? hrToken : benchAdminToken}` },
            signal: AbortSignal.timeout((benchQuerySeconds + 60) * 1000),
          }).catch((err: Error) => err)
          const body = res instanceof Error ? res.message : await res.text()
          if (res instanceof Error || res.status !== 200) {
            // One failed endpoint does not end the run: it is reported as failed, the others go on.
            result.errors[name] =
              `${source} ${target.name}: ${res instanceof Error ? res.name : `HTTP ${res.status}`} ${body.slice(0, 160)}`
            result.timings[name] = []
            options.log(`${label(target)} FAILED ${result.errors[name]}`)
            continue
          }
          if (i >= options.warmUp) result.timings[name]!.push(performance.now() - t0)
        }
      }
      for (const target of live) {
        const result = results[target.name]!
        const list = result.timings[name]!
        if (result.errors[name] || list.length === 0) continue
        options.log(
          `${label(target)} p50 ${round(percentile(list, 50))} ms, p95 ${round(percentile(list, 95))} ms`,
        )
      }
    }
    return { results, peakRssMb: server.peakRssMb() }
  } finally {
    await server.stop()
  }
}

/** A token of `role` for every org, made by the admin. */
async function createToken(url: string, role: string): Promise<string> {
  const res = await fetch(`${url}/v1/admin/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${benchAdminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ role, orgs: ['*'], label: `bench ${role}` }),
  })
  if (res.status !== 201)
    throw new Error(`bench: could not make a ${role} token: HTTP ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

export async function measureDataset(dataset: Dataset, options: LatencyOptions): Promise<DatasetTimings> {
  const variants = variantNames.filter((v) => v === 'utc' || options.variants.includes(v))
  options.log(
    `metrics on ${dataset.spec.name}: preparing (the ${zoneOrg.zone} copy and the baseline table once, then the baseline timed: ${options.runs} runs after ${options.warmUp} warm-up)`,
  )
  const prepared = await prepareDataset(dataset.dir, {
    org: benchOrg,
    from: addDays(dataset.spec.end, -365),
    to: dataset.spec.end,
    runs: options.runs,
    warmUp: options.warmUp,
    withZoneOrg: variants.some((v) => v.startsWith('paris')),
  })
  const dept = prepared.department
  if (variants.some((v) => v.includes('-department')))
    options.log(
      dept
        ? `metrics on ${dataset.spec.name}: department filter "${dept.name}" (${dept.people.toLocaleString('en')} of ${dept.of.toLocaleString('en')} people)`
        : `metrics on ${dataset.spec.name}: the roster names no department: no department variant`,
    )
  const targets = targetsOf(dataset, prepared, variants)
  options.log(
    `metrics on ${dataset.spec.name}: rollups, ${variants.join(', ')}, ${options.runs} runs after ${options.warmUp} warm-up each`,
  )
  const rollup = await timeEndpoints(dataset, 'rollup', options.runs, targets, options)
  options.log(
    `metrics on ${dataset.spec.name}: raw scan, utc, ${options.rawRuns} runs after ${options.warmUp} warm-up each`,
  )
  const raw = await timeEndpoints(
    dataset,
    'raw',
    options.rawRuns,
    targets.filter((t) => t.name === 'utc'),
    options,
  )
  const metrics: Record<string, MetricTiming> = {}
  // A failed path has no timings: NaN, written as null in the JSON.
  const pct = (xs: number[] | undefined, p: number) => (xs && xs.length > 0 ? percentile(xs, p) : Number.NaN)
  const basis = prepared.baseline.p95_ms
  for (const name of options.metrics ?? metricNames) {
    const timed: Partial<Record<VariantName, VariantTiming>> = {}
    for (const target of targets) {
      const r = rollup.results[target.name]!
      const list = r.timings[name]
      timed[target.name] = {
        org: target.org,
        p50_ms: round(pct(list, 50), 1),
        p95_ms: round(pct(list, 95), 1),
        vs_baseline: round(pct(list, 95) / basis, 3),
        runs: list?.length ?? 0,
        ...(r.errors[name] ? { error: r.errors[name] } : {}),
        ...(r.skipped[name] ? { skipped: r.skipped[name] } : {}),
      }
    }
    const r = rollup.results.utc!.timings[name]
    const b = raw.results.utc!.timings[name]
    const errors = [rollup.results.utc!.errors[name], raw.results.utc!.errors[name]].filter(Boolean)
    metrics[name] = {
      p50_ms: round(pct(r, 50), 1),
      p95_ms: round(pct(r, 95), 1),
      raw_p50_ms: round(pct(b, 50), 1),
      raw_p95_ms: round(pct(b, 95), 1),
      speedup: round(pct(b, 95) / pct(r, 95), 2),
      runs: r?.length ?? 0,
      raw_runs: b?.length ?? 0,
      variants: timed,
      ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
    }
  }
  return {
    events: dataset.events,
    query: defaultQuery(dataset),
    baseline: prepared.baseline,
    department: prepared.department,
    zone_org: prepared.zoneOrg,
    merges_settled: prepared.mergesSettled,
    metrics,
    serverRssMb: { rollup: round(rollup.peakRssMb), raw: round(raw.peakRssMb) },
  }
}

/** The metric table: one line per metric and dataset (UTC org), with the p95 aim of that size. */
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

const fmtMs = (ms: number) => (Number.isFinite(ms) ? Math.round(ms).toLocaleString('en') : '—')

/**
 * Per dataset: the baseline, then every endpoint's p95 for each variant and its multiple of the
 * baseline's p95, `✗` where it is above the aim; failures listed under the table.
 */
export function formatBaselineTable(results: Record<string, DatasetTimings>): string {
  const out: string[] = []
  for (const [name, r] of Object.entries(results)) {
    const b = r.baseline
    const first = Object.values(r.metrics)[0]
    const variants = variantNames.filter((v) => first?.variants[v] !== undefined)
    out.push(
      `[${name}] ${r.events.toLocaleString('en')} events of org ${benchOrg} (UTC)${r.zone_org ? `; ${r.zone_org.org}: the same events, roster and settings, calendar and time zone ${r.zone_org.zone}` : ''}`,
    )
    out.push(`  query: ${r.query}; p95 of ${b.runs} run${b.runs === 1 ? '' : 's'} each (the baseline too)`)
    out.push(
      `  baseline: ${b.sql.replace(/\s+/g, ' ')}  (${b.table}: MergeTree ORDER BY (org, time); ${b.rows.toLocaleString('en')} rows in the range, answer ${b.people.toLocaleString('en')})`,
    )
    out.push(
      `  baseline p50 ${fmtMs(b.p50_ms)} ms, p95 ${fmtMs(b.p95_ms)} ms; aim: endpoint p95 ≤ ${baselineAim} × ${fmtMs(b.p95_ms)} = ${(baselineAim * b.p95_ms).toFixed(1)} ms; ✗ = above the aim${r.merges_settled ? '' : ' (background merges were still running when the baseline was timed)'}`,
    )
    if (r.department)
      out.push(
        `  department filter: department=${r.department.name} (${r.department.people.toLocaleString('en')} of ${r.department.of.toLocaleString('en')} people, ${((100 * r.department.people) / r.department.of).toFixed(1)} %)`,
      )
    const header = ['metric', ...variants.flatMap((v) => [`${variantLabels[v]} p95`, '× base'])]
    const rows: string[][] = []
    const failures: string[] = []
    let above = 0
    let timed = 0
    for (const [metric, t] of Object.entries(r.metrics)) {
      const cells = [metric]
      for (const v of variants) {
        const x = t.variants[v]!
        if (x.skipped) cells.push('—', '')
        else if (x.error || !Number.isFinite(x.p95_ms)) {
          cells.push('FAILED', '')
          failures.push(`  ${metric} ${v}: ${x.error ?? 'no timing'}`)
        } else {
          timed++
          const over = x.vs_baseline > baselineAim
          if (over) above++
          cells.push(`${fmtMs(x.p95_ms)} ms`, `${x.vs_baseline.toFixed(2)}×${over ? ' ✗' : '  '}`)
        }
      }
      rows.push(cells)
    }
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((c) => c[i]!.length)))
    const line = (c: readonly string[]) =>
      `  ${c.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`.trimEnd()
    out.push('', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line))
    out.push(
      `  ${above} of ${timed} timings above the aim of ${baselineAim}×${failures.length > 0 ? `; ${failures.length} FAILED:` : ''}`,
    )
    out.push(...failures)
    if (variants.some((v) => v.includes('-department')))
      out.push('  —: the endpoint takes no department filter')
    out.push('')
  }
  return out.join('\n').trimEnd()
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
    queries[name] = {
      ...(partial ? before : {}),
      events: r.events,
      query: r.query,
      baseline: r.baseline,
      baseline_aim: baselineAim,
      department: r.department,
      zone_org: r.zone_org,
      merges_settled: r.merges_settled,
      ...r.metrics,
    }
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
