// The community managers' share (analytics/community-managers.ts) on the real engine, on a
// hand-made organisation in Europe/Paris (UTC+1 in winter); every expected number is worked out
// in the comments. Range: 1 January – 1 March 2025 (exclusive), months January and February.
//
// Roster: ann (oui) and bob (1) are community managers; cat (non), dan (empty), eve (false) are
// not; fay is on no roster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  computeCommunityManagers,
  managerShareFromRows,
  monthsOfRange,
} from '../../../analytics/community-managers.ts'
import type { MetricContext } from '../../../analytics/context.ts'
import { resolveQuery } from '../../../analytics/query.ts'
import { defaultSettings } from '../../../analytics/settings.ts'
import { communityManagersShare } from '../../../schemas/api/metrics/community-managers.ts'
import { metricQuerySchema } from '../../../schemas/api/query.ts'
import { auth, createToken, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents, seedRoster } from '../../helpers/seed.ts'

let t: TestApp

const roster =
  'id;department;community_manager\nann;Comms;oui\nbob;HR;1\ncat;Sales;non\ndan;Sales;\neve;IT;false\n'

const events: SeedEvent[] = [
  // 31 December 23:30 in Paris: before the range.
  { id: 'x0', type: 'post.created', space: 'alpha', time: '2024-12-31T22:30:00Z', actor: 'ann' },
  // January. alpha: a1 ann's post, a2 ann's reply, a3 bob's answer, a4 cat's reply.
  {
    id: 'a1',
    type: 'post.created',
    space: 'alpha',
    object: 'P1',
    time: '2025-01-06T09:00:00Z',
    actor: 'ann',
  },
  {
    id: 'a2',
    type: 'comment.created',
    feature: 'groups',
    space: 'alpha',
    parent: 'P1',
    time: '2025-01-07T09:00:00Z',
    actor: 'ann',
  },
  {
    id: 'a3',
    type: 'answer.created',
    space: 'alpha',
    parent: 'Q1',
    time: '2025-01-08T09:00:00Z',
    actor: 'bob',
  },
  {
    id: 'a4',
    type: 'comment.created',
    feature: 'groups',
    space: 'alpha',
    parent: 'P1',
    time: '2025-01-09T09:00:00Z',
    actor: 'cat',
  },
  // beta: bob's wiki page.
  { id: 'b1', type: 'wiki.created', space: 'beta', time: '2025-01-10T09:00:00Z', actor: 'bob' },
  // Not contributions: a view, a reaction, a join, an email.
  {
    id: 'n1',
    type: 'content.viewed',
    feature: 'groups',
    space: 'alpha',
    time: '2025-01-11T09:00:00Z',
    actor: 'cat',
  },
  {
    id: 'n2',
    type: 'reaction.added',
    feature: 'groups',
    space: 'alpha',
    time: '2025-01-12T09:00:00Z',
    actor: 'ann',
  },
  { id: 'n3', type: 'group.joined', space: 'beta', time: '2025-01-13T09:00:00Z', actor: 'bob' },
  { id: 'n4', type: 'email.sent', time: '2025-01-14T18:00:00Z', actor: 'ann', count: 30 },
  // 31 January 23:30 UTC = 1 February 00:30 in Paris: ann's message, outside any space, is February's.
  { id: 'e1', type: 'message.sent', time: '2025-01-31T23:30:00Z', actor: 'ann' },
  // February. alpha: cat's post, dan's reply; beta: fay's answer.
  {
    id: 'f1',
    type: 'post.created',
    space: 'alpha',
    object: 'F1',
    time: '2025-02-03T09:00:00Z',
    actor: 'cat',
  },
  {
    id: 'f2',
    type: 'comment.created',
    feature: 'groups',
    space: 'alpha',
    parent: 'F1',
    time: '2025-02-04T09:00:00Z',
    actor: 'dan',
  },
  {
    id: 'f3',
    type: 'answer.created',
    space: 'beta',
    parent: 'Q2',
    time: '2025-02-05T09:00:00Z',
    actor: 'fay',
  },
  // A comment with no parent: a contribution, not a reply (eve, no manager).
  { id: 'f4', type: 'comment.created', feature: 'groups', time: '2025-02-06T09:00:00Z', actor: 'eve' },
  // 28 February 23:30 UTC = 1 March in Paris: after the range.
  { id: 'x1', type: 'post.created', space: 'alpha', time: '2025-02-28T23:30:00Z', actor: 'bob' },
]

function contextOf(org: string, params: Record<string, string>): MetricContext {
  const now = new Date('2025-03-15T12:00:00Z')
  return {
    client: t.runtime.store.client,
    query: resolveQuery(
      org,
      metricQuerySchema.parse({ from: '2025-01-01', to: '2025-03-01', ...params }),
      'Europe/Paris',
      now,
    ),
    settings: { ...defaultSettings, time_zone: 'Europe/Paris' },
    now,
    personLabel: (actor) => actor,
    role: 'admin',
  }
}

const month = (
  m: string,
  contributions: number,
  manager_contributions: number,
  manager_contribution_share: number | null,
  replies: number,
  manager_replies: number,
  manager_reply_share: number | null,
) => ({
  month: m,
  contributions,
  manager_contributions,
  manager_contribution_share,
  replies,
  manager_replies,
  manager_reply_share,
})

beforeAll(async () => {
  t = await startTestApp()
  await seedRoster(t.runtime.store.client, 'cm', roster)
  await seedEvents(t.runtime.store.client, 'cm', events)
  // An org whose roster says nothing of community managers.
  await seedRoster(t.runtime.store.client, 'nocm', 'id,department\nann,Comms\n')
  await seedEvents(
    t.runtime.store.client,
    'nocm',
    events.filter((e) => e.id === 'a1' || e.id === 'a2'),
  )
})
afterAll(() => t?.close())

describe('the community managers’ share', () => {
  it('counts per local month, overall and per space, with the managers of the roster', async () => {
    const answer = await computeCommunityManagers(contextOf('cm', {}))
    expect(communityManagersShare.parse(answer)).toEqual(answer)
    expect(answer.managers).toBe(2)
    expect(answer.overall).toEqual([
      // January: a1 a2 a3 a4 b1 = 5 contributions, 4 by ann and bob: 4/5 = 0.8.
      // Replies a2 a3 a4 = 3, 2 by managers: 2/3 = 0.6667.
      month('2025-01-01', 5, 4, 0.8, 3, 2, 0.6667),
      // February: e1 (ann) f1 f2 f3 f4 = 5, 1 by a manager: 1/5 = 0.2.
      // Replies f2 f3 = 2 (f4 has no parent), none by managers: 0.
      month('2025-02-01', 5, 1, 0.2, 2, 0, 0),
    ])
    expect(answer.spaces).toEqual([
      {
        // alpha: 4 + 2 = 6 contributions over the range, first.
        space: 'alpha',
        months: [
          // a1 a2 a3 a4: 3 by managers, 3/4 = 0.75; replies a2 a3 a4, 2/3.
          month('2025-01-01', 4, 3, 0.75, 3, 2, 0.6667),
          // f1 f2: none by managers; reply f2.
          month('2025-02-01', 2, 0, 0, 1, 0, 0),
        ],
      },
      {
        space: 'beta',
        months: [
          // b1 by bob: 1/1; no reply: null.
          month('2025-01-01', 1, 1, 1, 0, 0, null),
          // f3 by fay (on no roster): 0/1; it is a reply: 0/1.
          month('2025-02-01', 1, 0, 0, 1, 0, 0),
        ],
      },
      {
        // Outside any space, last: nothing in January; e1 (ann) and f4 (eve) in February: 1/2.
        space: null,
        months: [month('2025-01-01', 0, 0, null, 0, 0, null), month('2025-02-01', 2, 1, 0.5, 0, 0, null)],
      },
    ])
  })

  it('is served in the communities answer, withheld from exec when managers are fewer than k', async () => {
    // Through the API (the numbers are checked above): two managers, fewer than the default
    // min_group_size of 5, so an exec gets no curve and an admin gets it.
    const url = '/v1/orgs/cm/metrics/communities?from=2025-01-01&to=2025-03-01'
    const admin = await t.app.inject({ method: 'GET', url, headers: auth() })
    expect(admin.statusCode).toBe(200)
    expect(admin.json().managers).toMatchObject({ managers: 2, withheld: null })
    expect(admin.json().managers.overall.map((m: { month: string }) => m.month)).toEqual([
      '2025-01-01',
      '2025-02-01',
    ])
    const exec = await t.app.inject({ method: 'GET', url, headers: auth(await createToken(t, 'exec')) })
    expect(exec.json().managers).toEqual({
      managers: 2,
      overall: null,
      withheld: 'fewer than 5 community managers (min_group_size)',
    })
  })

  it('keeps only the space of a space filter', async () => {
    const answer = await computeCommunityManagers(contextOf('cm', { space: 'alpha' }))
    // Overall is alpha's: January 3/4 = 0.75, February 0/2 = 0.
    expect(answer.overall).toEqual([
      month('2025-01-01', 4, 3, 0.75, 3, 2, 0.6667),
      month('2025-02-01', 2, 0, 0, 1, 0, 0),
    ])
    expect(answer.spaces.map((s) => s.space)).toEqual(['alpha'])
  })

  it('cuts the months at the range: 15 January – 10 February', async () => {
    const answer = await computeCommunityManagers(contextOf('cm', { from: '2025-01-15', to: '2025-02-10' }))
    expect(answer.overall).toEqual([
      // From 15 January: nothing (n4, an email, is no contribution).
      month('2025-01-01', 0, 0, null, 0, 0, null),
      // e1 f1 f2 f3 f4 are all before 10 February: as above.
      month('2025-02-01', 5, 1, 0.2, 2, 0, 0),
    ])
  })

  it('finds no manager on a roster without the column', async () => {
    const answer = await computeCommunityManagers(contextOf('nocm', {}))
    expect(answer.managers).toBe(0)
    // a1 and a2 by ann, no manager there: 0/2; the reply a2: 0/1.
    expect(answer.overall).toEqual([
      month('2025-01-01', 2, 0, 0, 1, 0, 0),
      month('2025-02-01', 0, 0, null, 0, 0, null),
    ])
  })
})

describe('the pure pieces', () => {
  it('lists the months holding a day of the range', () => {
    expect(monthsOfRange({ from: '2024-11-30', to: '2025-02-01' })).toEqual([
      '2024-11-01',
      '2024-12-01',
      '2025-01-01',
    ])
    expect(monthsOfRange({ from: '2025-01-01', to: '2025-01-02' })).toEqual(['2025-01-01'])
    expect(monthsOfRange({ from: '2025-01-01', to: '2025-01-01' })).toEqual([])
  })

  it('ignores rows of months outside the range and sorts ties by name', () => {
    const row = (m: string, space: string) => ({
      month: m,
      space,
      contributions: 1,
      manager_contributions: 1,
      replies: 0,
      manager_replies: 0,
    })
    const answer = managerShareFromRows(
      [row('2024-12-01', 'zeta'), row('2025-01-01', 'b'), row('2025-01-01', 'a')],
      ['2025-01-01'],
      1,
    )
    expect(answer.spaces.map((s) => s.space)).toEqual(['a', 'b'])
    expect(answer.overall).toEqual([month('2025-01-01', 2, 2, 1, 0, 0, null)])
  })
})
