// communities on a hand-made organisation (time zone Europe/Paris); every expected number is
// worked out in the comments. Range: 3 March – 7 April 2025 (exclusive); the last 28 days start
// on 10 March (Paris midnight = 9 March 23:00 UTC), the last 365 days on 7 April 2024.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, createToken, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents } from '../../helpers/seed.ts'

let t: TestApp
const get = (url: string, accept?: string) =>
  t.app.inject({ method: 'GET', url, headers: { ...auth(), ...(accept ? { accept } : {}) } })

const s = 'support'
const events: SeedEvent[] = [
  // support: joins and leaves
  { id: 'sj1', type: 'group.joined', space: s, time: '2025-01-10T09:00:00Z', actor: 'ann' },
  { id: 'sj2', type: 'group.joined', space: s, time: '2025-01-10T09:00:00Z', actor: 'ben' },
  { id: 'sj3', type: 'group.joined', space: s, time: '2025-01-10T09:00:00Z', actor: 'gus' },
  { id: 'sj4', type: 'group.joined', space: s, time: '2025-02-01T09:00:00Z', actor: 'dan' },
  { id: 'sl1', type: 'group.left', space: s, time: '2025-02-15T09:00:00Z', actor: 'ben' },
  // Q0, asked before the range; its answer is in the range.
  { id: 'q0', type: 'question.asked', space: s, object: 'Q0', time: '2025-02-20T09:00:00Z', actor: 'gus' },
  { id: 'r0', type: 'answer.created', space: s, parent: 'Q0', time: '2025-03-03T10:00:00Z', actor: 'hal' },
  // Q1: answered by ben after 90 minutes.
  { id: 'q1', type: 'question.asked', space: s, object: 'Q1', time: '2025-03-04T09:00:00Z', actor: 'ann' },
  { id: 'r1', type: 'answer.created', space: s, parent: 'Q1', time: '2025-03-04T10:30:00Z', actor: 'ben' },
  // q2 names no object: replies point at its id. cat comments her own question (does not count),
  // dan answers 27 hours later.
  { id: 'q2', type: 'question.asked', space: s, time: '2025-03-05T09:00:00Z', actor: 'cat' },
  {
    id: 'r2a',
    type: 'comment.created',
    feature: 'qa',
    space: s,
    parent: 'q2',
    time: '2025-03-05T09:10:00Z',
    actor: 'cat',
  },
  { id: 'r2b', type: 'answer.created', space: s, parent: 'q2', time: '2025-03-06T12:00:00Z', actor: 'dan' },
  { id: 'sl2', type: 'group.left', space: s, time: '2025-03-10T09:00:00Z', actor: 'dan' },
  // Q5 and its answer are each sent twice.
  { id: 'q5', type: 'question.asked', space: s, object: 'Q5', time: '2025-03-20T09:00:00Z', actor: 'ben' },
  { id: 'q5', type: 'question.asked', space: s, object: 'Q5', time: '2025-03-20T09:00:00Z', actor: 'ben' },
  { id: 'r5', type: 'answer.created', space: s, parent: 'Q5', time: '2025-03-20T09:30:00Z', actor: 'cat' },
  { id: 'r5', type: 'answer.created', space: s, parent: 'Q5', time: '2025-03-20T09:30:00Z', actor: 'cat' },
  // Q3: asked Saturday 29 March 11:00 UTC, answered by fay (not on any roster) on Sunday 10:30 UTC,
  // after the switch to summer time: 23.5 real hours (the Paris wall clock says 24.5).
  { id: 'q3', type: 'question.asked', space: s, object: 'Q3', time: '2025-03-29T11:00:00Z', actor: 'eve' },
  {
    id: 'r3',
    type: 'comment.created',
    feature: 'qa',
    space: s,
    parent: 'Q3',
    time: '2025-03-30T10:30:00Z',
    actor: 'fay',
  },
  // Q4: only its asker comments in the range; ben's answer comes after the range.
  { id: 'q4', type: 'question.asked', space: s, object: 'Q4', time: '2025-04-01T09:00:00Z', actor: 'ann' },
  {
    id: 'r4a',
    type: 'comment.created',
    feature: 'qa',
    space: s,
    parent: 'Q4',
    time: '2025-04-01T10:00:00Z',
    actor: 'ann',
  },
  { id: 'sl3', type: 'group.left', space: s, time: '2025-04-02T09:00:00Z', actor: 'eve' },
  { id: 'r4b', type: 'answer.created', space: s, parent: 'Q4', time: '2025-04-08T09:00:00Z', actor: 'ben' },
  { id: 'sl4', type: 'group.left', space: s, time: '2025-04-10T09:00:00Z', actor: 'cat' },
  // design
  { id: 'dj1', type: 'group.joined', space: 'design', time: '2024-03-01T09:00:00Z', actor: 'gus' },
  { id: 'dj2', type: 'group.joined', space: 'design', time: '2025-03-09T23:30:00Z', actor: 'dan' }, // 10 March in Paris
  {
    id: 'p1',
    type: 'post.created',
    space: 'design',
    object: 'P1',
    time: '2025-03-12T09:00:00Z',
    actor: 'cat',
  },
  {
    id: 'c1',
    type: 'comment.created',
    feature: 'groups',
    space: 'design',
    parent: 'P1',
    time: '2025-03-13T09:00:00Z',
    actor: 'ann',
  },
  {
    id: 'v1',
    type: 'content.viewed',
    feature: 'groups',
    space: 'design',
    object: 'P1',
    time: '2025-03-14T09:00:00Z',
    actor: 'hal',
  },
  // old: all activity before the range.
  { id: 'oj1', type: 'group.joined', space: 'old', time: '2024-11-01T09:00:00Z', actor: 'ben' },
  { id: 'op1', type: 'post.created', space: 'old', time: '2024-12-01T09:00:00Z', actor: 'eve' },
  // outside any space
  { id: 'n1', type: 'session.started', time: '2025-03-10T09:00:00Z', actor: 'jon' },
  { id: 'q9', type: 'question.asked', time: '2025-03-15T09:00:00Z', actor: 'hal' },
]

beforeAll(async () => {
  t = await startTestApp()
  await seedEvents(t.runtime.store.client, 'cm', events)
  const put = await t.app.inject({
    method: 'PUT',
    url: '/v1/orgs/cm/settings',
    headers: auth(),
    payload: { time_zone: 'Europe/Paris' },
  })
  expect(put.statusCode).toBe(200)
})
afterAll(() => t?.close())

const range = 'from=2025-03-03&to=2025-04-07'

// Working hours 09:00–18:00 (default), French holidays (none in the range); the range ends on
// 7 April 00:00 in Paris. The last 28 days start on 10 March, the 28 before on 10 February, the
// last 90 days on 7 January.
const support = {
  space: 'support',
  suppressed: false,
  // ann (joined, asked), ben (left 15 Feb, asked Q5 on 20 Mar: back in), gus (joined, asked Q0),
  // cat (asked q2; her leave on 10 April is after the range). Not: dan (left), eve (asked, then
  // left), fay and hal (only replied).
  members: 4,
  active_members: 7, // ann, ben, cat, dan, eve, fay, hal (gus only before the range)
  contributors: 7, // hal (r0), ann, ben, cat, dan, eve, fay: answers, comments, questions
  posts: 5, // Q1, q2, Q5 (sent twice), Q3, Q4
  replies: 7, // r0, r1, r2a, r2b, r5 (sent twice), r3, r4a; r4b is after the range
  questions: 5, // Q1, q2, Q5, Q3, Q4 (Q0 is before the range, q9 in no space)
  // In business time (Paris): Q1 Tue 10:00 CET → due Wed 10:00, answered 11:30 (90 min). q2 Wed
  // 10:00 → due Thu 10:00, dan at Thu 13:00: late (480 + 240 = 720 min). Q5 Thu 10:00 → answered
  // 10:30 (30). Q3 Saturday → due Mon 31 March 18:00, fay on Sunday: in time (0 min). Q4 Tue
  // 1 April 11:00 CEST → due Wed 11:00, no reply by another in the range. All 5 due.
  due: 5,
  answered_1bd: 0.6, // Q1, Q5, Q3 of 5
  median_first_reply_business_minutes: 60, // 0, 30, 90, 720 → (30 + 90) / 2
  unanswered: 1, // Q4
  pending: 0,
  active_365d: 8, // ann, ben, cat, dan, eve, fay, gus, hal
  contributors_28d: 5, // ann, ben, cat, eve, fay (since 10 March)
  contributors_prev_28d: 6, // gus (Q0), hal (r0), ann (Q1), ben (r1), cat (q2), dan (r2b)
  breadth: 0.625, // 5 / 8
  // Creations of the last 90 days: Q0, Q1, q2, Q5, Q3, Q4; all but Q4 replied to by another: 5 / 6.
  responsiveness: 0.8333,
  momentum: 0.8333, // 5 / 6
  health: 76.4, // 100 × (0.625 + 0.83333 + 0.83333) / 3 = 76.39
  health_reason: null,
  dormant: false,
}
const design = {
  space: 'design',
  suppressed: false,
  members: 3, // gus and dan joined, cat posted; ann commented and hal viewed: not members
  active_members: 4, // dan (join, 10 March in Paris), cat, ann, hal
  contributors: 2, // cat (P1), ann (c1); dan's join is react, hal's view is view
  posts: 1,
  replies: 1,
  questions: 0,
  due: 0,
  answered_1bd: null,
  median_first_reply_business_minutes: null,
  unanswered: 0,
  pending: 0,
  active_365d: 4, // dan, cat, ann, hal; gus joined on 1 March 2024: more than 365 days before
  contributors_28d: 2,
  contributors_prev_28d: 0,
  breadth: 0.5, // 2 / 4
  responsiveness: 1, // P1, commented by ann
  momentum: 1, // contributors now, none in the 28 days before
  health: null,
  health_reason: 'too small to score', // 4 active in 365 days < 5
  dormant: false,
}
const old = {
  space: 'old',
  suppressed: false,
  members: 2, // ben joined, eve posted
  active_members: 0,
  contributors: 0,
  posts: 0,
  replies: 0,
  questions: 0,
  due: 0,
  answered_1bd: null,
  median_first_reply_business_minutes: null,
  unanswered: 0,
  pending: 0,
  active_365d: 2,
  contributors_28d: 0,
  contributors_prev_28d: 0,
  breadth: 0,
  responsiveness: null, // eve's post of 1 December 2024 is before the last 90 days
  momentum: 0,
  health: null,
  health_reason: 'too small to score',
  dormant: true,
}
// No space: jon's session (view) and hal's q9, asked Saturday 15 March 10:00 CET: due Monday
// 17 March 18:00, never answered.
const outside = {
  space: null,
  suppressed: false,
  members: null,
  active_members: null,
  contributors: 1, // hal
  posts: 1, // q9
  replies: 0,
  questions: 1,
  due: 1,
  answered_1bd: 0,
  median_first_reply_business_minutes: null,
  unanswered: 1,
  pending: 0,
  active_365d: null,
  contributors_28d: 1,
  contributors_prev_28d: 0,
  breadth: null,
  responsiveness: 0, // q9, no reply
  momentum: null,
  health: null,
  health_reason: 'outside any space',
  dormant: null,
}

describe('GET /metrics/communities', () => {
  it('gives per-space membership, activity, answers and health, most active first', async () => {
    const res = await get(`/v1/orgs/cm/metrics/communities?${range}`)
    expect(res.statusCode).toBe(200)
    // No one is flagged community_manager on this roster: the hand-over curve has no manager.
    expect(res.json()).toMatchObject({ managers: { managers: 0, withheld: null } })
    expect({ ...res.json(), managers: undefined }).toEqual({
      spaces: [support, design, old, outside],
      communities: 3,
      dormant: 1,
      managers: undefined,
    })
  })

  it('withholds the spaces of fewer than 5 people for an exec', async () => {
    const exec = await createToken(t, 'exec')
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/orgs/cm/metrics/communities?${range}`,
      headers: auth(exec),
    })
    expect(res.statusCode).toBe(200)
    // A space's people, as the privacy layer counts them: who ever acted in it. support: ann,
    // ben, gus, dan, cat, hal, eve, fay (8); design: gus, dan, cat, ann, hal (5); old: ben, eve
    // (2); outside any space: jon and hal (2). Under the default minimum of 5 old and the outside
    // row are withheld (two of them: no complement needed) and keep only their name.
    const withheld = (space: string | null) => ({
      ...Object.fromEntries(Object.keys(support).map((key) => [key, null])),
      space,
      suppressed: true,
    })
    expect(res.json().spaces).toEqual([support, design, withheld('old'), withheld(null)])
  })

  it('filters by space', async () => {
    const res = await get(`/v1/orgs/cm/metrics/communities?${range}&space=design`)
    expect({ ...res.json(), managers: undefined }).toEqual({
      spaces: [design],
      communities: 1,
      dormant: 0,
      managers: undefined,
    })
  })

  it('reads questions asked late in the range with the replies known at its end', async () => {
    // Ending the range on 1 April (00:00 CEST): Q4 is outside. Q3 (Saturday 29 March) is due on
    // Monday 31 March 18:00 CEST, before the end: Q1, q2, Q5, Q3 all due, 3 answered in time.
    const res = await get('/v1/orgs/cm/metrics/communities?from=2025-03-03&to=2025-04-01&space=support')
    const [row] = res.json().spaces
    expect(row).toMatchObject({
      questions: 4,
      due: 4,
      answered_1bd: 0.75,
      unanswered: 0,
      pending: 0,
      posts: 4,
    })
    // The median of 0, 30, 90, 720 is unchanged.
    expect(row.median_first_reply_business_minutes).toBe(60)
    // Ending it on 31 March: Q3 is not due yet (pending), Q1, q2, Q5 are; no row outside a space.
    const earlier = await get('/v1/orgs/cm/metrics/communities?from=2025-03-03&to=2025-03-31&space=support')
    expect(earlier.json().spaces[0]).toMatchObject({ questions: 4, due: 3, answered_1bd: 0.6667, pending: 1 })
  })

  it('serves the spaces as CSV', async () => {
    const csv = await get(`/v1/orgs/cm/metrics/communities?${range}`, 'text/csv')
    const [header, first, , , last] = csv.body.split('\r\n')
    expect(header).toBe(
      'space,suppressed,members,active_members,contributors,posts,replies,questions,due,answered_1bd,' +
        'median_first_reply_business_minutes,unanswered,pending,active_365d,contributors_28d,contributors_prev_28d,' +
        'breadth,responsiveness,momentum,health,health_reason,dormant',
    )
    expect(first).toBe('support,false,4,7,7,5,7,5,5,0.6,60,1,0,8,5,6,0.625,0.8333,0.8333,76.4,,false')
    expect(last).toBe(',false,,,1,1,0,1,1,0,,1,0,,1,0,,0,,,outside any space,')
  })

  it('names an unsupported filter or breakdown in a 400', async () => {
    const department = await get(`/v1/orgs/cm/metrics/communities?${range}&department=IT`)
    expect(department.statusCode).toBe(400)
    expect(department.json().field).toBe('department')
    const by = await get(`/v1/orgs/cm/metrics/communities?${range}&by=space`)
    expect(by.statusCode).toBe(400)
    expect(by.json().field).toBe('by')
  })
})
