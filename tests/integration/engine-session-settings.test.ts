// chDB applies a query's clickhouse_settings as session SETs that outlive the query. An insert
// carrying a Kafka batch's deduplication token must not make a later insert without a token look
// like a copy of that batch: both sets of events are stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertEvents } from '../../ingest/event-store.ts'
import { judgeEvent, type StoredEvent } from '../../schemas/event.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t?.close())

function stored(id: string): StoredEvent {
  const judged = judgeEvent(
    { id, org: 'tok', type: 'post.created', time: '2025-03-03T10:00:00Z', actor: `a-${id}` },
    { now: new Date(), defaultSource: 'test' },
  )
  if (!judged.ok) throw new Error(judged.refusal.message)
  return judged.event
}

describe('insertEvents on the embedded engine', () => {
  it('stores an insert without a token that follows a tokenised one, and still drops a real retry', async () => {
    const client = t.runtime.store.client
    await insertEvents(client, [stored('k1')], { deduplicationToken: 'events/0/0-0' })
    await insertEvents(client, [stored('d1')]) // direct sink or importer: no token
    await insertEvents(client, [stored('k1-again')], { deduplicationToken: 'events/0/0-0' }) // a retried batch
    const result = await client.query({
      query: `SELECT groupArray(id) AS ids FROM (SELECT id FROM events WHERE org = 'tok' ORDER BY id)`,
      format: 'JSONEachRow',
    })
    const [row] = await result.json<{ ids: string[] }>()
    expect(row?.ids).toEqual(['d1', 'k1'])
  })
})
