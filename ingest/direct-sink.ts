// The direct sink: accepted events go straight to ClickHouse through one group-commit writer.
import type { ClickHouseClient } from '@clickhouse/client'
import type { StoredEvent } from '../schemas/event.ts'
import { insertEvents } from './event-store.ts'
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
      await insertEvents(client, rows)
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
      throw new SinkUnavailableError(`the event store refused the write: ${(err as Error).message}`, 5)
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
