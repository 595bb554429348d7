// The insert body of the events table: one JSONCompactEachRow line per event, in column order.
import { describe, expect, it } from 'vitest'
import { encodeEventRows, eventColumns } from '../../../ingest/event-store.ts'
import type { StoredEvent } from '../../../schemas/event.ts'

const event: StoredEvent = {
  org: 'acme',
  source: 'jamespot',
  id: 'e "1"',
  type: 'post.created',
  feature: 'groups',
  level: 'create',
  time: '2025-05-31 07:30:00.000',
  actor: 'ali\\ce\n\t',
  space: 'café ☕',
  object: '',
  parent: '',
  target: 'bob',
  count: 3,
  props: '{"client":"web"}',
  received_at: '2025-06-01 12:00:00.000',
}

describe('encodeEventRows', () => {
  it('writes one line per event whose JSON array holds the columns in table order', () => {
    const body = encodeEventRows([event, { ...event, id: 'e2', count: 1 }], {
      insertedAt: '2025-06-01 12:00:01.000',
      zoneOf: (org) => (org === 'acme' ? 'Europe/Paris' : 'UTC'),
    })
    const lines = body.split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[2]).toBe('')
    // 07:30 UTC on 31 May is 09:30 in Paris (summer time): minute 570 of that day.
    const stamps = ['2025-06-01 12:00:01.000', '2025-05-31', 570]
    expect(JSON.parse(lines[0]!)).toEqual([...eventColumns.map((c) => event[c]), ...stamps])
    expect(JSON.parse(lines[1]!)).toEqual([
      'acme',
      'jamespot',
      'e2',
      'post.created',
      'groups',
      'create',
      '2025-05-31 07:30:00.000',
      'ali\\ce\n\t',
      'café ☕',
      '',
      '',
      'bob',
      1,
      '{"client":"web"}',
      '2025-06-01 12:00:00.000',
      ...stamps,
    ])
  })

  it('writes nothing for no event', () => {
    expect(encodeEventRows([])).toBe('')
  })
})
