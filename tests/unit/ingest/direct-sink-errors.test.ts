// What a client is told when the event store refuses a write: a retryable 503 reason of our own,
// never the engine's message (that stays on the error, as its cause, for the log).
import type { ClickHouseClient } from '@clickhouse/client'
import { describe, expect, it } from 'vitest'
import { DirectSink } from '../../../ingest/direct-sink.ts'
import { SinkUnavailableError } from '../../../ingest/sink.ts'
import { storedEvent } from '../../helpers/events.ts'

const event = storedEvent('e1', 'alice')

describe('DirectSink, a refused write', () => {
  it('answers a generic retryable error and keeps the engine message as its cause', async () => {
    const engineMessage =
      'Code: 26. DB::Exception: Cannot parse escape sequence: missing second part of surrogate pair (at row 1)'
    const client = {
      // Nothing stored yet (no writer mark, no key, no calendar); the writer's mark is taken.
      query: async () => ({ json: async () => [] }),
      command: async () => undefined,
      exec: async () => {
        throw new Error(engineMessage)
      },
    } as unknown as ClickHouseClient
    const sink = new DirectSink(client, { flushRows: 1, flushMs: 5, maxBufferedRows: 100 })
    const error = await sink.write([event]).then(
      () => null,
      (err: unknown) => err,
    )
    expect(error).toBeInstanceOf(SinkUnavailableError)
    const message = (error as Error).message
    expect(message).not.toMatch(/DB::Exception|surrogate|Code: 26/)
    expect(message).toMatch(/retry/)
    expect(((error as Error).cause as Error).message).toBe(engineMessage)
    await sink.close()
  })
})
