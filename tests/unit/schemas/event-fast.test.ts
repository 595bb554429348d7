// The fast path of the event judgement against the zod judgement, on many valid and invalid
// variants: whatever the fast path accepts, zod accepts and stores identically; the common shape
// is taken by the fast path; judgeBatch answers exactly what judging every item with zod answers.
import { describe, expect, it } from 'vitest'
import { judgeBatch } from '../../../ingest/judge-batch.ts'
import type { BodyItem } from '../../../ingest/parse-body.ts'
import type { Principal } from '../../../schemas/auth.ts'
import { judgeEvent, toClickHouseTime } from '../../../schemas/event.ts'
import { judgeEventFast, utcTimeFast } from '../../../schemas/event-fast.ts'

const nowMs = Date.parse('2025-06-01T12:00:00Z')
const now = new Date(nowMs)
const receivedAt = '2025-06-01 12:00:00.000'
const fastCtx = { nowMs, defaultSource: 'jamespot', receivedAt }
const zodCtx = { now, defaultSource: 'jamespot' }

/** mulberry32, seeded: the same variants on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)]!

const types = [
  ['post.created', undefined],
  ['session.started', undefined],
  ['content.viewed', 'wiki'],
  ['reaction.added', 'groups'],
  ['comment.created', 'articles'],
  ['email.sent', undefined],
  ['x.jamespot.kudos.given', 'platform'],
] as const

function validEvent(r: () => number): Record<string, unknown> {
  const [type, feature] = pick(r, types)
  const event: Record<string, unknown> = {
    id: `e-${Math.floor(r() * 1e9)}`,
    type,
    time: new Date(nowMs - Math.floor(r() * 400 * 86_400_000)).toISOString(),
    org: pick(r, ['acme', 'a', 'org_2-b']),
    actor: `user-${Math.floor(r() * 500)}`,
  }
  if (feature) event.feature = feature
  if (type.startsWith('x.')) event.level = 'react'
  if (r() < 0.5) event.space = `space-${Math.floor(r() * 60)}`
  if (r() < 0.5) event.object = `obj-${Math.floor(r() * 999)}`
  if (r() < 0.2) event.parent = 'obj-1'
  if (r() < 0.2) event.target = 'user-2'
  if (r() < 0.2) event.count = 1 + Math.floor(r() * 100)
  if (r() < 0.2) event.source = 'exchange'
  if (r() < 0.3) event.props = { client: pick(r, ['web', 'mobile']), n: 3, ok: true }
  return event
}

const long = (n: number) => 'x'.repeat(n)
const timeVariants = [
  '2025-05-31T09:30:00Z',
  '2025-05-31 09:30:00Z',
  '2025-05-31t09:30:00z',
  '2025-05-31T09:30:00+02:00',
  '2025-05-31T09:30:00-05:30',
  '2025-05-31T09:30:00+00:00',
  '2025-05-31T09:30:00',
  '2025-05-31T09:30:00.1Z',
  '2025-05-31T09:30:00.12Z',
  '2025-05-31T09:30:00.123Z',
  '2025-05-31T09:30:00.1239Z',
  '2025-05-31T09:30:00.999999999Z',
  '2025-05-31T09:30:00.1234567890Z',
  '2025-05-31T09:30:00.Z',
  '2025-05-31T09:30:00.1a3Z',
  '2024-02-29T00:00:00Z',
  '2025-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '2025-04-31T00:00:00Z',
  '2025-12-31T23:59:59.999Z',
  '2025-01-01T24:00:00Z',
  '2025-01-01T23:60:00Z',
  '2025-01-01T23:59:60Z',
  '2025-00-10T10:00:00Z',
  '2025-13-10T10:00:00Z',
  '2025-01-00T10:00:00Z',
  '2025-1-01T10:00:00Z',
  '2025-01-01T10:00:00ZZ',
  '2025-01-01T1a:00:00Z',
  '1969-12-31T23:59:59.999Z',
  '1970-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '2025-06-01T12:04:59.999Z',
  '2025-06-01T12:05:00Z',
  '2025-06-01T12:05:00.001Z',
  '2025-06-01T12:05:01Z',
  '2025-06-01T14:04:00+02:00',
  '+2025-06-01T10:00:00Z',
  '',
  '31/05/2025 09:30',
]

const propsWithProto = JSON.parse('{"__proto__": "x", "a": 1}') as unknown
const mutations: ReadonlyArray<(e: Record<string, unknown>) => void> = [
  (e) => delete e.id,
  (e) => delete e.type,
  (e) => delete e.time,
  (e) => delete e.org,
  (e) => delete e.actor,
  (e) => (e.id = ''),
  (e) => (e.id = long(128)),
  (e) => (e.id = long(129)),
  (e) => (e.id = 42),
  (e) => (e.type = 'kudos.given'),
  (e) => (e.type = 'X.jamespot.kudos'),
  (e) => (e.type = 'x.jamespot.kudos'),
  (e) => (e.type = 'group.left'),
  (e) => (e.type = 'content.viewed'),
  (e) => (e.type = 7),
  ...timeVariants.map((t) => (e: Record<string, unknown>) => (e.time = t)),
  (e) => (e.time = 1_700_000_000_000),
  (e) => (e.org = 'ACME'),
  (e) => (e.org = ''),
  (e) => (e.org = `a${long(63)}`),
  (e) => (e.org = `a${long(64)}`),
  (e) => (e.org = '-a'),
  (e) => (e.org = null),
  (e) => (e.actor = ''),
  (e) => (e.actor = long(256)),
  (e) => (e.actor = long(257)),
  (e) => (e.actor = 5),
  (e) => (e.feature = 'wiki'),
  (e) => (e.feature = 'groups'),
  (e) => (e.feature = 'nope'),
  (e) => (e.feature = undefined),
  (e) => delete e.feature,
  (e) => (e.level = 'create'),
  (e) => (e.level = 'view'),
  (e) => (e.level = 'react'),
  (e) => (e.level = 'huge'),
  (e) => delete e.level,
  (e) => (e.space = long(256)),
  (e) => (e.space = long(257)),
  (e) => (e.space = ''),
  (e) => (e.space = 3),
  (e) => (e.object = null),
  (e) => (e.parent = long(257)),
  (e) => (e.target = undefined),
  (e) => (e.target = long(256)),
  (e) => (e.count = 0),
  (e) => (e.count = 1),
  (e) => (e.count = 1_000_000),
  (e) => (e.count = 1_000_001),
  (e) => (e.count = 1.5),
  (e) => (e.count = -1),
  (e) => (e.count = '3'),
  (e) => (e.count = Number.POSITIVE_INFINITY),
  (e) => (e.count = null),
  (e) => (e.source = ''),
  (e) => (e.source = long(64)),
  (e) => (e.source = long(65)),
  (e) => (e.source = null),
  (e) => (e.props = {}),
  (e) => (e.props = { nested: { a: 1 } }),
  (e) => (e.props = { list: [1] }),
  (e) => (e.props = { gone: null }),
  (e) => (e.props = { big: Number.POSITIVE_INFINITY }),
  (e) => (e.props = { 10: 'a', 2: 'b', z: 'c' }),
  (e) => (e.props = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k${i}`, i]))),
  (e) => (e.props = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i]))),
  (e) => (e.props = { [long(64)]: 1 }),
  (e) => (e.props = { [long(65)]: 1 }),
  (e) => (e.props = { s: 'é'.repeat(512) }),
  (e) => (e.props = { s: 'é'.repeat(513) }),
  (e) => (e.props = { s: long(1024) }),
  (e) => (e.props = { s: long(1025) }),
  (e) => (e.props = { s: 'a"b\\c\nd\u0001' }),
  (e) => (e.props = propsWithProto),
  (e) => (e.props = []),
  (e) => (e.props = 'x'),
  (e) => (e.colour = 'red'),
  (e) => (e.__proto__x = 1),
  (e) => (e.actor = 'a\tb\\c\nd"e'),
]

const notObjects: unknown[] = [
  null,
  'event',
  42,
  true,
  [],
  [{ id: 'e1' }],
  JSON.parse('{"__proto__": {"id": "e1"}}'),
]

/** The fast verdict must never contradict zod: an accepted event is zod's event, byte for byte. */
function checkAgainstZod(value: unknown): 'fast' | 'zod-accepted' | 'refused' {
  const fast = judgeEventFast(value, fastCtx)
  const reference = judgeEvent(value, zodCtx)
  if (fast) {
    expect(reference, JSON.stringify(value)).toEqual({ ok: true, event: fast })
    return 'fast'
  }
  return reference.ok ? 'zod-accepted' : 'refused'
}

describe('judgeEventFast', () => {
  it('takes the common event shape itself, stored as zod stores it', () => {
    const r = prng(1)
    for (let i = 0; i < 2_000; i++) {
      const event = JSON.parse(JSON.stringify(validEvent(r))) as unknown
      expect(checkAgainstZod(event)).toBe('fast')
    }
  })

  it('agrees with zod on every single change to a valid event', () => {
    const r = prng(2)
    const seen = { fast: 0, 'zod-accepted': 0, refused: 0 }
    for (const mutate of mutations) {
      for (let i = 0; i < 10; i++) {
        const event = validEvent(r)
        mutate(event)
        seen[checkAgainstZod(event)]++
      }
    }
    for (const value of notObjects) seen[checkAgainstZod(value)]++
    // Each kind of verdict occurred: the comparison covered accepted and refused events.
    expect(seen.fast).toBeGreaterThan(200)
    expect(seen.refused).toBeGreaterThan(200)
  })

  it('agrees with zod on random combinations of changes', () => {
    const r = prng(3)
    for (let i = 0; i < 5_000; i++) {
      const event = validEvent(r)
      const changes = 1 + Math.floor(r() * 3)
      for (let c = 0; c < changes; c++) pick(r, mutations)(event)
      // Half of them as they arrive off the wire (JSON round trip), half as JS objects.
      checkAgainstZod(r() < 0.5 ? JSON.parse(JSON.stringify(event)) : event)
    }
  })

  it('reads UTC times by hand exactly as Date.parse and toISOString do, else declines', () => {
    const cases: [string, string | null][] = [
      ['2025-05-31T09:30:00Z', '2025-05-31 09:30:00.000'],
      ['2025-05-31 09:30:00.5Z', '2025-05-31 09:30:00.500'],
      ['2025-05-31T09:30:00.1239Z', '2025-05-31 09:30:00.123'],
      ['2024-02-29T23:59:59.999999Z', '2024-02-29 23:59:59.999'],
      ['2025-02-29T00:00:00Z', null],
      ['2025-05-31T09:30:00+02:00', null],
      ['2025-06-01T12:05:00.001Z', null],
    ]
    for (const [time, expected] of cases) expect(utcTimeFast(time, nowMs + 300_000), time).toBe(expected)
    const r = prng(4)
    for (let i = 0; i < 5_000; i++) {
      const ms = Math.floor(r() * nowMs)
      const iso = new Date(ms).toISOString()
      expect(utcTimeFast(iso, nowMs)).toBe(toClickHouseTime(ms))
    }
  })
})

describe('judgeBatch with the fast path', () => {
  const principal: Principal = { tokenId: 't1', role: 'ingest', orgs: ['acme', 'a'], source: 'jamespot' }

  it('answers exactly what judging every item with zod answers', () => {
    const r = prng(5)
    const items: BodyItem[] = []
    for (let i = 0; i < 3_000; i++) {
      const event = validEvent(r)
      if (r() < 0.5) pick(r, mutations)(event)
      const raw = JSON.stringify(event) ?? 'undefined'
      items.push({ index: i, raw, value: JSON.parse(raw) })
    }
    const judged = judgeBatch(items, { principal, now, requestId: 'req-1', channel: 'http' })

    // The reference: zod alone, item by item, with the org check of the token.
    const accepted: unknown[] = []
    const errors: unknown[] = []
    for (const item of items) {
      const j = judgeEvent(item.value, zodCtx)
      if (!j.ok) errors.push({ index: item.index, id: j.id ?? null, ...j.refusal })
      else if (!['acme', 'a'].includes(j.event.org))
        errors.push({
          index: item.index,
          id: j.event.id,
          path: 'org',
          message: `this token may not send events for org ${j.event.org}`,
        })
      else accepted.push(j.event)
    }
    expect(judged.accepted).toEqual(accepted)
    expect(judged.errors).toEqual(errors)
    expect(accepted.length).toBeGreaterThan(500)
    expect(errors.length).toBeGreaterThan(500)
  })
})
