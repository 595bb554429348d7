// Writes accepted events into the events table and answers the ingest status of an org.
import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import type { ClickHouseClient } from '@clickhouse/client'
import type { IngestStatus } from '../schemas/api/ingest.ts'
import type { StoredEvent } from '../schemas/event.ts'
import { CoalescedReads } from './coalesce.ts'
import { localCalendar } from './org-calendar.ts'
import { rejectedCapOf } from './rejected-store.ts'

export const eventColumns = [
  'org',
  'source',
  'id',
  'type',
  'feature',
  'level',
  'time',
  'actor',
  'space',
  'object',
  'parent',
  'target',
  'count',
  'props',
  'received_at',
] as const satisfies readonly (keyof StoredEvent)[]

/** What the writer adds to each row: when it stored it and its org's local calendar (migration 015). */
const stampColumns = ['inserted_at', 'day', 'minute'] as const

export interface InsertOptions {
  /** Makes a re-sent identical block a no-op (block deduplication window of the table). */
  deduplicationToken?: string
  /** The batch's `inserted_at` (ClickHouse time text); the epoch when absent. */
  insertedAt?: string
  /** The zone of each org's calendar, for `day` and `minute`; UTC when absent. */
  zoneOf?: (org: string) => string
}

export async function insertEvents(
  client: ClickHouseClient,
  events: readonly StoredEvent[],
  options: InsertOptions = {},
): Promise<void> {
  if (events.length === 0) return
  // The body is built here rather than by the client: one JSON.stringify of a positional array per
  // row (V8's fast path) and no intermediate arrays; JSONCompactEachRow parses about twice as fast
  // as keyed objects.
  const result = await client.exec({
    query: insertQuery,
    values: Readable.from([encodeEventRows(events, options)], { objectMode: false }),
    // Always said, even when empty: the embedded engine (chDB) keeps a query's settings for the rest
    // of its session, so a Kafka batch's token would otherwise stay set, and the next insert without
    // one (direct sink, importer) would be dropped as a duplicate of that batch.
    clickhouse_settings: {
      insert_deduplication_token: options.deduplicationToken ?? '',
      insert_deduplicate: 1,
    },
  })
  // Nothing comes back from an INSERT; the stream is still read to its end to free the connection.
  await finished(result.stream.resume())
}

const insertQuery = `INSERT INTO events (${[...eventColumns, ...stampColumns].join(', ')}) FORMAT JSONCompactEachRow`

/** The events as JSONCompactEachRow text, one line per event, columns in `eventColumns` then
 * `stampColumns` order. */
export function encodeEventRows(
  events: readonly StoredEvent[],
  options: Pick<InsertOptions, 'insertedAt' | 'zoneOf'> = {},
): string {
  const insertedAt = options.insertedAt ?? '1970-01-01 00:00:00.000'
  const zoneOf = options.zoneOf ?? (() => 'UTC')
  let body = ''
  for (const e of events) {
    const { day, minute } = localCalendar(zoneOf(e.org), Date.parse(`${e.time.replace(' ', 'T')}Z`))
    body += `${JSON.stringify([e.org, e.source, e.id, e.type, e.feature, e.level, e.time, e.actor, e.space, e.object, e.parent, e.target, e.count, e.props, e.received_at, insertedAt, day, minute])}\n`
  }
  return body
}

/** The answer of GET /v1/orgs/:org/ingest/status (schemas/api/ingest.ts). */
export type { IngestStatus }

/** Status queries per store: one at a time per org (see ingestStatus). */
const statusReads = new WeakMap<ClickHouseClient, CoalescedReads<IngestStatus>>()

/**
 * The org's ingest status. The writer stores each event once (ingest/event-writer.ts), so the
 * stored count is a plain `count()`, answered from the parts' row counts. Callers asking while a
 * query for the org runs share the next query, started when that one ends: frequent polling costs
 * at most one query at a time, and every answer is exact as of a moment after the caller asked.
 */
export function ingestStatus(client: ClickHouseClient, org: string): Promise<IngestStatus> {
  let reads = statusReads.get(client)
  if (!reads) {
    reads = new CoalescedReads((key) => queryIngestStatus(client, key))
    statusReads.set(client, reads)
  }
  return reads.get(org)
}

async function queryIngestStatus(client: ClickHouseClient, org: string): Promise<IngestStatus> {
  const result = await client.query({
    query: `
      SELECT
        (SELECT count() FROM events WHERE org = {org:String}) AS stored_events,
        (SELECT count() FROM rejected_events WHERE org = {org:String}) AS rejected_events,
        (SELECT sum(rows) FROM rejected_dropped WHERE org = {org:String}) AS rejected_dropped,
        (SELECT if(count() = 0, NULL, max(time)) FROM events WHERE org = {org:String}) AS last_event_time,
        (SELECT if(count() = 0, NULL, max(received_at)) FROM events WHERE org = {org:String}) AS last_received_at,
        -- The org's stored calendar (migration 015): no row means UTC, ready.
        (SELECT if(count() = 0, 'UTC', argMax(zone, version)) FROM org_calendar WHERE org = {org:String}) AS calendar_zone,
        (SELECT if(count() = 0, 1, argMax(ready, version)) FROM org_calendar WHERE org = {org:String}) AS calendar_ready`,
    query_params: { org },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{
    stored_events: string
    rejected_events: string
    rejected_dropped: string
    last_event_time: string | null
    last_received_at: string | null
    calendar_zone: string
    calendar_ready: number | string
  }>()
  const iso = (t: string | null | undefined) => (t ? `${t.replace(' ', 'T')}Z` : null)
  return {
    stored_events: Number(row?.stored_events ?? 0),
    rejected_events: Number(row?.rejected_events ?? 0),
    rejected_dropped: Number(row?.rejected_dropped ?? 0),
    rejected_cap: { ...rejectedCapOf(client) },
    last_event_time: iso(row?.last_event_time),
    last_received_at: iso(row?.last_received_at),
    calendar: { zone: row?.calendar_zone ?? 'UTC', ready: Number(row?.calendar_ready ?? 1) === 1 },
  }
}
