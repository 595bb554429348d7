// The roster column `community_manager` through the real API on real chDB: a CSV and a JSON
// roster carrying it are stored and read back (latestRoster); a bad value is refused naming the
// field; pseudonymisation keeps the flag on the pseudonymous id, so the managers' share still
// finds them; erasing a manager removes their row and leaves the others' flags.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeCommunityManagers } from '../../analytics/community-managers.ts'
import { resolveQuery } from '../../analytics/query.ts'
import { runQuery } from '../../analytics/run.ts'
import { defaultSettings } from '../../analytics/settings.ts'
import { latestRoster } from '../../analytics/sql.ts'
import { metricQuerySchema } from '../../schemas/api/query.ts'
import { auth, createToken, ndjson, startTestApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let hr: string

async function putRoster(org: string, body: string, type: string) {
  const res = await t.app.inject({
    method: 'PUT',
    url: `/v1/orgs/${org}/roster`,
    headers: { ...auth(), 'content-type': type },
    payload: body,
  })
  expect(res.statusCode).toBe(200)
  return res.json()
}

const latest = (org: string) =>
  runQuery<{ person_id: string; community_manager: boolean }>(
    t.runtime.store.client,
    `SELECT person_id, community_manager FROM ${latestRoster} ORDER BY person_id`,
    { org },
  )

beforeAll(async () => {
  t = await startTestApp({ IMPLICATION_PSEUDONYM_KEY: 'roster-cm-test-master-key-0123456789abcdef' })
  hr = await createToken(t, 'hr', ['pseu'])
  const put = await t.app.inject({
    method: 'PUT',
    url: '/v1/orgs/pseu/settings',
    headers: auth(),
    payload: { pseudonymise_ids: true },
  })
  expect(put.statusCode).toBe(200)
})
afterAll(() => t?.close())

describe('roster column community_manager', () => {
  it('stores a French-Excel CSV flag (oui/non, 1/0, empty) and refuses another value, naming the field', async () => {
    const csv =
      '\uFEFFid;department;community_manager\r\n' +
      'ann;Comms;oui\r\n' +
      'bob;HR;1\r\n' +
      'cat;Sales;non\r\n' +
      'dan;Sales;\r\n' +
      'eve;IT;peut-être\r\n' +
      'fay;IT;0\r\n'
    const answer = await putRoster('csv', csv, 'text/csv')
    expect(answer).toMatchObject({
      people: 5,
      rejected: 1,
      errors: [{ line: 6, path: 'community_manager' }],
      ignored_columns: [],
    })
    expect(answer.errors[0].message).toMatch(/true\/false, 1\/0 or oui\/non/)
    // Empty: not said, stored false.
    expect(await latest('csv')).toEqual([
      { person_id: 'ann', community_manager: true },
      { person_id: 'bob', community_manager: true },
      { person_id: 'cat', community_manager: false },
      { person_id: 'dan', community_manager: false },
      { person_id: 'fay', community_manager: false },
    ])
  })

  it('stores a JSON roster’s booleans, the new snapshot replacing the previous one', async () => {
    const json = JSON.stringify([
      { id: 'ann', community_manager: false },
      { id: 'cat', community_manager: true },
      { id: 'gus' },
    ])
    expect(await putRoster('csv', json, 'application/json')).toMatchObject({ people: 3, rejected: 0 })
    expect(await latest('csv')).toEqual([
      { person_id: 'ann', community_manager: false },
      { person_id: 'cat', community_manager: true },
      { person_id: 'gus', community_manager: false },
    ])
  })

  it('keeps the flag on the pseudonymous id: the managers’ share still finds the manager', async () => {
    await putRoster('pseu', 'id,community_manager\nann,true\nben,false\n', 'text/csv')
    const stored = await latest('pseu')
    expect(stored).toHaveLength(2)
    expect(stored.every((r) => r.person_id.startsWith('ps_'))).toBe(true)
    expect(stored.filter((r) => r.community_manager)).toHaveLength(1)

    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(), 'content-type': 'application/x-ndjson' },
      payload: ndjson([
        {
          id: 'p1',
          org: 'pseu',
          type: 'post.created',
          space: 's',
          time: '2025-02-03T09:00:00Z',
          actor: 'ann',
        },
        {
          id: 'p2',
          org: 'pseu',
          type: 'post.created',
          space: 's',
          time: '2025-02-04T09:00:00Z',
          actor: 'ben',
        },
      ]),
    })
    expect(res.statusCode).toBe(202)
    const now = new Date('2025-03-10T00:00:00Z')
    const share = await computeCommunityManagers({
      client: t.runtime.store.client,
      query: resolveQuery(
        'pseu',
        metricQuerySchema.parse({ from: '2025-02-01', to: '2025-03-01' }),
        'UTC',
        now,
      ),
      settings: defaultSettings,
      now,
      personLabel: (actor) => actor,
      role: 'admin',
    })
    // p1 by ann (the manager) of p1, p2: 1/2.
    expect(share.managers).toBe(1)
    expect(share.overall).toMatchObject([{ month: '2025-02-01', contributions: 2, manager_contributions: 1 }])
    expect(share.overall[0]!.manager_contribution_share).toBe(0.5)
  })

  it('erases a manager’s roster row and leaves the others’ flags', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/v1/orgs/pseu/people/ann', headers: auth(hr) })
    expect(res.statusCode).toBe(200)
    expect(res.json().tables).toContainEqual({
      table: 'roster',
      column: 'person_id',
      action: 'delete',
      rows: 1,
    })
    const left = await latest('pseu')
    expect(left).toHaveLength(1)
    expect(left[0]!.community_manager).toBe(false)
  })
})
