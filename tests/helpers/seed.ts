// Puts a hand-made organisation straight into the store: events go through the same judgement
// as the API (so they are valid events), the roster through the roster parser.
import type { ClickHouseClient } from '@clickhouse/client'
import { writeEvents } from '../../ingest/event-writer.ts'
import { parseRosterCsv, saveRosterSnapshot } from '../../ingest/roster.ts'
import { judgeEvent, type StoredEvent } from '../../schemas/event.ts'

export interface SeedEvent {
  id: string
  type: string
  time: string
  actor: string
  feature?: string
  space?: string
  object?: string
  parent?: string
  target?: string
  count?: number
}

export async function seedEvents(
  client: ClickHouseClient,
  org: string,
  events: readonly SeedEvent[],
): Promise<void> {
  const now = new Date()
  const stored: StoredEvent[] = events.map((e) => {
    const judgement = judgeEvent({ ...e, org }, { now, defaultSource: 'seed' })
    if (!judgement.ok)
      throw new Error(`seed event ${e.id} is invalid: ${judgement.refusal.path} ${judgement.refusal.message}`)
    return judgement.event
  })
  await writeEvents(client, stored, { writer: 'seed' })
}

export async function seedRoster(client: ClickHouseClient, org: string, csv: string): Promise<void> {
  const parsed = parseRosterCsv(csv)
  if (parsed.errors.length > 0) throw new Error(`seed roster is invalid: ${JSON.stringify(parsed.errors)}`)
  await saveRosterSnapshot(client, org, parsed.people)
}
