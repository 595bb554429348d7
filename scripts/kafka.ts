// Starts and stops a real Apache Kafka (KRaft, combined broker+controller) on 127.0.0.1 for tests and
// benchmarks, with nothing but Java 17+ and Maven: the Kafka jars come from Maven Central into a user cache
// dir (outside git) on first use; broker state lives in <repo>/data/kafka (git-ignored).
//
//   tsx scripts/kafka.ts start [--nodes N]   -> stdout: KAFKA_BROKERS=127.0.0.1:<port>[,...]
//   tsx scripts/kafka.ts stop
//   tsx scripts/kafka.ts stop-node <id>      SIGKILL one node of a running cluster
//   tsx scripts/kafka.ts start-node <id>     restart it on its existing storage
//
// Env: KAFKA_VERSION (default 4.1.1), KAFKA_PORT (first broker port), KAFKA_STATE_DIR, IMPLICATION_CACHE_DIR,
// KAFKA_HEAP_OPTS (default "-Xms256m -Xmx512m"), KAFKA_READY_TIMEOUT_MS (default 90000).
// Exit codes: 0 ok, 2 Java/Maven missing (callers skip Kafka tests), 1 anything else.
// Parts: kafka/layout.ts (options, paths, ports), kafka/jars.ts (prerequisites, Maven jar cache),
// kafka/config-files.ts, kafka/processes.ts (start, stop, logs), kafka/readiness.ts (kafkajs).
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { LOG4J2_PROPERTIES, randomClusterId, serverProperties } from './kafka/config-files.ts'
import { checkJava, ensureKafkaJars, KafkaPrerequisiteError } from './kafka/jars.ts'
import {
  allocatePorts,
  brokersLine,
  clearState,
  HOST,
  type KafkaOptions,
  type Layout,
  type NodeSpec,
  nodePaths,
  readLayout,
  readyTimeoutMs,
  resolveOptions,
  writeLayout,
} from './kafka/layout.ts'
import { formatStorage, killNode, launchBroker, runningPid } from './kafka/processes.ts'
import { type Target, waitUntilReady } from './kafka/readiness.ts'

export { KafkaPrerequisiteError } from './kafka/jars.ts'
export type { KafkaOptions } from './kafka/layout.ts'

export interface StartedKafka {
  brokers: string
  /** The first node's pid. */
  pid: number
  pids: number[]
  stateDir: string
  /** True when a cluster already running from the state dir was handed out. */
  reused: boolean
}

/** Pids of the layout's nodes that are running. */
function runningPids(layout: Layout): number[] {
  return layout.nodes.flatMap((node) => runningPid(nodePaths(node.dir)) ?? [])
}

function readinessTargets(nodes: readonly NodeSpec[]): Target[] {
  const label = (node: NodeSpec) => (nodes.length === 1 ? 'broker' : `node ${node.id}`)
  return nodes.map((node) => ({ node, paths: nodePaths(node.dir), label: label(node) }))
}

/** Starts a fresh single broker (or `nodes`-node cluster), or reuses the one already running from the state dir. */
export async function startKafka(opts?: KafkaOptions): Promise<StartedKafka> {
  const options = resolveOptions(opts)
  const { stateDir, log } = options
  checkJava()

  const previous = readLayout(stateDir)
  if (previous) {
    const pids = runningPids(previous)
    if (pids.length === previous.nodes.length && pids.length === options.nodes) {
      log(`reusing running Kafka from ${stateDir} (pid ${pids.join(', ')})`)
      // It may still be booting (a concurrent start) or be wedged: only hand it out once it answers.
      const ids = previous.nodes.map((node) => node.id)
      await waitUntilReady(readinessTargets(previous.nodes), ids, Date.now() + readyTimeoutMs())
      return { brokers: previous.brokers, pid: pids[0]!, pids, stateDir, reused: true }
    }
    if (pids.length > 0) {
      log(`stopping the Kafka already running from ${stateDir} (wrong node count or partly down)`)
      await stopKafka({ ...opts, log })
    }
  }

  const libs = await ensureKafkaJars(options)
  const started = Date.now()
  clearState(stateDir)
  mkdirSync(stateDir, { recursive: true })

  const nodes = await allocatePorts(options.nodes, options.port, stateDir)
  const brokers = brokersLine(nodes)
  const clusterId = randomClusterId()

  const targets = readinessTargets(nodes)
  for (const { node, paths } of targets) {
    mkdirSync(paths.dir, { recursive: true })
    writeFileSync(paths.props, serverProperties(node, nodes, paths))
    writeFileSync(paths.log4j, LOG4J2_PROPERTIES)
  }
  log(`formatting storage in ${stateDir} (cluster id ${clusterId})`)
  // Formatting is a JVM start each (~1s); doing the nodes in parallel keeps cluster starts quick.
  await Promise.all(targets.map(({ paths }) => formatStorage(libs, paths, clusterId)))

  writeLayout(stateDir, { clusterId, nodes, brokers })

  const pids = targets.map(({ paths }) => launchBroker(libs, paths))
  log(
    `started Kafka ${options.version} on ${brokers} (pid ${pids.join(', ')}), waiting until it serves requests...`,
  )
  try {
    await waitUntilReady(
      targets,
      nodes.map((node) => node.id),
      started + readyTimeoutMs(),
    )
  } catch (error) {
    await stopKafka({ ...opts, log: () => {} })
    throw error
  }
  log(`Kafka ready in ${((Date.now() - started) / 1000).toFixed(1)}s; logs in ${stateDir}`)
  return { brokers, pid: pids[0]!, pids, stateDir, reused: false }
}

/** Stops every node started from the state dir (SIGTERM, then SIGKILL after 20s). Resolves even if none ran. */
export async function stopKafka(opts?: KafkaOptions): Promise<{ stopped: number }> {
  const { stateDir, log } = resolveOptions(opts)
  const layout = readLayout(stateDir)
  // Without a layout file still look for a lone broker, e.g. one left over from an interrupted start.
  const nodes = layout ? layout.nodes : [{ id: 1, dir: stateDir }]
  const label = (node: { id: number }) => (nodes.length === 1 ? 'Kafka broker' : `Kafka node ${node.id}`)
  // In parallel: a cluster's nodes shut down together, so none waits on the others' controlled shutdown.
  const results = await Promise.all(
    nodes.map((node) => killNode(nodePaths(node.dir), { graceful: true, log, label: label(node) })),
  )
  const stopped = results.filter(Boolean).length
  if (stopped === 0) log(`no Kafka running from ${stateDir}`)
  return { stopped }
}

function layoutNode(stateDir: string, id: number) {
  const layout = readLayout(stateDir)
  if (!layout) throw new Error(`no Kafka cluster was started from ${stateDir}`)
  const node = layout.nodes.find((candidate) => candidate.id === id)
  if (!node)
    throw new Error(`no node ${id} in ${stateDir} (nodes: ${layout.nodes.map((n) => n.id).join(', ')})`)
  return { node, paths: nodePaths(node.dir), brokers: layout.brokers }
}

/** Hard-kills one node (SIGKILL, no controlled shutdown) to simulate a crash; its storage stays for startKafkaNode. */
export async function stopKafkaNode(id: number, opts?: KafkaOptions): Promise<void> {
  const { stateDir, log } = resolveOptions(opts)
  const { paths } = layoutNode(stateDir, id)
  if (!(await killNode(paths, { graceful: false, log, label: `Kafka node ${id}` }))) {
    log(`Kafka node ${id} was not running`)
  }
}

/** Restarts one node of an existing cluster on its existing storage and ports, waiting until it serves again. */
export async function startKafkaNode(
  id: number,
  opts?: KafkaOptions,
): Promise<{ brokers: string; pid: number }> {
  const options = resolveOptions(opts)
  const { stateDir, log } = options
  checkJava()
  const { node, paths, brokers } = layoutNode(stateDir, id)
  const running = runningPid(paths)
  if (running) {
    log(`Kafka node ${id} already running (pid ${running})`)
    return { brokers, pid: running }
  }
  const libs = await ensureKafkaJars(options)
  const started = Date.now()
  const pid = launchBroker(libs, paths)
  log(`restarting Kafka node ${id} on ${HOST}:${node.port} (pid ${pid})...`)
  await waitUntilReady([{ node, paths, label: `node ${id}` }], [id], started + readyTimeoutMs())
  log(`Kafka node ${id} ready in ${((Date.now() - started) / 1000).toFixed(1)}s`)
  return { brokers, pid }
}

// ---------------------------------------------------------------------------------------------------------
// CLI

const USAGE = `usage: tsx scripts/kafka.ts start [--nodes N] | stop | stop-node <id> | start-node <id>`

function parseNodeId(value: string | undefined): number {
  const id = Number(value)
  if (!Number.isInteger(id) || id < 1)
    throw new Error(`expected a node id, got ${value ?? 'nothing'}\n${USAGE}`)
  return id
}

function parseStartArgs(args: readonly string[]): KafkaOptions {
  if (args.length === 0) return {}
  if (args[0] === '--nodes' && args.length === 2) return { nodes: parseNodeId(args[1]) }
  const inline = /^--nodes=(\d+)$/.exec(args[0] ?? '')
  if (inline && args.length === 1) return { nodes: Number(inline[1]) }
  throw new Error(USAGE)
}

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...args] = argv
  switch (command) {
    case 'start': {
      const { brokers } = await startKafka(parseStartArgs(args))
      process.stdout.write(`KAFKA_BROKERS=${brokers}\n`)
      return
    }
    case 'stop':
      await stopKafka()
      return
    case 'stop-node':
      await stopKafkaNode(parseNodeId(args[0]))
      return
    case 'start-node': {
      const { brokers } = await startKafkaNode(parseNodeId(args[0]))
      process.stdout.write(`KAFKA_BROKERS=${brokers}\n`)
      return
    }
    default:
      throw new Error(USAGE)
  }
}

// Node resolves symlinks in the main module's URL, so compare against the real path of argv[1].
function isMainModule(): boolean {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? '')).href
  } catch {
    return false
  }
}

if (isMainModule()) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`[kafka] ${error instanceof Error ? error.message : error}\n`)
    process.exitCode = error instanceof KafkaPrerequisiteError ? 2 : 1
  })
}
