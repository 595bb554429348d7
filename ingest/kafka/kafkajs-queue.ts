// The Queue interface implemented with kafkajs: idempotent producer with acks from all in-sync
// replicas, one partition per send (see partitioned-producer.ts), consumer groups with
// hand-resolved offsets.
import {
  type Admin,
  CompressionTypes,
  Kafka,
  type KafkaConfig,
  logLevel,
  Partitioners,
  type PartitionMetadata,
} from 'kafkajs'
import { PartitionedProducer } from './partitioned-producer.ts'
import type { Queue, QueueAdmin, QueueConsumer, QueueProducer } from './queue.ts'

export interface KafkajsQueueOptions {
  brokers: string[]
  clientId: string
  /** How long a send may wait on unreachable brokers before the caller is told. */
  sendTimeoutMs?: number
  sessionTimeoutMs?: number
  /** Receives the client's warnings and errors (kafkajs otherwise prints to the console). */
  log?: (level: 'warn' | 'error', message: string, fields: Record<string, unknown>) => void
}

export function createKafkajsQueue(options: KafkajsQueueOptions): Queue {
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }) => {
        const { message, ...fields } = log
        options.log?.(level === logLevel.ERROR ? 'error' : 'warn', `kafka: ${message}`, fields)
      },
    connectionTimeout: 3_000,
    requestTimeout: 15_000,
    retry: { initialRetryTime: 100, retries: 5, maxRetryTime: 2_000 },
  }
  const kafka = new Kafka(config)
  const sendTimeoutMs = options.sendTimeoutMs ?? 10_000

  return {
    producer(): QueueProducer {
      // The client's partition for a key (murmur2, as the Java client): kept so that a topic
      // written before keeps each person's events on the same partition.
      const partitioner = Partitioners.DefaultPartitioner()
      const metadataFor = new Map<number, PartitionMetadata[]>()
      let admin: Admin | null = null
      const producer = new PartitionedProducer({
        sendTimeoutMs,
        createClient() {
          // Idempotence needs one request in flight per connection to keep ordering guarantees.
          const client = kafka.producer({
            idempotent: true,
            maxInFlightRequests: 1,
            allowAutoTopicCreation: false,
          })
          return {
            connect: () => client.connect(),
            disconnect: () => client.disconnect(),
            async send(topic, partition, messages) {
              await client.send({
                topic,
                acks: -1,
                compression: CompressionTypes.None,
                messages: messages.map((m) => ({ key: m.key, value: m.value, partition })),
              })
            },
          }
        },
        async partitionCount(topic) {
          if (!admin) {
            const created = kafka.admin()
            await created.connect()
            admin = created
          }
          const metadata = await admin.fetchTopicMetadata({ topics: [topic] })
          return metadata.topics[0]?.partitions.length ?? 0
        },
        partitionOf(key, count) {
          let partitionMetadata = metadataFor.get(count)
          if (!partitionMetadata) {
            partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({
              partitionErrorCode: 0,
              partitionId,
              leader: 0,
              replicas: [],
              isr: [],
              offlineReplicas: [],
            }))
            metadataFor.set(count, partitionMetadata)
          }
          return partitioner({ topic: '', partitionMetadata, message: { key, value: null } })
        },
        onRetire: (reason) =>
          options.log?.('warn', 'kafka: producer replaced after a failed send', { reason }),
      })
      return {
        connect: () => producer.connect(),
        send: (topic, messages) => producer.send(topic, messages),
        async disconnect() {
          await producer.disconnect()
          await admin?.disconnect()
          admin = null
        },
      }
    },

    consumer(groupId): QueueConsumer {
      const consumer = kafka.consumer({
        groupId,
        sessionTimeout: options.sessionTimeoutMs ?? 30_000,
        heartbeatInterval: Math.min(3_000, Math.floor((options.sessionTimeoutMs ?? 30_000) / 3)),
        maxWaitTimeInMs: 100,
        // What bounds the worker's insert block when it is behind (one batch per partition and
        // fetch; a caught-up worker gets what arrived within `maxWaitTimeInMs`, so no latency is
        // added then). A message is about 325 bytes (293 of JSON, key and record overhead), so
        // 16 MiB is about 50,000 events, 4 MiB (the value before) about 13,000. Measured with
        // bench/insert-format.ts (bench/RESULTS.md, "Insert format and block size"): the engine's
        // CPU per event is 26 % lower at 100k-row blocks than at 20k, and 30 % lower at 20k than
        // at 5k. `maxBytes` (the whole fetch, 10 MiB by default) must not cut it shorter.
        maxBytesPerPartition: 16 * 1024 * 1024,
        maxBytes: 32 * 1024 * 1024,
        allowAutoTopicCreation: false,
      })
      return {
        connect: () => consumer.connect(),
        disconnect: () => consumer.disconnect(),
        subscribe: (topic) => consumer.subscribe({ topic, fromBeginning: true }),
        run: (handler) =>
          consumer.run({
            // Offsets are resolved by hand, only after the batch is stored.
            eachBatchAutoResolve: false,
            autoCommit: true,
            eachBatch: async (payload) => {
              await handler(
                {
                  topic: payload.batch.topic,
                  partition: payload.batch.partition,
                  messages: payload.batch.messages,
                },
                {
                  resolveOffset: (offset) => payload.resolveOffset(offset),
                  commit: () => payload.commitOffsetsIfNecessary(),
                  heartbeat: () => payload.heartbeat(),
                  stillOwned: () => payload.isRunning() && !payload.isStale(),
                },
              )
            },
          }),
      }
    },

    async admin(): Promise<QueueAdmin> {
      const admin = kafka.admin()
      await admin.connect()
      return {
        disconnect: () => admin.disconnect(),
        async ping() {
          await admin.describeCluster()
        },
        async ensureTopic(topic, partitions, replicationFactor) {
          const existing = await admin.listTopics()
          if (!existing.includes(topic)) {
            await admin.createTopics({
              waitForLeaders: false,
              topics: [{ topic, numPartitions: partitions, replicationFactor }],
            })
          }
          // kafkajs' own waitForLeaders can fail with "This server does not host this
          // topic-partition" while a busy broker is still loading the new partitions: wait here.
          const deadline = Date.now() + 60_000
          for (;;) {
            try {
              const metadata = await admin.fetchTopicMetadata({ topics: [topic] })
              const found = metadata.topics[0]?.partitions ?? []
              if (found.length > 0 && found.every((p) => p.leader >= 0)) return
            } catch (err) {
              if (Date.now() > deadline) throw err
            }
            if (Date.now() > deadline)
              throw new Error(`topic ${topic}: partitions still without a leader after 60 s`)
            await new Promise((resolve) => setTimeout(resolve, 250))
          }
        },
        async lag(topic, groupId) {
          const [ends, committed] = await Promise.all([
            admin.fetchTopicOffsets(topic),
            admin.fetchOffsets({ groupId, topics: [topic] }),
          ])
          const committedByPartition = new Map(
            (committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]),
          )
          return ends.map((end) => {
            const done = committedByPartition.get(end.partition) ?? -1
            const low = Number(end.low)
            const from = done < 0 ? low : done
            return { partition: end.partition, lag: Math.max(0, Number(end.high) - from) }
          })
        },
      }
    },
  }
}
