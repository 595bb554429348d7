// The server under test: `implication serve` as a child process on a fresh data dir and a free port.
import type { ChildProcess } from 'node:child_process'
import {
  cpuSeconds,
  makeTempDir,
  procMemoryMb,
  removeTempDir,
  spawnTsx,
  stderrTail,
  stopChild,
} from './children.ts'

export const benchAdminToken = 'bench-admin-token-0123456789abcdef'
const startTimeoutMs = 120_000

export interface ServerChild {
  url: string
  pid: number
  cpuSeconds(): number
  /** Peak resident set size so far (VmHWM), in MB. */
  peakRssMb(): number
  stop(): Promise<void>
}

/** Starts `serve --role all` with its own temporary DATA_DIR (or `keptDataDir`, left in place);
 * `env` adds e.g. the Kafka settings. */
export async function startServer(
  env: Record<string, string> = {},
  keptDataDir?: string,
): Promise<ServerChild> {
  const dataDir = keptDataDir ?? makeTempDir('implication-bench-')
  const child = spawnTsx('server/cli.ts', ['serve', '--role', 'all'], {
    ...env,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    IMPLICATION_ADMIN_TOKEN: benchAdminToken,
    // The benches measure the server, not the rate limiter.
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_INGEST_PER_MINUTE: '0',
  })
  child.stdout?.resume()
  const tail = stderrTail(child)
  const cleanUp = async () => {
    await stopChild(child)
    if (!keptDataDir) removeTempDir(dataDir)
  }
  try {
    const url = await waitForAddress(child, tail)
    const pid = child.pid!
    let lastCpu = 0
    let lastPeak = 0
    return {
      url,
      pid,
      cpuSeconds: () => {
        lastCpu = cpuSeconds(pid) ?? lastCpu
        return lastCpu
      },
      peakRssMb: () => {
        lastPeak = procMemoryMb(pid, 'VmHWM') ?? lastPeak
        return lastPeak
      },
      stop: cleanUp,
    }
  } catch (err) {
    await cleanUp()
    throw err
  }
}

function waitForAddress(child: ChildProcess, tail: () => string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not listen within ${startTimeoutMs / 1000}s:\n${tail()}`)),
      startTimeoutMs,
    )
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(tail())
      if (!match) return
      clearTimeout(timer)
      child.stderr?.off('data', onData)
      resolve(match[1]!)
    }
    child.stderr?.on('data', onData)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`server exited before listening (code ${code}, signal ${signal}):\n${tail()}`))
    })
  })
}
