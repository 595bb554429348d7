// Retention by TTL, the audit log and the processing register, on real chDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prunedRollups, sweepRetention } from '../../../server/retention.ts'
import { auth, createToken, startTestApp, type TestApp } from '../../helpers/app.ts'
import { seedEvents } from '../../helpers/seed.ts'

let t: TestApp
const monthMs = 30.5 * 86_400_000
const monthsAgo = (m: number) => new Date(Date.now() - m * monthMs).toISOString()

async function ids(org: string, table = 'events'): Promise<string[]> {
  const result = await t.runtime.store.client.query({
    query: `SELECT id FROM ${table} WHERE org = {org:String} ORDER BY id`,
    query_params: { org },
    format: 'JSONEachRow',
  })
  return (await result.json<{ id: string }>()).map((r) => r.id)
}

beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t?.close())

describe('retention', () => {
  it('drops events older than 25 months by default, keeps younger ones', async () => {
    await seedEvents(t.runtime.store.client, 'ret-default', [
      { id: 'old-30', type: 'post.created', time: monthsAgo(30), actor: 'ann' },
      { id: 'kept-20', type: 'post.created', time: monthsAgo(20), actor: 'ann' },
      { id: 'kept-1', type: 'post.created', time: monthsAgo(1), actor: 'ann' },
    ])
    expect(await ids('ret-default')).toEqual(['kept-1', 'kept-20', 'old-30'])
    // Unstamped rows never expire: the sweep stamps them (hourly in a running server).
    await t.runtime.store.client.command({ query: 'OPTIMIZE TABLE events FINAL' })
    expect(await ids('ret-default')).toEqual(['kept-1', 'kept-20', 'old-30'])
    expect(await sweepRetention(t.runtime.store.client, true)).toBe(0)
    await t.runtime.store.client.command({ query: 'OPTIMIZE TABLE events FINAL' })
    expect(await ids('ret-default')).toEqual(['kept-1', 'kept-20'])
  })

  it('applies an org’s own retention (6 months) to its events, old and new', async () => {
    await seedEvents(t.runtime.store.client, 'ret-short', [
      { id: 'old-9', type: 'post.created', time: monthsAgo(9), actor: 'bea' },
      { id: 'kept-2', type: 'post.created', time: monthsAgo(2), actor: 'bea' },
    ])
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/orgs/ret-short/settings',
      headers: auth(),
      payload: { retention_months: 6 },
    })
    expect(put.statusCode).toBe(200)
    // Arrives after the change, unstamped; the sweep stamps it.
    await seedEvents(t.runtime.store.client, 'ret-short', [
      { id: 'late-8', type: 'post.created', time: monthsAgo(8), actor: 'bea' },
    ])
    expect(await sweepRetention(t.runtime.store.client, true)).toBe(1)
    await t.runtime.store.client.command({ query: 'OPTIMIZE TABLE events FINAL' })
    expect(await ids('ret-short')).toEqual(['kept-2'])
    // The default org is untouched by the other org's retention.
    expect(await ids('ret-default')).toEqual(['kept-1', 'kept-20'])
  })
})

describe('retention of the rollups', () => {
  /** The people a table still holds for an org, and its oldest period. */
  async function rollupRows(table: string, org: string, period: 'day' | 'month') {
    const result = await t.runtime.store.client.query({
      query: `SELECT ${table === 'rollup_event_counts' || table.includes('count_') || table.includes('sealed') ? "''" : 'actor'} AS who,
                     toString(min(${period})) AS oldest, count() AS n
              FROM ${table} WHERE org = {org:String} GROUP BY who ORDER BY who`,
      query_params: { org },
      format: 'JSONEachRow',
    })
    return result.json<{ who: string; oldest: string; n: string }>()
  }

  it('deletes per-person and count rollup rows older than the org’s retention, as the events go', async () => {
    const client = t.runtime.store.client
    const event = (id: string, months: number, actor: string) => ({
      id,
      type: 'comment.created',
      feature: 'groups',
      space: 'handbook',
      time: monthsAgo(months),
      actor,
    })
    await seedEvents(client, 'ret-roll', [event('old-9', 9, 'gone'), event('kept-1', 1, 'stays')])
    await seedEvents(client, 'ret-roll-default', [event('old-9', 9, 'keeps')])
    // Under the default 25 months the rollups hold the 9-month-old person.
    await sweepRetention(client, true)
    expect((await rollupRows('rollup_actor_day', 'ret-roll', 'day')).map((r) => r.who)).toEqual([
      'gone',
      'stays',
    ])
    // The change of retention deletes at once (and the sweep would, hourly).
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/orgs/ret-roll/settings',
      headers: auth(),
      payload: { retention_months: 6 },
    })
    expect(put.statusCode).toBe(200)
    await sweepRetention(client, true)
    const limit = new Date(Date.now() - 6 * monthMs).toISOString().slice(0, 10)
    for (const { table, period } of prunedRollups) {
      const rows = await rollupRows(table, 'ret-roll', period)
      expect(rows.length, table).toBeGreaterThan(0)
      if (table !== 'rollup_event_counts')
        expect(
          rows.map((r) => r.who),
          table,
        ).toEqual(['stays'])
      for (const r of rows) expect(r.oldest >= limit.slice(0, 7), `${table} ${r.oldest}`).toBe(true)
      // The other org keeps its 9-month-old rows: its retention is the default 25 months.
      expect((await rollupRows(table, 'ret-roll-default', period)).length, table).toBeGreaterThan(0)
    }
    // The metrics read the rollups: the 9-month-old activity is gone from them too.
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/orgs/ret-roll/metrics/active-users?from=${monthsAgo(12).slice(0, 10)}&to=${new Date().toISOString().slice(0, 10)}&interval=month`,
      headers: auth(),
    })
    expect(res.statusCode, res.body).toBe(200)
    const peak = Math.max(...(res.json().series as Array<{ mau: number }>).map((p) => p.mau))
    expect(peak).toBe(1)
    const before = (res.json().series as Array<{ date: string; mau: number }>).filter((p) => p.date < limit)
    expect(before.every((p) => p.mau === 0)).toBe(true)
  })
})

describe('retention of the social copy (rollup_social_events)', () => {
  it('drops the copy of an old mention with the event, keeps a recent one', async () => {
    const client = t.runtime.store.client
    await seedEvents(client, 'ret-social', [
      {
        id: 'old-30',
        type: 'mention.added',
        feature: 'groups',
        time: monthsAgo(30),
        actor: 'ann',
        target: 'bob',
      },
      {
        id: 'kept-1',
        type: 'mention.added',
        feature: 'groups',
        time: monthsAgo(1),
        actor: 'ann',
        target: 'bob',
      },
      {
        id: 'view-1',
        type: 'content.viewed',
        feature: 'articles',
        time: monthsAgo(1),
        actor: 'ann',
        object: 'doc',
      },
    ])
    // Only the events naming a target are copied; the view is not.
    expect(await ids('ret-social', 'rollup_social_events')).toEqual(['kept-1', 'old-30'])
    await sweepRetention(client, true)
    await client.command({ query: 'OPTIMIZE TABLE rollup_social_events FINAL' })
    expect(await ids('ret-social', 'rollup_social_events')).toEqual(['kept-1'])
  })
})

describe('audit log', () => {
  it('records who read which report of which org with which filters, and the admin can export it', async () => {
    const exec = await createToken(t, 'exec', ['audited'])
    const tokenId = exec.split('_')[1]
    const read = await t.app.inject({
      method: 'GET',
      url: '/v1/orgs/audited/metrics/active-users?from=2025-01-01&to=2025-02-01&feature=wiki',
      headers: auth(exec),
    })
    expect(read.statusCode).toBe(200)
    const log = await t.app.inject({ method: 'GET', url: '/v1/admin/audit?org=audited', headers: auth() })
    expect(log.statusCode).toBe(200)
    const [row, ...others] = log.json().audit
    expect(others).toEqual([])
    expect(row).toMatchObject({
      org: 'audited',
      token_id: tokenId,
      role: 'exec',
      action: 'read',
      report: 'active-users',
      method: 'GET',
      route: '/v1/orgs/:org/metrics/active-users',
      filters: 'from=2025-01-01&to=2025-02-01&feature=wiki',
      status: 200,
    })
    expect(Date.now() - Date.parse(row.at)).toBeLessThan(60_000)

    const csv = await t.app.inject({
      method: 'GET',
      url: '/v1/admin/audit?org=audited&format=csv',
      headers: auth(),
    })
    expect(csv.headers['content-type']).toMatch(/^text\/csv/)
    const lines = csv.body.trim().split('\n')
    expect(lines[0]).toBe('at,org,token_id,role,action,report,method,route,filters,status,request_id')
    expect(lines[1]).toContain(`,audited,${tokenId},exec,read,active-users,GET,`)
  })

  it('is for admins only', async () => {
    const exec = await createToken(t, 'exec', ['*'])
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/admin/audit', headers: auth(exec) })).statusCode,
    ).toBe(403)
  })

  it('filters by day', async () => {
    const none = await t.app.inject({
      method: 'GET',
      url: '/v1/admin/audit?org=audited&to=2020-01-01',
      headers: auth(),
    })
    expect(none.json().audit).toEqual([])
  })
})

describe('processing register', () => {
  it('states the org’s real settings to every reading role', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/orgs/reg/settings',
      headers: auth(),
      payload: { min_group_size: 7, retention_months: 13, pseudonymise_ids: true },
    })
    expect(put.statusCode).toBe(200)
    for (const role of ['exec', 'community_manager', 'hr']) {
      const token = await createToken(t, role, ['reg'])
      const res = await t.app.inject({ method: 'GET', url: '/v1/orgs/reg/privacy', headers: auth(token) })
      expect(res.statusCode).toBe(200)
      const register = res.json()
      expect(register.org).toBe('reg')
      expect(register.retention.events_months).toBe(13)
      expect(register.thresholds.min_group_size).toBe(7)
      expect(register.pseudonymisation.ids_pseudonymised_at_ingest).toBe(true)
      expect(register.pseudonymisation.named_lists_for_community_managers).toBe(false)
      // The v2 parts (tests/integration/privacy/register-v2.test.ts checks them in detail).
      expect(register.lawful_basis.article).toBe('GDPR art. 6(1)(f)')
      expect(register.activities.map((a: { id: string }) => a.id)).toEqual([
        'aggregates',
        'email_event_study',
        'influence_ties',
        'person_lists',
      ])
      expect(register.dpia.required).toBe(true)
      expect(register.works_council.article).toContain('L2312-38')
      expect(register.thresholds.applies_to).toContain('dashboard')
      expect(register.roles.map((r: { role: string }) => r.role)).toEqual([
        'admin',
        'exec',
        'community_manager',
        'hr',
        'ingest',
        'metrics',
      ])
      // The catalogue of EVENTS.md, e.g. post.created (groups, create).
      expect(register.event_types).toContainEqual({
        type: 'post.created',
        feature: 'groups',
        level: 'create',
      })
      expect(register.rights.erased_tables).toEqual([
        'events',
        'roster',
        'rejected_events',
        'rollup_actor_day',
        'rollup_actor_firsts',
        'rollup_social_events',
        'rollup_space_actor_month',
        'rollup_actor_feature_month',
        'rollup_actor_month',
        'rollup_event_counts',
      ])
    }
    const ingest = await createToken(t, 'ingest', ['reg'])
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/orgs/reg/privacy', headers: auth(ingest) })).statusCode,
    ).toBe(403)
  })
})
