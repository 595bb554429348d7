// The raw engine insert rate: benchmark events, normalised as the server stores them, written
// straight into the events table with insertEvents in fixed batches, timing only the inserts.
import { performance } from 'node:perf_hooks'
import type { ClickHouseClient } from '@clickhouse/client'
import { insertEvents } from '../ingest/event-store.ts'
import { judgeEvent, type StoredEvent } from '../schemas/event.ts'
import type { RawResult } from './engine-results.ts'
import { type EventSpec, generateEvents } from './events.ts'

/** Source the server gives events of the admin token, which names none. */
export const defaultSource = 'default'

/** The spec's events as the server would store them (judged with `judgeEvent`), all valid. */
export function storedEvents(spec: EventSpec, now: Date): StoredEvent[] {
  const out: StoredEvent[] = []
  for (const event of generateEvents(spec)) {
    const judged = judgeEvent(event, { now, defaultSource })
    if (!judged.ok) throw new Error(`benchmark event ${event.id} refused: ${judged.refusal.message}`)
    out.push(judged.event)
  }
  return out
}

export async function insertInBatches(
  client: ClickHouseClient,
  events: readonly StoredEvent[],
  batchRows: number,
  onProgress?: (done: number) => void,
): Promise<{ seconds: number; batches: number }> {
  let ms = 0
  let batches = 0
  for (let at = 0; at < events.length; at += batchRows) {
    const batch = events.slice(at, at + batchRows)
    const started = performance.now()
    await insertEvents(client, batch)
    ms += performance.now() - started
    batches++
    onProgress?.(at + batch.length)
  }
  return { seconds: ms / 1000, batches }
}

export async function clickhouseVersion(client: ClickHouseClient): Promise<string> {
  const result = await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })
  const [row] = await result.json<{ v: string }>()
  return row?.v ?? 'unknown'
}

export async function countFinal(client: ClickHouseClient, org: string): Promise<number> {
  const result = await client.query({
    query: 'SELECT count() AS n FROM events FINAL WHERE org = {org:String}',
    query_params: { org },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ n: string }>()
  return Number(row?.n ?? 0)
}

/** Inserts the spec's events into an empty store in batches and reports rows per second. */
export async function measureRawInsert(
  client: ClickHouseClient,
  spec: EventSpec,
  batchRows: number,
  log: (line: string) => void,
): Promise<RawResult> {
  log(`raw insert: normalising ${spec.count.toLocaleString('en')} events`)
  const events = storedEvents(spec, new Date())
  const step = Math.max(batchRows, Math.floor(events.length / 5 / batchRows) * batchRows)
  const { seconds, batches } = await insertInBatches(client, events, batchRows, (done) => {
    if (done % step === 0 || done === events.length) {
      log(`raw insert: ${done.toLocaleString('en')} / ${events.length.toLocaleString('en')} events`)
    }
  })
  return {
    rows: events.length,
    batches,
    insertSeconds: seconds,
    eps: events.length / seconds,
    storedFinal: await countFinal(client, spec.org),
    clickhouseVersion: await clickhouseVersion(client),
  }
}
