// Parsing hostile bodies: nesting measured on the text (never recursively), CloudEvents
// data_base64 decoded only when JSON, binary mode read from ce-* headers.
import { describe, expect, it } from 'vitest'
import { BodyError, nestedDeeperThan, parseBinaryCloudEvent, parseBody } from '../../../ingest/parse-body.ts'

describe('nesting', () => {
  it('counts arrays and objects, not brackets inside strings or escaped quotes', () => {
    expect(nestedDeeperThan('[[[]]]', 3)).toBe(false)
    expect(nestedDeeperThan('[[[[]]]]', 3)).toBe(true)
    expect(nestedDeeperThan('{"a":{"b":{"c":1}}}', 3)).toBe(false)
    expect(nestedDeeperThan('{"a":{"b":{"c":{}}}}', 3)).toBe(true)
    expect(nestedDeeperThan(`{"s":"${'['.repeat(100)}"}`, 1)).toBe(false)
    expect(nestedDeeperThan(`{"s":"\\"${'{'.repeat(100)}"}`, 1)).toBe(false)
    expect(nestedDeeperThan(`{"s":"\\\\"${'['.repeat(3)}`, 3)).toBe(true)
  })

  it('refuses a whole body nested 100,000 deep without running out of stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    expect(() => parseBody(deep, 'json', 10)).toThrow(BodyError)
    const [line] = parseBody(deep, 'ndjson', 10)
    expect(line!.parseError).toMatch(/nested deeper than 32/)
  })
})

describe('CloudEvents data_base64', () => {
  const ce = (extra: Record<string, unknown>) =>
    JSON.stringify({ specversion: '1.0', id: 'c1', type: 'post.created', subject: 'ann', ...extra })
  const b64 = (s: string) => Buffer.from(s).toString('base64')

  it('decodes JSON data, with the content type absent, JSON or +json', () => {
    for (const datacontenttype of [undefined, 'application/json', 'application/ld+json; charset=utf-8']) {
      const [item] = parseBody(ce({ datacontenttype, data_base64: b64('{"space":"s"}') }), 'cloudevents', 10)
      expect(item!.value).toMatchObject({ id: 'c1', actor: 'ann', space: 's' })
      expect(item!.parseError).toBeUndefined()
    }
  })

  it('refuses, naming data_base64: a content type not JSON, bad base64, bad UTF-8, not an object', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ datacontenttype: 'text/plain', data_base64: b64('{}') }, /datacontenttype text\/plain is not JSON/],
      [{ data_base64: 'a$b=' }, /not valid base64/],
      [{ data_base64: Buffer.from([0xff, 0xfe, 0x7b]).toString('base64') }, /UTF-8/],
      [{ data_base64: b64('"text"') }, /JSON object/],
      [{ data_base64: b64('{"a":') }, /valid JSON/],
      [{ data_base64: 5 }, /base64 string/],
      [{ data_base64: b64('{}'), data: {} }, /not both/],
    ]
    for (const [extra, message] of cases) {
      const [item] = parseBody(ce(extra), 'cloudevents', 10)
      expect(item!.parsePath, JSON.stringify(extra)).toBe('data_base64')
      expect(item!.parseError).toMatch(message)
    }
  })
})

describe('binary-mode CloudEvents', () => {
  const headers = {
    'ce-specversion': '1.0',
    'ce-id': 'b1',
    'ce-type': 'post.created',
    'ce-subject': 'Ren%C3%A9e',
    'ce-org': 'acme',
    'content-type': 'application/json',
  }

  it('takes the attributes from the headers, percent-decoded, and the data from the body', () => {
    const [item] = parseBinaryCloudEvent(headers, '{"space":"s1"}')
    expect(item!.value).toEqual({ id: 'b1', type: 'post.created', actor: 'Renée', org: 'acme', space: 's1' })
  })

  it('refuses data that is not JSON, and a header that is not percent-encoded UTF-8', () => {
    const [text] = parseBinaryCloudEvent({ ...headers, 'content-type': 'text/plain' }, 'hello')
    expect([text!.parsePath, text!.parseError]).toEqual([
      'datacontenttype',
      'Content-Type text/plain is not JSON (only JSON data can be stored)',
    ])
    expect(JSON.parse(text!.raw)).toEqual({
      headers: { ...headers, 'content-type': 'text/plain' },
      body: 'hello',
    })
    const [bad] = parseBinaryCloudEvent({ ...headers, 'ce-subject': '%E0%A4%A' }, '{}')
    expect(bad!.parsePath).toBe('subject')
  })
})
