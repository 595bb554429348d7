// Child processes of the benchmark: the server under test and the engine child, their CPU and memory
// read from /proc, and registries so that every child and temp dir is gone on the way out, errors included.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const repoRoot = path.resolve(import.meta.dirname, '..')
const clockTicksPerSecond = 100

const running = new Set<ChildProcess>()
const tempDirs = new Set<string>()

/** A fresh temporary directory, removed by `removeTempDir` or, on the way out, by `cleanUpAll`. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  tempDirs.add(dir)
  return dir
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
  tempDirs.delete(dir)
}

/** Spawns `node --import tsx <script> ...args` from the repository root and tracks it. */
export function spawnTsx(script: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, script), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  child.on('exit', () => running.delete(child))
  return child
}

/** Sends SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone. */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

/**
 * Runs `node --import tsx <script> ...args` to its end: its stdout kept and answered, its stderr
 * (progress) shown on ours.
 */
export async function runTsx(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  const child = spawnTsx(script, args, env)
  let out = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString()
  })
  child.stderr?.pipe(process.stderr)
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)))
  await stopChild(child)
  return { code, out }
}

/** Last resort on the way out: every child still running gets SIGKILL, every temporary dir goes. */
export function cleanUpAll(): void {
  for (const child of running) child.kill('SIGKILL')
  for (const dir of tempDirs) removeTempDir(dir)
}

/** User plus system CPU seconds a process has used so far, or null once it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the `(comm)`: state is field 3, utime 14 and stime 15 (1-based).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond
  } catch {
    return null
  }
}

/** A `VmXXX:` line of /proc/<pid>/status in MB (VmHWM is the peak resident set), or null. */
export function procMemoryMb(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]
    return kb === undefined ? null : Number(kb) / 1024
  } catch {
    return null
  }
}

/** Collects a child's stderr, keeping the tail for error messages. */
export function stderrTail(child: ChildProcess, keep = 8_000): () => string {
  let text = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-keep)
  })
  return () => text
}

/** CPU seconds the whole machine has been busy (all cores, all processes), from /proc/stat. */
export function machineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
    // cpu  user nice system idle iowait irq softirq steal ...
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number)
    return (
      ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) /
      clockTicksPerSecond
    )
  } catch {
    return null
  }
}
