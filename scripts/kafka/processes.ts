// Broker processes: format storage, launch detached, find by pid file, stop, explain a failed start.
import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { javaCommand, lastLines, runQuietly } from './command.ts'
import type { NodePaths } from './layout.ts'

const DEFAULT_HEAP_OPTS = '-Xms256m -Xmx512m'
const STOP_TIMEOUT_MS = 20_000

const errorCode = (error: unknown) =>
  error instanceof Error && 'code' in error ? (error as NodeJS.ErrnoException).code : undefined

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return errorCode(error) === 'EPERM' // alive, just not ours to signal
  }
}

/** True if pid is alive and (where /proc exists) really is the Kafka JVM for this config, so a recycled pid
 *  never gets mistaken for, or killed as, our broker. Zombies have an empty cmdline and count as dead. */
function isKafkaProcess(pid: number, propsFile: string): boolean {
  if (!isAlive(pid)) return false
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(propsFile)
  } catch {
    return !existsSync('/proc/self') // no procfs (macOS): trust the pid
  }
}

function readPid(pidFile: string): number | null {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

/** Pid of the running broker for this node dir, or null. */
export function runningPid(paths: NodePaths): number | null {
  const pid = readPid(paths.pidFile)
  return pid && isKafkaProcess(pid, paths.props) ? pid : null
}

function jvmArgs(libs: string, paths: NodePaths): string[] {
  const heap = (process.env.KAFKA_HEAP_OPTS || DEFAULT_HEAP_OPTS).split(/\s+/).filter(Boolean)
  return [
    ...heap,
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${paths.log4j}`,
    `-Dkafka.logs.dir=${paths.dir}`,
    '-cp',
    join(libs, '*'),
  ]
}

export function formatStorage(libs: string, paths: NodePaths, clusterId: string): Promise<void> {
  const args = ['kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', paths.props]
  return runQuietly(javaCommand(), [...jvmArgs(libs, paths), ...args], paths.dir)
}

/** Launches the broker JVM detached from this process and records its pid. */
export function launchBroker(libs: string, paths: NodePaths): number {
  const out = openSync(paths.consoleLog, 'a')
  try {
    const child = spawn(javaCommand(), [...jvmArgs(libs, paths), 'kafka.Kafka', paths.props], {
      cwd: paths.dir,
      detached: true,
      stdio: ['ignore', out, out],
    })
    child.unref()
    // spawn reports a missing binary asynchronously; checkJava has already ruled that out.
    const pid = child.pid as number
    writeFileSync(paths.pidFile, `${pid}\n`)
    return pid
  } finally {
    closeSync(out)
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch (error) {
    if (errorCode(error) !== 'ESRCH') throw error // ESRCH: already gone
  }
}

async function waitForExit(pid: number, propsFile: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!isKafkaProcess(pid, propsFile)) return true
    await sleep(100)
  }
  return !isKafkaProcess(pid, propsFile)
}

/** SIGTERM (graceful, SIGKILL after 20 s) or SIGKILL one node; returns whether something was running. */
export async function killNode(
  paths: NodePaths,
  { graceful, log, label }: { graceful: boolean; log: (line: string) => void; label: string },
): Promise<boolean> {
  const pid = runningPid(paths)
  rmSync(paths.pidFile, { force: true })
  if (!pid) return false
  if (graceful) {
    signal(pid, 'SIGTERM')
    if (await waitForExit(pid, paths.props, STOP_TIMEOUT_MS)) {
      log(`stopped ${label} (pid ${pid})`)
      return true
    }
    log(`${label} (pid ${pid}) ignored SIGTERM for ${STOP_TIMEOUT_MS / 1000}s, sending SIGKILL`)
  }
  signal(pid, 'SIGKILL')
  await waitForExit(pid, paths.props, 5_000)
  if (!graceful) log(`killed ${label} (pid ${pid})`)
  return true
}

/** The first ERROR line and its root cause: the tail of a failed start is usually just shutdown noise. */
function firstError(text: string): string | null {
  const lines = text.split('\n')
  const at = lines.findIndex((line) => / ERROR /.test(line))
  if (at < 0) return null
  const trace = lines.slice(at + 1, at + 200)
  const end = trace.findIndex((line) => line.startsWith('['))
  const rootCause = (end < 0 ? trace : trace.slice(0, end))
    .filter((line) => line.startsWith('Caused by:'))
    .at(-1)
  return rootCause ? `${lines[at]}\n${rootCause}` : (lines[at] ?? null)
}

export function brokerLogTail(paths: NodePaths): string {
  const sections: string[] = []
  for (const file of [paths.serverLog, paths.consoleLog]) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : ''
    if (!text.trim()) continue
    const error = firstError(text)
    if (error) sections.push(`first error in ${file}:\n${error}`)
    sections.push(`last lines of ${file}:\n${lastLines(text, 30)}`)
  }
  return sections.join('\n') || `(no output in ${paths.dir})`
}
