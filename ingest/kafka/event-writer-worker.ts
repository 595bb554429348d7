// The Kafka worker: one ClickHouse insert per consumed batch, committed only after the insert.
// A retried batch carries the same insert_deduplication_token (topic, partition, offset range),
// so a crash between insert and commit does not store it twice. A poison message goes to the
// rejected store instead of blocking its partition: one that fails the check of the stored shape
// at once, and one the store itself refuses (the batch insert failed twice; inserted alone, the
// store refuses its data, or refuses it twice while taking the others) once the rest of its batch
// is stored. A store that takes nothing (down, too many parts) refuses no message: the batch waits.
import type { ClickHouseClient } from '@clickhouse/client'
import { type StoredEvent, storedEventSchema, toWellFormedText } from '../../schemas/event.ts'
import { insertEvents } from '../event-store.ts'
import { type InsertStamp, writeEvents } from '../event-writer.ts'
import { type RejectedStore, type Rejection, unassignedOrg } from '../rejected-store.ts'
import type { BatchControl, ConsumedBatch, Queue, QueueConsumer } from './queue.ts'
import { storedEventFast } from './stored-event-check.ts'

export interface WorkerOptions {
  topic: string
  groupId: string
  /** Called once a batch is stored, before its offsets are committed. */
  afterInsert?: (batch: ConsumedBatch) => void | Promise<void>
  /** Called once a batch's events are inserted, before the writer records their keys (crash tests). */
  afterEventsInserted?: (batch: ConsumedBatch) => void | Promise<void>
  log?: (message: string, fields?: Record<string, unknown>) => void
  /** Told of every insert attempt and commit (metrics). */
  observe?: WorkerObserver
}

export interface WorkerObserver {
  inserted(events: number, seconds: number): void
  insertFailed(): void
  committed(events: number): void
}

export interface WorkerStats {
  batches: number
  stored: number
  poison: number
  insertFailures: number
}

const heartbeatEveryMs = 2_000

type Decoded = { ok: true; event: StoredEvent } | { ok: false; rejection: Rejection }

export function decodeMessage(
  topic: string,
  partition: number,
  offset: string,
  value: Buffer | null,
): Decoded {
  const raw = value?.toString('utf8') ?? ''
  const poison = (reason: string, org = unassignedOrg): Decoded => ({
    ok: false,
    rejection: {
      org,
      channel: 'kafka',
      requestId: `${topic}/${partition}/${offset}`,
      index: 0,
      eventId: undefined,
      path: '',
      // JSON.parse quotes the input cut anywhere, even inside a surrogate pair: stored as text.
      reason: toWellFormedText(reason),
      raw,
    },
  })
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch (err) {
    return poison(`unreadable Kafka message: ${(err as Error).message}`)
  }
  const fast = storedEventFast(parsed)
  if (fast) return { ok: true, event: fast }
  const result = storedEventSchema.safeParse(parsed)
  if (!result.success) {
    const issue = result.error.issues[0]
    const org = (parsed as { org?: unknown } | null)?.org
    return poison(
      `invalid Kafka message: ${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}`,
      typeof org === 'string' && /^[a-z0-9][a-z0-9_-]{0,63}$/.test(org) ? org : unassignedOrg,
    )
  }
  return { ok: true, event: result.data }
}

const dataErrorTypes =
  /^(CANNOT_PARSE|CANNOT_READ|CANNOT_CONVERT|INCORRECT_DATA|TYPE_MISMATCH|ILLEGAL_TYPE|VALUE_IS_OUT_OF_RANGE|TOO_LARGE_STRING|ATTEMPT_TO_READ_AFTER_EOF)/
const dataErrorText = /Cannot parse|CANNOT_PARSE|INCORRECT_DATA|TYPE_MISMATCH/

/** The store refused the data itself (ClickHouse's error type or message), not the write. */
export function isDataError(err: unknown): boolean {
  const { type, message } = (err ?? {}) as { type?: unknown; message?: unknown }
  if (typeof type === 'string' && dataErrorTypes.test(type)) return true
  return typeof message === 'string' && dataErrorText.test(message)
}

export function deduplicationToken(batch: ConsumedBatch): string {
  const first = batch.messages[0]?.offset ?? '0'
  const last = batch.messages.at(-1)?.offset ?? first
  return `${batch.topic}/${batch.partition}/${first}-${last}`
}

export class EventWriterWorker {
  private consumer: QueueConsumer | null = null
  private stopping = false
  readonly stats: WorkerStats = { batches: 0, stored: 0, poison: 0, insertFailures: 0 }

  constructor(
    private readonly queue: Queue,
    private readonly client: ClickHouseClient,
    private readonly rejectedStore: RejectedStore,
    private readonly options: WorkerOptions,
  ) {}

  /** Joins the group and starts consuming; safe to call again after a failure (Kafka down). */
  async start(): Promise<void> {
    const consumer = this.queue.consumer(this.options.groupId)
    try {
      await consumer.connect()
      await consumer.subscribe(this.options.topic)
      await consumer.run((batch, control) => this.handleBatch(batch, control))
    } catch (err) {
      await consumer.disconnect().catch(() => undefined)
      throw err
    }
    this.consumer = consumer
  }

  /** Stops fetching, lets the batch in hand finish and commit, then leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true
    await this.consumer?.disconnect()
  }

  private async handleBatch(batch: ConsumedBatch, control: BatchControl): Promise<void> {
    if (batch.messages.length === 0) return
    const events: StoredEvent[] = []
    const rejections: Rejection[] = []
    /** Where each event came from, should the store refuse it on its own. */
    const origins = new Map<StoredEvent, { offset: string; raw: string }>()
    for (const message of batch.messages) {
      const decoded = decodeMessage(batch.topic, batch.partition, message.offset, message.value)
      if (decoded.ok) {
        events.push(decoded.event)
        origins.set(decoded.event, { offset: message.offset, raw: message.value?.toString('utf8') ?? '' })
      } else rejections.push(decoded.rejection)
    }
    const token = deduplicationToken(batch)
    // A long insert must not cost the partition: keep heartbeating while it runs.
    const heartbeat = setInterval(() => void control.heartbeat().catch(() => undefined), heartbeatEveryMs)
    let refusedByStore: Rejection[] = []
    const refusals = new Map<StoredEvent, Rejection>()
    const stored = await this.retryUntilStored(control, async (attempt) => {
      const started = performance.now()
      // Redelivered messages (takeover, producer retry) and copies of stored events are dropped by
      // the writer (ingest/event-writer.ts); the partition is the writer, so a worker taking it
      // over first records the keys of a batch its predecessor inserted without committing.
      const written = await writeEvents(this.client, events, {
        writer: `kafka:${batch.topic}:${batch.partition}`,
        deduplicationToken: token,
        insert: async (fresh, stamp) => {
          try {
            await insertEvents(this.client, fresh, stamp)
            await this.options.afterEventsInserted?.(batch)
            return []
          } catch (err) {
            // The first failure is retried as it is (the store may be restarting); after that the
            // events go in one by one, and the ones the store refuses alone are poison.
            if (attempt < 2) throw err
            return this.insertApart(batch, fresh, origins, err, stamp, refusals)
          }
        },
      })
      refusedByStore = written.refused.map((event) => refusals.get(event)!)
      await this.rejectedStore.keep([...rejections, ...refusedByStore])
      this.options.observe?.inserted(
        events.length - refusedByStore.length,
        (performance.now() - started) / 1000,
      )
    }).finally(() => clearInterval(heartbeat))
    if (!stored) return // stopping or lost the partition: leave the offsets uncommitted
    await this.options.afterInsert?.(batch)
    control.resolveOffset(batch.messages.at(-1)!.offset)
    await control.commit()
    await control.heartbeat()
    this.stats.batches++
    this.stats.stored += events.length - refusedByStore.length
    this.stats.poison += rejections.length + refusedByStore.length
    this.options.observe?.committed(events.length - refusedByStore.length)
  }

  /**
   * Inserts the events one at a time (each with its own deduplication token) and answers the
   * refusals of those the store would not take. An event is poison when the store refuses its
   * data (a parse or type error), or refuses it twice while taking others of the batch. Throws the
   * batch's error when the store takes nothing for another reason (down, too many parts, read
   * only...): then nothing is poison, and the batch is retried later.
   */
  private async insertApart(
    batch: ConsumedBatch,
    events: readonly StoredEvent[],
    origins: ReadonlyMap<StoredEvent, { offset: string; raw: string }>,
    batchError: unknown,
    stamp: InsertStamp,
    refusals: Map<StoredEvent, Rejection>,
  ): Promise<StoredEvent[]> {
    const tokenOf = (event: StoredEvent) => `${batch.topic}/${batch.partition}/${origins.get(event)!.offset}`
    const insertOne = (event: StoredEvent) =>
      insertEvents(this.client, [event], { ...stamp, deduplicationToken: tokenOf(event) })
    let storedAny = false
    const failed: { event: StoredEvent; error: unknown }[] = []
    for (const event of events) {
      try {
        await insertOne(event)
        storedAny = true
      } catch (error) {
        if (!storedAny && !isDataError(error)) throw batchError
        failed.push({ event, error })
      }
    }
    const refused: StoredEvent[] = []
    for (const { event, error } of failed) {
      let last = error
      if (!isDataError(error)) {
        // Refused while others went in: once more, in case the store was only briefly unwell.
        try {
          await insertOne(event)
          continue
        } catch (again) {
          if (!isDataError(again) && !storedAny) throw batchError
          last = again
        }
      }
      const origin = origins.get(event)!
      this.options.log?.('the event store refused one event', {
        error: (last as Error).message,
        offset: origin.offset,
      })
      refused.push(event)
      refusals.set(event, {
        org: event.org,
        channel: 'kafka',
        requestId: tokenOf(event),
        index: 0,
        eventId: event.id,
        path: '',
        reason: 'the event store refused this event',
        raw: origin.raw,
      })
    }
    return refused
  }

  /**
   * Retries the write with backoff, heartbeating meanwhile so the group keeps the partition:
   * the consumer pauses here instead of skipping, and lag grows until the store takes writes.
   */
  private async retryUntilStored(
    control: BatchControl,
    write: (attempt: number) => Promise<void>,
  ): Promise<boolean> {
    let delayMs = 200
    for (let attempt = 1; ; attempt++) {
      try {
        await write(attempt)
        return true
      } catch (err) {
        this.stats.insertFailures++
        this.options.observe?.insertFailed()
        this.options.log?.('insert failed, will retry', { error: (err as Error).message, delayMs })
      }
      if (this.stopping || !control.stillOwned()) return false
      await new Promise((resolve) => setTimeout(resolve, delayMs))
      delayMs = Math.min(delayMs * 2, 5_000)
      await control.heartbeat().catch(() => undefined)
      if (this.stopping || !control.stillOwned()) return false
    }
  }
}
