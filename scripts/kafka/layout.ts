// Options, state-dir paths, the cluster layout file and port allocation.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const DEFAULT_KAFKA_VERSION = '4.1.1'
export const HOST = '127.0.0.1'
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

export interface KafkaOptions {
  /** Broker state (configs, pid files, logs, data); default <repo>/data/kafka. */
  stateDir?: string
  /** Jar cache root; default ${XDG_CACHE_HOME:-~/.cache}/implication. */
  cacheDir?: string
  /** Kafka version on Maven Central; default 4.1.1. */
  version?: string
  /** Cluster size for startKafka; default 1. */
  nodes?: number
  /** First broker port; default: a free port. */
  port?: number
  /** Progress sink; default stderr. */
  log?: (line: string) => void
}

export interface ResolvedOptions {
  version: string
  /** Cache dir of this Kafka version (pom.xml, libs/). */
  kafkaHome: string
  stateDir: string
  nodes: number
  port: number | undefined
  log: (line: string) => void
}

export interface NodeSpec {
  id: number
  port: number
  controllerPort: number
  dir: string
}

export interface Layout {
  clusterId: string
  nodes: NodeSpec[]
  brokers: string
}

export function resolveOptions(opts: KafkaOptions = {}): ResolvedOptions {
  const env = process.env
  const version = opts.version ?? env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION
  const cacheRoot =
    opts.cacheDir ??
    env.IMPLICATION_CACHE_DIR ??
    join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'implication')
  const port = opts.port ?? (env.KAFKA_PORT ? Number(env.KAFKA_PORT) : undefined)
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new Error(`invalid KAFKA_PORT: ${env.KAFKA_PORT ?? port}`)
  }
  const nodes = opts.nodes ?? 1
  if (!(Number.isInteger(nodes) && nodes >= 1)) throw new Error(`invalid node count: ${nodes}`)
  return {
    version,
    kafkaHome: join(resolve(cacheRoot), `kafka-${version}`),
    stateDir: resolve(opts.stateDir ?? env.KAFKA_STATE_DIR ?? join(REPO_ROOT, 'data', 'kafka')),
    nodes,
    port,
    log: opts.log ?? ((line) => process.stderr.write(`[kafka] ${line}\n`)),
  }
}

/** KAFKA_READY_TIMEOUT_MS: how long a start waits for the broker(s) to serve (a busy machine needs more). */
export function readyTimeoutMs(): number {
  return Number(process.env.KAFKA_READY_TIMEOUT_MS) || 90_000
}

// A single broker lives directly in the state dir; cluster nodes each get a node-<id> subdirectory.
function nodeDir(stateDir: string, id: number, nodeCount: number): string {
  return nodeCount === 1 ? stateDir : join(stateDir, `node-${id}`)
}

export function nodePaths(dir: string) {
  return {
    dir,
    props: join(dir, 'server.properties'),
    log4j: join(dir, 'log4j2.properties'),
    dataDir: join(dir, 'kraft-logs'),
    pidFile: join(dir, 'kafka.pid'),
    serverLog: join(dir, 'server.log'),
    consoleLog: join(dir, 'kafka.out'),
  }
}

export type NodePaths = ReturnType<typeof nodePaths>

const layoutFile = (stateDir: string) => join(stateDir, 'cluster.json')

export function readLayout(stateDir: string): Layout | null {
  try {
    return JSON.parse(readFileSync(layoutFile(stateDir), 'utf8')) as Layout
  } catch {
    return null
  }
}

export function writeLayout(stateDir: string, layout: Layout): void {
  writeFileSync(layoutFile(stateDir), `${JSON.stringify(layout, null, 2)}\n`)
  writeFileSync(join(stateDir, 'brokers'), `${layout.brokers}\n`)
}

export function brokersLine(nodes: readonly NodeSpec[]): string {
  return nodes.map((node) => `${HOST}:${node.port}`).join(',')
}

// Only names this script writes are removed, so a KAFKA_STATE_DIR pointing at a shared dir stays safe.
const STATE_ENTRIES = new Set([
  'cluster.json',
  'brokers',
  'server.properties',
  'log4j2.properties',
  'kraft-logs',
  'kafka.pid',
  'server.log',
  'kafka.out',
])

/** Removes everything a previous start wrote, so each start gets freshly formatted storage. */
export function clearState(stateDir: string): void {
  if (!existsSync(stateDir)) return
  for (const entry of readdirSync(stateDir)) {
    if (STATE_ENTRIES.has(entry) || /^node-\d+$/.test(entry)) {
      rmSync(join(stateDir, entry), { recursive: true, force: true })
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, HOST, () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolvePromise(port))
    })
  })
}

/** Broker ports (consecutive from basePort if given) and controller ports, all distinct. */
export async function allocatePorts(
  count: number,
  basePort: number | undefined,
  stateDir: string,
): Promise<NodeSpec[]> {
  const taken = new Set<number>()
  const next = async () => {
    for (;;) {
      const port = await freePort()
      if (!taken.has(port)) {
        taken.add(port)
        return port
      }
    }
  }
  const brokerPorts: number[] = []
  for (let id = 1; id <= count; id++) {
    const port = basePort ? basePort + id - 1 : await next()
    taken.add(port)
    brokerPorts.push(port)
  }
  const nodes: NodeSpec[] = []
  for (const [index, port] of brokerPorts.entries()) {
    const id = index + 1
    nodes.push({ id, port, controllerPort: await next(), dir: nodeDir(stateDir, id, count) })
  }
  return nodes
}
