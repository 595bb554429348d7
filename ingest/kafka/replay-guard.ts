// Kafka delivers at least once: a batch is re-read after a worker died or a rebalance moved its
// partition between insert and commit, and a producer retry during a broker failover can write a
// message twice. The re-read batch need not have the lost one's boundaries, so its
// insert_deduplication_token alone cannot recognise it. Before each insert the worker therefore
// drops the messages already in the table: same (org, source, id, received_at). received_at is
// set once, when the API accepted the event, so a redelivered message matches its stored copy,
// while a client's later resend of the same id (a new received_at) still goes through and the
// ReplacingMergeTree keeps the latest.
import type { ClickHouseClient } from '@clickhouse/client'
import type { StoredEvent } from '../../schemas/event.ts'

const keyOf = (e: Pick<StoredEvent, 'org' | 'source' | 'id' | 'received_at'>) =>
  `${e.org}\u0000${e.source}\u0000${e.id}\u0000${e.received_at}`

const lookupChunk = 2_000

/** The events of the batch that are not stored yet, each once. */
export async function withoutStoredCopies(
  client: ClickHouseClient,
  events: readonly StoredEvent[],
): Promise<StoredEvent[]> {
  if (events.length === 0) return []
  const orgs = [...new Set(events.map((e) => e.org))]
  const ids = [...new Set(events.map((e) => e.id))]
  const seen = new Set<string>()
  // Parameters travel in the URL: a few thousand ids per query keeps it far below the server's
  // limit (http_max_uri_size, 1 MiB by default) even for a catch-up batch of 100,000 messages.
  for (let i = 0; i < ids.length; i += lookupChunk) {
    const result = await client.query({
      // The sort key (org, source, id) makes this a primary-key lookup.
      query: `SELECT org, source, id, toString(received_at) AS received_at FROM events
              WHERE org IN {orgs:Array(String)} AND id IN {ids:Array(String)}`,
      query_params: { orgs, ids: ids.slice(i, i + lookupChunk) },
      format: 'JSONEachRow',
    })
    // received_at travels as ClickHouse prints it (`2025-01-06 09:00:00.000`).
    for (const row of await result.json<{ org: string; source: string; id: string; received_at: string }>()) {
      seen.add(keyOf(row))
    }
  }
  const fresh: StoredEvent[] = []
  for (const event of events) {
    const key = keyOf(event)
    if (seen.has(key)) continue
    seen.add(key)
    fresh.push(event)
  }
  return fresh
}
