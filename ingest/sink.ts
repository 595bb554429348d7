// Where accepted events go: the direct group-commit writer or a Kafka topic. The promise of
// `write` resolves only once the events are durable there; the HTTP 202 waits on it.
import type { StoredEvent } from '../schemas/event.ts'

export interface EventSink {
  readonly name: 'direct' | 'kafka'
  write(events: readonly StoredEvent[]): Promise<void>
  /** null when the sink can take events, else what is wrong. */
  readiness(): Promise<string | null>
  close(): Promise<void>
}

/** The sink is full or its backend is unreachable: the client should retry later. */
export class SinkUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message)
  }
}
