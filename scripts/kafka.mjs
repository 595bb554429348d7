#!/usr/bin/env node
// Starts and stops a real Apache Kafka (KRaft, combined broker+controller) on 127.0.0.1 for tests and
// benchmarks, with nothing but Java 17+ and Maven: the Kafka jars come from Maven Central into a user cache
// dir (outside git) on first use; broker state lives in <repo>/data/kafka (git-ignored).
//
//   node scripts/kafka.mjs start [--nodes N]   -> stdout: KAFKA_BROKERS=127.0.0.1:<port>[,...]
//   node scripts/kafka.mjs stop
//   node scripts/kafka.mjs stop-node <id>      SIGKILL one node of a running cluster
//   node scripts/kafka.mjs start-node <id>     restart it on its existing storage
//
// Env: KAFKA_VERSION (default 4.1.1), KAFKA_PORT (first broker port), KAFKA_STATE_DIR, IMPLICATION_CACHE_DIR,
// KAFKA_HEAP_OPTS (default "-Xms256m -Xmx512m").
// Exit codes: 0 ok, 2 Java/Maven missing (callers skip Kafka tests), 1 anything else.
// Also importable: startKafka, stopKafka, startKafkaNode, stopKafkaNode, KafkaPrerequisiteError.

import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { connect, createServer } from 'node:net'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'

const DEFAULT_KAFKA_VERSION = '4.1.1'
// Kafka 4.x logs through slf4j 1.7 (scala-logging, clients) and log4j2 (kafka-server pulls in log4j-api/core),
// but ships no slf4j binding in its Maven POMs; log4j-slf4j-impl is the slf4j-1.x -> log4j2 bridge that the
// Kafka distribution itself bundles. Without it every slf4j log line is silently dropped.
const LOG4J_VERSION = '2.24.3'
const DEPENDENCY_PLUGIN_VERSION = '3.8.1'
const DEFAULT_HEAP_OPTS = '-Xms256m -Xmx512m'
// KAFKA_READY_TIMEOUT_MS: how long a start waits for the broker(s) to serve (a busy machine needs more).
const READY_TIMEOUT_MS = Number(process.env.KAFKA_READY_TIMEOUT_MS) || 90_000
const STOP_TIMEOUT_MS = 20_000
const HOST = '127.0.0.1'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Thrown when Java 17+ or Maven is unavailable; the CLI maps it to exit code 2 so test runners can skip. */
export class KafkaPrerequisiteError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message)
    this.name = 'KafkaPrerequisiteError'
    this.exitCode = 2
  }
}

// ---------------------------------------------------------------------------------------------------------
// Options and paths

/**
 * @typedef {object} KafkaOptions
 * @property {string} [stateDir]  broker state (configs, pid files, logs, data); default <repo>/data/kafka
 * @property {string} [cacheDir]  jar cache root; default ${XDG_CACHE_HOME:-~/.cache}/implication
 * @property {string} [version]   Kafka version on Maven Central; default 4.1.1
 * @property {number} [nodes]     cluster size for startKafka; default 1
 * @property {number} [port]      first broker port; default: a free port
 * @property {(line: string) => void} [log]  progress sink; default stderr
 */

/**
 * @typedef {object} ResolvedOptions
 * @property {string} version
 * @property {string} kafkaHome  cache dir of this Kafka version (pom.xml, libs/)
 * @property {string} stateDir
 * @property {number} nodes
 * @property {number | undefined} port
 * @property {(line: string) => void} log
 */

/** @typedef {{id: number, port: number, controllerPort: number, dir: string}} NodeSpec */
/** @typedef {{clusterId: string, nodes: NodeSpec[], brokers: string}} Layout */
/** @typedef {ReturnType<typeof nodePaths>} NodePaths */
/** @typedef {{node: NodeSpec, paths: NodePaths, label: string}} Target */

/**
 * @param {KafkaOptions} [opts]
 * @returns {ResolvedOptions}
 */
function resolveOptions(opts = {}) {
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

// A single broker lives directly in the state dir; cluster nodes each get a node-<id> subdirectory.
/** @param {string} stateDir @param {number} id @param {number} nodeCount */
function nodeDir(stateDir, id, nodeCount) {
  return nodeCount === 1 ? stateDir : join(stateDir, `node-${id}`)
}

/** @param {string} dir */
function nodePaths(dir) {
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

const layoutFile = (/** @type {string} */ stateDir) => join(stateDir, 'cluster.json')

/** @param {string} stateDir @returns {Layout | null} */
function readLayout(stateDir) {
  try {
    return JSON.parse(readFileSync(layoutFile(stateDir), 'utf8'))
  } catch {
    return null
  }
}

// ---------------------------------------------------------------------------------------------------------
// Prerequisites and jar cache

function javaCommand() {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java'
}

function checkJava() {
  const java = javaCommand()
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' })
  if (probe.error)
    throw new KafkaPrerequisiteError(`Kafka broker needs Java 17+ and Maven: java not found (${java})`)
  // `java -version` prints e.g. `openjdk version "17.0.15"` or `java version "1.8.0_392"` to stderr.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(probe.stderr)
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : 0
  if (major < 17) {
    throw new KafkaPrerequisiteError(
      `Kafka broker needs Java 17+ and Maven: ${java} is Java ${major || 'of unknown version'}`,
    )
  }
}

function checkMaven() {
  const probe = spawnSync('mvn', ['-v'], { encoding: 'utf8' })
  if (probe.error) throw new KafkaPrerequisiteError('Kafka broker needs Java 17+ and Maven: mvn not found')
}

/** @param {string} version */
function pomXml(version) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by scripts/kafka.mjs: only used to pull the Kafka broker and its runtime deps into ./libs -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>implication.local</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>${version}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId>
      <version>${LOG4J_VERSION}</version>
    </dependency>
  </dependencies>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <groupId>org.apache.maven.plugins</groupId>
          <artifactId>maven-dependency-plugin</artifactId>
          <version>${DEPENDENCY_PLUGIN_VERSION}</version>
        </plugin>
      </plugins>
    </pluginManagement>
  </build>
</project>
`
}

/**
 * Runs a command to completion, keeping its output only to explain a failure.
 * @param {string} command @param {string[]} args @param {string} cwd
 * @returns {Promise<void>}
 */
function runQuietly(command, args, cwd) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolvePromise()
      else reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${lastLines(output, 30)}`))
    })
  })
}

/**
 * Makes sure <kafkaHome>/libs holds the broker's jars; returns the libs dir.
 * @param {ResolvedOptions} options
 */
async function ensureKafkaJars({ version, kafkaHome, log }) {
  const libs = join(kafkaHome, 'libs')
  const marker = join(kafkaHome, '.complete')
  if (existsSync(marker)) return libs

  checkMaven()
  log(`resolving Kafka ${version} jars from Maven Central into ${kafkaHome} (first run only)...`)
  const started = Date.now()
  mkdirSync(kafkaHome, { recursive: true })
  writeFileSync(join(kafkaHome, 'pom.xml'), pomXml(version))
  // Download next to the final dir and rename, so an interrupted run never leaves a half-filled libs/.
  rmSync(join(kafkaHome, 'libs.tmp'), { recursive: true, force: true })
  await runQuietly(
    'mvn',
    ['-q', '-B', 'dependency:copy-dependencies', '-DoutputDirectory=libs.tmp', '-DincludeScope=runtime'],
    kafkaHome,
  )
  rmSync(libs, { recursive: true, force: true })
  renameSync(join(kafkaHome, 'libs.tmp'), libs)
  const jarCount = readdirSync(libs).filter((name) => name.endsWith('.jar')).length
  writeFileSync(marker, `${new Date().toISOString()} ${jarCount} jars\n`)
  log(`resolved ${jarCount} jars in ${((Date.now() - started) / 1000).toFixed(1)}s`)
  return libs
}

// ---------------------------------------------------------------------------------------------------------
// Config files

/** 22-char base64url of 16 random bytes, like Kafka's Uuid.randomUuid(), which also avoids a leading "-"
 *  because the id is passed on a command line. */
function randomClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url')
    if (!id.startsWith('-')) return id
  }
}

/** @param {NodeSpec} node @param {NodeSpec[]} nodes @param {NodePaths} paths */
function serverProperties(node, nodes, paths) {
  const replication = Math.min(nodes.length, 3)
  // With 3 replicas one node may be down and acks=all writes still succeed.
  const minIsr = replication === 3 ? 2 : 1
  const voters = nodes.map((n) => `${n.id}@${HOST}:${n.controllerPort}`).join(',')
  const settings = {
    'process.roles': 'broker,controller',
    'node.id': node.id,
    // Static voter set: every node is formatted alike and no --standalone/--initial-controllers bootstrapping.
    'controller.quorum.voters': voters,
    listeners: `PLAINTEXT://${HOST}:${node.port},CONTROLLER://${HOST}:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${node.port}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'log.dirs': paths.dataDir,
    'num.partitions': 4,
    'default.replication.factor': replication,
    'min.insync.replicas': minIsr,
    'offsets.topic.replication.factor': replication,
    'transaction.state.log.replication.factor': replication,
    'transaction.state.log.min.isr': minIsr,
    'share.coordinator.state.topic.replication.factor': replication,
    'share.coordinator.state.topic.min.isr': minIsr,
    // Kafka's default of 50 partitions each makes the first consumer group (or transactional producer) wait
    // seconds for these internal topics to be created: ~8s instead of ~2s on a 3-node test cluster.
    'offsets.topic.num.partitions': 8,
    'transaction.state.log.num.partitions': 8,
    'group.initial.rebalance.delay.ms': 0,
    'auto.create.topics.enable': true,
  }
  const lines = Object.entries(settings).map(([key, value]) => `${key}=${value}`)
  return `# Written by scripts/kafka.mjs\n${lines.join('\n')}\n`
}

// The file name comes from a system property so the same config works for every node.
const LOG4J2_PROPERTIES = `# Written by scripts/kafka.mjs: broker logs go to server.log in the node dir, never to the console.
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = \${sys:kafka.logs.dir}/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
# Per-partition chatter that drowns out the useful lines.
logger.stateChange.name = state.change.logger
logger.stateChange.level = WARN
logger.logCleaner.name = kafka.log.LogCleaner
logger.logCleaner.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
`

// ---------------------------------------------------------------------------------------------------------
// Processes

/** @param {unknown} error */
const errorCode = (error) => (error instanceof Error && 'code' in error ? error.code : undefined)

/** @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return errorCode(error) === 'EPERM' // alive, just not ours to signal
  }
}

/** True if pid is alive and (where /proc exists) really is the Kafka JVM for this config, so a recycled pid
 *  never gets mistaken for, or killed as, our broker. Zombies have an empty cmdline and count as dead.
 *  @param {number} pid @param {string} propsFile */
function isKafkaProcess(pid, propsFile) {
  if (!isAlive(pid)) return false
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(propsFile)
  } catch {
    return !existsSync('/proc/self') // no procfs (macOS): trust the pid
  }
}

/** @param {string} pidFile @returns {number | null} */
function readPid(pidFile) {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

/** Pid of the running broker for this node dir, or null. @param {NodePaths} paths */
function runningPid(paths) {
  const pid = readPid(paths.pidFile)
  return pid && isKafkaProcess(pid, paths.props) ? pid : null
}

/** @param {string} libs @param {NodePaths} paths */
function jvmArgs(libs, paths) {
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

/** @param {string} libs @param {NodePaths} paths @param {string} clusterId */
function formatStorage(libs, paths, clusterId) {
  const args = ['kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', paths.props]
  return runQuietly(javaCommand(), [...jvmArgs(libs, paths), ...args], paths.dir)
}

/** Launches the broker JVM detached from this process and records its pid.
 *  @param {string} libs @param {NodePaths} paths @returns {number} */
function launchBroker(libs, paths) {
  const out = openSync(paths.consoleLog, 'a')
  try {
    const child = spawn(javaCommand(), [...jvmArgs(libs, paths), 'kafka.Kafka', paths.props], {
      cwd: paths.dir,
      detached: true,
      stdio: ['ignore', out, out],
    })
    child.unref()
    // spawn reports a missing binary asynchronously; checkJava has already ruled that out.
    const pid = /** @type {number} */ (child.pid)
    writeFileSync(paths.pidFile, `${pid}\n`)
    return pid
  } finally {
    closeSync(out)
  }
}

/** @param {number} pid @param {NodeJS.Signals} name */
function signal(pid, name) {
  try {
    process.kill(pid, name)
  } catch (error) {
    if (errorCode(error) !== 'ESRCH') throw error // ESRCH: already gone
  }
}

/** @param {number} pid @param {string} propsFile @param {number} timeoutMs */
async function waitForExit(pid, propsFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!isKafkaProcess(pid, propsFile)) return true
    await sleep(100)
  }
  return !isKafkaProcess(pid, propsFile)
}

/**
 * SIGTERM (graceful) or SIGKILL one node; returns whether something was running.
 * @param {NodePaths} paths
 * @param {{graceful: boolean, log: (line: string) => void, label: string}} how
 */
async function killNode(paths, { graceful, log, label }) {
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

// ---------------------------------------------------------------------------------------------------------
// Readiness: speak the Kafka wire protocol, since an open port only means the acceptor thread is up.

const API_METADATA = 3
const API_VERSIONS = 18

/**
 * Sends one request (header v1, non-flexible) and resolves with the response body after the correlation id.
 * @param {number} port @param {number} apiKey @param {number} apiVersion @param {Buffer} body
 * @returns {Promise<Buffer>}
 */
function kafkaRequest(port, apiKey, apiVersion, body, timeoutMs = 2_000) {
  return new Promise((resolvePromise, reject) => {
    const clientId = Buffer.from('implication-kafka-script')
    const header = Buffer.alloc(10)
    header.writeInt16BE(apiKey, 0)
    header.writeInt16BE(apiVersion, 2)
    header.writeInt32BE(1, 4) // correlation id
    header.writeInt16BE(clientId.length, 8)
    const payload = Buffer.concat([header, clientId, body])
    const size = Buffer.alloc(4)
    size.writeInt32BE(payload.length)

    const socket = connect({ host: HOST, port })
    let received = Buffer.alloc(0)
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('request timed out')))
    socket.on('error', reject)
    socket.on('connect', () => socket.write(Buffer.concat([size, payload])))
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk])
      if (received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) {
        socket.destroy()
        resolvePromise(received.subarray(8, 4 + received.readInt32BE(0)))
      }
    })
    socket.on('close', () => reject(new Error('connection closed before a full response')))
  })
}

/** ApiVersions v0: every broker answers it; returns apiKey -> [min, max].
 *  @param {number} port @returns {Promise<Map<number, [number, number]>>} */
async function apiVersions(port) {
  const body = await kafkaRequest(port, API_VERSIONS, 0, Buffer.alloc(0))
  const errorCode = body.readInt16BE(0)
  if (errorCode !== 0) throw new Error(`ApiVersions error ${errorCode}`)
  const versions = new Map()
  const count = body.readInt32BE(2)
  for (let i = 0, at = 6; i < count; i++, at += 6) {
    versions.set(body.readInt16BE(at), [body.readInt16BE(at + 2), body.readInt16BE(at + 4)])
  }
  return versions
}

/** Metadata (v4..v8, the non-flexible versions with a shared layout) without topics; returns broker ids.
 *  @param {number} port @param {[number, number]} supported @returns {Promise<number[]>} */
async function metadataBrokerIds(port, [minVersion, maxVersion]) {
  const version = Math.max(minVersion, 4)
  if (version > Math.min(maxVersion, 8))
    throw new Error(`no supported Metadata version in ${minVersion}..${maxVersion}`)
  // topics: empty array (not null = all topics); allow_auto_topic_creation=false; v8 adds two more booleans.
  const body = Buffer.alloc(version >= 8 ? 7 : 5)
  const response = await kafkaRequest(port, API_METADATA, version, body)
  let at = 4 // throttle_time_ms
  const count = response.readInt32BE(at)
  at += 4
  const ids = []
  for (let i = 0; i < count; i++) {
    ids.push(response.readInt32BE(at))
    at += 4
    at += 2 + response.readInt16BE(at) // host
    at += 4 // port
    const rackLength = response.readInt16BE(at)
    at += 2 + Math.max(rackLength, 0)
  }
  return ids
}

/** True once the broker on `port` serves Metadata listing every id in expectedIds (i.e. they are unfenced).
 *  @param {number} port @param {number[]} expectedIds */
async function brokerReady(port, expectedIds) {
  try {
    const versions = await apiVersions(port)
    const metadataRange = versions.get(API_METADATA)
    if (!metadataRange) return false
    const ids = await metadataBrokerIds(port, metadataRange)
    return expectedIds.every((id) => ids.includes(id))
  } catch {
    return false
  }
}

/** @param {Target[]} targets @param {number[]} expectedIds @param {number} deadline epoch ms */
async function waitUntilReady(targets, expectedIds, deadline) {
  for (;;) {
    for (const { paths, label } of targets) {
      if (!runningPid(paths)) throw new Error(`${label} exited during startup\n${brokerLogTail(paths)}`)
    }
    const ready = await Promise.all(targets.map(({ node }) => brokerReady(node.port, expectedIds)))
    if (ready.every(Boolean)) return
    if (Date.now() > deadline) {
      const notReady = targets.filter((_, i) => !ready[i])
      const tails = notReady.map(({ paths, label }) => `--- ${label}\n${brokerLogTail(paths)}`).join('\n')
      throw new Error(`Kafka not ready after ${READY_TIMEOUT_MS / 1000}s\n${tails}`)
    }
    await sleep(250)
  }
}

/** @param {string} text @param {number} count */
function lastLines(text, count) {
  return text.trimEnd().split('\n').slice(-count).join('\n')
}

/** The first ERROR line and its root cause: the tail of a failed start is usually just shutdown noise.
 *  @param {string} text */
function firstError(text) {
  const lines = text.split('\n')
  const at = lines.findIndex((line) => / ERROR /.test(line))
  if (at < 0) return null
  const trace = lines.slice(at + 1, at + 200)
  const end = trace.findIndex((line) => line.startsWith('['))
  const rootCause = (end < 0 ? trace : trace.slice(0, end))
    .filter((line) => line.startsWith('Caused by:'))
    .at(-1)
  return rootCause ? `${lines[at]}\n${rootCause}` : lines[at]
}

/** @param {NodePaths} paths */
function brokerLogTail(paths) {
  const sections = []
  for (const file of [paths.serverLog, paths.consoleLog]) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : ''
    if (!text.trim()) continue
    const error = firstError(text)
    if (error) sections.push(`first error in ${file}:\n${error}`)
    sections.push(`last lines of ${file}:\n${lastLines(text, 30)}`)
  }
  return sections.join('\n') || `(no output in ${paths.dir})`
}

// ---------------------------------------------------------------------------------------------------------
// Ports

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, HOST, () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
      server.close(() => resolvePromise(port))
    })
  })
}

/**
 * Broker ports (consecutive from basePort if given) and controller ports, all distinct.
 * @param {number} count @param {number | undefined} basePort @param {string} stateDir
 * @returns {Promise<NodeSpec[]>}
 */
async function allocatePorts(count, basePort, stateDir) {
  /** @type {Set<number>} */
  const taken = new Set()
  const next = async () => {
    for (;;) {
      const port = await freePort()
      if (!taken.has(port)) {
        taken.add(port)
        return port
      }
    }
  }
  const brokerPorts = []
  for (let id = 1; id <= count; id++) {
    const port = basePort ? basePort + id - 1 : await next()
    taken.add(port)
    brokerPorts.push(port)
  }
  const nodes = []
  for (const [index, port] of brokerPorts.entries()) {
    const id = index + 1
    nodes.push({ id, port, controllerPort: await next(), dir: nodeDir(stateDir, id, count) })
  }
  return nodes
}

// ---------------------------------------------------------------------------------------------------------
// Public API

/** @param {number[]} pids  never empty: there is always at least one node */
const firstOf = (pids) => /** @type {number} */ (pids[0])

/** @param {NodeSpec[]} nodes */
function brokersLine(nodes) {
  return nodes.map((node) => `${HOST}:${node.port}`).join(',')
}

/** Pids of the layout's nodes that are running. @param {Layout} layout @returns {number[]} */
function runningPids(layout) {
  return layout.nodes.flatMap((node) => runningPid(nodePaths(node.dir)) ?? [])
}

/** @param {NodeSpec[]} nodes @returns {Target[]} */
function readinessTargets(nodes) {
  const label = (/** @type {NodeSpec} */ node) => (nodes.length === 1 ? 'broker' : `node ${node.id}`)
  return nodes.map((node) => ({ node, paths: nodePaths(node.dir), label: label(node) }))
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

/** Removes everything a previous start wrote, so each start gets freshly formatted storage.
 *  @param {string} stateDir */
function clearState(stateDir) {
  if (!existsSync(stateDir)) return
  for (const entry of readdirSync(stateDir)) {
    if (STATE_ENTRIES.has(entry) || /^node-\d+$/.test(entry)) {
      rmSync(join(stateDir, entry), { recursive: true, force: true })
    }
  }
}

/**
 * Starts a fresh single broker (or `nodes`-node cluster), or reuses the one already running from the state dir.
 * @param {KafkaOptions} [opts]
 * @returns {Promise<{brokers: string, pid: number, pids: number[], stateDir: string, reused: boolean}>}
 */
export async function startKafka(opts) {
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
      await waitUntilReady(readinessTargets(previous.nodes), ids, Date.now() + READY_TIMEOUT_MS)
      return { brokers: previous.brokers, pid: firstOf(pids), pids, stateDir, reused: true }
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

  writeFileSync(layoutFile(stateDir), `${JSON.stringify({ clusterId, nodes, brokers }, null, 2)}\n`)
  writeFileSync(join(stateDir, 'brokers'), `${brokers}\n`)

  const pids = targets.map(({ paths }) => launchBroker(libs, paths))
  log(
    `started Kafka ${options.version} on ${brokers} (pid ${pids.join(', ')}), waiting until it serves requests...`,
  )
  try {
    await waitUntilReady(
      targets,
      nodes.map((node) => node.id),
      started + READY_TIMEOUT_MS,
    )
  } catch (error) {
    await stopKafka({ ...opts, log: () => {} })
    throw error
  }
  log(`Kafka ready in ${((Date.now() - started) / 1000).toFixed(1)}s; logs in ${stateDir}`)
  return { brokers, pid: firstOf(pids), pids, stateDir, reused: false }
}

/**
 * Stops every node started from the state dir (SIGTERM, then SIGKILL after 20s). Resolves even if none ran.
 * @param {KafkaOptions} [opts]
 * @returns {Promise<{stopped: number}>}
 */
export async function stopKafka(opts) {
  const { stateDir, log } = resolveOptions(opts)
  const layout = readLayout(stateDir)
  // Without a layout file still look for a lone broker, e.g. one left over from an interrupted start.
  const nodes = layout ? layout.nodes : [{ id: 1, dir: stateDir }]
  const label = (/** @type {{id: number}} */ node) =>
    nodes.length === 1 ? 'Kafka broker' : `Kafka node ${node.id}`
  // In parallel: a cluster's nodes shut down together, so none waits on the others' controlled shutdown.
  const results = await Promise.all(
    nodes.map((node) => killNode(nodePaths(node.dir), { graceful: true, log, label: label(node) })),
  )
  const stopped = results.filter(Boolean).length
  if (stopped === 0) log(`no Kafka running from ${stateDir}`)
  return { stopped }
}

/** @param {string} stateDir @param {number} id */
function layoutNode(stateDir, id) {
  const layout = readLayout(stateDir)
  if (!layout) throw new Error(`no Kafka cluster was started from ${stateDir}`)
  const node = layout.nodes.find((candidate) => candidate.id === id)
  if (!node)
    throw new Error(`no node ${id} in ${stateDir} (nodes: ${layout.nodes.map((n) => n.id).join(', ')})`)
  return { node, paths: nodePaths(node.dir), brokers: layout.brokers }
}

/**
 * Hard-kills one node (SIGKILL, no controlled shutdown) to simulate a crash; its storage stays for startKafkaNode.
 * @param {number} id
 * @param {KafkaOptions} [opts]
 */
export async function stopKafkaNode(id, opts) {
  const { stateDir, log } = resolveOptions(opts)
  const { paths } = layoutNode(stateDir, id)
  if (!(await killNode(paths, { graceful: false, log, label: `Kafka node ${id}` }))) {
    log(`Kafka node ${id} was not running`)
  }
}

/**
 * Restarts one node of an existing cluster on its existing storage and ports, waiting until it serves again.
 * @param {number} id
 * @param {KafkaOptions} [opts]
 * @returns {Promise<{brokers: string, pid: number}>}
 */
export async function startKafkaNode(id, opts) {
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
  await waitUntilReady([{ node, paths, label: `node ${id}` }], [id], started + READY_TIMEOUT_MS)
  log(`Kafka node ${id} ready in ${((Date.now() - started) / 1000).toFixed(1)}s`)
  return { brokers, pid }
}

// ---------------------------------------------------------------------------------------------------------
// CLI

const USAGE = `usage: node scripts/kafka.mjs start [--nodes N] | stop | stop-node <id> | start-node <id>`

/** @param {string | undefined} value */
function parseNodeId(value) {
  const id = Number(value)
  if (!Number.isInteger(id) || id < 1)
    throw new Error(`expected a node id, got ${value ?? 'nothing'}\n${USAGE}`)
  return id
}

/** @param {string[]} args @returns {KafkaOptions} */
function parseStartArgs(args) {
  if (args.length === 0) return {}
  if (args[0] === '--nodes' && args.length === 2) return { nodes: parseNodeId(args[1]) }
  const inline = /^--nodes=(\d+)$/.exec(args[0] ?? '')
  if (inline && args.length === 1) return { nodes: Number(inline[1]) }
  throw new Error(USAGE)
}

/** @param {string[]} argv */
async function main(argv) {
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
function isMainModule() {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? '')).href
  } catch {
    return false
  }
}

if (isMainModule()) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`[kafka] ${error instanceof Error ? error.message : error}\n`)
    process.exitCode = error instanceof KafkaPrerequisiteError ? 2 : 1
  })
}
