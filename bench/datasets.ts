// The metric benchmark's datasets: simulated organisations of about 1, 10 and 100
// million events, each built once by `implication simulate` into its own embedded store under
// data/bench/<name> (git-ignored) and reused by later runs while its spec is unchanged.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { repoRoot, runTsx } from './children.ts'
import { migrateDataset } from './prepared.ts'

export interface DatasetSpec {
  name: string
  employees: number
  months: number
  seed: number
  /** First day after the simulated period: fixed, so that a cached dataset stays valid. */
  end: string
}

export const benchOrg = 'bench'

/** About 770 events per person over 18 months (1300 people ≈ 1.0 million events). */
export const datasetSpecs: readonly DatasetSpec[] = [
  { name: '1m', employees: 1_300, months: 18, seed: 42, end: '2026-11-01' },
  { name: '10m', employees: 13_000, months: 18, seed: 42, end: '2026-11-01' },
  { name: '100m', employees: 130_000, months: 18, seed: 42, end: '2026-11-01' },
]

export interface Dataset {
  spec: DatasetSpec
  dir: string
  events: number
  buildSeconds: number
}

export const datasetsRoot = path.join(repoRoot, 'data', 'bench')

/** The cached dataset, or a fresh build (the simulator's progress bar on stderr) when absent or stale. */
export async function ensureDataset(spec: DatasetSpec, log: (line: string) => void): Promise<Dataset> {
  const dir = path.join(datasetsRoot, spec.name)
  const marker = path.join(dir, 'dataset.json')
  if (existsSync(marker)) {
    const cached = JSON.parse(readFileSync(marker, 'utf8')) as Dataset
    if (JSON.stringify(cached.spec) === JSON.stringify(spec)) {
      log(
        `dataset ${spec.name}: cached at ${path.relative(repoRoot, dir)} (${cached.events.toLocaleString('en')} events)`,
      )
      await migrateOne(spec.name, dir, log)
      return { ...cached, dir }
    }
  }
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  log(
    `dataset ${spec.name}: simulating ${spec.employees} people × ${spec.months} months (built once, cached)`,
  )
  const started = performance.now()
  const { code, out } = await runCli(
    [
      'simulate',
      ...['--org', benchOrg, '--employees', String(spec.employees), '--months', String(spec.months)],
      ...['--seed', String(spec.seed), '--end', spec.end],
    ],
    dir,
  )
  if (code !== 0)
    throw new Error(`dataset ${spec.name}: the simulation failed (exit ${code}):\n${out.slice(-2000)}`)
  const lines = /([\d,]+) lines/.exec(out)?.[1]
  const dataset: Dataset = {
    spec,
    dir,
    events: lines ? Number(lines.replaceAll(',', '')) : 0,
    buildSeconds: Math.round((performance.now() - started) / 1000),
  }
  writeFileSync(marker, `${JSON.stringify({ ...dataset, dir: undefined }, null, 2)}\n`)
  log(`dataset ${spec.name}: ${dataset.events.toLocaleString('en')} events in ${dataset.buildSeconds} s`)
  await migrateOne(spec.name, dir, log)
  return dataset
}

/**
 * Applies pending migrations to a cached dataset, and makes and backfills the rollups whose
 * definition is new or changed (with progress: at 100M that takes minutes), before any server
 * starts on it. A no-op on a dataset up to date.
 */
async function migrateOne(name: string, dir: string, log: (line: string) => void): Promise<void> {
  log(`dataset ${name}: ${await migrateDataset(dir)}`)
}

/** Runs `implication ARGS` on the dataset in `dir`: its stdout kept, its stderr (progress) shown. */
function runCli(args: string[], dir: string): Promise<{ code: number | null; out: string }> {
  return runTsx('server/cli.ts', args, { DATA_DIR: dir, LOG_LEVEL: 'warn' })
}
