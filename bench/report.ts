// The benchmark's output: the aligned text table (stdout) and bench/results/latest.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { DedupResult, DedupScenario } from './engine-results.ts'
import type { IngestRun } from './ingest.ts'
import { round } from './stats.ts'
import type { VisibilityResult } from './visibility.ts'

export interface Machine {
  cpus: number
  cpu_model: string
  mem_gb: number
  node: string
  date: string
  chdb: string
  clickhouse_version: string
  /** 1-minute load average when the benchmark started: other work on the machine skews figures. */
  loadavg_at_start: number
}

export interface BenchResults {
  machine: Machine
  events: number
  rawEps: number
  /** CPU of other processes during the raw and dedup children, % of one core (see `disturbed`). */
  rawRestCpuPct: number | null
  dedupRestCpuPct: number | null
  direct: IngestRun[]
  kafka: IngestRun[]
  /** Why there are no Kafka rows, when there are none. */
  kafkaSkipped: string | null
  kafkaBroker: string | null
  visibility: VisibilityResult | null
  dedup: DedupResult | null
}

type Row = { kind: 'section'; title: string } | { kind: 'row'; cells: [string, string, string, string] }

const fmtInt = (n: number) => Math.round(n).toLocaleString('en')
const fmtEps = (n: number) => `${fmtInt(n)} ev/s`
const fmtMs = (n: number) => `${n < 10 ? n.toFixed(1) : fmtInt(n)} ms`
const fmtRatio = (n: number, of: string) => `${n.toFixed(2)} × ${of}`
const pct = (cpu: number | null, seconds: number) =>
  cpu === null ? '?' : `${Math.round((cpu / seconds) * 100)}%`

const disturbedPct = 33

/** More than a third of a core went to other processes: the run's figures are not to be trusted. */
export function disturbed(r: IngestRun): boolean {
  return r.otherCpu !== null && (r.otherCpu / r.storedSeconds) * 100 > disturbedPct
}

function restNote(pctOfCore: number | null): string {
  if (pctOfCore === null) return ''
  return `rest ${Math.round(pctOfCore)}%${pctOfCore > disturbedPct ? ' (DISTURBED by other work)' : ''}`
}

/** The run with the highest stored rate. */
export function bestRun(runs: readonly IngestRun[]): IngestRun | null {
  return runs.reduce<IngestRun | null>(
    (best, r) => (best === null || r.storedEps > best.storedEps ? r : best),
    null,
  )
}

function ingestRows(results: BenchResults): Row[] {
  const raw = results.rawEps
  const rows: Row[] = [
    { kind: 'section', title: `ingest: ${fmtInt(results.events)} events, NDJSON bodies of 1,000` },
    {
      kind: 'row',
      cells: [
        'raw engine insert (insertEvents, 20k batches)',
        fmtEps(raw),
        fmtRatio(1, 'raw'),
        restNote(results.rawRestCpuPct),
      ],
    },
  ]
  const cpuNote = (r: IngestRun) =>
    `CPU server ${pct(r.serverCpu, r.storedSeconds)}, loadgen ${pct(r.loadCpu, r.storedSeconds)}` +
    (r.brokerCpu === null ? '' : `, broker ${pct(r.brokerCpu, r.storedSeconds)}`) +
    `, rest ${pct(r.otherCpu, r.storedSeconds)}` +
    (disturbed(r) ? ' (DISTURBED by other work)' : '')
  const bestDirect = bestRun(results.direct)
  for (const r of results.direct) {
    const mark = r === bestDirect ? ' *' : ''
    rows.push({
      kind: 'row',
      cells: [
        `direct ingest over HTTP, c=${r.concurrency}${mark}`,
        fmtEps(r.storedEps),
        fmtRatio(r.storedEps / raw, 'raw'),
        cpuNote(r),
      ],
    })
  }
  if (results.kafkaSkipped) {
    rows.push({ kind: 'row', cells: ['kafka ingest', 'skipped', '', results.kafkaSkipped] })
    return rows
  }
  const bestKafka = bestRun(results.kafka)
  for (const r of results.kafka) {
    const mark = r === bestKafka ? ' *' : ''
    const polls = r.statusPolls
      ? `${r.statusPolls.count} status polls meanwhile, ${fmtMs(r.statusPolls.meanMs)} each (max ${fmtMs(r.statusPolls.maxMs)})`
      : ''
    rows.push({
      kind: 'row',
      cells: [
        `kafka ingest, accepted (last 202), c=${r.concurrency}`,
        fmtEps(r.acceptEps),
        fmtRatio(r.acceptEps / raw, 'raw'),
        polls,
      ],
    })
    rows.push({
      kind: 'row',
      cells: [
        `kafka ingest, stored end-to-end, c=${r.concurrency}${mark}`,
        fmtEps(r.storedEps),
        fmtRatio(r.storedEps / raw, 'raw'),
        cpuNote(r),
      ],
    })
  }
  const v = results.visibility
  if (v) {
    const note = `${v.samples.length} requests of 10 events, 1 per 50 ms; max ${fmtMs(v.max)}`
    rows.push({ kind: 'row', cells: ['kafka visibility 202 → stored, p50', fmtMs(v.p50), '', note] })
    rows.push({ kind: 'row', cells: ['kafka visibility 202 → stored, p99', fmtMs(v.p99), '', ''] })
  }
  return rows
}

function memoryRows(results: BenchResults): Row[] {
  const peak = (runs: IngestRun[]) => Math.max(0, ...runs.map((r) => r.peakRssMb))
  const rows: Row[] = [{ kind: 'section', title: 'memory' }]
  rows.push({
    kind: 'row',
    cells: ['server peak RSS (VmHWM), direct', `${fmtInt(peak(results.direct))} MB`, '', ''],
  })
  if (results.kafka.length > 0) {
    rows.push({
      kind: 'row',
      cells: ['server peak RSS (VmHWM), kafka', `${fmtInt(peak(results.kafka))} MB`, '', ''],
    })
  }
  return rows
}

const queryLabels: Record<string, string> = {
  count_plain: 'count() plain',
  count_final: 'count() FINAL',
  uniq_exact_ids: 'uniqExact(source, id)',
  daily_actors_plain: 'daily distinct actors, plain',
  daily_actors_final: 'daily distinct actors, FINAL',
  daily_actors_limit_1_by: 'daily distinct actors, LIMIT 1 BY source, id',
}

function scenarioRows(title: string, scenario: DedupScenario): Row[] {
  const rows: Row[] = [{ kind: 'section', title: `${title}: ${scenario.active_parts} active parts` }]
  for (const [key, q] of Object.entries(scenario.queries)) {
    const answer = key.startsWith('daily')
      ? `Σ ${fmtInt(q.result)} actor-days over ${q.rows} days`
      : `→ ${fmtInt(q.result)}`
    const base = key.startsWith('daily') ? 'plain metric' : 'plain count'
    rows.push({
      kind: 'row',
      cells: [`  ${queryLabels[key] ?? key}`, fmtMs(q.ms), fmtRatio(q.vs_plain, base), answer],
    })
  }
  return rows
}

function dedupRows(dedup: DedupResult, restCpuPct: number | null): Row[] {
  const rest = restCpuPct === null ? '' : `; ${restNote(restCpuPct)}`
  const head = `dedup: ${fmtInt(dedup.events)} rows of one org, ${fmtInt(dedup.duplicates)} re-sent copies, median of ${dedup.runs}${rest}`
  return [
    { kind: 'section', title: head },
    ...scenarioRows('copies not merged yet (merges stopped)', dedup.pending),
    ...scenarioRows('after OPTIMIZE FINAL', dedup.merged),
  ]
}

export function formatTable(results: BenchResults): string {
  const m = results.machine
  const rows: Row[] = [
    ...ingestRows(results),
    ...memoryRows(results),
    ...(results.dedup ? dedupRows(results.dedup, results.dedupRestCpuPct) : []),
  ]
  const header: [string, string, string, string] = ['measure', 'value', 'ratio', 'note']
  const cellRows = rows.flatMap((r) => (r.kind === 'row' ? [r.cells] : []))
  const widths = [0, 1, 2].map((i) => Math.max(...[header, ...cellRows].map((c) => c[i]!.length)))
  const line = (c: readonly string[]) =>
    `${c[0]!.padEnd(widths[0]!)}  ${c[1]!.padStart(widths[1]!)}  ${c[2]!.padEnd(widths[2]!)}  ${c[3]}`.trimEnd()
  const out = [
    `Implication bench, ${m.date}`,
    `${m.cpus} × ${m.cpu_model}, ${m.mem_gb} GB, Node ${m.node}, chdb ${m.chdb} (ClickHouse ${m.clickhouse_version}), load avg at start ${m.loadavg_at_start}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w)).concat('----')),
  ]
  for (const r of rows) out.push(r.kind === 'section' ? `[${r.title}]` : line(r.cells))
  out.push('* = best concurrency (highest stored rate), the one reported in latest.json')
  out.push(
    'CPU: % of one core over the run (2 cores = 200%); rest = other processes and kernel (e.g. network softirq)',
  )
  const shaken =
    [...results.direct, ...results.kafka].filter(disturbed).length +
    [results.rawRestCpuPct, results.dedupRestCpuPct].filter((p) => p !== null && p > disturbedPct).length
  if (shaken > 0)
    out.push(`WARNING: ${shaken} measurement(s) shared the CPU with other work: rerun on a quiet machine`)
  return out.join('\n')
}

function runJson(r: IngestRun) {
  return {
    mode: r.mode,
    concurrency: r.concurrency,
    events: r.events,
    accept_eps: round(r.acceptEps),
    stored_eps: round(r.storedEps),
    accept_s: round(r.acceptSeconds, 3),
    stored_s: round(r.storedSeconds, 3),
    stored_events: r.storedEvents,
    retries: r.retries,
    server_cpu_s: round(r.serverCpu, 2),
    loadgen_cpu_s: round(r.loadCpu, 2),
    broker_cpu_s: r.brokerCpu === null ? null : round(r.brokerCpu, 2),
    other_cpu_s: r.otherCpu === null ? null : round(r.otherCpu, 2),
    peak_rss_mb: round(r.peakRssMb),
    disturbed: disturbed(r),
    status_polls: r.statusPolls
      ? {
          count: r.statusPolls.count,
          mean_ms: round(r.statusPolls.meanMs, 1),
          max_ms: round(r.statusPolls.maxMs, 1),
        }
      : null,
  }
}

function dedupJson(dedup: DedupResult, restCpuPct: number | null) {
  const { clickhouseVersion: _version, ...rest } = dedup
  const scenario = (s: DedupScenario) => ({
    active_parts: s.active_parts,
    queries: Object.fromEntries(
      Object.entries(s.queries).map(([k, q]) => [
        k,
        { ...q, ms: round(q.ms, 2), vs_plain: round(q.vs_plain, 2) },
      ]),
    ),
  })
  return {
    ...rest,
    insert_eps: round(rest.insert_eps),
    pending: scenario(rest.pending),
    merged: scenario(rest.merged),
    rest_cpu_pct: restCpuPct === null ? null : round(restCpuPct),
  }
}

export function resultsJson(results: BenchResults) {
  const direct = bestRun(results.direct)
  const kafka = bestRun(results.kafka)
  const raw = results.rawEps
  const ratio = (r: IngestRun | null) => (r ? round(r.storedEps / raw, 3) : null)
  return {
    machine: results.machine,
    ingest: {
      direct_eps: direct ? round(direct.storedEps) : null,
      kafka_eps: kafka ? round(kafka.storedEps) : null,
      raw_eps: round(raw),
      kafka_visibility_p50_ms: results.visibility ? round(results.visibility.p50, 1) : null,
      kafka_visibility_p99_ms: results.visibility ? round(results.visibility.p99, 1) : null,
      direct_vs_raw: ratio(direct),
      kafka_vs_raw: ratio(kafka),
      events: results.events,
      direct_concurrency: direct?.concurrency ?? null,
      kafka_concurrency: kafka?.concurrency ?? null,
      kafka_accept_eps: kafka ? round(kafka.acceptEps) : null,
      kafka_broker: results.kafkaBroker,
      kafka_skipped: results.kafkaSkipped,
      raw_rest_cpu_pct: results.rawRestCpuPct === null ? null : round(results.rawRestCpuPct),
      runs: [...results.direct, ...results.kafka].map(runJson),
    },
    dedup: results.dedup ? dedupJson(results.dedup, results.dedupRestCpuPct) : {},
    queries: {},
    memory: { server_rss_mb: round(Math.max(0, ...results.direct.map((r) => r.peakRssMb))) },
  }
}

/** The `queries` section the metric benchmark (metric-latency.ts) wrote into the file, kept as it is. */
function existingQueries(file: string): Record<string, unknown> {
  try {
    const queries: unknown = (JSON.parse(readFileSync(file, 'utf8')) as { queries?: unknown }).queries
    return queries && typeof queries === 'object' ? (queries as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

export function writeResults(results: BenchResults, dir: string): string {
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, 'latest.json')
  const json = { ...resultsJson(results), queries: existingQueries(file) }
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`)
  return file
}
