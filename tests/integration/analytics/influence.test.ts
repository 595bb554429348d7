// influence (diffusion flows and champions) on a hand-made organisation; every expected number is
// worked out in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents, seedRoster } from '../../helpers/seed.ts'

let t: TestApp
const get = (url: string, accept?: string) =>
  t.app.inject({ method: 'GET', url, headers: { ...auth(), ...(accept ? { accept } : {}) } })

// cy leaves on 20 March.
const roster = `id,department,site,hired_at,left_at
ava,eng,paris,,
ben,eng,paris,,
cy,sales,lyon,,2025-03-20
dee,sales,lyon,,
eli,sales,paris,,
fin,eng,lyon,,
gem,ops,paris,,
hal,ops,lyon,,
ike,ops,paris,,
jo,eng,paris,,
kit,sales,paris,,
lu,ops,lyon,,
`

const events: SeedEvent[] = [
  // Adopters before the range, who create the content others will read.
  { id: 'e01', type: 'post.created', time: '2025-02-03T09:00:00Z', actor: 'ava', object: 'doc-ava' },
  { id: 'e02', type: 'wiki.created', time: '2025-02-17T09:00:00Z', actor: 'ben', object: 'wiki-ben' },
  { id: 'e03', type: 'post.created', time: '2025-02-20T09:00:00Z', actor: 'cy', object: 'post-cy' },
  // dee adopts on 5 March by reacting to ava's post (her adoption instant closes her 30 days);
  // before, cy mentioned her and she read ben's page (created 17 Feb).
  {
    id: 'e04',
    type: 'mention.added',
    feature: 'groups',
    time: '2025-02-28T09:00:00Z',
    actor: 'cy',
    target: 'dee',
  },
  {
    id: 'e05',
    type: 'content.viewed',
    feature: 'wiki',
    time: '2025-03-01T09:00:00Z',
    actor: 'dee',
    object: 'wiki-ben',
  },
  {
    id: 'e06',
    type: 'reaction.added',
    feature: 'groups',
    time: '2025-03-05T10:00:00Z',
    actor: 'dee',
    object: 'doc-ava',
  },
  // eli adopts on 10 March by commenting (neither a view nor a reaction). ava's mention of
  // 5 Feb is 33 days before; her message of 10 Feb is 28 days before; eli read cy's post.
  {
    id: 'e07',
    type: 'mention.added',
    feature: 'groups',
    time: '2025-02-05T08:00:00Z',
    actor: 'ava',
    target: 'eli',
  },
  { id: 'e08', type: 'message.sent', time: '2025-02-10T10:00:00Z', actor: 'ava', target: 'eli' },
  {
    id: 'e09',
    type: 'content.viewed',
    feature: 'groups',
    time: '2025-03-08T10:00:00Z',
    actor: 'eli',
    object: 'post-cy',
  },
  {
    id: 'e10',
    type: 'comment.created',
    feature: 'groups',
    time: '2025-03-10T10:00:00Z',
    actor: 'eli',
    object: 'c-eli',
  },
  // fin: invited by dee (sent twice), adopts at 23:30 in Paris on Sunday 16 March.
  { id: 'e11', type: 'member.invited', time: '2025-03-12T10:00:00Z', actor: 'dee', target: 'fin' },
  { id: 'e11', type: 'member.invited', time: '2025-03-12T10:00:00Z', actor: 'dee', target: 'fin' },
  { id: 'e12', type: 'reaction.added', feature: 'groups', time: '2025-03-16T22:30:00Z', actor: 'fin' },
  // gem: hal looks at her profile before hal is an adopter (no influence); eli edits ben's page
  // (an edit is a create: eli becomes one of its creators) and gem reads it; she also reads a
  // post by zed, who is not on the roster and never an adopter.
  {
    id: 'e13',
    type: 'content.viewed',
    feature: 'platform',
    time: '2025-03-18T10:00:00Z',
    actor: 'hal',
    target: 'gem',
  },
  { id: 'e14', type: 'wiki.edited', time: '2025-03-18T12:00:00Z', actor: 'eli', object: 'wiki-ben' },
  {
    id: 'e15',
    type: 'content.viewed',
    feature: 'wiki',
    time: '2025-03-19T10:00:00Z',
    actor: 'gem',
    object: 'wiki-ben',
  },
  { id: 'e16', type: 'post.created', time: '2025-03-01T10:00:00Z', actor: 'zed', object: 'doc-zed' },
  {
    id: 'e17',
    type: 'content.viewed',
    feature: 'groups',
    time: '2025-03-19T11:00:00Z',
    actor: 'gem',
    object: 'doc-zed',
  },
  { id: 'e18', type: 'reaction.added', feature: 'groups', time: '2025-03-20T10:00:00Z', actor: 'gem' },
  // hal: mentioned by eli; reacts to cy's post on 25 March, when cy has left (no influence).
  {
    id: 'e19',
    type: 'mention.added',
    feature: 'groups',
    time: '2025-03-24T10:00:00Z',
    actor: 'eli',
    target: 'hal',
  },
  {
    id: 'e20',
    type: 'reaction.added',
    feature: 'groups',
    time: '2025-03-25T10:00:00Z',
    actor: 'hal',
    object: 'post-cy',
  },
  // ike: fin shares a file with him; he adopts on 31 March 00:30 in Paris (30 March in UTC).
  { id: 'e21', type: 'file.shared', time: '2025-03-30T21:00:00Z', actor: 'fin', target: 'ike' },
  { id: 'e22', type: 'message.sent', time: '2025-03-30T22:30:00Z', actor: 'ike' },
  // jo only views; lu adopts on 2 April with nobody's help.
  {
    id: 'e23',
    type: 'content.viewed',
    feature: 'groups',
    time: '2025-03-10T10:00:00Z',
    actor: 'jo',
    object: 'doc-ava',
  },
  { id: 'e24', type: 'post.created', time: '2025-04-02T10:00:00Z', actor: 'lu', object: 'post-lu' },
  // kit: mentioned by hal; adopts at 22:00 in Paris on 6 April, the range's last day, reacting to
  // the page of ben and eli.
  {
    id: 'e25',
    type: 'mention.added',
    feature: 'groups',
    time: '2025-04-01T10:00:00Z',
    actor: 'hal',
    target: 'kit',
  },
  {
    id: 'e26',
    type: 'reaction.added',
    feature: 'wiki',
    time: '2025-04-06T20:00:00Z',
    actor: 'kit',
    object: 'wiki-ben',
  },
]

beforeAll(async () => {
  t = await startTestApp()
  const client = t.runtime.store.client
  for (const org of ['eps', 'eps-utc']) {
    await seedRoster(client, org, roster)
    await seedEvents(client, org, events)
  }
  const put = await t.app.inject({
    method: 'PUT',
    url: '/v1/orgs/eps/settings',
    headers: auth(),
    payload: { time_zone: 'Europe/Paris' },
  })
  expect(put.statusCode).toBe(200)
})
afterAll(() => t?.close())

// Segments as of 6 April, N = 11 (cy has left): ranks ava 1, ben 2, dee 3, eli 4, fin 5, gem 6,
// hal 7, ike 8, lu 9, kit 10, jo none. x = r/11: ava 0.09 early adopter; ben 0.18 … fin 0.45
// early majority; gem 0.55 … lu 0.82 late majority; kit 0.91 laggard. cy: former member.
describe('GET /metrics/influence', () => {
  it('credits each adoption of the range to its influencers and sums flows by segment', async () => {
    const res = await get('/v1/orgs/eps/metrics/influence?from=2025-03-03&to=2025-04-07')
    expect(res.statusCode).toBe(200)
    // Adopters in the range: dee, eli, fin, gem, hal, ike, lu, kit = 8; lu had no influencer.
    // dee ← ava, ben, cy (⅓ each)   eli ← ava, cy (½)   fin ← dee (1)   gem ← ben, eli (½)
    // hal ← eli (1)   ike ← fin (1)   kit ← ben, eli, hal (⅓ each)
    const body = res.json()
    expect(body.adopters_in_range).toBe(8)
    expect(body.influenced_adopters).toBe(7)
    // eli, ben, dee, fin, ava, cy, hal: 7 people credited.
    expect(body.influencers).toBe(7)
    expect(body.person_list).toBe('shown')
    expect(body.flows).toEqual([
      { from: 'early_adopters', to: 'early_majority', credit: 0.8333 }, // ava→dee ⅓ + ava→eli ½
      { from: 'early_majority', to: 'early_majority', credit: 1.3333 }, // ben→dee ⅓ + dee→fin 1
      { from: 'early_majority', to: 'late_majority', credit: 3 }, // ben→gem ½ + eli→gem ½ + eli→hal + fin→ike
      { from: 'early_majority', to: 'laggards', credit: 0.6667 }, // ben→kit ⅓ + eli→kit ⅓
      { from: 'late_majority', to: 'laggards', credit: 0.3333 }, // hal→kit ⅓
      { from: 'former_members', to: 'early_majority', credit: 0.8333 }, // cy→dee ⅓ + cy→eli ½
    ])
    // Per influencer: eli ½ + 1 + ⅓ over 3 adopters; ben ⅓ + ½ + ⅓ over 3; dee 1; fin 1;
    // ava ⅓ + ½ over 2; cy ⅓ + ½ over 2; hal ⅓. Ties go to the most adopters, then the label.
    expect(body.champions).toEqual([
      { person: 'eli', segment: 'early_majority', department: 'sales', influenced: 3, credit: 1.8333 },
      { person: 'ben', segment: 'early_majority', department: 'eng', influenced: 3, credit: 1.1667 },
      { person: 'dee', segment: 'early_majority', department: 'sales', influenced: 1, credit: 1 },
      { person: 'fin', segment: 'early_majority', department: 'eng', influenced: 1, credit: 1 },
      { person: 'ava', segment: 'early_adopters', department: 'eng', influenced: 2, credit: 0.8333 },
      { person: 'cy', segment: 'former_members', department: 'sales', influenced: 2, credit: 0.8333 },
      { person: 'hal', segment: 'late_majority', department: 'ops', influenced: 1, credit: 0.3333 },
    ])
  })

  it('takes the adopters whose adoption time is in the range, in the org time zone', async () => {
    const paris = (await get('/v1/orgs/eps/metrics/influence?from=2025-03-31&to=2025-04-07')).json()
    // 31 March – 6 April in Paris: ike (31 March 00:30), lu, kit.
    expect(paris).toMatchObject({ adopters_in_range: 3, influenced_adopters: 2 })
    expect(paris.flows).toEqual([
      { from: 'early_majority', to: 'late_majority', credit: 1 }, // fin→ike
      { from: 'early_majority', to: 'laggards', credit: 0.6667 }, // ben, eli → kit
      { from: 'late_majority', to: 'laggards', credit: 0.3333 }, // hal→kit
    ])
    // In UTC ike adopted on 30 March, before the range.
    const utc = (await get('/v1/orgs/eps-utc/metrics/influence?from=2025-03-31&to=2025-04-07')).json()
    expect(utc).toMatchObject({ adopters_in_range: 2, influenced_adopters: 1 })
    expect(utc.flows.map((f: { to: string }) => f.to)).toEqual(['laggards', 'laggards'])
  })

  it('keeps to the people of a department filter', async () => {
    const res = await get('/v1/orgs/eps/metrics/influence?from=2025-03-03&to=2025-04-07&department=sales')
    // Sales on 6 April: dee, eli, kit (N = 3): dee 1/3 early majority, eli 2/3 late majority,
    // kit 3/3 laggard. Only sales people act: dee ← cy (mention); eli ← cy (her post);
    // kit ← eli (his edit of ben's page).
    expect(res.json()).toEqual({
      flows: [
        { from: 'late_majority', to: 'laggards', credit: 1 },
        { from: 'former_members', to: 'early_majority', credit: 1 },
        { from: 'former_members', to: 'late_majority', credit: 1 },
      ],
      champions: [
        { person: 'cy', segment: 'former_members', department: 'sales', influenced: 2, credit: 2 },
        { person: 'eli', segment: 'late_majority', department: 'sales', influenced: 1, credit: 1 },
      ],
      person_list: 'shown',
      influencers: 2,
      influenced_adopters: 3,
      adopters_in_range: 3,
    })
  })

  it('exports flows and champions as CSV', async () => {
    const url = '/v1/orgs/eps/metrics/influence?from=2025-03-03&to=2025-04-07'
    const flows = (await get(url, 'text/csv')).body.trim().split('\r\n')
    expect(flows[0]).toBe('from,to,credit')
    expect(flows[3]).toBe('early_majority,late_majority,3')
    const champions = (await get(`${url}&table=champions`, 'text/csv')).body.trim().split('\r\n')
    expect(champions[0]).toBe('person,segment,department,influenced,credit')
    expect(champions[1]).toBe('eli,early_majority,sales,3,1.8333')
  })

  it('answers 400 naming `by`: flows have no breakdown', async () => {
    const res = await get('/v1/orgs/eps/metrics/influence?from=2025-03-03&to=2025-04-07&by=site')
    expect(res.statusCode).toBe(400)
    expect(res.json().field).toBe('by')
  })
})
