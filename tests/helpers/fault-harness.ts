// The fault tests' parts: a 3-broker Kafka cluster started by scripts/kafka.ts, Implication
// processes (API, workers) as real child processes sharing one store, a steady ingest load that
// remembers every id answered 202, and the event-by-event count of what ClickHouse holds.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import path from 'node:path'
import type { ClickHouseClient } from '@clickhouse/client'
import { describe, it } from 'vitest'
import * as kafka from '../../scripts/kafka.ts'
import { adminToken } from './app.ts'
import { validEvents } from './events.ts'

const repoRoot = path.resolve(import.meta.dirname, '../..')
const cli = path.join(repoRoot, 'server', 'cli.ts')
/** `serve` with a worker that SIGKILLs itself after its first insert, before the commit. */
export const crashingServer = path.join(repoRoot, 'tests', 'helpers', 'crashing-worker.ts')

export type KafkaScript = typeof kafka

export async function kafkaScript(): Promise<KafkaScript> {
  // Three JVMs starting beside other suites on 2 cores can take more than the default 90 s.
  process.env.KAFKA_READY_TIMEOUT_MS ??= '240000'
  return kafka
}

export const clusterStateDir = path.join(repoRoot, 'data', 'kafka-faults')

function have(command: string, arg: string): boolean {
  return spawnSync(command, [arg], { stdio: 'ignore' }).status === 0
}

/** Runs the suite when Java and Maven can start a cluster; else a loud skip (a failure under CI). */
export function describeWithKafkaCluster(name: string, suite: () => void): void {
  if (have('java', '-version') && have('mvn', '-v')) {
    describe(name, suite)
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('can start a Kafka cluster', () => {
        throw new Error(
          'Java 17+ and Maven are needed: under CI=true the fault suite must run, not be skipped',
        )
      })
    })
  } else {
    console.warn(`\n*** SKIPPED fault suite "${name}": a 3-broker cluster needs Java 17+ and Maven ***\n`)
    describe.skip(name, suite)
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface ServerProcess {
  name: string
  child: ChildProcess
  url: Promise<string>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  stderr(): string
}

/**
 * `implication serve --role <role>` in a child process, as a deployment runs it; `entry` replaces
 * server/cli.ts (e.g. `crashingServer`).
 */
export function spawnServer(
  name: string,
  role: 'api' | 'worker' | 'all',
  env: Record<string, string>,
  entry = cli,
): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'serve', '--role', role], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'warn',
      IMPLICATION_ADMIN_TOKEN: adminToken,
      IMPLICATION_PSEUDONYM_KEY: 'fault-tests-pseudonym-key-0123456789abcdef',
      IMPLICATION_DEMO: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  // pino's lines (stdout) and the start-up lines (stderr) in one buffer, to explain a failure.
  child.stdout!.on('data', (chunk: Buffer) => {
    err += chunk.toString()
  })
  const url = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString()
      if (err.length > 200_000) err = err.slice(-100_000)
      const match = /listening on (http:\/\/\S+)/.exec(err)
      if (match) resolve(match[1]!)
    })
    child.on('exit', () => reject(new Error(`${name} exited before listening:\n${err.slice(-2000)}`)))
  })
  url.catch(() => undefined)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return { name, child, url, exited, stderr: () => err }
}

export interface IngestTally {
  requests: number
  byStatus: Record<string, number>
  /** 503 answers without a Retry-After header (must stay 0). */
  unavailableWithoutRetryAfter: number
  acked: Set<string>
}

/**
 * Posts `eventsPerRequest` new events `requestsPerSecond` times a second (at most `maxInFlight`
 * requests pending) until stopped; remembers the ids of every 202.
 */
export class SteadyIngest {
  readonly tally: IngestTally = {
    requests: 0,
    byStatus: {},
    unavailableWithoutRetryAfter: 0,
    acked: new Set(),
  }
  private timer: NodeJS.Timeout | undefined
  private readonly inFlight = new Set<Promise<void>>()
  private batch = 0

  constructor(
    private readonly target: () => string,
    private readonly org: string,
    private readonly options: {
      requestsPerSecond: number
      eventsPerRequest: number
      maxInFlight?: number
      /** Prefix of the event ids; two loads on one org need different ones. */
      idPrefix?: string
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), 1000 / this.options.requestsPerSecond)
  }

  async stop(): Promise<IngestTally> {
    clearInterval(this.timer)
    await Promise.all([...this.inFlight])
    return this.tally
  }

  private tick(): void {
    if (this.inFlight.size >= (this.options.maxInFlight ?? 32)) {
      this.count('skipped')
      return
    }
    const events = validEvents(
      this.org,
      this.options.eventsPerRequest,
      `${this.options.idPrefix ?? 'b'}${this.batch++}`,
    )
    const request = this.send(events).finally(() => this.inFlight.delete(request))
    this.inFlight.add(request)
  }

  private count(status: string): void {
    this.tally.byStatus[status] = (this.tally.byStatus[status] ?? 0) + 1
  }

  private async send(events: Record<string, unknown>[]): Promise<void> {
    this.tally.requests++
    try {
      const res = await fetch(`${this.target()}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/x-ndjson' },
        body: `${events.map((e) => JSON.stringify(e)).join('\n')}\n`,
        signal: AbortSignal.timeout(30_000),
      })
      this.count(String(res.status))
      if (res.status === 503 && !res.headers.get('retry-after')) this.tally.unavailableWithoutRetryAfter++
      const body = (await res.json()) as { accepted?: number }
      if (res.status === 202) {
        if (body.accepted !== events.length) throw new Error(`accepted ${body.accepted} of ${events.length}`)
        for (const e of events) this.tally.acked.add(e.id as string)
      }
    } catch (err) {
      this.count(`error: ${(err as Error).name}`)
    }
  }
}

export interface StoredCount {
  /** Rows per id in the raw table (no FINAL): a value above 1 is a duplicate on disk. */
  rawById: Map<string, number>
  final: number
}

export async function storedCount(client: ClickHouseClient, org: string): Promise<StoredCount> {
  const raw = await client.query({
    query: 'SELECT id, count() AS n FROM events WHERE org = {org:String} GROUP BY id',
    query_params: { org },
    format: 'JSONCompactEachRow',
  })
  const rawById = new Map((await raw.json<[string, string]>()).map(([id, n]) => [id, Number(n)]))
  const final = await client.query({
    query: 'SELECT count() FROM events FINAL WHERE org = {org:String}',
    query_params: { org },
    format: 'JSONCompactEachRow',
  })
  const [[n] = ['0']] = await final.json<[string]>()
  return { rawById, final: Number(n) }
}

export interface Reconciliation {
  acknowledged: number
  stored: number
  storedFinal: number
  /** Answered 202 but not in ClickHouse. */
  missing: string[]
  /** In ClickHouse more than once (raw rows). */
  doubled: string[]
  /** In ClickHouse without a 202 (a request that timed out or got a 503 after Kafka took it). */
  storedWithoutAck: number
}

/**
 * Waits until every acknowledged id is stored — as long as the store keeps growing (a loaded
 * machine is slow, a stuck worker is not) — then compares id by id.
 */
export async function reconcile(
  client: ClickHouseClient,
  org: string,
  acked: ReadonlySet<string>,
  stallMs = 90_000,
): Promise<Reconciliation> {
  let count = await storedCount(client, org)
  let lastGrowth = Date.now()
  let lastSize = count.rawById.size
  while ([...acked].some((id) => !count.rawById.has(id)) && Date.now() - lastGrowth < stallMs) {
    await sleep(1_000)
    count = await storedCount(client, org)
    if (count.rawById.size > lastSize) {
      lastSize = count.rawById.size
      lastGrowth = Date.now()
    }
  }
  // A last look a little later: a late duplicate would show up now.
  await sleep(2_000)
  count = await storedCount(client, org)
  const missing = [...acked].filter((id) => !count.rawById.has(id))
  const doubled = [...count.rawById].filter(([, n]) => n > 1).map(([id]) => id)
  return {
    acknowledged: acked.size,
    stored: count.rawById.size,
    storedFinal: count.final,
    missing: missing.slice(0, 20),
    doubled: doubled.slice(0, 20),
    storedWithoutAck: [...count.rawById.keys()].filter((id) => !acked.has(id)).length,
  }
}

/** The end of each process's stderr, to explain a failed reconciliation. */
export function stderrTails(processes: readonly ServerProcess[], chars = 1_500): string {
  return processes.map((p) => `--- ${p.name}\n${p.stderr().slice(-chars)}`).join('\n')
}

/** Reads one sample of a Prometheus text answer: the sum over matching series. */
export async function scrape(url: string, name: string): Promise<number | null> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${adminToken}` } })
  if (res.status !== 200) return null
  const text = await res.text()
  let sum = 0
  let seen = false
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1))
      seen = true
    }
  }
  return seen ? sum : null
}
