// The direct sink: accepted events go straight to ClickHouse through one group-commit writer.
import type { ClickHouseClient } from '@clickhouse/client'
import type { StoredEvent } from '../schemas/event.ts'
import { writeEvents } from './event-writer.ts'
import { type GroupCommitOptions, GroupCommitter } from './group-commit.ts'
import { type EventSink, SinkUnavailableError } from './sink.ts'

export class DirectSink implements EventSink {
  readonly name = 'direct'
  private readonly committer: GroupCommitter<StoredEvent>

  constructor(
    private readonly client: ClickHouseClient,
    options: GroupCommitOptions,
    /** Told of each insert's size and duration (metrics). */
    onInsert?: (rows: number, seconds: number) => void,
  ) {
    this.committer = new GroupCommitter(async (rows) => {
      const started = performance.now()
      await writeEvents(client, rows, { writer: 'direct' })
      onInsert?.(rows.length, (performance.now() - started) / 1000)
    }, options)
  }

  get stats() {
    return this.committer.stats
  }

  async write(events: readonly StoredEvent[]): Promise<void> {
    try {
      await this.committer.submit(events)
    } catch (err) {
      if (err instanceof SinkUnavailableError) throw err
      // The engine's message stays in the log (the cause): it is no business of the client's.
      throw storeUnavailable(err)
    }
  }

  async readiness(): Promise<string | null> {
    const ping = await this.client.ping()
    return ping.success ? null : `ClickHouse: ${String(ping.error?.message ?? 'unreachable')}`
  }

  close(): Promise<void> {
    return this.committer.close()
  }
}

/** The answer to a write the store did not take: generic, retry later, the store's error as cause. */
export function storeUnavailable(cause: unknown): SinkUnavailableError {
  const error = new SinkUnavailableError('the event store could not take the write, retry shortly', 5)
  error.cause = cause
  return error
}
