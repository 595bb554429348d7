// What each node is started with: server.properties, the log4j2 config and the cluster id.
import { randomBytes } from 'node:crypto'
import { HOST, type NodePaths, type NodeSpec } from './layout.ts'

/** 22-char base64url of 16 random bytes, like Kafka's Uuid.randomUuid(), which also avoids a leading "-"
 *  because the id is passed on a command line. */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url')
    if (!id.startsWith('-')) return id
  }
}

export function serverProperties(node: NodeSpec, nodes: readonly NodeSpec[], paths: NodePaths): string {
  const replication = Math.min(nodes.length, 3)
  // With 3 replicas one node may be down and acks=all writes still succeed.
  const minIsr = replication === 3 ? 2 : 1
  const voters = nodes.map((n) => `${n.id}@${HOST}:${n.controllerPort}`).join(',')
  const settings: Record<string, string | number | boolean> = {
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
  return `# Written by scripts/kafka.ts\n${lines.join('\n')}\n`
}

// The file name comes from a system property so the same config works for every node.
export const LOG4J2_PROPERTIES = `# Written by scripts/kafka.ts: broker logs go to server.log in the node dir, never to the console.
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
