// The Kafka sink: accepted events become messages keyed by org and actor (one person's events
// stay ordered on one partition); the 202 waits for the acknowledgement of all in-sync replicas.
import type { StoredEvent } from '../../schemas/event.ts'
import { type EventSink, SinkUnavailableError } from '../sink.ts'
import type { Queue, QueueAdmin, QueueProducer } from './queue.ts'

export interface KafkaSinkOptions {
  topic: string
  partitions: number
  replicationFactor: number
}

export function messageKey(event: Pick<StoredEvent, 'org' | 'actor'>): string {
  return `${event.org}/${event.actor}`
}

export class KafkaSink implements EventSink {
  readonly name = 'kafka'
  private producer: QueueProducer | null = null
  private admin: QueueAdmin | null = null

  constructor(
    private readonly queue: Queue,
    private readonly options: KafkaSinkOptions,
  ) {}

  /** Connects and makes sure the topic exists; safe to call again after a failure (Kafka down). */
  async start(): Promise<void> {
    this.admin ??= await this.queue.admin()
    await this.admin.ensureTopic(this.options.topic, this.options.partitions, this.options.replicationFactor)
    const producer = this.queue.producer()
    await producer.connect()
    this.producer = producer
  }

  async write(events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0) return
    if (!this.producer) throw new SinkUnavailableError('the Kafka producer is not connected', 5)
    try {
      await this.producer.send(
        this.options.topic,
        events.map((e) => ({ key: messageKey(e), value: JSON.stringify(e) })),
      )
    } catch (err) {
      throw new SinkUnavailableError(`Kafka did not take the events: ${(err as Error).message}`, 5)
    }
  }

  async readiness(): Promise<string | null> {
    try {
      if (!this.admin || !this.producer) return 'kafka: not connected yet (retrying)'
      await this.admin.ping()
      return null
    } catch (err) {
      return `kafka: ${(err as Error).message}`
    }
  }

  async close(): Promise<void> {
    await this.producer?.disconnect()
    await this.admin?.disconnect()
  }
}
