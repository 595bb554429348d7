// SQL injection through every place a caller puts text: the department, site and space filters
// of every metric, the roster, the events' text fields and the rejected store's reasons. Two orgs
// hold known data; whatever is sent, no answer is a 5xx, no answer of org `victim` leaks into
// `attacker`'s, and afterwards both orgs still hold exactly what they held (no table dropped, no
// row changed). Values reach the engine only as bound parameters ({name:Type}), never spliced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { metricRegistry } from '../../analytics/metrics/index.ts'
import { auth, countStored, createToken, ndjson, startTestApp, type TestApp } from '../helpers/app.ts'
import { validEvents } from '../helpers/events.ts'

const payloads = [
  "' OR 1=1 --",
  "x' UNION SELECT name, 1, 1 FROM system.tables --",
  "'); DROP TABLE events; --",
  "\\'; TRUNCATE TABLE events; --",
  "x'||(SELECT count() FROM events)||'",
  '{org:String}',
  "victim' OR org = 'victim",
  '`; SELECT 1; --',
  "x\\' OR \\'1\\'=\\'1",
]

let t: TestApp
/** An exec of `attacker` (small groups withheld) and an admin of it (the queries run in full). */
let attackers: string[]

beforeAll(async () => {
  t = await startTestApp()
  for (const org of ['victim', 'attacker']) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(), 'content-type': 'application/x-ndjson' },
      payload: ndjson(validEvents(org, 60, `${org}-evt`)),
    })
    expect(res.statusCode).toBe(202)
    expect(res.json().accepted).toBe(60)
  }
  attackers = [await createToken(t, 'exec', ['attacker']), await createToken(t, 'admin', ['attacker'])]
})
afterAll(() => t?.close())

describe('SQL injection', () => {
  it('through every metric filter: no 5xx, nothing of another org', async () => {
    const failures: string[] = []
    const statuses = new Map<number, number>()
    for (const attacker of attackers)
      for (const metric of metricRegistry) {
        for (const filter of ['department', 'site', 'space']) {
          for (const payload of payloads) {
            const url = `/v1/orgs/attacker/metrics/${metric.name}?${filter}=${encodeURIComponent(payload)}`
            const res = await t.app.inject({ method: 'GET', url, headers: auth(attacker) })
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
            if (res.statusCode >= 500) failures.push(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`)
            if (res.body.includes('victim')) failures.push(`${url}: names the other org`)
          }
        }
      }
    expect(failures).toEqual([])
    // The admin's filtered queries did run (and found nobody), not only refusals.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(metricRegistry.length * payloads.length)
  }, 180_000)

  it('through event fields, roster values and ids: stored as text, harmless', async () => {
    const events = payloads.map((payload, i) => ({
      ...validEvents('attacker', 1, `inj-${i}`)[0],
      id: `inj-${i}-${payload}`,
      actor: payload,
      space: payload,
    }))
    const sent = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(), 'content-type': 'application/x-ndjson' },
      payload: ndjson([...events, `{"id": "${payloads[0]}`]),
    })
    expect(sent.statusCode).toBe(202)
    expect(sent.json().accepted).toBe(payloads.length)
    const roster = await t.app.inject({
      method: 'PUT',
      url: '/v1/orgs/attacker/roster',
      headers: { ...auth(), 'content-type': 'application/json' },
      payload: JSON.stringify(payloads.map((p, i) => ({ id: `r${i}${p}`, department: p, site: p }))),
    })
    expect(roster.statusCode, roster.body).toBe(200)
    const erase = await t.app.inject({
      method: 'DELETE',
      url: `/v1/orgs/attacker/people/${encodeURIComponent(payloads[2]!)}`,
      headers: auth(),
    })
    expect(erase.statusCode, erase.body).toBeLessThan(500)
    // The other org is untouched, and the attacker's own rows are there as sent.
    expect(await countStored(t.runtime, 'victim')).toEqual({ distinct: 60, final: 60 })
    const result = await t.runtime.store.client.query({
      query: `SELECT actor FROM events FINAL WHERE org = 'attacker' AND id LIKE 'inj-%' ORDER BY id`,
      format: 'JSONEachRow',
    })
    const actors = (await result.json<{ actor: string }>()).map((r) => r.actor)
    // One payload named a person who was then erased.
    expect(actors.sort()).toEqual(payloads.filter((p) => p !== payloads[2]).sort())
  })
})
