// Exactly once at the writer. Every path that stores events (the direct group committer, the Kafka
// worker, the importers, the simulator) stores them through `writeEvents`, which keeps only the
// events whose identity (org, source, id) is not stored yet, so that the events table holds each
// event once and every aggregate downstream may be a plain sum. One batch, in order:
//
//   1. in-batch copies are dropped: the first of an identity wins;
//   2. the identities are looked up in `event_keys` (EmbeddedRocksDB, migration 015) and the stored
//      ones dropped: a later copy of a stored event never replaces it (first wins);
//   3. the writer's mark is set to the batch's stamp T (`event_writer_marks`);
//   4. the new events are inserted, each with `inserted_at` = T and its org's local day and minute;
//   5. their identities are recorded in `event_keys`.
//
// A writer that dies between 4 and 5 left events without keys. The next batch of the same writer
// name (this process after a failure, or a successor: a restarted server, the Kafka worker that
// takes the partition over) first records the keys of every event stamped with the mark's T,
// which are at most that one batch: the events of earlier batches got their keys before the next
// mark was written.
//
// Exactness holds when no two writers store the same identity at once: in direct mode one group
// committer per process, in Kafka mode one consumer per partition, and the partition key (org,
// actor) sends every copy of an event to the same partition as long as the same id always carries
// the same actor. Batches of one process are serialised here. Two processes writing the same
// identity at the same moment (an import run beside a live feed of the same events) may store it
// twice; the events table stays a ReplacingMergeTree on the identity, so a merge removes it.
import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import type { ClickHouseClient } from '@clickhouse/client'
import { type StoredEvent, toClickHouseTime } from '../schemas/event.ts'
import { insertEvents } from './event-store.ts'
import { orgZones } from './org-calendar.ts'

/** The key of an event identity in `event_keys`; `eventKeySql` is the same in SQL. */
export function eventKey(e: Pick<StoredEvent, 'org' | 'source' | 'id'>): string {
  return `${e.org}\u0000${Buffer.byteLength(e.source)}\u0000${e.source}\u0000${e.id}`
}

/** `eventKey` over the columns of the events table. */
export const eventKeySql = 'concat(org, char(0), toString(length(source)), char(0), source, char(0), id)'

export interface WriteOptions {
  /** The writer's name: `direct`, `kafka:<topic>:<partition>`, `import`, `simulation`. */
  writer: string
  /** Passed to the insert (a Kafka batch's): a retried identical block is then dropped by the table. */
  deduplicationToken?: string
  /**
   * Stores the new events, answering the ones the store refused (they get no key); the default
   * inserts them in one block and refuses none. The Kafka worker inserts apart on repeated failure.
   */
  insert?: (events: StoredEvent[], stamp: InsertStamp) => Promise<StoredEvent[]>
}

/** What `insertEvents` must be given for the rows of one batch. */
export interface InsertStamp {
  deduplicationToken?: string
  insertedAt: string
  zoneOf: (org: string) => string
}

export interface WriteReport {
  /** Events inserted by this write. */
  stored: number
  /** Events dropped: copies within the batch, or already stored. */
  duplicates: number
  /** Events the `insert` refused. */
  refused: StoredEvent[]
}

/** Keys per lookup: parameters travel in the URL, which a server limits to 1 MiB by default. */
const lookupChunk = 2_000

class Writer {
  private queue: Promise<unknown> = Promise.resolve()
  /** Per writer name, the stamp of its last batch whose keys this process recorded. */
  private readonly completed = new Map<string, string>()
  private lastStampMs = 0

  constructor(private readonly client: ClickHouseClient) {}

  write(events: readonly StoredEvent[], options: WriteOptions): Promise<WriteReport> {
    return this.serialised(() => this.writeNow(events, options))
  }

  /** Runs `task` after the batches queued so far, and every later batch after it. */
  serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task)
    this.queue = run.catch(() => undefined)
    return run
  }

  private async writeNow(events: readonly StoredEvent[], options: WriteOptions): Promise<WriteReport> {
    await this.recover(options.writer)
    const unique = new Map<string, StoredEvent>()
    for (const event of events) {
      const key = eventKey(event)
      if (!unique.has(key)) unique.set(key, event)
    }
    for (const key of await storedKeys(this.client, [...unique.keys()])) unique.delete(key)
    const fresh = [...unique.values()]
    const report: WriteReport = { stored: 0, duplicates: events.length - fresh.length, refused: [] }
    if (fresh.length === 0) return report

    // Strictly increasing per process, so two batches never share a stamp.
    this.lastStampMs = Math.max(Date.now(), this.lastStampMs + 1)
    const insertedAt = toClickHouseTime(this.lastStampMs)
    await setMark(this.client, options.writer, insertedAt)
    this.completed.delete(options.writer)
    const stamp: InsertStamp = {
      deduplicationToken: options.deduplicationToken,
      insertedAt,
      zoneOf: await orgZones(this.client).current(),
    }
    const refused = options.insert
      ? await options.insert(fresh, stamp)
      : await insertEvents(this.client, fresh, stamp).then(() => [])
    const refusedSet = new Set(refused)
    const stored = refusedSet.size === 0 ? fresh : fresh.filter((e) => !refusedSet.has(e))
    await recordKeys(this.client, stored)
    this.completed.set(options.writer, insertedAt)
    return { stored: stored.length, duplicates: report.duplicates, refused }
  }

  /** Records the keys of the batch the writer's mark names, unless this process completed it. */
  private async recover(writer: string): Promise<void> {
    const result = await this.client.query({
      query: 'SELECT toString(pending) AS pending FROM event_writer_marks WHERE writer = {writer:String}',
      query_params: { writer },
      format: 'JSONEachRow',
    })
    const [mark] = await result.json<{ pending: string }>()
    if (!mark || this.completed.get(writer) === mark.pending) return
    await this.client.command({
      query: `INSERT INTO event_keys (key, time)
              SELECT ${eventKeySql}, time FROM events WHERE inserted_at = {pending:DateTime64(3, 'UTC')}`,
      query_params: { pending: mark.pending },
    })
    this.completed.set(writer, mark.pending)
  }
}

async function storedKeys(client: ClickHouseClient, keys: readonly string[]): Promise<string[]> {
  const found: string[] = []
  for (let i = 0; i < keys.length; i += lookupChunk) {
    const result = await client.query({
      query: 'SELECT key FROM event_keys WHERE key IN {keys:Array(String)}',
      query_params: { keys: keys.slice(i, i + lookupChunk) },
      format: 'JSONCompactEachRow',
    })
    for (const [key] of await result.json<[string]>()) found.push(key)
  }
  return found
}

async function setMark(client: ClickHouseClient, writer: string, pending: string): Promise<void> {
  await client.command({
    query:
      "INSERT INTO event_writer_marks (writer, pending) VALUES ({writer:String}, {pending:DateTime64(3, 'UTC')})",
    query_params: { writer, pending },
  })
}

async function recordKeys(client: ClickHouseClient, events: readonly StoredEvent[]): Promise<void> {
  if (events.length === 0) return
  let body = ''
  for (const e of events) body += `${JSON.stringify([eventKey(e), e.time])}\n`
  const result = await client.exec({
    query: 'INSERT INTO event_keys (key, time) FORMAT JSONCompactEachRow',
    values: Readable.from([body], { objectMode: false }),
    clickhouse_settings: { insert_deduplication_token: '' },
  })
  await finished(result.stream.resume())
}

const writers = new WeakMap<ClickHouseClient, Writer>()

/**
 * Stores the events that are not stored yet, exactly once (see the top of this file). Every path
 * that stores events calls this; writes of one process to one store run one at a time.
 */
export function writeEvents(
  client: ClickHouseClient,
  events: readonly StoredEvent[],
  options: WriteOptions,
): Promise<WriteReport> {
  if (events.length === 0) return Promise.resolve({ stored: 0, duplicates: 0, refused: [] })
  return writerOf(client).write(events, options)
}

function writerOf(client: ClickHouseClient): Writer {
  let writer = writers.get(client)
  if (!writer) {
    writer = new Writer(client)
    writers.set(client, writer)
  }
  return writer
}

/**
 * Runs `task` with this process's writes to the store held: it starts once the batches queued
 * before it are stored, and batches asked meanwhile wait until it ends (their callers' promises
 * just take longer; nothing is refused). A rollup rebuild runs so, since its plain sums would
 * count twice an event stored while its month is refilled. `task` must not write events itself.
 * Other processes writing to the same server are not held: see analytics/rollup-rebuild.ts.
 */
export function withWritesHeld<T>(client: ClickHouseClient, task: () => Promise<T>): Promise<T> {
  return writerOf(client).serialised(task)
}
