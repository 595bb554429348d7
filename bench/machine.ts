// What the benchmark ran on: CPUs, memory, Node, the chdb package and the current load.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import type { Machine } from './report.ts'
import { round } from './stats.ts'

function chdbVersion(): string {
  try {
    const entry = createRequire(import.meta.url).resolve('chdb')
    const pkg = JSON.parse(readFileSync(path.join(path.dirname(entry), 'package.json'), 'utf8')) as {
      version?: string
    }
    return pkg.version ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/** `loadAtStart` and `date` are taken when the benchmark starts, the rest at the end. */
export function describeMachine(clickhouseVersion: string, loadAtStart: number, date: Date): Machine {
  const cpus = os.cpus()
  return {
    cpus: cpus.length,
    cpu_model: cpus[0]?.model.trim() ?? 'unknown',
    mem_gb: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    date: date.toISOString(),
    chdb: chdbVersion(),
    clickhouse_version: clickhouseVersion,
    loadavg_at_start: round(loadAtStart, 2),
  }
}
