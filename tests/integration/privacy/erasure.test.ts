// Pseudonymisation at ingest and erasure of a person, through the real API on real chDB. The
// erasure check searches every String-like column of every table of the database for the id (as
// sent and pseudonymised): a table added later without an erasure rule fails it.

import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, createToken, ndjson, startTestApp, type TestApp } from '../../helpers/app.ts'

const masterKey = 'erasure-test-master-key-0123456789abcdef'
const victim = 'vic.tim@acme.example'

/** The documented pseudonym: HMAC-SHA256 under HMAC(master, "org:" + org), "ps_" + 32 hex. */
function pseudonym(org: string, id: string): string {
  const orgKey = createHmac('sha256', masterKey).update(`org:${org}`).digest()
  return `ps_${createHmac('sha256', orgKey).update(id).digest('hex').slice(0, 32)}`
}

let t: TestApp
let hr: string

async function sendEvents(events: unknown[]): Promise<{ accepted: number; rejected: number }> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: { ...auth(), 'content-type': 'application/x-ndjson' },
    payload: ndjson(events),
  })
  expect(res.statusCode).toBe(202)
  return res.json()
}

async function putRoster(org: string, csv: string) {
  const res = await t.app.inject({
    method: 'PUT',
    url: `/v1/orgs/${org}/roster`,
    headers: { ...auth(), 'content-type': 'text/csv' },
    payload: csv,
  })
  expect(res.statusCode).toBe(200)
  return res.json()
}

async function rows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await t.runtime.store.client.query({ query, query_params: params, format: 'JSONEachRow' })
  return result.json<T>()
}

const day = (d: number) => `2025-02-${String(d).padStart(2, '0')}T09:00:00Z`

beforeAll(async () => {
  t = await startTestApp({ IMPLICATION_PSEUDONYM_KEY: masterKey })
  hr = await createToken(t, 'hr', ['acme', 'pseu'])
  const put = await t.app.inject({
    method: 'PUT',
    url: '/v1/orgs/pseu/settings',
    headers: auth(),
    payload: { pseudonymise_ids: true, min_group_size: 3 },
  })
  expect(put.statusCode).toBe(200)

  // acme keeps ids as sent. ann's manager is the victim; the victim's line is sent twice, so the
  // second copy is refused ("duplicate id …") and kept in the rejected store.
  const acmeRoster = await putRoster(
    'acme',
    `id,department,manager\nboss,sales,\n${victim},sales,boss\nann,sales,${victim}\n${victim},sales,boss\n`,
  )
  expect(acmeRoster).toMatchObject({ people: 3, rejected: 1 })
  const acme = await sendEvents([
    { id: 'e1', org: 'acme', type: 'post.created', time: day(3), actor: victim },
    { id: 'e2', org: 'acme', type: 'content.viewed', feature: 'groups', time: day(4), actor: victim },
    {
      id: 'e3',
      org: 'acme',
      type: 'mention.added',
      feature: 'groups',
      time: day(5),
      actor: 'ann',
      target: victim,
    },
    { id: 'e4', org: 'acme', type: 'post.created', time: day(6), actor: 'ann' },
    { id: 'bad', org: 'acme', type: 'no.such.type', time: day(7), actor: victim }, // refused, kept raw
  ])
  expect(acme).toMatchObject({ accepted: 4, rejected: 1 })

  // pseu pseudonymises: nothing of the ids as sent may be stored.
  await putRoster('pseu', `id,department,manager\nboss,sales,\n${victim},sales,boss\nann,sales,${victim}\n`)
  const pseu = await sendEvents([
    { id: 'p1', org: 'pseu', type: 'post.created', time: day(3), actor: victim },
    {
      id: 'p2',
      org: 'pseu',
      type: 'mention.added',
      feature: 'groups',
      time: day(5),
      actor: 'ann',
      target: victim,
    },
    { id: 'p3', org: 'pseu', type: 'post.created', time: day(6), actor: 'ann' },
  ])
  expect(pseu).toMatchObject({ accepted: 3, rejected: 0 })
})
afterAll(() => t?.close())

describe('pseudonymisation at ingest', () => {
  it('stores actor and target of a pseudonymising org as HMAC pseudonyms, never as sent', async () => {
    const stored = await rows<{ id: string; actor: string; target: string }>(
      `SELECT id, actor, target FROM events WHERE org = 'pseu' ORDER BY id`,
    )
    expect(stored).toEqual([
      { id: 'p1', actor: pseudonym('pseu', victim), target: '' },
      { id: 'p2', actor: pseudonym('pseu', 'ann'), target: pseudonym('pseu', victim) },
      { id: 'p3', actor: pseudonym('pseu', 'ann'), target: '' },
    ])
  })

  it('stores roster ids and managers through the same function, so events still join the roster', async () => {
    const roster = await rows<{ person_id: string; manager: string }>(
      `SELECT person_id, manager FROM roster WHERE org = 'pseu' ORDER BY person_id`,
    )
    expect(roster).toEqual(
      [
        { person_id: pseudonym('pseu', 'boss'), manager: '' },
        { person_id: pseudonym('pseu', victim), manager: pseudonym('pseu', 'boss') },
        { person_id: pseudonym('pseu', 'ann'), manager: pseudonym('pseu', victim) },
      ].sort((a, b) => (a.person_id < b.person_id ? -1 : 1)),
    )
    // Workforce 3 (the roster), adopters: the victim (post) and ann (mention, post) → 2.
    const adoption = await t.app.inject({
      method: 'GET',
      url: '/v1/orgs/pseu/metrics/adoption?from=2025-02-01&to=2025-03-01',
      headers: auth(),
    })
    expect(adoption.json()).toMatchObject({ workforce: 3, adopters: 2, unknown_actors: 0 })
  })

  it('leaves an org without the setting as it was sent', async () => {
    const stored = await rows<{ actor: string }>(
      `SELECT DISTINCT actor FROM events WHERE org = 'acme' ORDER BY actor`,
    )
    expect(stored.map((r) => r.actor)).toEqual(['ann', victim])
  })
})

describe('DELETE /v1/orgs/:org/people/:id', () => {
  it('erases the person in acme and answers a receipt counting every row', async () => {
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/v1/orgs/acme/people/${encodeURIComponent(victim)}`,
      headers: auth(hr),
    })
    expect(res.statusCode).toBe(200)
    const receipt = res.json()
    // By hand: events e1, e2 as actor (2, deleted); e3 as target (1, blanked); the roster row (1)
    // and ann's manager (1); refusals naming the victim: the bad event and the duplicate roster
    // line (2); none left to match on the reason once those are gone. Rollups: the victim's two
    // days (3 and 4 February) in rollup_actor_day, one first-use row (groups, February) in
    // rollup_actor_firsts, and the event-identity sets of those two days
    // recomputed without them. The social copy holds e3 alone (the only event with a target):
    // its target blanked. No event of the victim is in a space (none in rollup_space_actor_month);
    // e1 and e2 are one (February, groups) row of the days of use (rollup_actor_feature_month)
    // and one (February) row of the person's days (rollup_actor_month).
    expect(receipt.tables).toEqual([
      { table: 'events', column: 'actor', action: 'delete', rows: 2 },
      { table: 'events', column: 'target', action: 'blank', rows: 1 },
      { table: 'roster', column: 'person_id', action: 'delete', rows: 1 },
      { table: 'roster', column: 'manager', action: 'blank', rows: 1 },
      { table: 'rejected_events', column: 'raw', action: 'delete', rows: 2 },
      { table: 'rejected_events', column: 'reason', action: 'delete', rows: 0 },
      { table: 'rollup_actor_day', column: 'actor', action: 'delete', rows: 2 },
      { table: 'rollup_actor_firsts', column: 'actor', action: 'delete', rows: 1 },
      { table: 'rollup_social_events', column: 'actor', action: 'delete', rows: 0 },
      { table: 'rollup_social_events', column: 'target', action: 'blank', rows: 1 },
      { table: 'rollup_space_actor_month', column: 'actor', action: 'delete', rows: 0 },
      { table: 'rollup_actor_feature_month', column: 'actor', action: 'delete', rows: 1 },
      { table: 'rollup_actor_month', column: 'actor', action: 'delete', rows: 1 },
      { table: 'rollup_event_counts', column: 'events', action: 'rebuild', rows: 2 },
    ])
    expect(receipt.total_rows).toBe(13)
    expect(receipt.org).toBe('acme')
  })

  it('keeps the others: ann’s two events (e3 without its target) and the roster of ann and boss', async () => {
    expect(await rows(`SELECT id, actor, target FROM events WHERE org = 'acme' ORDER BY id`)).toEqual([
      { id: 'e3', actor: 'ann', target: '' },
      { id: 'e4', actor: 'ann', target: '' },
    ])
    expect(await rows(`SELECT person_id, manager FROM roster WHERE org = 'acme' ORDER BY person_id`)).toEqual(
      [
        { person_id: 'ann', manager: '' },
        { person_id: 'boss', manager: '' },
      ],
    )
  })

  it('no longer counts the person’s events in the event-count rollup', async () => {
    // Before: e1 (3 Feb) and e2 (4 Feb) by the victim, e3 (5 Feb) and e4 (6 Feb) by ann. After: e3, e4.
    const counted = await rows<{ day: string; n: string }>(
      `SELECT toString(day) AS day, sum(events) AS n FROM rollup_event_counts
       WHERE org = 'acme' GROUP BY day HAVING n > 0 ORDER BY day`,
    )
    expect(counted.map((r) => [r.day, Number(r.n)])).toEqual([
      ['2025-02-05', 1],
      ['2025-02-06', 1],
    ])
    const summary = await t.app.inject({
      method: 'GET',
      url: '/v1/orgs/acme/metrics/summary?from=2025-02-01&to=2025-03-01',
      headers: auth(),
    })
    expect(summary.json()).toMatchObject({ events: 2 })
  })

  it('erases a pseudonymised person from the id as HR knows it', async () => {
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/v1/orgs/pseu/people/${encodeURIComponent(victim)}`,
      headers: auth(hr),
    })
    expect(res.statusCode).toBe(200)
    // p1 as actor; p2 as target; the roster row; ann's manager; p1's day, first use, days of use
    // and month of days in the rollups; p2's copy in rollup_social_events (target blanked).
    expect(res.json().total_rows).toBe(9)
  })

  it('leaves nothing of the person in any column of any table of the database', async () => {
    const tables = await rows<{ table: string; column: string; type: string }>(
      `SELECT table, name AS column, type FROM system.columns
       WHERE database = currentDatabase() AND type LIKE '%String%'
         AND table IN (SELECT name FROM system.tables WHERE database = currentDatabase() AND NOT is_temporary)`,
    )
    expect(tables.length).toBeGreaterThan(10)
    const forms = [victim, pseudonym('acme', victim), pseudonym('pseu', victim)]
    const found: string[] = []
    for (const { table, column } of tables) {
      for (const form of forms) {
        const [hit] = await rows<{ n: string }>(
          `SELECT count() AS n FROM \`${table}\` WHERE position(toString(\`${column}\`), {form:String}) > 0`,
          { form },
        )
        if (Number(hit?.n) > 0) found.push(`${table}.${column} holds ${form} (${hit?.n} rows)`)
      }
    }
    expect(found).toEqual([])
    // The search itself finds what is there: ann is still in events.
    const [ann] = await rows<{ n: string }>(
      `SELECT count() AS n FROM events WHERE position(actor, 'ann') > 0`,
    )
    expect(Number(ann?.n)).toBe(2)
  })

  it('is refused to an exec (403) and to a token of another org (404)', async () => {
    const exec = await createToken(t, 'exec', ['acme'])
    const other = await createToken(t, 'hr', ['other'])
    const url = '/v1/orgs/acme/people/ann'
    expect((await t.app.inject({ method: 'DELETE', url, headers: auth(exec) })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'DELETE', url, headers: auth(other) })).statusCode).toBe(404)
  })
})
