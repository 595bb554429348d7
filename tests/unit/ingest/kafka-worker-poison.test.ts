// The Kafka worker and messages the store will not take: refused alone, the rest of the batch
// stored and the offsets committed, so a poison message never blocks its partition. A store
// that is down is another matter: nothing is refused, the batch waits.
import { Readable } from 'node:stream'
import { type ClickHouseClient, ClickHouseError } from '@clickhouse/client'
import { describe, expect, it } from 'vitest'
import { EventWriterWorker } from '../../../ingest/kafka/event-writer-worker.ts'
import type { BatchControl, ConsumedBatch, Queue } from '../../../ingest/kafka/queue.ts'
import type { RejectedStore, Rejection } from '../../../ingest/rejected-store.ts'
import { storedEvent } from '../../helpers/events.ts'

const isWellFormed = (s: string) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()

/**
 * A stand-in for the engine: an insert is all or nothing, and it refuses a block holding a lone
 * surrogate (as ClickHouse does) or an actor starting with `refused-by-store`. `down`: no
 * connection; `fullOfParts`: it answers pings but refuses every insert (TOO_MANY_PARTS).
 */
function fakeStore(options: { down?: boolean; fullOfParts?: boolean } = {}) {
  const stored: string[] = []
  let inserts = 0
  /** Write attempts the store refused before any insert (down: the writer's first read fails). */
  let attempts = 0
  const client = {
    // Nothing is stored yet: no writer mark, no key, no calendar (ingest/event-writer.ts).
    // A store that is down refuses the writer's first read: that is the write attempt.
    async query() {
      if (options.down) {
        attempts++
        throw new Error('connect ECONNREFUSED 127.0.0.1:8123')
      }
      return { json: async () => [] }
    },
    // The writer's mark.
    async command() {},
    async exec({ query, values }: { query: string; values: Readable }) {
      // The writer recording the keys of what it stored: not an insert of events.
      if (query.includes('event_keys')) return { stream: Readable.from([]) }
      inserts++
      if (options.down) throw new Error('connect ECONNREFUSED 127.0.0.1:8123')
      if (options.fullOfParts)
        throw new ClickHouseError({ message: 'Too many parts (1)', code: '252', type: 'TOO_MANY_PARTS' })
      let text = ''
      for await (const chunk of values) text += chunk.toString()
      const rows = text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as unknown[])
      for (const row of rows) {
        for (const cell of row) {
          if (typeof cell === 'string' && !isWellFormed(cell))
            throw new ClickHouseError({
              message: 'Cannot parse escape sequence: missing second part of surrogate pair',
              code: '26',
              type: 'CANNOT_PARSE_ESCAPE_SEQUENCE',
            })
          if (typeof cell === 'string' && cell.startsWith('refused-by-store'))
            throw new ClickHouseError({ message: 'Type mismatch', code: '53', type: 'TYPE_MISMATCH' })
        }
      }
      for (const row of rows) stored.push(String(row[2]))
      return { stream: Readable.from([]) }
    },
    async ping() {
      return options.down ? { success: false, error: new Error('down') } : { success: true }
    },
  } as unknown as ClickHouseClient
  return { client, stored, inserts: () => inserts, attempts: () => inserts + attempts }
}

/** Runs one batch through the worker; the partition is given up after `ownedChecks` checks. */
async function runBatch(client: ClickHouseClient, messages: string[], ownedChecks = 8) {
  const kept: Rejection[] = []
  const rejectedStore = {
    async keep(rows: readonly Rejection[]) {
      kept.push(...rows)
    },
  } as unknown as RejectedStore
  let handler: ((batch: ConsumedBatch, control: BatchControl) => Promise<void>) | undefined
  const queue = {
    consumer: () => ({
      connect: async () => {},
      subscribe: async () => {},
      run: async (h: typeof handler) => {
        handler = h
      },
      disconnect: async () => {},
    }),
  } as unknown as Queue
  const worker = new EventWriterWorker(queue, client, rejectedStore, { topic: 'events', groupId: 'g' })
  await worker.start()
  let resolved: string | null = null
  let committed: string | null = null
  let checks = 0
  const control: BatchControl = {
    resolveOffset: (offset) => {
      resolved = offset
    },
    commit: async () => {
      committed = resolved
    },
    heartbeat: async () => {},
    stillOwned: () => ++checks <= ownedChecks,
  }
  await handler!(
    {
      topic: 'events',
      partition: 0,
      messages: messages.map((value, i) => ({ offset: String(100 + i), value: Buffer.from(value) })),
    },
    control,
  )
  return { kept, committed: committed as string | null, stats: worker.stats }
}

describe('EventWriterWorker, messages the store will not take', () => {
  it('refuses a message holding a lone surrogate by its field, stores the rest, commits', async () => {
    const store = fakeStore()
    // As JSON text carries it: the escape of a lone surrogate.
    const poison = JSON.stringify(storedEvent('p1')).replace('"person-p1"', '"x\\ud800y"')
    const { kept, committed } = await runBatch(store.client, [
      JSON.stringify(storedEvent('a')),
      poison,
      JSON.stringify(storedEvent('b')),
    ])
    expect(store.stored.sort()).toEqual(['a', 'b'])
    expect(kept).toHaveLength(1)
    expect(kept[0]!.raw).toBe(poison)
    expect(kept[0]!.reason).toMatch(/actor/)
    expect(kept[0]!.requestId).toBe('events/0/101')
    expect(committed).toBe('102')
  })

  it('refuses alone a message the store itself refuses, once the rest of the batch is stored', async () => {
    const store = fakeStore()
    const poison = JSON.stringify(storedEvent('p2', 'refused-by-store-1'))
    const { kept, committed, stats } = await runBatch(store.client, [
      JSON.stringify(storedEvent('c')),
      JSON.stringify(storedEvent('d')),
      poison,
      JSON.stringify(storedEvent('e')),
    ])
    expect(store.stored.sort()).toEqual(['c', 'd', 'e'])
    expect(kept.map((r) => [r.requestId, r.eventId, r.raw])).toEqual([['events/0/102', 'p2', poison]])
    expect(kept[0]!.reason).not.toMatch(/DB::Exception/)
    expect(committed).toBe('103')
    expect(stats).toMatchObject({ stored: 3, poison: 1 })
  })

  it('refuses nothing and commits nothing while the store is down or takes no insert', async () => {
    for (const trouble of [{ down: true }, { fullOfParts: true }]) {
      const store = fakeStore(trouble)
      const { kept, committed } = await runBatch(
        store.client,
        [JSON.stringify(storedEvent('f')), JSON.stringify(storedEvent('g'))],
        6,
      )
      expect(store.attempts(), JSON.stringify(trouble)).toBeGreaterThan(2)
      expect(kept, JSON.stringify(trouble)).toEqual([])
      expect(committed).toBeNull()
    }
  })
})
