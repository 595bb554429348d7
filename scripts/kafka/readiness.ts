// Readiness through the Kafka client: an open port only means the acceptor thread is up, so a
// node counts as ready once it accepts a client connection and the cluster's metadata lists every
// expected broker id (brokers are listed once they are unfenced).
import { Kafka, logLevel } from 'kafkajs'
import { HOST, type NodePaths, type NodeSpec, readyTimeoutMs } from './layout.ts'
import { brokerLogTail, runningPid } from './processes.ts'

export interface Target {
  node: NodeSpec
  paths: NodePaths
  label: string
}

async function brokerReady(port: number, expectedIds: readonly number[]): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'implication-kafka-script',
    brokers: [`${HOST}:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  })
  const admin = kafka.admin()
  try {
    await admin.connect()
    const { brokers } = await admin.describeCluster()
    const ids = brokers.map((broker) => broker.nodeId)
    return expectedIds.every((id) => ids.includes(id))
  } catch {
    return false
  } finally {
    await admin.disconnect().catch(() => undefined)
  }
}

/** Polls until every target is ready; throws when one exits or at the deadline (epoch ms). */
export async function waitUntilReady(
  targets: readonly Target[],
  expectedIds: readonly number[],
  deadline: number,
): Promise<void> {
  for (;;) {
    for (const { paths, label } of targets) {
      if (!runningPid(paths)) throw new Error(`${label} exited during startup\n${brokerLogTail(paths)}`)
    }
    const ready = await Promise.all(targets.map(({ node }) => brokerReady(node.port, expectedIds)))
    if (ready.every(Boolean)) return
    if (Date.now() > deadline) {
      const notReady = targets.filter((_, i) => !ready[i])
      const tails = notReady.map(({ paths, label }) => `--- ${label}\n${brokerLogTail(paths)}`).join('\n')
      throw new Error(`Kafka not ready after ${readyTimeoutMs() / 1000}s\n${tails}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
