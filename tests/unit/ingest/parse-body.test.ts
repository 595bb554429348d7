import { describe, expect, it } from 'vitest'
import { BodyError, bodyFormatOf, parseBody } from '../../../ingest/parse-body.ts'

describe('parseBody', () => {
  it('splits NDJSON into items, keeping each raw line and skipping blank lines', () => {
    const items = parseBody('{"a":1}\r\n\n  \nnot json\n{"b":2}', 'ndjson', 10)
    expect(items.map((i) => [i.index, i.raw, i.value])).toEqual([
      [0, '{"a":1}', { a: 1 }],
      [1, 'not json', undefined],
      [2, '{"b":2}', { b: 2 }],
    ])
    expect(items[1]!.parseError).toMatch(/^invalid JSON/)
  })

  it('takes a JSON object or array, and refuses unparseable JSON as a whole', () => {
    expect(parseBody('{"a":1}', 'json', 10)).toHaveLength(1)
    expect(parseBody('[{"a":1},{"a":2}]', 'json', 10)).toHaveLength(2)
    expect(() => parseBody('[{"a":1},', 'json', 10)).toThrow(BodyError)
  })

  it('maps CloudEvents: subject to actor, data fields across, the org extension', () => {
    const [item] = parseBody(
      JSON.stringify({
        specversion: '1.0',
        id: 'c1',
        type: 'file.uploaded',
        source: 'lumapps',
        time: '2025-01-01T00:00:00Z',
        subject: 'bob',
        org: 'acme',
        data: { space: 's1' },
      }),
      'cloudevents',
      10,
    )
    expect(item!.value).toEqual({
      id: 'c1',
      type: 'file.uploaded',
      source: 'lumapps',
      time: '2025-01-01T00:00:00Z',
      actor: 'bob',
      org: 'acme',
      space: 's1',
    })
    expect(() => parseBody('{"specversion":"1.0"}', 'cloudevents-batch', 10)).toThrow(/array/)
  })

  it('refuses more events than the limit with 413', () => {
    const err = (() => {
      try {
        parseBody('{}\n{}\n{}', 'ndjson', 2)
      } catch (e) {
        return e as BodyError
      }
    })()
    expect(err?.statusCode).toBe(413)
  })

  it('recognises the content types', () => {
    expect(bodyFormatOf('application/x-ndjson; charset=utf-8')).toBe('ndjson')
    expect(bodyFormatOf('application/cloudevents-batch+json')).toBe('cloudevents-batch')
    expect(bodyFormatOf(undefined)).toBe('json')
    expect(bodyFormatOf('text/csv')).toBeUndefined()
  })
})
