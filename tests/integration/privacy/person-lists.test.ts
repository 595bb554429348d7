// METRICS.md "Privacy rules that change numbers": person-level lists (adopters, champions) go to
// admin, and to community managers when the org turned named lists on; never to exec or hr, who
// get counts. Times in person lists are days, not instants. Every role × named lists on and off,
// on the real engine, on a six-person organisation; every expected value worked out by hand.
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, createToken, startTestApp, type TestApp } from '../../helpers/app.ts'
import { type SeedEvent, seedEvents, seedRoster } from '../../helpers/seed.ts'

const pseudonymKey = 'person-lists-test-key-0123456789abcdef'
let t: TestApp
const tokens = new Map<string, string>()
const ids = ['ann', 'bea', 'cal', 'dan', 'eve', 'fox']

const roster = `id,department,site,hired_at,left_at
ann,ops,paris,,
bea,ops,lyon,,
cal,dev,paris,,
dan,dev,lyon,,
eve,ops,paris,,
fox,dev,paris,,
`

const events: SeedEvent[] = [
  // ann adopts on Monday 3 March (10:00 in Paris).
  { id: 'p1', type: 'post.created', time: '2025-03-03T09:00:00Z', actor: 'ann', object: 'post-ann' },
  // ann mentions bea, who comments at 23:30 UTC on 10 March: 00:30 on 11 March in Paris (UTC+1).
  {
    id: 'p2',
    type: 'mention.added',
    feature: 'groups',
    time: '2025-03-05T10:00:00Z',
    actor: 'ann',
    target: 'bea',
  },
  {
    id: 'p3',
    type: 'comment.created',
    feature: 'groups',
    time: '2025-03-10T23:30:00Z',
    actor: 'bea',
    object: 'c-bea',
  },
  // ann writes to cal, who reacts on 12 March.
  { id: 'p4', type: 'message.sent', time: '2025-03-11T10:00:00Z', actor: 'ann', target: 'cal' },
  {
    id: 'p5',
    type: 'reaction.added',
    feature: 'groups',
    time: '2025-03-12T12:00:00Z',
    actor: 'cal',
    object: 'post-ann',
  },
  // fox only reads: not an adopter. dan and eve do nothing.
  {
    id: 'p6',
    type: 'content.viewed',
    feature: 'groups',
    time: '2025-03-14T10:00:00Z',
    actor: 'fox',
    object: 'post-ann',
  },
]

/** `pl`: named lists off (the default); `pl-named`: on. Both in Europe/Paris. */
const orgs = { off: 'pl', on: 'pl-named' } as const
const range = 'from=2025-03-03&to=2025-04-01'
const readerRoles = ['admin', 'community_manager', 'exec', 'hr'] as const

beforeAll(async () => {
  t = await startTestApp({ IMPLICATION_PSEUDONYM_KEY: pseudonymKey })
  const client = t.runtime.store.client
  for (const [named, org] of Object.entries(orgs)) {
    await seedRoster(client, org, roster)
    await seedEvents(client, org, events)
    const put = await t.app.inject({
      method: 'PUT',
      url: `/v1/orgs/${org}/settings`,
      headers: auth(),
      payload: { time_zone: 'Europe/Paris', named_lists_for_community_managers: named === 'on' },
    })
    expect(put.statusCode).toBe(200)
  }
  for (const role of readerRoles.filter((r) => r !== 'admin')) {
    tokens.set(role, await createToken(t, role, Object.values(orgs)))
  }
})
afterAll(() => t?.close())

const tokenOf = (role: string) => (role === 'admin' ? undefined : tokens.get(role))
const get = (url: string, role: string, accept?: string) =>
  t.app.inject({ method: 'GET', url, headers: { ...auth(tokenOf(role)), ...(accept ? { accept } : {}) } })

// Workforce on 31 March: the six of the roster. Adopters by (time, id): ann 1/6 = 0.17 (over
// 0.16), bea 2/6 = 0.33, cal 3/6 = 0.5 (on the cut): all three early majority.
const segments = [
  { segment: 'innovators', people: 0 },
  { segment: 'early_adopters', people: 0 },
  { segment: 'early_majority', people: 3 },
  { segment: 'late_majority', people: 0 },
  { segment: 'laggards', people: 0 },
  { segment: 'non_adopters', people: 3 },
]
// Days in Paris: bea's 23:30 UTC comment is on 11 March there. Everyone is of the launch cohort
// (no hire day; the launch is ann's 3 March): days to adopt from 3 March.
const people = [
  {
    person: 'ann',
    segment: 'early_majority',
    adopted_on: '2025-03-03',
    cohort: 'launch',
    days_to_adopt: 0,
    department: 'ops',
    site: 'paris',
  },
  {
    person: 'bea',
    segment: 'early_majority',
    adopted_on: '2025-03-11',
    cohort: 'launch',
    days_to_adopt: 8,
    department: 'ops',
    site: 'lyon',
  },
  {
    person: 'cal',
    segment: 'early_majority',
    adopted_on: '2025-03-12',
    cohort: 'launch',
    days_to_adopt: 9,
    department: 'dev',
    site: 'paris',
  },
  {
    person: 'dan',
    segment: 'non_adopters',
    adopted_on: null,
    cohort: 'launch',
    days_to_adopt: null,
    department: 'dev',
    site: 'lyon',
  },
  {
    person: 'eve',
    segment: 'non_adopters',
    adopted_on: null,
    cohort: 'launch',
    days_to_adopt: null,
    department: 'ops',
    site: 'paris',
  },
  {
    person: 'fox',
    segment: 'non_adopters',
    adopted_on: null,
    cohort: 'launch',
    days_to_adopt: null,
    department: 'dev',
    site: 'paris',
  },
]
// Adopters in the range: ann, bea, cal. bea ← ann (mention 5 days before), cal ← ann (message
// the day before); ann had no influencer. One champion: ann, 2 adopters, credit 2.
const flows = [{ from: 'early_majority', to: 'early_majority', credit: 2 }]
const champions = [{ person: 'ann', segment: 'early_majority', department: 'ops', influenced: 2, credit: 2 }]

/** Who gets the lists: admin always; a community manager when named lists are on. */
const cases = readerRoles.flatMap((role) =>
  (['off', 'on'] as const).map((named) => ({
    role,
    named,
    org: orgs[named],
    listed: role === 'admin' || (role === 'community_manager' && named === 'on'),
  })),
)

/** The pseudonym routes.ts would give an id: p- and 16 hex digits of HMAC-SHA256(key, org NUL id). */
const label = (org: string, id: string) =>
  `p-${createHmac('sha256', pseudonymKey).update(`${org}\u0000${id}`).digest('hex').slice(0, 16)}`

/** Neither an id of the roster nor its pseudonym anywhere in `text`. */
function expectNobody(text: string, org: string): void {
  for (const id of ids) {
    expect(text).not.toMatch(new RegExp(`\\b${id}\\b`))
    expect(text).not.toContain(label(org, id))
  }
  expect(text).not.toMatch(/p-[0-9a-f]{16}/)
}

describe('adopters by role', () => {
  for (const c of cases) {
    it(`${c.role}, named lists ${c.named}: ${c.listed ? 'the list, with days' : 'the counts only'}`, async () => {
      const res = await get(`/v1/orgs/${c.org}/metrics/adopters?${range}`, c.role)
      expect(res.statusCode).toBe(200)
      const base = { workforce_source: 'roster', segments, total: 6 }
      if (c.listed) {
        expect(res.json()).toEqual({ ...base, person_list: 'shown', people })
      } else {
        expect(res.json()).toEqual({ ...base, person_list: 'withheld_for_role', people: null })
        expectNobody(res.body, c.org)
      }
    })
  }

  it('CSV: the list for those who get it; the counts, and a 400 for the list, for the others', async () => {
    for (const c of cases) {
      const url = `/v1/orgs/${c.org}/metrics/adopters?${range}`
      const csv = await get(url, c.role, 'text/csv')
      expect(csv.statusCode, `${c.role} ${c.named}`).toBe(200)
      const lines = csv.body.trim().split('\r\n')
      if (c.listed) {
        expect(lines).toEqual([
          'person,segment,adopted_on,cohort,days_to_adopt,department,site',
          'ann,early_majority,2025-03-03,launch,0,ops,paris',
          'bea,early_majority,2025-03-11,launch,8,ops,lyon',
          'cal,early_majority,2025-03-12,launch,9,dev,paris',
          'dan,non_adopters,,launch,,dev,lyon',
          'eve,non_adopters,,launch,,ops,paris',
          'fox,non_adopters,,launch,,dev,paris',
        ])
      } else {
        expect(lines).toEqual([
          'segment,people',
          'innovators,0',
          'early_adopters,0',
          'early_majority,3',
          'late_majority,0',
          'laggards,0',
          'non_adopters,3',
        ])
        for (const accept of ['text/csv', 'application/vnd.apache.arrow.stream']) {
          const asked = await get(`${url}&table=people`, c.role, accept)
          expect(asked.statusCode, `${c.role} ${c.named} ${accept}`).toBe(400)
          expect(asked.json()).toMatchObject({
            field: 'table',
            message: 'table: adopters has the tables segments',
          })
        }
      }
      // The counts table is everyone's.
      const counts = await get(`${url}&table=segments`, c.role, 'text/csv')
      expect(counts.body.trim().split('\r\n')[3]).toBe('early_majority,3')
    }
  })
})

describe('influence by role', () => {
  for (const c of cases) {
    it(`${c.role}, named lists ${c.named}: ${c.listed ? 'the champions' : 'their number only'}`, async () => {
      const res = await get(`/v1/orgs/${c.org}/metrics/influence?${range}`, c.role)
      expect(res.statusCode).toBe(200)
      const base = { flows, influencers: 1, influenced_adopters: 2, adopters_in_range: 3 }
      if (c.listed) {
        expect(res.json()).toEqual({ ...base, person_list: 'shown', champions })
      } else {
        expect(res.json()).toEqual({ ...base, person_list: 'withheld_for_role', champions: null })
        expectNobody(res.body, c.org)
      }
    })
  }

  it('CSV: the champions table only for those who get the list; the flows for everyone', async () => {
    for (const c of cases) {
      const url = `/v1/orgs/${c.org}/metrics/influence?${range}`
      const flowsCsv = await get(url, c.role, 'text/csv')
      expect(flowsCsv.body.trim().split('\r\n')).toEqual([
        'from,to,credit',
        'early_majority,early_majority,2',
      ])
      const championsCsv = await get(`${url}&table=champions`, c.role, 'text/csv')
      if (c.listed) {
        expect(championsCsv.body.trim().split('\r\n')).toEqual([
          'person,segment,department,influenced,credit',
          'ann,early_majority,ops,2,2',
        ])
      } else {
        expect(championsCsv.statusCode).toBe(400)
        expect(championsCsv.json()).toMatchObject({
          field: 'table',
          message: 'table: influence has the tables flows',
        })
      }
    }
  })
})

describe('hr', () => {
  it('never sees an id or a pseudonym in adopters or influence, in JSON, CSV or Arrow, filtered or not', async () => {
    for (const org of Object.values(orgs)) {
      for (const metric of ['adopters', 'influence']) {
        for (const extra of ['', '&feature=groups']) {
          for (const accept of [undefined, 'text/csv', 'application/vnd.apache.arrow.stream']) {
            const res = await get(`/v1/orgs/${org}/metrics/${metric}?${range}${extra}`, 'hr', accept)
            expect(res.statusCode, `${org} ${metric}${extra} ${accept}`).toBe(200)
            expectNobody(res.body, org)
          }
        }
      }
    }
  })
})
