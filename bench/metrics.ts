// Metric endpoints on a simulated organisation (embedded store): p50 and p95 latency of every
// metric over repeated runs after a warm-up. Run on its own (`tsx bench/metrics.ts [--quick]`):
// chDB binds one data directory per process, so it gets a process of its own.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { metricNames } from '../analytics/metric.ts'
import { addDays } from '../analytics/query.ts'
import { parseConfig } from '../schemas/config.ts'
import { buildApp } from '../server/app.ts'
import { startRuntime } from '../server/runtime.ts'
import { parseSimulationOptions, todayUtc } from '../simulation/options.ts'
import { StoreOutput } from '../simulation/outputs.ts'
import { runSimulation } from '../simulation/simulate.ts'
import { percentile, round } from './stats.ts'

const quick = process.argv.includes('--quick')
const runs = 20
const warmUp = 2
const token = 'bench-admin-token-0123456789'
const org = { employees: quick ? 500 : 2000, months: quick ? 6 : 18 }

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'implication-bench-metrics-'))
  const config = parseConfig({ DATA_DIR: dataDir, IMPLICATION_ADMIN_TOKEN: token, LOG_LEVEL: 'silent' })
  const runtime = await startRuntime(config, 'all')
  const app = await buildApp({ ...runtime, logger: false })
  try {
    const end = todayUtc()
    process.stderr.write(`metrics bench: simulating ${org.employees} people × ${org.months} months...\n`)
    const started = performance.now()
    const options = parseSimulationOptions({
      org: 'demo',
      employees: org.employees,
      months: org.months,
      seed: 42,
      end,
    })
    const { summary } = await runSimulation(options, {
      output: new StoreOutput(runtime.store.client, 'demo'),
    })
    const simulatedS = (performance.now() - started) / 1000
    process.stderr.write(`metrics bench: ${summary.events} events in ${simulatedS.toFixed(1)} s\n`)

    // The dashboard's default view: the last year, by week.
    const query = `from=${addDays(end, -365)}&to=${end}&interval=week`
    const results: Record<string, { p50_ms: number; p95_ms: number }> = {}
    for (const name of metricNames) {
      const timings: number[] = []
      for (let i = 0; i < warmUp + runs; i++) {
        const t0 = performance.now()
        const res = await app.inject({
          method: 'GET',
          url: `/v1/orgs/demo/metrics/${name}?${query}`,
          headers: { authorization: `Bearer ${token}` },
        })
        if (res.statusCode !== 200)
          throw new Error(`${name}: HTTP ${res.statusCode} ${res.body.slice(0, 200)}`)
        if (i >= warmUp) timings.push(performance.now() - t0)
      }
      results[name] = { p50_ms: round(percentile(timings, 50), 1), p95_ms: round(percentile(timings, 95), 1) }
      process.stderr.write(
        `  ${name.padEnd(14)} p50 ${results[name].p50_ms} ms, p95 ${results[name].p95_ms} ms\n`,
      )
    }

    const dataset = `demo-${org.employees}x${org.months}m-${summary.events}ev`
    console.log(`\nMetric endpoints on ${dataset} (${runs} runs after ${warmUp} warm-up, embedded store)`)
    console.log(
      `${'metric'.padEnd(16)}${'p50 ms'.padStart(10)}${'p95 ms'.padStart(10)}${'p95 / 300 ms aim'.padStart(20)}`,
    )
    for (const [name, r] of Object.entries(results)) {
      console.log(
        `${name.padEnd(16)}${String(r.p50_ms).padStart(10)}${String(r.p95_ms).padStart(10)}${round(
          r.p95_ms / 300,
          2,
        )
          .toString()
          .padStart(20)}`,
      )
    }
    const dir = path.resolve(import.meta.dirname, 'results')
    mkdirSync(dir, { recursive: true })
    const file = path.join(dir, 'latest.json')
    const latest = (() => {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as { queries?: Record<string, unknown> }
      } catch {
        return {}
      }
    })()
    latest.queries = { ...(latest.queries ?? {}), [dataset]: results }
    writeFileSync(file, `${JSON.stringify(latest, null, 2)}\n`)
  } finally {
    await app.close()
    await runtime.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

await main()
