// Valid and invalid events for ingest tests.

import type { StoredEvent } from '../../schemas/event.ts'

const types = [
  'post.created',
  'comment.created',
  'content.viewed',
  'reaction.added',
  'file.uploaded',
] as const

export function validEvents(org: string, n: number, prefix = 'evt'): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const type = types[i % types.length]!
    const needsFeature = type === 'comment.created' || type === 'content.viewed' || type === 'reaction.added'
    return {
      id: `${prefix}-${i}`,
      type,
      time: new Date(Date.UTC(2025, 0, 6) + i * 60_000).toISOString(),
      org,
      actor: `person-${i % 37}`,
      space: `space-${i % 5}`,
      ...(needsFeature ? { feature: 'groups' } : {}),
    }
  })
}

/** Ten refused lines, each for a different reason, with the field the refusal must name. */
export function badLines(org: string): { line: string; path: string }[] {
  const base = { id: 'bad', type: 'post.created', time: '2025-01-06T09:00:00Z', org, actor: 'mallory' }
  const line = (patch: Record<string, unknown>, drop: string[] = []) => {
    const e: Record<string, unknown> = { ...base, ...patch }
    for (const k of drop) delete e[k]
    return JSON.stringify(e)
  }
  return [
    { line: '{"id": "broken", "type": ', path: '' },
    { line: line({ id: 'bad-1', type: 'post.exploded' }), path: 'type' },
    { line: line({ id: 'bad-2' }, ['actor']), path: 'actor' },
    { line: line({ id: 'bad-3', time: '2999-01-01T00:00:00Z' }), path: 'time' },
    { line: line({ id: 'bad-4', colour: 'blue' }), path: 'colour' },
    { line: line({ id: 'bad-5', org: 'Not An Org!' }), path: 'org' },
    { line: line({ id: 'bad-6', time: '06/01/2025 09:00' }), path: 'time' },
    { line: line({ id: 'bad-7', type: 'comment.created' }), path: 'feature' },
    { line: line({ id: 'bad-8', count: 0 }), path: 'count' },
    { line: '[1, 2, 3]', path: '' },
  ]
}

/** An event as it is stored (judged and normalised), for tests below the judge; `id` and `actor` vary. */
export function storedEvent(id = 'e1', actor = `person-${id}`): StoredEvent {
  return {
    org: 'acme',
    source: 'jamespot',
    id,
    type: 'post.created',
    feature: 'groups',
    level: 'create',
    time: '2025-05-31 07:30:00.000',
    actor,
    space: '',
    object: '',
    parent: '',
    target: '',
    count: 1,
    props: '{}',
    received_at: '2025-06-01 12:00:00.000',
  }
}
