// The ingest API on the real engine (chDB), direct sink: validation, rejected store,
// deduplication, group commit under concurrency, limits, formats and org isolation.
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DirectSink } from '../../ingest/direct-sink.ts'
import { migrate } from '../../server/migrate.ts'
import { auth, countStored, ndjson, startTestApp, type TestApp } from '../helpers/app.ts'
import { badLines, validEvents } from '../helpers/events.ts'

let t: TestApp

async function createToken(role: string, orgs: string[]): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/admin/tokens',
    headers: auth(),
    payload: { role, orgs },
  })
  expect(res.statusCode).toBe(201)
  return res.json().token
}

beforeAll(async () => {
  t = await startTestApp({ MAX_BODY_BYTES: String(1024 * 1024), MAX_EVENTS_PER_REQUEST: '5000' })
})
afterAll(() => t?.close())

describe('POST /v1/events, direct sink', () => {
  it('keeps 1,000 valid events and refuses 10 bad lines, each with its field, keeping them raw', async () => {
    const token = await createToken('ingest', ['acme'])
    const good = validEvents('acme', 1000).map((e) => JSON.stringify(e))
    const bad = badLines('acme')
    // Bad lines are spread through the body: a bad line must never abort the good ones.
    const lines = [...good]
    for (const [i, b] of bad.entries()) lines.splice(i * 90, 0, b.line)
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(token), 'content-type': 'application/x-ndjson' },
      payload: ndjson(lines),
    })
    expect(res.statusCode).toBe(202)
    const body = res.json()
    expect(body.accepted).toBe(1000)
    expect(body.rejected).toBe(10)
    expect(body.errors).toHaveLength(10)
    for (const error of body.errors) {
      const sent = lines[error.index]
      const expected = bad.find((b) => b.line === sent)
      expect(expected, `error index ${error.index} points at a bad line`).toBeDefined()
      expect(error.path).toBe(expected!.path)
      expect(error.message.length).toBeGreaterThan(3)
    }
    expect(body.errors.find((e: { id: string | null }) => e.id === 'bad-3').message).toMatch(/future/)

    expect(await countStored(t.runtime, 'acme')).toEqual({ final: 1000, distinct: 1000 })

    const rejected = await t.app.inject({
      method: 'GET',
      url: '/v1/orgs/acme/rejected?limit=100',
      headers: auth(),
    })
    expect(rejected.statusCode).toBe(200)
    const raws = rejected
      .json()
      .rejected.map((r: { raw: string }) => r.raw)
      .sort()
    expect(raws).toEqual(bad.map((b) => b.line).sort())
    for (const r of rejected.json().rejected) expect(r.reason).not.toBe('')

    const status = await t.app.inject({
      method: 'GET',
      url: '/v1/orgs/acme/ingest/status',
      headers: auth(token),
    })
    expect(status.json()).toMatchObject({ stored_events: 1000, rejected_events: 10 })
    expect(status.json().last_event_time).toBe(validEvents('acme', 1000).at(-1)!.time)
  })

  it('counts the same 1,000 events once however often they are sent', async () => {
    const body = ndjson(validEvents('acme', 1000))
    for (let i = 0; i < 2; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { ...auth(), 'content-type': 'application/x-ndjson' },
        payload: body,
      })
      expect(res.json().accepted).toBe(1000)
    }
    // As a JSON array this time: same events, another wire format.
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(), 'content-type': 'application/json' },
      payload: validEvents('acme', 1000),
    })
    expect(res.json().accepted).toBe(1000)
    expect(await countStored(t.runtime, 'acme')).toEqual({ final: 1000, distinct: 1000 })
    const status = await t.app.inject({ method: 'GET', url: '/v1/orgs/acme/ingest/status', headers: auth() })
    expect(status.json().stored_events).toBe(1000)
  })

  it('stores exactly 10,000 events from 50 parallel requests of 200, in fewer inserts than requests', async () => {
    const sink = t.runtime.sink
    if (!(sink instanceof DirectSink)) throw new Error('this suite runs on the direct sink')
    const before = sink.stats.batches
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, r) =>
        t.app.inject({
          method: 'POST',
          url: '/v1/events',
          headers: { ...auth(), 'content-type': 'application/x-ndjson' },
          payload: ndjson(validEvents('parallel', 200, `req${r}`)),
        }),
      ),
    )
    expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(202))
    expect(responses.reduce((sum, r) => sum + r.json().accepted, 0)).toBe(10_000)
    expect(await countStored(t.runtime, 'parallel')).toEqual({ final: 10_000, distinct: 10_000 })
    const inserts = sink.stats.batches - before
    expect(inserts).toBeGreaterThan(0)
    expect(inserts).toBeLessThan(50)
  })

  it('answers 413 to a body over the limit and to too many events', async () => {
    const big = ndjson(validEvents('acme', 12_000, 'big'))
    expect(Buffer.byteLength(big)).toBeGreaterThan(1024 * 1024)
    const tooBig = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(), 'content-type': 'application/x-ndjson' },
      payload: big,
    })
    expect(tooBig.statusCode).toBe(413)
    // Small once compressed, too big once decompressed: the limit applies to the decompressed body.
    const bomb = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(), 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
      payload: gzipSync(big),
    })
    expect(gzipSync(big).length).toBeLessThan(1024 * 1024)
    expect(bomb.statusCode).toBe(413)
    const tooMany = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(), 'content-type': 'application/json' },
      payload: validEvents('acme', 5001, 'many'),
    })
    expect(tooMany.statusCode).toBe(413)
    expect(tooMany.json().message).toMatch(/5001 > 5000/)
  })

  it('accepts a gzip body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(), 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
      payload: gzipSync(ndjson(validEvents('zipped', 300))),
    })
    expect(res.statusCode).toBe(202)
    expect(res.json().accepted).toBe(300)
    expect((await countStored(t.runtime, 'zipped')).final).toBe(300)
  })

  it('accepts CloudEvents, single and batch, mapping subject to actor and data to the rest', async () => {
    const cloudEvent = (i: number) => ({
      specversion: '1.0',
      id: `ce-${i}`,
      type: 'wiki.edited',
      source: 'jalios',
      time: '2025-02-03T10:00:00+01:00',
      subject: `user-${i}`,
      datacontenttype: 'application/json',
      data: { org: 'clouds', space: 'handbook', object: `page-${i}` },
    })
    const batch = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(), 'content-type': 'application/cloudevents-batch+json' },
      payload: [cloudEvent(1), cloudEvent(2), { ...cloudEvent(3), data: { space: 'no org' } }],
    })
    expect(batch.statusCode).toBe(202)
    expect(batch.json()).toMatchObject({ accepted: 2, rejected: 1, errors: [{ index: 2, path: 'org' }] })
    const single = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(), 'content-type': 'application/cloudevents+json' },
      payload: cloudEvent(4),
    })
    expect(single.json()).toMatchObject({ accepted: 1, rejected: 0 })
    const rows = await t.runtime.store.client.query({
      query:
        "SELECT id, source, actor, feature, level, time FROM events FINAL WHERE org = 'clouds' ORDER BY id",
      format: 'JSONEachRow',
    })
    expect(await rows.json()).toEqual([
      {
        id: 'ce-1',
        source: 'jalios',
        actor: 'user-1',
        feature: 'wiki',
        level: 'create',
        time: '2025-02-03 09:00:00.000',
      },
      {
        id: 'ce-2',
        source: 'jalios',
        actor: 'user-2',
        feature: 'wiki',
        level: 'create',
        time: '2025-02-03 09:00:00.000',
      },
      {
        id: 'ce-4',
        source: 'jalios',
        actor: 'user-4',
        feature: 'wiki',
        level: 'create',
        time: '2025-02-03 09:00:00.000',
      },
    ])
  })

  it('never lets a token for org A write to or read org B', async () => {
    const tokenA = await createToken('ingest', ['org-a'])
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(tokenA), 'content-type': 'application/json' },
      payload: [...validEvents('org-a', 3, 'a'), ...validEvents('org-b', 2, 'b')],
    })
    expect(res.json()).toMatchObject({ accepted: 3, rejected: 2 })
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['org', 'org'])
    expect((await countStored(t.runtime, 'org-a')).final).toBe(3)
    expect((await countStored(t.runtime, 'org-b')).final).toBe(0)
    for (const url of ['/v1/orgs/org-b/ingest/status', '/v1/orgs/org-b/rejected']) {
      expect((await t.app.inject({ method: 'GET', url, headers: auth(tokenA) })).statusCode).toBe(404)
    }
    const roster = await t.app.inject({
      method: 'PUT',
      url: '/v1/orgs/org-b/roster',
      headers: { ...auth(tokenA), 'content-type': 'text/csv' },
      payload: 'id\nx\n',
    })
    expect(roster.statusCode).toBe(404)
  })

  it('answers 401 without a token or with a revoked one', async () => {
    const none = await t.app.inject({ method: 'POST', url: '/v1/events', payload: validEvents('acme', 1) })
    expect(none.statusCode).toBe(401)
    const token = await createToken('ingest', ['acme'])
    const id = token.split('_')[1]
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/v1/admin/tokens/${id}`, headers: auth() })).statusCode,
    ).toBe(204)
    const revoked = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(token), 'content-type': 'application/json' },
      payload: validEvents('acme', 1),
    })
    expect(revoked.statusCode).toBe(401)
  })

  it('answers 400 when nothing can be parsed, naming the problem', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(), 'content-type': 'application/json' },
      payload: '{"id": ',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toMatch(/not valid JSON/)
  })
})

describe('PUT /v1/orgs/:org/roster', () => {
  it('takes a French-Excel CSV (; separators, BOM, quotes) and refuses bad rows with their line', async () => {
    const csv =
      '\uFEFFid;department;site;manager;hired_at;left_at;email\r\n' +
      'alice;"R&D; Paris lab";Paris;;2024-01-15;;alice@example.com\r\n' +
      'bob;Sales;Lyon;alice;2024-02-01;2025-03-31;\r\n' +
      'carol;Sales;Lyon;alice;15/02/2024;;\r\n' +
      ';HR;Paris;;;;\r\n'
    const res = await t.app.inject({
      method: 'PUT',
      url: '/v1/orgs/people/roster',
      headers: { ...auth(), 'content-type': 'text/csv' },
      payload: csv,
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      people: 2,
      rejected: 2,
      errors: [
        { line: 4, path: 'hired_at' },
        { line: 5, path: 'id' },
      ],
      ignored_columns: ['email'],
    })
    const rows = await t.runtime.store.client.query({
      query:
        "SELECT person_id, department, site, manager, hired_at, left_at FROM roster WHERE org = 'people' ORDER BY person_id",
      format: 'JSONEachRow',
    })
    expect(await rows.json()).toEqual([
      {
        person_id: 'alice',
        department: 'R&D; Paris lab',
        site: 'Paris',
        manager: '',
        hired_at: '2024-01-15',
        left_at: null,
      },
      {
        person_id: 'bob',
        department: 'Sales',
        site: 'Lyon',
        manager: 'alice',
        hired_at: '2024-02-01',
        left_at: '2025-03-31',
      },
    ])
    const rejected = await t.app.inject({ method: 'GET', url: '/v1/orgs/people/rejected', headers: auth() })
    expect(
      rejected
        .json()
        .rejected.map((r: { raw: string }) => r.raw)
        .sort(),
    ).toEqual([';HR;Paris;;;;', 'carol;Sales;Lyon;alice;15/02/2024;;'])
  })

  it('takes a JSON roster', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/v1/orgs/people-json/roster',
      headers: auth(),
      payload: [{ id: 'a', department: 'IT' }, { id: 'b' }],
    })
    expect(res.json()).toMatchObject({ people: 2, rejected: 0 })
  })
})

describe('store and health', () => {
  it('applies migrations once: a second run changes nothing', async () => {
    const report = await migrate(t.runtime.store.client)
    expect(report.applied).toEqual([])
    expect(report.alreadyApplied).toBeGreaterThanOrEqual(3)
  })

  it('answers /healthz and /readyz', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' })
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toMatchObject({ status: 'ready', store: 'embedded', sink: 'direct' })
  })

  it('serves the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' })
    expect(res.statusCode).toBe(200)
    expect(Object.keys(res.json().paths)).toContain('/v1/events')
  })
})
