// The HTTP ingest runs: a fresh server child per run, prepared bodies sent by N keep-alive clients,
// stored count checked afterwards, CPU of server, load generator and broker noted for the run.
import { performance } from 'node:perf_hooks'
import { cpuSeconds, machineBusySeconds } from './children.ts'
import { HttpClient, ingestStatus, sendBodies, waitUntilStored } from './http-load.ts'
import { benchAdminToken, type ServerChild, startServer } from './server.ts'

export interface IngestRun {
  mode: 'direct' | 'kafka'
  concurrency: number
  events: number
  /** Until the last 202 (for Kafka: acknowledged by the broker, not yet stored). */
  acceptSeconds: number
  acceptEps: number
  /** Until the org's stored count reached every event sent. */
  storedSeconds: number
  storedEps: number
  storedEvents: number
  retries: number
  /** CPU seconds used during the run (until stored). */
  serverCpu: number
  loadCpu: number
  brokerCpu: number | null
  /** CPU seconds of every other process of the machine meanwhile (anything else running). */
  otherCpu: number | null
  peakRssMb: number
  /** Kafka runs: the ingest-status polls made meanwhile (count, mean and max duration in ms). */
  statusPolls: { count: number; meanMs: number; maxMs: number } | null
}

export interface IngestSetup {
  org: string
  bodies: Buffer[]
  events: number
  concurrency: number
  /** Kafka runs: how often the stored count is polled while events flow (the brief: 100 ms). */
  statusPollMs: number
  log: (line: string) => void
}

export interface KafkaSetup {
  brokers: string
  brokerPid: number | null
  topic: string
}

interface CpuMark {
  server: number
  load: number
  broker: number | null
  machine: number | null
}

function cpuMark(server: ServerChild, brokerPid: number | null): CpuMark {
  const own = process.cpuUsage()
  return {
    server: server.cpuSeconds(),
    load: (own.user + own.system) / 1e6,
    broker: brokerPid === null ? null : cpuSeconds(brokerPid),
    machine: machineBusySeconds(),
  }
}

/** Logs "label: done / total events" each time another tenth of the total is reached. */
export function progressLogger(label: string, total: number, log: (line: string) => void) {
  let lastTenth = 0
  return (done: number) => {
    const tenth = Math.floor((done * 10) / total)
    if (tenth <= lastTenth) return
    lastTenth = tenth
    log(`${label}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} events`)
  }
}

const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a)

function usedCpu(before: CpuMark, after: CpuMark) {
  const serverCpu = after.server - before.server
  const loadCpu = after.load - before.load
  const brokerCpu = delta(before.broker, after.broker)
  const machine = delta(before.machine, after.machine)
  const otherCpu = machine === null ? null : Math.max(0, machine - serverCpu - loadCpu - (brokerCpu ?? 0))
  return { serverCpu, loadCpu, brokerCpu, otherCpu }
}

/** Direct sink: the 202 comes after the insert, so the last 202 is the end of the stored run. */
export async function runDirect(setup: IngestSetup): Promise<IngestRun> {
  const label = `direct ingest (c=${setup.concurrency})`
  setup.log(`${label}: starting a server`)
  const server = await startServer()
  const client = new HttpClient(server.url, benchAdminToken, setup.concurrency + 1)
  try {
    const before = cpuMark(server, null)
    const load = await sendBodies(client, setup.bodies, {
      concurrency: setup.concurrency,
      onProgress: progressLogger(label, setup.events, setup.log),
    })
    const after = cpuMark(server, null)
    const { stored_events } = await ingestStatus(client, setup.org)
    const seconds = (load.endedAt - load.startedAt) / 1000
    return {
      mode: 'direct',
      concurrency: setup.concurrency,
      events: setup.events,
      acceptSeconds: seconds,
      acceptEps: load.accepted / seconds,
      storedSeconds: seconds,
      storedEps: stored_events / seconds,
      storedEvents: stored_events,
      retries: load.retries,
      ...usedCpu(before, after),
      peakRssMb: server.peakRssMb(),
      statusPolls: null,
    }
  } finally {
    client.close()
    await server.stop()
  }
}

/**
 * Kafka sink, API and worker in one process: the acceptance rate runs until the last 202, the
 * stored rate until the status poll (every `statusPollMs`) sees every event. `after` runs on the same
 * server before it stops.
 */
export async function runKafka<T>(
  setup: IngestSetup,
  kafka: KafkaSetup,
  after: (server: ServerChild) => Promise<T>,
): Promise<{ run: IngestRun; after: T }> {
  const label = `kafka ingest (c=${setup.concurrency})`
  setup.log(`${label}: starting a server on topic ${kafka.topic}`)
  const server = await startServer({
    KAFKA_BROKERS: kafka.brokers,
    KAFKA_TOPIC: kafka.topic,
    KAFKA_GROUP_ID: `${kafka.topic}-writers`,
    KAFKA_PARTITIONS: '6',
  })
  const client = new HttpClient(server.url, benchAdminToken, setup.concurrency)
  const poller = new HttpClient(server.url, benchAdminToken, 1)
  try {
    const before = cpuMark(server, kafka.brokerPid)
    const startedAt = performance.now()
    const stored = waitUntilStored(poller, setup.org, setup.events, {
      everyMs: setup.statusPollMs,
      stallMs: 120_000,
      onProgress: progressLogger(`${label}, stored`, setup.events, setup.log),
    })
    stored.catch(() => undefined) // awaited below; keeps an early failure from being unhandled
    const load = await sendBodies(client, setup.bodies, {
      concurrency: setup.concurrency,
      onProgress: progressLogger(`${label}, accepted`, setup.events, setup.log),
    })
    const done = await stored
    const after_ = cpuMark(server, kafka.brokerPid)
    const acceptSeconds = (load.endedAt - startedAt) / 1000
    const storedSeconds = (done.at - startedAt) / 1000
    const run: IngestRun = {
      mode: 'kafka',
      concurrency: setup.concurrency,
      events: setup.events,
      acceptSeconds,
      acceptEps: load.accepted / acceptSeconds,
      storedSeconds,
      storedEps: done.stored / storedSeconds,
      storedEvents: done.stored,
      retries: load.retries,
      ...usedCpu(before, after_),
      peakRssMb: server.peakRssMb(),
      statusPolls: { count: done.polls, meanMs: done.meanPollMs, maxMs: done.maxPollMs },
    }
    return { run, after: await after(server) }
  } finally {
    client.close()
    poller.close()
    await server.stop()
  }
}
