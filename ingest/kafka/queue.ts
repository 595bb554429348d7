// Our own small interface to a Kafka-compatible queue. The worker and the sink depend on this,
// never on kafkajs, so the client library can be swapped (e.g. @confluentinc/kafka-javascript).

export interface QueueMessage {
  key: string
  value: string
}

export interface ConsumedMessage {
  offset: string
  value: Buffer | null
}

export interface ConsumedBatch {
  topic: string
  partition: number
  messages: ConsumedMessage[]
}

/** What a batch handler may do while it holds a batch. */
export interface BatchControl {
  /** Marks every message up to and including `offset` as processed. */
  resolveOffset(offset: string): void
  /** Commits the resolved offsets now. */
  commit(): Promise<void>
  heartbeat(): Promise<void>
  /** False once the consumer is stopping or the partition was taken away (do not commit then). */
  stillOwned(): boolean
}

export interface QueueProducer {
  connect(): Promise<void>
  /** Resolves once every in-sync replica acknowledged every message. */
  send(topic: string, messages: readonly QueueMessage[]): Promise<void>
  disconnect(): Promise<void>
}

export interface QueueConsumer {
  connect(): Promise<void>
  subscribe(topic: string): Promise<void>
  /** Calls the handler one batch (one topic-partition) at a time until disconnect. */
  run(handler: (batch: ConsumedBatch, control: BatchControl) => Promise<void>): Promise<void>
  disconnect(): Promise<void>
}

export interface PartitionLag {
  partition: number
  lag: number
}

export interface QueueAdmin {
  /** Creates the topic with `partitions` partitions unless it exists. */
  ensureTopic(topic: string, partitions: number, replicationFactor: number): Promise<void>
  /** Consumer-group lag per partition (end offset minus committed offset). */
  lag(topic: string, groupId: string): Promise<PartitionLag[]>
  /** Throws when no broker answers. */
  ping(): Promise<void>
  disconnect(): Promise<void>
}

export interface Queue {
  producer(): QueueProducer
  consumer(groupId: string): QueueConsumer
  admin(): Promise<QueueAdmin>
}
