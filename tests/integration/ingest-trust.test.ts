// Ingest input that used to be lost or to fail other clients: CloudEvents data_base64 and binary
// mode, text the store cannot keep (lone surrogates), nesting deep enough to exhaust the stack,
// and long ids cut inside a surrogate pair. Real engine, direct sink.
import { randomUUID } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, countStored, ndjson, startTestApp, type TestApp } from '../helpers/app.ts'
import { validEvents } from '../helpers/events.ts'

let t: TestApp

beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t?.close())

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')

/** Posts with a request id of its own (x-request-id), under which refusals are kept. */
async function post(contentType: string, payload: string | Buffer, headers: Record<string, string> = {}) {
  const requestId = randomUUID()
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: { ...auth(), 'content-type': contentType, 'x-request-id': requestId, ...headers },
    payload,
  })
  return Object.assign(res, { requestId })
}

async function rows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await t.runtime.store.client.query({ query, query_params: params, format: 'JSONEachRow' })
  return result.json<T>()
}

/** The rejected-store rows of one request (the id the 202 came with). */
async function rejectedOf(requestId: string) {
  return rows<{ item_index: number; event_id: string; path: string; reason: string; raw: string }>(
    'SELECT item_index, event_id, path, reason, raw FROM rejected_events WHERE request_id = {r:String} ORDER BY item_index',
    { r: requestId },
  )
}

const requestIdOf = (res: { requestId: string }) => res.requestId

describe('CloudEvents data_base64 and binary mode', () => {
  const cloudEvent = (id: string, extra: Record<string, unknown>) => ({
    specversion: '1.0',
    id,
    type: 'wiki.edited',
    source: 'jalios',
    time: '2025-02-03T10:00:00Z',
    subject: 'alice',
    org: 'b64',
    ...extra,
  })

  it('decodes data_base64 holding JSON and stores its fields', async () => {
    const res = await post(
      'application/cloudevents-batch+json',
      JSON.stringify([
        cloudEvent('b-1', { data_base64: b64('{"space":"handbook","object":"page-1"}') }),
        cloudEvent('b-2', {
          datacontenttype: 'application/vnd.acme+json; charset=utf-8',
          data_base64: b64('{"space":"guides","object":"page-2"}'),
        }),
      ]),
    )
    expect(res.statusCode).toBe(202)
    expect(res.json()).toMatchObject({ accepted: 2, rejected: 0 })
    expect(
      await rows("SELECT id, actor, space, object FROM events FINAL WHERE org = 'b64' ORDER BY id"),
    ).toEqual([
      { id: 'b-1', actor: 'alice', space: 'handbook', object: 'page-1' },
      { id: 'b-2', actor: 'alice', space: 'guides', object: 'page-2' },
    ])
  })

  it('refuses data_base64 that is not JSON, naming the field, and keeps the rest of the batch', async () => {
    const res = await post(
      'application/cloudevents-batch+json',
      JSON.stringify([
        cloudEvent('t-1', { datacontenttype: 'text/plain', data_base64: b64('hello') }),
        cloudEvent('t-2', { data_base64: b64('hello, not json') }),
        cloudEvent('t-3', { data_base64: b64('[1,2]') }),
        cloudEvent('t-4', { data_base64: '***not base64***' }),
        cloudEvent('t-5', { data: { space: 'kept' } }),
      ]),
    )
    expect(res.statusCode).toBe(202)
    const body = res.json()
    expect(body).toMatchObject({ accepted: 1, rejected: 4 })
    expect(body.errors.map((e: { path: string }) => e.path)).toEqual([
      'data_base64',
      'data_base64',
      'data_base64',
      'data_base64',
    ])
    expect(body.errors[0].message).toMatch(/datacontenttype text\/plain is not JSON/)
    expect(body.errors[1].message).toMatch(/JSON/)
    expect(body.errors[2].message).toMatch(/JSON object/)
    expect(body.errors[3].message).toMatch(/base64/)
    const kept = await rejectedOf(requestIdOf(res))
    expect(kept.map((r) => [r.item_index, r.event_id])).toEqual([
      [0, 't-1'],
      [1, 't-2'],
      [2, 't-3'],
      [3, 't-4'],
    ])
    expect(kept[0]!.reason).toMatch(/^data_base64: datacontenttype text\/plain is not JSON/)
    expect(JSON.parse(kept[0]!.raw).data_base64).toBe(b64('hello'))
    expect(await rows("SELECT id, space FROM events FINAL WHERE org = 'b64' AND id LIKE 't-%'")).toEqual([
      { id: 't-5', space: 'kept' },
    ])
  })

  const ceHeaders = (id: string) => ({
    'ce-specversion': '1.0',
    'ce-id': id,
    'ce-type': 'file.uploaded',
    'ce-source': 'lumapps',
    'ce-time': '2025-02-03T10:00:00Z',
    'ce-subject': 'bob%20the%20builder',
    'ce-org': 'binary',
  })

  it('accepts a binary-mode CloudEvent with JSON data, plain or gzip', async () => {
    const plain = await post('application/json', '{"space":"s1","object":"f1"}', ceHeaders('bin-1'))
    expect(plain.statusCode).toBe(202)
    expect(plain.json()).toMatchObject({ accepted: 1, rejected: 0 })
    const zipped = await post('application/json; charset=utf-8', gzipSync('{"space":"s2"}'), {
      ...ceHeaders('bin-2'),
      'content-encoding': 'gzip',
    })
    expect(zipped.json()).toMatchObject({ accepted: 1, rejected: 0 })
    expect(
      await rows(
        "SELECT id, source, actor, space, object FROM events FINAL WHERE org = 'binary' ORDER BY id",
      ),
    ).toEqual([
      { id: 'bin-1', source: 'lumapps', actor: 'bob the builder', space: 's1', object: 'f1' },
      { id: 'bin-2', source: 'lumapps', actor: 'bob the builder', space: 's2', object: '' },
    ])
  })

  it('refuses a binary-mode CloudEvent whose data is not JSON, and keeps it in the rejected store', async () => {
    const res = await post('text/plain', 'just words', ceHeaders('bin-text'))
    expect(res.statusCode).toBe(202)
    expect(res.json()).toMatchObject({
      accepted: 0,
      rejected: 1,
      errors: [{ index: 0, id: 'bin-text', path: 'datacontenttype' }],
    })
    expect(res.json().errors[0].message).toMatch(/text\/plain is not JSON/)
    const [kept] = await rejectedOf(requestIdOf(res))
    expect(kept!.reason).toMatch(/^datacontenttype: /)
    expect(JSON.parse(kept!.raw)).toMatchObject({ body: 'just words', headers: { 'ce-id': 'bin-text' } })
    const array = await post('application/json', '[1,2,3]', ceHeaders('bin-array'))
    expect(array.json()).toMatchObject({ accepted: 0, rejected: 1, errors: [{ path: 'data' }] })
  })
})

describe('text the store cannot keep', () => {
  it('refuses a lone surrogate in any text field with the field, and never fails another client', async () => {
    const base = { type: 'post.created', time: '2025-01-06T09:00:00Z', org: 'mallory-org', actor: 'm' }
    const hostile = [
      '{"id":"s-1","type":"post.created","time":"2025-01-06T09:00:00Z","org":"mallory-org","actor":"\\ud800"}',
      JSON.stringify({ ...base, id: 's-2', space: 'a\udc00b' }),
      JSON.stringify({ ...base, id: 's-3', props: { note: 'x\ud83d' } }),
      JSON.stringify({ ...base, id: 's-4', props: { 'k\ud800': 1 } }),
      JSON.stringify({ ...base, id: 's-5\ud800' }),
      JSON.stringify({ ...base, id: 's-6' }),
    ]
    // The hostile request and innocent ones of another org, at once: they share a group commit.
    const [bad, ...good] = await Promise.all([
      post('application/x-ndjson', ndjson(hostile)),
      ...Array.from({ length: 4 }, (_, i) =>
        post('application/x-ndjson', ndjson(validEvents('innocent', 50, `inn${i}`))),
      ),
    ])
    expect(good.map((r) => r.statusCode)).toEqual([202, 202, 202, 202])
    expect((await countStored(t.runtime, 'innocent')).final).toBe(200)
    expect(bad!.statusCode).toBe(202)
    expect(bad!.json()).toMatchObject({ accepted: 1, rejected: 5 })
    expect(bad!.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'actor',
      'space',
      'props.note',
      'props.k\ufffd',
      'id',
    ])
    for (const e of bad!.json().errors) expect(e.message).toMatch(/surrogate/)
    const kept = await rejectedOf(requestIdOf(bad!))
    expect(kept.map((r) => r.item_index)).toEqual([0, 1, 2, 3, 4])
    expect(kept[0]!.raw).toBe(hostile[0])
    expect(kept[4]!.event_id).toBe('s-5\ufffd')
    expect(await rows("SELECT id FROM events FINAL WHERE org = 'mallory-org'")).toEqual([{ id: 's-6' }])
  })

  it('stores NUL and other control characters as sent (the store takes them)', async () => {
    const actor = 'nul\u0000and\u0001ctl\u007f'
    const res = await post(
      'application/json',
      JSON.stringify({ id: 'nul-1', type: 'post.created', time: '2025-01-06T09:00:00Z', org: 'nul', actor }),
    )
    expect(res.json()).toMatchObject({ accepted: 1, rejected: 0 })
    expect(await rows("SELECT actor FROM events FINAL WHERE org = 'nul'")).toEqual([{ actor }])
  })

  it('keeps a refused line whose JSON error quotes half of a surrogate pair', async () => {
    // V8's JSON.parse message quotes the start of the input, cut after a fixed count of units.
    const line = `x${'😀'.repeat(20)}`
    const res = await post('application/x-ndjson', ndjson([line, ...validEvents('quoting', 1)]))
    expect(res.statusCode).toBe(202)
    expect(res.json()).toMatchObject({ accepted: 1, rejected: 1 })
    const [kept] = await rejectedOf(requestIdOf(res))
    expect(kept!.raw).toBe(line)
    expect(kept!.reason).toMatch(/^invalid JSON/)
  })
})

describe('deep nesting', () => {
  const deepArray = `${'['.repeat(20_000)}${']'.repeat(20_000)}`
  const deepObject = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`

  it('answers 400 to a body nested 20,000 deep, as an array or as objects, in every JSON format', async () => {
    for (const [type, payload] of [
      ['application/json', deepArray],
      ['application/json', deepObject],
      ['application/cloudevents+json', deepObject],
      ['application/cloudevents-batch+json', deepArray],
    ] as const) {
      const res = await post(type, payload)
      expect(res.statusCode, `${type} ${payload.slice(0, 8)}`).toBe(400)
      expect(res.json().message).toMatch(/nested deeper than/)
    }
  })

  it('refuses a deep NDJSON line on its own, keeps it, and stores the rest', async () => {
    const res = await post('application/x-ndjson', ndjson([deepArray, ...validEvents('deep', 2), deepObject]))
    expect(res.statusCode).toBe(202)
    expect(res.json()).toMatchObject({ accepted: 2, rejected: 2 })
    const kept = await rejectedOf(requestIdOf(res))
    expect(kept.map((r) => [r.item_index, r.raw.length])).toEqual([
      [0, deepArray.length],
      [3, deepObject.length],
    ])
    for (const r of kept) expect(r.reason).toMatch(/nested deeper than/)
    expect((await countStored(t.runtime, 'deep')).final).toBe(2)
  })

  it('refuses deep binary-mode data as the event', async () => {
    const res = await post('application/json', deepObject, {
      'ce-specversion': '1.0',
      'ce-id': 'deep-bin',
      'ce-type': 'post.created',
      'ce-time': '2025-01-06T09:00:00Z',
      'ce-subject': 'a',
      'ce-org': 'deep',
    })
    expect(res.statusCode).toBe(202)
    expect(res.json()).toMatchObject({ accepted: 0, rejected: 1, errors: [{ path: 'data' }] })
  })
})

describe('long ids', () => {
  it('cuts an id over 128 characters on a code point, and keeps the refusal', async () => {
    // The contract counts code points: 127 letters and two emoji are 129, one too many. Cut at
    // 128 UTF-16 units, the id would end in half an emoji.
    const id = `${'a'.repeat(127)}😀😀`
    const cut = `${'a'.repeat(127)}😀`
    const res = await post(
      'application/json',
      JSON.stringify({ id, type: 'post.created', time: '2025-01-06T09:00:00Z', org: 'long', actor: 'a' }),
    )
    expect(res.statusCode).toBe(202)
    expect(res.json()).toMatchObject({ accepted: 0, rejected: 1, errors: [{ path: 'id', id: cut }] })
    const [kept] = await rejectedOf(requestIdOf(res))
    expect(kept!.event_id).toBe(cut)
    expect(JSON.parse(kept!.raw).id).toBe(id)
    // Refused for another field, with a long id: the id is cut the same way.
    const other = await post(
      'application/x-ndjson',
      ndjson([
        {
          id: `${id}${'b'.repeat(200)}`,
          type: 'post.exploded',
          time: '2025-01-06T09:00:00Z',
          org: 'long',
          actor: 'a',
        },
      ]),
    )
    expect(other.statusCode).toBe(202)
    expect(other.json().errors[0].id).toBe(cut)
  })

  it('takes an id of 128 characters that is longer than 128 UTF-16 units', async () => {
    const id = `${'a'.repeat(126)}😀😀`
    const res = await post(
      'application/json',
      JSON.stringify({ id, type: 'post.created', time: '2025-01-06T09:00:00Z', org: 'long-ok', actor: 'a' }),
    )
    expect(res.json()).toMatchObject({ accepted: 1, rejected: 0 })
    expect(await rows("SELECT id FROM events FINAL WHERE org = 'long-ok'")).toEqual([{ id }])
  })
})
