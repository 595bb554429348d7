// communities v2 on hand-made organisations: replies timed in business hours (a Friday evening
// question, one asked on a French holiday, one still pending at the range end), the health index
// and its parts, a space with only views (dormant), the row outside any space, and an org in
// Asia/Kolkata. Every expected number is worked out in the comments; working hours are the
// default 09:00–18:00 (540 minutes a day).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents } from '../../helpers/seed.ts'

let t: TestApp
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: auth() })

// Org cb, Europe/Paris (CET = UTC+1 in November), French holidays: Tuesday 11 November 2025 is
// one. Range 3–17 November 2025: it ends on Monday 17 November 00:00 CET. The last 28 days start
// on 20 October, the 28 before on 22 September, the last 90 days on 19 August.
const h = 'help'
const joined = (actor: string, n: number): SeedEvent => ({
  id: `j${n}`,
  type: 'group.joined',
  space: h,
  time: '2025-10-01T08:00:00Z',
  actor,
})
const paris: SeedEvent[] = [
  joined('ann', 1),
  joined('ben', 2),
  joined('cat', 3),
  joined('dan', 4),
  joined('eve', 5),
  // In the 28 days before the last 28: ann's post, never replied to.
  { id: 'hp', type: 'post.created', space: h, object: 'HP', time: '2025-10-06T09:00:00Z', actor: 'ann' },
  // QU: Thursday 6 November 10:00 CET, due Friday 10:00; only dan comments his own question.
  { id: 'qu', type: 'question.asked', space: h, object: 'QU', time: '2025-11-06T09:00:00Z', actor: 'dan' },
  {
    id: 'ru',
    type: 'comment.created',
    feature: 'qa',
    space: h,
    parent: 'QU',
    time: '2025-11-06T10:00:00Z',
    actor: 'dan',
  },
  // QF: Friday 7 November 17:00 CET, ben answers Monday 10 November 09:30 CET: 60 + 30 = 90
  // business minutes; one business day later is Monday 17:00. In time.
  { id: 'qf', type: 'question.asked', space: h, object: 'QF', time: '2025-11-07T16:00:00Z', actor: 'ann' },
  { id: 'rf', type: 'answer.created', space: h, parent: 'QF', time: '2025-11-10T08:30:00Z', actor: 'ben' },
  // QL: Monday 10 November 12:00 CET; the holiday skipped, one business day later is Wednesday
  // 12:00 (360 + 180). ann answers Wednesday 12:30: late, 360 + 210 = 570 business minutes.
  { id: 'ql', type: 'question.asked', space: h, object: 'QL', time: '2025-11-10T11:00:00Z', actor: 'eve' },
  { id: 'rl', type: 'answer.created', space: h, parent: 'QL', time: '2025-11-12T11:30:00Z', actor: 'ann' },
  // QH: asked on the holiday, Tuesday 11 November 10:00 CET; the count starts Wednesday 09:00, so
  // it is due Wednesday 18:00. dan answers Wednesday 17:30: in time, 510 business minutes.
  { id: 'qh', type: 'question.asked', space: h, object: 'QH', time: '2025-11-11T09:00:00Z', actor: 'cat' },
  { id: 'rh', type: 'answer.created', space: h, parent: 'QH', time: '2025-11-12T16:30:00Z', actor: 'dan' },
  // QP: Friday 14 November 15:00 CET: due Monday 17 November 15:00, after the range end: pending.
  { id: 'qp', type: 'question.asked', space: h, object: 'QP', time: '2025-11-14T14:00:00Z', actor: 'ben' },
  // lobby: only views.
  {
    id: 'lv1',
    type: 'content.viewed',
    feature: 'groups',
    space: 'lobby',
    time: '2025-11-10T09:00:00Z',
    actor: 'ann',
  },
  {
    id: 'lv2',
    type: 'content.viewed',
    feature: 'groups',
    space: 'lobby',
    time: '2025-11-12T09:00:00Z',
    actor: 'ben',
  },
  // Outside any space: cat's post NP and ben's comment on it.
  { id: 'np', type: 'post.created', object: 'NP', time: '2025-11-13T10:00:00Z', actor: 'cat' },
  {
    id: 'nc',
    type: 'comment.created',
    feature: 'groups',
    parent: 'NP',
    time: '2025-11-13T11:00:00Z',
    actor: 'ben',
  },
]

// Org ck, Asia/Kolkata (IST = UTC+5:30, no summer time), no holidays. Range 3–10 March 2025: it
// ends on Monday 10 March 00:00 IST = 9 March 18:30 UTC.
const kolkata: SeedEvent[] = [
  // K2: Monday 3 March 17:30 IST (12:00Z), ann answers Tuesday 10:00 IST (04:30Z): 30 + 60 = 90
  // business minutes; due Tuesday 17:30 IST. In time. (In UTC hours it would be 13:30 + 0.)
  {
    id: 'k2',
    type: 'question.asked',
    space: 'ops',
    object: 'K2',
    time: '2025-03-03T12:00:00Z',
    actor: 'ben',
  },
  {
    id: 'r2',
    type: 'answer.created',
    space: 'ops',
    parent: 'K2',
    time: '2025-03-04T04:30:00Z',
    actor: 'ann',
  },
  // K1: Friday 7 March 16:00 IST (10:30Z), ben answers at 17:00 IST (60 minutes); due Monday
  // 10 March 16:00 IST, after the range end: pending though answered.
  {
    id: 'k1',
    type: 'question.asked',
    space: 'ops',
    object: 'K1',
    time: '2025-03-07T10:30:00Z',
    actor: 'ann',
  },
  {
    id: 'r1',
    type: 'answer.created',
    space: 'ops',
    parent: 'K1',
    time: '2025-03-07T11:30:00Z',
    actor: 'ben',
  },
]

async function settle(org: string, payload: Record<string, unknown>): Promise<void> {
  const put = await t.app.inject({ method: 'PUT', url: `/v1/orgs/${org}/settings`, headers: auth(), payload })
  expect(put.statusCode).toBe(200)
}

beforeAll(async () => {
  t = await startTestApp()
  await seedEvents(t.runtime.store.client, 'cb', paris)
  await seedEvents(t.runtime.store.client, 'ck', kolkata)
  await settle('cb', { time_zone: 'Europe/Paris' })
  await settle('ck', { time_zone: 'Asia/Kolkata', holidays: 'none' })
})
afterAll(() => t?.close())

const help = {
  space: 'help',
  suppressed: false,
  members: 5, // the five joined (ann also posted)
  active_members: 5, // ann, ben, cat, dan, eve in the range
  contributors: 5, // the same five asked, answered or commented in the range
  posts: 5, // QU, QF, QL, QH, QP
  replies: 4, // ru, rf, rl, rh
  questions: 5,
  due: 4, // QU, QF, QL, QH; QP pending
  answered_1bd: 0.5, // QF, QH of 4 (QL late, QU unanswered)
  median_first_reply_business_minutes: 510, // 90, 510, 570
  unanswered: 1, // QU: only its asker
  pending: 1, // QP
  active_365d: 5,
  contributors_28d: 5,
  contributors_prev_28d: 1, // ann's post HP on 6 October
  breadth: 1, // 5 / 5
  responsiveness: 0.5, // HP, QU, QF, QL, QH, QP: QF, QL, QH replied to by someone else, 3 / 6
  momentum: 1, // 5 / 1, at most 1
  health: 83.3, // 100 × (1 + 0.5 + 1) / 3
  health_reason: null,
  dormant: false,
}
const lobby = {
  space: 'lobby',
  suppressed: false,
  members: 0, // nobody joined or created there
  active_members: 2, // ann, ben viewed
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
  breadth: 0, // 0 / 2
  responsiveness: null, // nothing posted
  momentum: 0, // 0 and 0
  health: null,
  health_reason: 'too small to score', // 2 < 5
  dormant: true, // views do not keep a space alive
}
const outside = {
  space: null,
  suppressed: false,
  members: null,
  active_members: null,
  contributors: 2, // cat (NP), ben (nc)
  posts: 1,
  replies: 1,
  questions: 0,
  due: 0,
  answered_1bd: null,
  median_first_reply_business_minutes: null,
  unanswered: 0,
  pending: 0,
  active_365d: null,
  contributors_28d: 2,
  contributors_prev_28d: 0,
  breadth: null,
  responsiveness: 1, // NP, commented by ben
  momentum: null,
  health: null,
  health_reason: 'outside any space',
  dormant: null,
}

describe('communities in business time', () => {
  it('times replies in working hours of working days, scores health and keeps the row outside any space', async () => {
    const res = await get('/v1/orgs/cb/metrics/communities?from=2025-11-03&to=2025-11-17')
    expect(res.statusCode).toBe(200)
    expect({ ...res.json(), managers: undefined }).toEqual({
      spaces: [help, lobby, outside],
      communities: 2,
      dormant: 1,
      managers: undefined,
    })
  })

  it('a question becomes due once its business day has passed before the range end', async () => {
    // Ending on Wednesday 12 November (00:00 CET): QU and QF are due (Friday 10:00, Monday
    // 17:00), QL (Wednesday 12:00) and QH (Wednesday 18:00) are pending; the replies of the 12th
    // are after the end. QF answered in time: 1 of 2; QU unanswered. Median over QF's 90.
    const res = await get('/v1/orgs/cb/metrics/communities?from=2025-11-03&to=2025-11-12&space=help')
    expect(res.json().spaces).toEqual([
      expect.objectContaining({
        space: 'help',
        questions: 4,
        due: 2,
        answered_1bd: 0.5,
        unanswered: 1,
        pending: 2,
        median_first_reply_business_minutes: 90,
      }),
    ])
  })

  it("counts an org's business hours in its own zone (Asia/Kolkata)", async () => {
    const res = await get('/v1/orgs/ck/metrics/communities?from=2025-03-03&to=2025-03-10')
    expect(res.json().spaces).toEqual([
      expect.objectContaining({
        space: 'ops',
        questions: 2,
        due: 1, // K2
        answered_1bd: 1,
        unanswered: 0,
        pending: 1, // K1
        median_first_reply_business_minutes: 75, // 60 and 90
        health: null, // ann and ben: too small
        health_reason: 'too small to score',
      }),
    ])
  })
})
