import { describe, expect, it } from 'vitest'
import { judgeEvent } from '../../../schemas/event.ts'

const now = new Date('2025-06-01T12:00:00Z')
const ctx = { now, defaultSource: 'jamespot' }
const base = {
  id: 'e1',
  type: 'post.created',
  time: '2025-05-31T09:30:00+02:00',
  org: 'acme',
  actor: 'alice',
}

function refusal(event: unknown) {
  const j = judgeEvent(event, ctx)
  if (j.ok) throw new Error('expected a refusal')
  return j.refusal
}

describe('judgeEvent', () => {
  it('derives feature and level from the catalogue and normalises the time to UTC', () => {
    const j = judgeEvent(base, ctx)
    expect(j).toEqual({
      ok: true,
      event: {
        org: 'acme',
        source: 'jamespot',
        id: 'e1',
        type: 'post.created',
        feature: 'groups',
        level: 'create',
        time: '2025-05-31 07:30:00.000',
        actor: 'alice',
        space: '',
        object: '',
        parent: '',
        target: '',
        count: 1,
        props: '{}',
        received_at: '2025-06-01 12:00:00.000',
      },
    })
  })

  it('takes the sender feature for "given" types and requires it', () => {
    const j = judgeEvent({ ...base, type: 'comment.created', feature: 'wiki', parent: 'page-1' }, ctx)
    expect(j.ok && [j.event.feature, j.event.level]).toEqual(['wiki', 'contribute'])
    expect(refusal({ ...base, type: 'content.viewed' })).toEqual({
      path: 'feature',
      message: 'required for type content.viewed',
    })
  })

  it('refuses a feature or level that contradicts the type', () => {
    expect(refusal({ ...base, feature: 'wiki' }).path).toBe('feature')
    expect(refusal({ ...base, level: 'view' }).path).toBe('level')
    expect(judgeEvent({ ...base, feature: 'groups', level: 'create' }, ctx).ok).toBe(true)
  })

  it('accepts custom vendor types only with feature and level', () => {
    const custom = { ...base, type: 'x.jamespot.kudos.given' }
    expect(refusal(custom).path).toBe('feature')
    expect(refusal({ ...custom, feature: 'platform' }).path).toBe('level')
    const j = judgeEvent({ ...custom, feature: 'platform', level: 'react' }, ctx)
    expect(j.ok && j.event.level).toBe('react')
    expect(refusal({ ...base, type: 'kudos.given' }).path).toBe('type')
  })

  it('accepts up to 5 minutes of clock skew into the future, not more, and any past', () => {
    expect(judgeEvent({ ...base, time: '2025-06-01T12:04:59Z' }, ctx).ok).toBe(true)
    expect(refusal({ ...base, time: '2025-06-01T12:05:01Z' })).toEqual({
      path: 'time',
      message: 'more than 5 minutes in the future',
    })
    expect(judgeEvent({ ...base, time: '2009-01-01T00:00:00Z' }, ctx).ok).toBe(true)
  })

  it('refuses times without an offset or that do not exist', () => {
    expect(refusal({ ...base, time: '2025-05-31T09:30:00' }).path).toBe('time')
    expect(refusal({ ...base, time: '2025-02-30T09:30:00Z' }).path).toBe('time')
    expect(refusal({ ...base, time: '31/05/2025 09:30' }).path).toBe('time')
  })

  it('names the field at fault', () => {
    expect(refusal({ ...base, actor: undefined })).toEqual({ path: 'actor', message: 'required' })
    expect(refusal({ ...base, org: 'ACME' }).path).toBe('org')
    expect(refusal({ ...base, colour: 'red' })).toEqual({
      path: 'colour',
      message: 'unknown field colour (put extra data in props)',
    })
    expect(refusal({ ...base, count: 0 }).path).toBe('count')
    expect(refusal({ ...base, count: 1.5 }).path).toBe('count')
    expect(refusal({ ...base, id: 'x'.repeat(129) }).path).toBe('id')
    expect(refusal({ ...base, props: { nested: { a: 1 } } }).path).toBe('props.nested')
    expect(
      refusal({ ...base, props: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])) })
        .path,
    ).toBe('props')
    expect(refusal([base])).toEqual({ path: '', message: 'an event must be a JSON object' })
  })

  it('keeps count, props and the named source', () => {
    const j = judgeEvent(
      { ...base, type: 'email.sent', count: 42, source: 'exchange', props: { client: 'outlook', n: 3 } },
      ctx,
    )
    expect(j.ok && [j.event.count, j.event.source, j.event.props, j.event.level]).toEqual([
      42,
      'exchange',
      '{"client":"outlook","n":3}',
      'none',
    ])
  })
})
