// Exactly once at the writer (ingest/event-writer.ts) on the real engine: copies within a batch,
// across batches and across the direct, import and seed paths are dropped (the first copy wins);
// a writer that died between its insert and the recording of its keys is recovered by the next
// batch of the same writer name; a whole history imported twice is stored once. The local
// calendar the writer stamps is checked against ClickHouse's own time-zone functions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeImported } from '../../importers/write.ts'
import { insertEvents } from '../../ingest/event-store.ts'
import { eventKey, eventKeySql, writeEvents } from '../../ingest/event-writer.ts'
import { localCalendar } from '../../ingest/org-calendar.ts'
import { judgeEvent, type StoredEvent, toClickHouseTime } from '../../schemas/event.ts'
import { auth, ndjson, startTestApp, type TestApp } from '../helpers/app.ts'
import { validEvents } from '../helpers/events.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t?.close())

const client = () => t.runtime.store.client

function stored(raw: Record<string, unknown>): StoredEvent {
  const judged = judgeEvent(raw, { now: new Date(), defaultSource: 'test' })
  if (!judged.ok) throw new Error(`${judged.refusal.path}: ${judged.refusal.message}`)
  return judged.event
}

async function rows(org: string): Promise<{ raw: number; distinct: number }> {
  const result = await client().query({
    query: 'SELECT count() AS raw, uniqExact(source, id) AS distinct FROM events WHERE org = {org:String}',
    query_params: { org },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ raw: string; distinct: string }>()
  return { raw: Number(row!.raw), distinct: Number(row!.distinct) }
}

describe('the local calendar the writer stamps', () => {
  // Every quarter hour across each zone's 2025 clock changes, and random instants of 1990–2035.
  const transitions: Record<string, string[]> = {
    'Europe/Paris': ['2025-03-30T01:00:00Z', '2025-10-26T01:00:00Z'],
    'America/New_York': ['2025-03-09T07:00:00Z', '2025-11-02T06:00:00Z'],
    'Asia/Kolkata': ['2025-06-01T18:30:00Z'],
    'Asia/Kathmandu': ['2025-06-01T18:15:00Z'],
    'Australia/Lord_Howe': ['2025-04-05T15:00:00Z', '2025-10-04T15:30:00Z'],
    UTC: ['2025-01-01T00:00:00Z'],
  }
  for (const [zone, around] of Object.entries(transitions)) {
    it(`gives ClickHouse's day and minute of the day in ${zone}`, async () => {
      const instants: number[] = []
      for (const at of around) {
        const centre = Date.parse(at)
        for (let q = -200; q <= 200; q++) instants.push(centre + q * 15 * 60_000 + (q % 7) * 61_013)
      }
      let seed = 7
      for (let i = 0; i < 2000; i++) {
        seed = (seed * 48271) % 2147483647
        instants.push(Date.UTC(1990, 0, 1) + (seed / 2147483647) * 45 * 365.25 * 86_400_000)
      }
      const times = instants.map((ms) => toClickHouseTime(Math.floor(ms)))
      const result = await client().query({
        // The zone is a literal: ClickHouse takes a time zone only as a constant.
        query: `SELECT toString(toDate(t, '${zone}')) AS day, toHour(t, '${zone}') * 60 + toMinute(t, '${zone}') AS minute
                FROM (SELECT toDateTime64(arrayJoin({times:Array(String)}), 3, 'UTC') AS t)`,
        query_params: { times },
        format: 'JSONEachRow',
      })
      const expected = (await result.json<{ day: string; minute: number }>()).map((r) => ({
        day: r.day,
        minute: Number(r.minute),
      }))
      const ours = times.map((time) => localCalendar(zone, Date.parse(`${time.replace(' ', 'T')}Z`)))
      expect(ours).toEqual(expected)
    })
  }
})

describe('writeEvents', () => {
  it('keys an event as ClickHouse does from the stored columns, whatever the source holds', async () => {
    const events = [
      stored({
        id: 'k-1',
        org: 'keys',
        type: 'post.created',
        time: '2025-03-03T10:00:00Z',
        actor: 'a',
        source: 'a\u0000b',
      }),
      stored({
        id: 'b\u0000k-1',
        org: 'keys',
        type: 'post.created',
        time: '2025-03-03T10:00:00Z',
        actor: 'a',
        source: 'a',
      }),
      stored({
        id: 'ünï',
        org: 'keys',
        type: 'post.created',
        time: '2025-03-03T10:00:00Z',
        actor: 'a',
        source: 'café ☕',
      }),
    ]
    expect(new Set(events.map(eventKey)).size).toBe(3)
    const report = await writeEvents(client(), events, { writer: 'test-keys' })
    expect(report).toEqual({ stored: 3, duplicates: 0, refused: [] })
    const result = await client().query({
      query: `SELECT ${eventKeySql} AS key FROM events WHERE org = 'keys' ORDER BY key`,
      format: 'JSONCompactEachRow',
    })
    expect((await result.json<[string]>()).map(([k]) => k)).toEqual(events.map(eventKey).sort())
  })

  it('keeps the first copy of an event within a batch and across batches', async () => {
    const first = stored({
      id: 'd-1',
      org: 'dups',
      type: 'post.created',
      time: '2025-03-03T10:00:00Z',
      actor: 'ann',
    })
    const second = { ...first, type: 'comment.created', feature: 'groups' as const }
    const other = stored({
      id: 'd-2',
      org: 'dups',
      type: 'post.created',
      time: '2025-03-03T11:00:00Z',
      actor: 'bob',
    })
    expect(await writeEvents(client(), [first, other, second], { writer: 'test-dups' })).toEqual({
      stored: 2,
      duplicates: 1,
      refused: [],
    })
    expect(await writeEvents(client(), [second, other], { writer: 'test-dups' })).toEqual({
      stored: 0,
      duplicates: 2,
      refused: [],
    })
    expect(await rows('dups')).toEqual({ raw: 2, distinct: 2 })
    const result = await client().query({
      query: "SELECT type FROM events WHERE org = 'dups' AND id = 'd-1'",
      format: 'JSONEachRow',
    })
    expect(await result.json()).toEqual([{ type: 'post.created' }])
  })

  it('drops copies across the API (direct sink), the importer and the test seed paths', async () => {
    const sent = validEvents('paths', 300, 'p')
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(), 'content-type': 'application/x-ndjson' },
      payload: ndjson(sent.map((e) => JSON.stringify(e))),
    })
    expect(res.statusCode).toBe(202)
    expect(await rows('paths')).toEqual({ raw: 300, distinct: 300 })
    const judged = sent.map((e) => stored({ ...e, source: 'api' }))
    // The API stored them under its default source; the importer sends the same identities.
    const apiSource = await client().query({
      query: "SELECT any(source) AS source FROM events WHERE org = 'paths'",
      format: 'JSONEachRow',
    })
    const [{ source } = { source: '' }] = await apiSource.json<{ source: string }>()
    await writeImported(client(), 'paths', { events: judged.map((e) => ({ ...e, source })) })
    await writeEvents(
      client(),
      judged.slice(0, 50).map((e) => ({ ...e, source })),
      { writer: 'seed' },
    )
    expect(await rows('paths')).toEqual({ raw: 300, distinct: 300 })
  })

  it('stores a whole history imported twice once', async () => {
    const history = validEvents('history', 5000, 'h').map((e) => stored(e))
    for (let i = 0; i < history.length; i += 1000) {
      await writeImported(client(), 'history', { events: history.slice(i, i + 1000) })
    }
    expect(await rows('history')).toEqual({ raw: 5000, distinct: 5000 })
    // The second run cuts its batches elsewhere: no batch of it matches a batch of the first.
    for (let i = 0; i < history.length; i += 700) {
      await writeImported(client(), 'history', { events: history.slice(i, i + 700) })
    }
    expect(await rows('history')).toEqual({ raw: 5000, distinct: 5000 })
  })

  it('recovers the keys of a batch whose writer died after its insert, before recording them', async () => {
    const events = validEvents('crash', 400, 'c').map((e) => stored(e))
    // What a writer named `import` leaves when it dies between steps 4 and 5: its mark and its
    // inserted rows with that stamp, and no key.
    const pending = toClickHouseTime(Date.now() - 60_000)
    await client().command({
      query: "INSERT INTO event_writer_marks VALUES ('test-crash', {pending:DateTime64(3, 'UTC')})",
      query_params: { pending },
    })
    await insertEvents(client(), events, { insertedAt: pending })
    expect(await rows('crash')).toEqual({ raw: 400, distinct: 400 })
    // Its successor re-sends the batch (a Kafka redelivery, a client's retry after no answer).
    const report = await writeEvents(client(), events, { writer: 'test-crash' })
    expect(report).toEqual({ stored: 0, duplicates: 400, refused: [] })
    expect(await rows('crash')).toEqual({ raw: 400, distinct: 400 })
  })

  it('stamps each event with the day and minute of its org in the zone of its calendar', async () => {
    await client().command({
      query: "INSERT INTO org_calendar VALUES ('paris-cal', 'Europe/Paris', 1, 1)",
    })
    const { orgZones } = await import('../../ingest/org-calendar.ts')
    orgZones(client()).invalidate()
    const late = { type: 'post.created', time: '2025-06-30T22:30:00Z', actor: 'ann' }
    await writeEvents(
      client(),
      [stored({ ...late, id: 'z-1', org: 'paris-cal' }), stored({ ...late, id: 'z-1', org: 'utc-cal' })],
      { writer: 'test-zones' },
    )
    const result = await client().query({
      query: "SELECT org, toString(day) AS day, minute FROM events WHERE id = 'z-1' ORDER BY org",
      format: 'JSONEachRow',
    })
    expect(await result.json()).toEqual([
      { org: 'paris-cal', day: '2025-07-01', minute: 30 },
      { org: 'utc-cal', day: '2025-06-30', minute: 22 * 60 + 30 },
    ])
  })
})

describe('insertEvents round trip', () => {
  it('stores every column exactly as given, whatever the strings hold', async () => {
    const { features, levels } = await import('../../schemas/event-catalogue.ts')
    // Each awkward string in every free-text column: the insert body's escaping must give them
    // back unchanged (tabs and line ends are the separators of the text formats, quotes and
    // backslashes their escapes).
    const awkward = [
      '',
      'tab\there',
      'line\nfeed',
      'carriage\rreturn\r\n',
      'back\\slash\\',
      '\\t not a tab, \\n not a line',
      'quote " double "" and \' single',
      '"',
      'comma, semicolon; pipe |',
      'café ☕ 日本語 עברית e\u0301 👩‍💻',
      '\u0001\u001f control',
      'NULL',
      '\\N',
      ' leading and trailing ',
    ]
    const times = ['1970-01-01 00:00:00.000', '2025-03-30 01:59:59.999', '2025-12-31 23:59:59.001']
    const events: StoredEvent[] = awkward.map((s, i) => ({
      org: 'roundtrip',
      source: s === '' ? 'src' : `src ${s}`,
      id: `rt-${i} ${s}`,
      type: i % 2 === 0 ? 'post.created' : `custom.${i}`,
      feature: features[i % features.length]!,
      level: levels[i % levels.length]!,
      time: times[i % times.length]!,
      actor: s,
      space: s,
      object: s,
      parent: s,
      target: s,
      count: [0, 1, 65_535, 4_294_967_295][i % 4]!,
      props: JSON.stringify({ text: s, n: i }),
      received_at: times[(i + 1) % times.length]!,
    }))
    const insertedAt = '2026-01-02 03:04:05.678'
    await insertEvents(client(), events, { insertedAt, zoneOf: () => 'Asia/Kathmandu' })
    const result = await client().query({
      query: `SELECT org, source, id, type, feature, toString(level) AS level, toString(time) AS time,
                actor, space, object, parent, target, count, props, toString(received_at) AS received_at,
                toString(inserted_at) AS inserted_at, toString(day) AS day, minute
              FROM events WHERE org = 'roundtrip' ORDER BY id`,
      format: 'JSONEachRow',
    })
    const got = await result.json<Record<string, unknown>>()
    const want = events
      .map((e) => {
        const { day, minute } = localCalendar('Asia/Kathmandu', Date.parse(`${e.time.replace(' ', 'T')}Z`))
        return { ...e, inserted_at: insertedAt, day, minute }
      })
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    expect(got).toEqual(want)
  })
})
