// Runs bench/engine-child.ts in its own process and reads back its RESULT line.
import type { z } from 'zod'
import { makeTempDir, removeTempDir, spawnTsx, stderrTail, stopChild } from './children.ts'
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

async function runChild<T>(args: string[], schema: z.ZodType<T>): Promise<T> {
  const dataDir = makeTempDir('implication-bench-engine-')
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
    return schema.parse(JSON.parse(line.slice(resultPrefix.length)))
  } finally {
    await stopChild(child)
    removeTempDir(dataDir)
  }
}

export function runRawInsert(spec: EventSpec): Promise<RawResult> {
  return runChild(['--mode', 'raw', ...specArgs(spec)], rawResultSchema)
}

export function runDedup(spec: EventSpec, runs: number): Promise<DedupResult> {
  return runChild(['--mode', 'dedup', '--runs', String(runs), ...specArgs(spec)], dedupResultSchema)
}
