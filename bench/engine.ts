// Runs bench/engine-child.ts in its own process and reads back its RESULT line.
import { performance } from 'node:perf_hooks'
import { z } from 'zod'
import {
  machineBusySeconds,
  makeTempDir,
  removeTempDir,
  spawnTsx,
  stderrTail,
  stopChild,
} from './children.ts'
import {
  type DedupResult,
  dedupResultSchema,
  type RawResult,
  rawResultSchema,
  resultPrefix,
} from './engine-results.ts'
import type { EventSpec } from './events.ts'

function specArgs(spec: EventSpec): string[] {
  return [
    '--org',
    spec.org,
    '--events',
    String(spec.count),
    '--seed',
    String(spec.seed),
    '--now',
    String(spec.nowMs),
    '--prefix',
    spec.idPrefix,
  ]
}

export interface ChildRun<T> {
  result: T
  /** CPU of every other process over the child's life, in % of one core: above ~33 %, disturbed. */
  restCpuPct: number | null
}

const envelopeSchema = z.object({ cpuSeconds: z.number(), result: z.unknown() })

async function runChild<T>(args: string[], schema: z.ZodType<T>): Promise<ChildRun<T>> {
  const dataDir = makeTempDir('implication-bench-engine-')
  const started = { wall: performance.now(), machine: machineBusySeconds(), own: process.cpuUsage() }
  const child = spawnTsx('bench/engine-child.ts', ['--data-dir', dataDir, ...args], {})
  const tail = stderrTail(child)
  // Progress lines of the child go straight to our stderr.
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk))
  let stdout = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', (exitCode) => resolve(exitCode))
    })
    const line = stdout.split('\n').find((l) => l.startsWith(resultPrefix))
    if (code !== 0 || !line) {
      throw new Error(`engine child ${args.join(' ')} failed (exit ${code}):\n${tail().slice(-2_000)}`)
    }
    const envelope = envelopeSchema.parse(JSON.parse(line.slice(resultPrefix.length)))
    const machine = machineBusySeconds()
    const own = process.cpuUsage(started.own)
    const wall = (performance.now() - started.wall) / 1000
    const rest =
      machine === null || started.machine === null
        ? null
        : machine - started.machine - envelope.cpuSeconds - (own.user + own.system) / 1e6
    return {
      result: schema.parse(envelope.result),
      restCpuPct: rest === null ? null : Math.max(0, (rest / wall) * 100),
    }
  } finally {
    await stopChild(child)
    removeTempDir(dataDir)
  }
}

export function runRawInsert(spec: EventSpec): Promise<ChildRun<RawResult>> {
  return runChild(['--mode', 'raw', ...specArgs(spec)], rawResultSchema)
}

export function runDedup(spec: EventSpec, runs: number): Promise<ChildRun<DedupResult>> {
  return runChild(['--mode', 'dedup', '--runs', String(runs), ...specArgs(spec)], dedupResultSchema)
}
