// After a takeover (a worker died or a rebalance moved a partition between its insert and its
// commit) the new owner re-reads from the last committed offset, but its batch need not have the
// same boundaries as the lost one, so the insert_deduplication_token alone cannot recognise it.
// The first batch of a partition after an assignment, or after an insert whose commit is unknown,
// is therefore checked against the table: a message already stored has the same (org, source,
// id, received_at) — received_at is set once, when the API accepted it — and is dropped. A client's
// resend of the same id is a new message with a new received_at, so it still goes through.
import type { ClickHouseClient } from '@clickhouse/client'
import type { StoredEvent } from '../../schemas/event.ts'

export class ReplayGuard {
  /** Partitions whose every inserted offset this worker committed since its last assignment. */
  private readonly clean = new Set<string>()

  constructor(private readonly client: ClickHouseClient) {}

  /** Forget everything: call on every (re)assignment. */
  reset(): void {
    this.clean.clear()
  }

  needsCheck(topic: string, partition: number): boolean {
    return !this.clean.has(`${topic}/${partition}`)
  }

  /** Before an insert: until its commit succeeds the partition's state is unknown. */
  markUncertain(topic: string, partition: number): void {
    this.clean.delete(`${topic}/${partition}`)
  }

  markCommitted(topic: string, partition: number): void {
    this.clean.add(`${topic}/${partition}`)
  }

  /** The events of the batch that are not in the table yet. */
  async notYetStored(events: readonly StoredEvent[]): Promise<StoredEvent[]> {
    if (events.length === 0) return []
    const result = await this.client.query({
      query: `SELECT org, source, id, toString(received_at) AS received_at FROM events
              WHERE org IN {orgs:Array(String)} AND id IN {ids:Array(String)}`,
      query_params: {
        orgs: [...new Set(events.map((e) => e.org))],
        ids: [...new Set(events.map((e) => e.id))],
      },
      format: 'JSONEachRow',
    })
    const stored = new Set(
      (await result.json<{ org: string; source: string; id: string; received_at: string }>()).map(
        (r) => `${r.org}\u0000${r.source}\u0000${r.id}\u0000${r.received_at}`,
      ),
    )
    return events.filter(
      // received_at travels as ClickHouse prints it (`2025-01-06 09:00:00.000`).
      (e) => !stored.has(`${e.org}\u0000${e.source}\u0000${e.id}\u0000${e.received_at}`),
    )
  }
}
