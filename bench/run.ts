// `npm run bench [-- --quick]`: raw engine inserts, direct and Kafka ingest over HTTP, Kafka
// visibility latency and deduplication cost; then every metric endpoint on the cached datasets,
// for a UTC org, a Europe/Paris org and with a department filter, against a bare-scan baseline
// (bench/metric-latency.ts); tables on stdout, bench/results/latest.json on disk.
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { metricNames } from '../schemas/api/catalogue.ts'
import { cleanUpAll, repoRoot } from './children.ts'
import { datasetSpecs, ensureDataset } from './datasets.ts'
import { runDedup, runRawInsert } from './engine.ts'
import { type EventSpec, ndjsonBodies } from './events.ts'
import { HttpClient } from './http-load.ts'
import { type IngestRun, type IngestSetup, runDirect, runKafka } from './ingest.ts'
import { acquireBroker, type Broker } from './kafka.ts'
import { describeMachine } from './machine.ts'
import {
  type DatasetTimings,
  formatBaselineTable,
  formatLatencyTable,
  measureDataset,
  mergeIntoResults,
  type VariantName,
  variantNames,
} from './metric-latency.ts'
import { type BenchResults, formatTable, writeResults } from './report.ts'
import { benchAdminToken } from './server.ts'
import { measureVisibility, type VisibilityResult } from './visibility.ts'

interface Options {
  events: number
  dedupEvents: number
  concurrencies: number[]
  statusPollMs: number
  kafka: boolean
  dedup: boolean
  // the metric benchmark
  ingest: boolean
  datasets: string[]
  runs: number
  rawRuns: number
  warmUp: number
  /** Only these endpoints (every one when absent). */
  metrics?: string[]
  /** The variants timed on the rollups beside the UTC org. */
  variants: VariantName[]
}

const usage = `Usage: npm run bench [-- --quick] [--events N] [--dedup-events N] [--concurrency 4,8] [--status-poll-ms 100] [--no-kafka] [--no-dedup]
       [--no-ingest] [--datasets 1m,10m,100m|none] [--runs 20] [--raw-runs 20] [--warm-up 2] [--metrics summary,roi]
       [--variants ${variantNames.join(',')}]`

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      events: { type: 'string' },
      'dedup-events': { type: 'string' },
      concurrency: { type: 'string', default: '4,8' },
      'status-poll-ms': { type: 'string', default: '100' },
      'no-kafka': { type: 'boolean', default: false },
      'no-dedup': { type: 'boolean', default: false },
      'no-ingest': { type: 'boolean', default: false },
      datasets: { type: 'string' },
      runs: { type: 'string' },
      'raw-runs': { type: 'string' },
      'warm-up': { type: 'string' },
      metrics: { type: 'string' },
      variants: { type: 'string' },
    },
  })
  const count = (name: string, value: string | undefined, fallback: number) => {
    const n = value === undefined ? fallback : Number(value)
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer\n${usage}`)
    return n
  }
  const concurrencies = values.concurrency.split(',').map((c) => count('concurrency', c, 0))
  return {
    events: count('events', values.events, values.quick ? 200_000 : 500_000),
    dedupEvents: count('dedup-events', values['dedup-events'], values.quick ? 300_000 : 1_000_000),
    concurrencies,
    statusPollMs: count('status-poll-ms', values['status-poll-ms'], 100),
    kafka: !values['no-kafka'],
    dedup: !values['no-dedup'],
    ingest: !values['no-ingest'],
    datasets: parseDatasets(
      values.datasets ?? (values.quick ? '1m' : datasetSpecs.map((d) => d.name).join(',')),
    ),
    runs: count('runs', values.runs, 20),
    rawRuns: count('raw-runs', values['raw-runs'], 20),
    warmUp: count('warm-up', values['warm-up'], 2),
    metrics: values.metrics === undefined ? undefined : parseMetrics(values.metrics),
    variants: parseVariants(values.variants ?? variantNames.join(',')),
  }
}

function parseVariants(list: string): VariantName[] {
  const names = list.split(',')
  for (const name of names) {
    if (!(variantNames as readonly string[]).includes(name))
      throw new Error(`--variants: no variant "${name}" (${variantNames.join(', ')})\n${usage}`)
  }
  return names as VariantName[]
}

function parseMetrics(list: string): string[] {
  const names = list.split(',')
  for (const name of names) {
    if (!(metricNames as readonly string[]).includes(name))
      throw new Error(`--metrics: no metric "${name}" (${metricNames.join(', ')})`)
  }
  return names
}

function parseDatasets(list: string): string[] {
  if (list === 'none') return []
  const names = list.split(',')
  for (const name of names) {
    if (!datasetSpecs.some((d) => d.name === name))
      throw new Error(
        `--datasets: no dataset "${name}" (${datasetSpecs.map((d) => d.name).join(', ')})\n${usage}`,
      )
  }
  return names
}

const log = (line: string) => process.stderr.write(`${line}\n`)
const org = 'bench'
/** The broker in use, for the interrupt handler. */
let activeBroker: Broker | null = null

/** The Kafka runs, one per concurrency; the visibility latency is measured after the last one. */
async function kafkaRuns(
  broker: Broker,
  base: Omit<IngestSetup, 'concurrency'>,
  concurrencies: number[],
  runId: string,
): Promise<{ runs: IngestRun[]; visibility: VisibilityResult | null }> {
  const runs: IngestRun[] = []
  let visibility: VisibilityResult | null = null
  for (const [i, concurrency] of concurrencies.entries()) {
    const last = i === concurrencies.length - 1
    const kafka = {
      brokers: broker.brokers,
      brokerPid: broker.pid,
      topic: `implication-bench-${runId}-c${concurrency}`,
    }
    const { run, after } = await runKafka({ ...base, concurrency }, kafka, async (server) => {
      if (!last) return null
      log('kafka visibility: 100 requests of 10 events, one every 50 ms')
      const sender = new HttpClient(server.url, benchAdminToken, 8)
      const poller = new HttpClient(server.url, benchAdminToken, 1)
      try {
        return await measureVisibility(sender, poller, {
          org: 'vis',
          requests: 100,
          eventsPerRequest: 10,
          everyMs: 50,
          pollMs: 20,
          nowMs: Date.now(),
          timeoutMs: 60_000,
        })
      } finally {
        sender.close()
        poller.close()
      }
    })
    runs.push(run)
    if (after) visibility = after
  }
  return { runs, visibility }
}

interface KafkaPhase {
  runs: IngestRun[]
  visibility: VisibilityResult | null
  skipped: string | null
  origin: string | null
}

/** Gets a broker (or says why there is none), runs the Kafka measurements, stops what it started. */
async function kafkaPhase(
  options: Options,
  base: Omit<IngestSetup, 'concurrency'>,
  runId: string,
): Promise<KafkaPhase> {
  const none = (skipped: string): KafkaPhase => ({ runs: [], visibility: null, skipped, origin: null })
  if (!options.kafka) return none('skipped by --no-kafka')
  const broker = await acquireBroker(log)
  if (!broker) return none('no Kafka broker (set KAFKA_BROKERS, or install Java 17+ and Maven)')
  activeBroker = broker
  try {
    const { runs, visibility } = await kafkaRuns(broker, base, options.concurrencies, runId)
    return { runs, visibility, skipped: null, origin: broker.origin }
  } finally {
    await broker.stop()
    activeBroker = null
  }
}

function checkStored(runs: readonly IngestRun[]): boolean {
  let ok = true
  for (const r of runs) {
    if (r.storedEvents !== r.events) {
      log(
        `WARNING: ${r.mode} ingest c=${r.concurrency}: sent ${r.events} events, ingest status says ${r.storedEvents} stored`,
      )
      ok = false
    }
  }
  return ok
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2))
  const clock = performance.now()
  const ok = options.ingest ? await ingestBench(options) : true
  // metric endpoints on the cached datasets, rollups against the raw scan.
  if (options.datasets.length > 0) {
    const timings: Record<string, DatasetTimings> = {}
    for (const name of options.datasets) {
      const dataset = await ensureDataset(datasetSpecs.find((d) => d.name === name)!, log)
      log(
        `load average before ${name}: ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      )
      timings[name] = await measureDataset(dataset, {
        runs: options.runs,
        rawRuns: options.rawRuns,
        warmUp: options.warmUp,
        metrics: options.metrics,
        variants: options.variants,
        log,
      })
      mergeIntoResults(path.join(repoRoot, 'bench', 'results', 'latest.json'), timings)
    }
    process.stdout.write(`\nMetric endpoints (HTTP, embedded store; dashboard default: last year by week)\n`)
    process.stdout.write(`${formatLatencyTable(timings)}\n`)
    process.stdout.write(
      `\nMetric endpoints against the baseline (p95 ÷ the baseline's p95; rollups; UTC org, its Europe/Paris copy, a department filter)\n`,
    )
    process.stdout.write(`${formatBaselineTable(timings)}\n`)
  }
  process.stdout.write(`total elapsed ${((performance.now() - clock) / 1000).toFixed(0)} s\n`)
  return ok ? 0 : 1
}

async function ingestBench(options: Options): Promise<boolean> {
  const startedAt = new Date()
  const loadAtStart = os.loadavg()[0] ?? 0
  const clock = performance.now()
  if (loadAtStart > 0.5)
    log(`note: load average is ${loadAtStart.toFixed(2)}: other work on this machine will skew figures`)
  const runId = `${startedAt.getTime().toString(36)}`
  const spec: EventSpec = {
    org,
    count: options.events,
    idPrefix: 'evt',
    seed: 20_250_601,
    nowMs: startedAt.getTime(),
  }

  log(`preparing ${options.events.toLocaleString('en')} events as NDJSON bodies of 1,000`)
  const bodies = ndjsonBodies(spec)
  const mb = bodies.reduce((sum, b) => sum + b.length, 0) / 2 ** 20
  log(`prepared ${bodies.length} bodies, ${mb.toFixed(0)} MB`)

  const { result: raw, restCpuPct: rawRestCpuPct } = await runRawInsert(spec)
  log(`raw insert: ${Math.round(raw.eps).toLocaleString('en')} rows/s`)

  const base = { org, bodies, events: options.events, statusPollMs: options.statusPollMs, log }
  const direct: IngestRun[] = []
  for (const concurrency of options.concurrencies) direct.push(await runDirect({ ...base, concurrency }))

  const kafka = await kafkaPhase(options, base, runId)
  const dedup = options.dedup
    ? await runDedup(
        { org: 'dedup', count: options.dedupEvents, idPrefix: 'd', seed: 7, nowMs: spec.nowMs },
        7,
      )
    : null

  const results: BenchResults = {
    machine: describeMachine(raw.clickhouseVersion, loadAtStart, startedAt),
    events: options.events,
    rawEps: raw.eps,
    rawRestCpuPct,
    direct,
    kafka: kafka.runs,
    kafkaSkipped: kafka.skipped,
    kafkaBroker: kafka.origin,
    visibility: kafka.visibility,
    dedup: dedup?.result ?? null,
    dedupRestCpuPct: dedup?.restCpuPct ?? null,
  }
  const stored = checkStored([...direct, ...kafka.runs]) && raw.storedFinal === raw.rows
  if (raw.storedFinal !== raw.rows)
    log(`WARNING: raw insert: ${raw.rows} rows inserted, ${raw.storedFinal} counted`)
  process.stdout.write(`${formatTable(results)}\n`)
  const file = writeResults(results, path.join(repoRoot, 'bench', 'results'))
  const elapsed = (performance.now() - clock) / 1000
  process.stdout.write(
    `elapsed ${elapsed.toFixed(0)} s; figures written to ${path.relative(repoRoot, file)}\n`,
  )
  return stored
}

process.once('SIGINT', () => {
  cleanUpAll()
  void (activeBroker?.stop() ?? Promise.resolve()).finally(() => process.exit(130))
})

main()
  .then(
    (code) => {
      process.exitCode = code
    },
    (err: unknown) => {
      log(`bench: ${(err as Error).stack ?? String(err)}`)
      process.exitCode = 1
    },
  )
  .finally(() => cleanUpAll())
