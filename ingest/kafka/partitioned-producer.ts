// A producer that cannot acknowledge a message it did not write, built on a client whose own send
// can. Two faults of kafkajs 2.2 (read in its producer/sendMessages.js) lose acknowledged messages
// when a partition leader dies during a send:
//
// 1. A send to several partitions remembers the answer of each *broker*. When a leader dies and its
//    partition moves to a broker that has already answered for another partition of the same send,
//    the retry skips that broker, and the moved partition's messages are reported written although
//    no broker took them.
// 2. The idempotent sequence of a partition is rolled back when a send fails, even when the dead
//    broker had written the batch. The next send to that partition reuses the numbers; when its
//    message count happens to match, the broker takes it for a retry of the written batch and
//    answers "duplicate, already written": acknowledged, dropped.
//
// So here every send carries one partition only (we pick the partition, with the client's own
// key hash, so keys keep their partitions), one send per partition is in flight at a time (later
// writes queue and leave together), and after any failed or timed-out send the client is retired:
// the next send gets a new producer id, whose sequences cannot meet the old one's.
import type { QueueMessage } from './queue.ts'

/** The part of a client producer this needs; kafkajs provides it. */
export interface ClientProducer {
  connect(): Promise<void>
  /** Sends messages that all name the same partition; resolves once every in-sync replica has them. */
  send(topic: string, partition: number, messages: readonly QueueMessage[]): Promise<void>
  disconnect(): Promise<void>
}

export interface PartitionedProducerOptions {
  /** A new client producer (its own producer id); called again after each failure. */
  createClient(): ClientProducer
  /** The topic's partition count (cached here until a send fails). */
  partitionCount(topic: string): Promise<number>
  /** The partition of a key among `count`: must be the client's own hash to keep ordering. */
  partitionOf(key: string, count: number): number
  /** A write not acknowledged within this is failed (the caller answers 503). */
  sendTimeoutMs: number
  /** Messages and bytes that may leave together for one partition (a single write is never split). */
  maxGroupMessages?: number
  maxGroupBytes?: number
  /** Told when a client is retired after a failure. */
  onRetire?: (reason: string) => void
}

interface Generation {
  client: ClientProducer
  ready: Promise<void>
  inFlight: number
  retired: boolean
}

interface Part {
  messages: readonly QueueMessage[]
  bytes: number
  settled: boolean
  resolve(): void
  reject(err: Error): void
}

interface Lane {
  topic: string
  partition: number
  queue: Part[]
  busy: boolean
}

export class PartitionedProducer {
  private generation: Generation | null = null
  private readonly lanes = new Map<string, Lane>()
  private readonly partitionCounts = new Map<string, number>()
  private closed = false
  private readonly maxGroupMessages: number
  private readonly maxGroupBytes: number

  constructor(private readonly options: PartitionedProducerOptions) {
    this.maxGroupMessages = options.maxGroupMessages ?? 5_000
    this.maxGroupBytes = options.maxGroupBytes ?? 512 * 1024
  }

  /** Connects a first client, so that a start with Kafka down fails at once. */
  async connect(): Promise<void> {
    this.closed = false
    await this.current()
  }

  async send(topic: string, messages: readonly QueueMessage[]): Promise<void> {
    if (messages.length === 0) return
    if (this.closed) throw new Error('the Kafka producer is closed')
    const count = await this.partitionsOf(topic)
    const byPartition = new Map<number, QueueMessage[]>()
    for (const message of messages) {
      const partition = this.options.partitionOf(message.key, count)
      const list = byPartition.get(partition)
      if (list) list.push(message)
      else byPartition.set(partition, [message])
    }
    const parts: Part[] = []
    const done = Promise.all(
      [...byPartition].map(
        ([partition, list]) =>
          new Promise<void>((resolve, reject) => {
            const part: Part = {
              messages: list,
              bytes: list.reduce((sum, m) => sum + m.key.length + m.value.length, 0),
              settled: false,
              resolve: () => {
                part.settled = true
                resolve()
              },
              reject: (err) => {
                part.settled = true
                reject(err)
              },
            }
            parts.push(part)
            this.enqueue(topic, partition, part)
          }),
      ),
    )
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Kafka did not acknowledge within ${this.options.sendTimeoutMs} ms`)),
        this.options.sendTimeoutMs,
      )
    })
    try {
      await Promise.race([done, timeout])
    } catch (err) {
      // Parts still waiting in a queue are withdrawn: they never reach Kafka. A part already in
      // flight may still land; the caller answered 503, so at worst it is stored without an ack.
      for (const part of parts) if (!part.settled) part.reject(err as Error)
      done.catch(() => undefined)
      throw err
    } finally {
      clearTimeout(timer)
    }
  }

  async disconnect(): Promise<void> {
    this.closed = true
    const generation = this.generation
    this.generation = null
    for (const lane of this.lanes.values()) {
      for (const part of lane.queue.splice(0)) part.reject(new Error('the Kafka producer is closed'))
    }
    if (generation) await generation.client.disconnect()
  }

  private async partitionsOf(topic: string): Promise<number> {
    const known = this.partitionCounts.get(topic)
    if (known !== undefined) return known
    const count = await this.options.partitionCount(topic)
    if (!Number.isInteger(count) || count < 1) throw new Error(`topic ${topic}: no partitions`)
    this.partitionCounts.set(topic, count)
    return count
  }

  private enqueue(topic: string, partition: number, part: Part): void {
    const id = `${topic}\u0000${partition}`
    let lane = this.lanes.get(id)
    if (!lane) {
      lane = { topic, partition, queue: [], busy: false }
      this.lanes.set(id, lane)
    }
    lane.queue.push(part)
    void this.drain(lane)
  }

  /** Sends a lane's queue one group at a time: one request per partition in flight. */
  private async drain(lane: Lane): Promise<void> {
    if (lane.busy) return
    lane.busy = true
    try {
      for (;;) {
        const group = this.takeGroup(lane)
        if (group.length === 0) return
        let generation: Generation
        try {
          generation = await this.current()
        } catch (err) {
          for (const part of group) part.reject(err as Error)
          continue
        }
        generation.inFlight++
        try {
          await this.sendBounded(generation, lane, group)
          for (const part of group) part.resolve()
        } catch (err) {
          this.retire(generation, (err as Error).message)
          this.partitionCounts.delete(lane.topic)
          for (const part of group) part.reject(err as Error)
        } finally {
          generation.inFlight--
          this.disconnectIfIdle(generation)
        }
      }
    } finally {
      lane.busy = false
    }
  }

  /** The parts still wanted at the head of the queue, within the group limits (at least one). */
  private takeGroup(lane: Lane): Part[] {
    const group: Part[] = []
    let messages = 0
    let bytes = 0
    while (lane.queue.length > 0) {
      const next = lane.queue[0]!
      if (next.settled) {
        lane.queue.shift()
        continue
      }
      if (
        group.length > 0 &&
        (messages + next.messages.length > this.maxGroupMessages || bytes + next.bytes > this.maxGroupBytes)
      )
        break
      lane.queue.shift()
      group.push(next)
      messages += next.messages.length
      bytes += next.bytes
    }
    return group
  }

  private async sendBounded(generation: Generation, lane: Lane, group: Part[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Kafka did not acknowledge within ${this.options.sendTimeoutMs} ms`)),
        this.options.sendTimeoutMs,
      )
    })
    const sending = generation.client.send(
      lane.topic,
      lane.partition,
      group.flatMap((part) => part.messages),
    )
    // A send given up here goes on inside the retired client; its outcome no longer matters.
    sending.catch(() => undefined)
    try {
      await Promise.race([sending, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  private async current(): Promise<Generation> {
    if (this.closed) throw new Error('the Kafka producer is closed')
    if (!this.generation) {
      const client = this.options.createClient()
      const generation: Generation = { client, ready: client.connect(), inFlight: 0, retired: false }
      this.generation = generation
      generation.ready.catch(() => {
        if (this.generation === generation) this.generation = null
        generation.retired = true
        void client.disconnect().catch(() => undefined)
      })
    }
    const generation = this.generation
    await generation.ready
    return generation
  }

  private retire(generation: Generation, reason: string): void {
    if (generation.retired) return
    generation.retired = true
    if (this.generation === generation) this.generation = null
    this.options.onRetire?.(reason)
  }

  private disconnectIfIdle(generation: Generation): void {
    if (generation.retired && generation.inFlight === 0)
      void generation.client.disconnect().catch(() => undefined)
  }
}
