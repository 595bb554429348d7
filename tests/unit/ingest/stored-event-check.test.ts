// The worker's fast check of queued events against storedEventSchema, on valid and broken messages.
import { describe, expect, it } from 'vitest'
import { storedEventFast } from '../../../ingest/kafka/stored-event-check.ts'
import { type StoredEvent, storedEventSchema } from '../../../schemas/event.ts'

const valid: StoredEvent = {
  org: 'acme',
  source: 'jamespot',
  id: 'e1',
  type: 'post.created',
  feature: 'groups',
  level: 'create',
  time: '2025-05-31 07:30:00.000',
  actor: 'alice',
  space: '',
  object: 'obj-1',
  parent: '',
  target: '',
  count: 1,
  props: '{}',
  received_at: '2025-06-01 12:00:00.000',
}

const long = (n: number) => 'x'.repeat(n)
const changes: Record<string, unknown>[] = [
  {},
  { org: 'ACME' },
  { org: '' },
  { org: 7 },
  { source: '' },
  { source: long(64) },
  { source: long(65) },
  { id: '' },
  { id: long(128) },
  { id: long(129) },
  { type: '' },
  { type: long(129) },
  { type: 'x.vendor.custom' },
  { feature: 'nope' },
  { feature: 'wiki' },
  { level: 'huge' },
  { level: 'none' },
  { time: '2025-05-31T07:30:00Z' },
  { time: '2025-05-31 07:30:00' },
  { time: '2025-05-31 07:30:00.000\n' },
  { received_at: '2025-06-01 12:00:00.0000' },
  { received_at: null },
  { actor: '' },
  { actor: long(256) },
  { actor: long(257) },
  { space: long(257) },
  { object: 3 },
  { parent: null },
  { target: long(256) },
  { count: 0 },
  { count: 1_000_000 },
  { count: 1_000_001 },
  { count: 2.5 },
  { count: '1' },
  { props: { a: 1 } },
  { props: '{"a":1}' },
  { extra: 1 },
]

describe('storedEventFast', () => {
  it('accepts exactly what storedEventSchema accepts, one change or two at a time', () => {
    let accepted = 0
    let refused = 0
    const check = (value: unknown) => {
      const fast = storedEventFast(value)
      const zod = storedEventSchema.safeParse(value)
      expect(fast !== null, JSON.stringify(value)).toBe(zod.success)
      if (fast) {
        expect(fast).toEqual(zod.data)
        accepted++
      } else refused++
    }
    for (const a of changes)
      for (const b of changes) check(JSON.parse(JSON.stringify({ ...valid, ...a, ...b })))
    const missing: Record<string, unknown> = { ...valid }
    delete missing.props
    check(missing)
    for (const value of [null, 'text', 3, [valid], { ...valid, space: undefined }]) check(value)
    expect(accepted).toBeGreaterThan(100)
    expect(refused).toBeGreaterThan(500)
  })
})
