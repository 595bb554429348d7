// The analytics against the simulation's ground truth: the adoption times the metrics compute are
// the ones the simulator knows it produced, and the Rogers segments follow from them.
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { GroundTruth } from '../../simulation/ground-truth.ts'
import { parseSimulationOptions, todayUtc } from '../../simulation/options.ts'
import { StoreOutput } from '../../simulation/outputs.ts'
import { runSimulation } from '../../simulation/simulate.ts'
import { auth, startTestApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let truth: GroundTruth

beforeAll(async () => {
  t = await startTestApp()
  const options = parseSimulationOptions({
    org: 'truth',
    employees: 300,
    months: 8,
    seed: 5,
    end: todayUtc(),
  })
  truth = (await runSimulation(options, { output: new StoreOutput(t.runtime.store.client, 'truth') }))
    .groundTruth
})
afterAll(() => t?.close())

interface Listed {
  person: string
  segment: string
  adopted_on: string | null
  cohort: 'launch' | 'hire'
  days_to_adopt: number | null
}

/** Rogers' cut-offs of METRICS.md, applied by hand to a rank in the launch cohort of L. */
function segmentOf(rank: number, workforce: number): string {
  const x = rank / workforce
  if (x <= 0.025) return 'innovators'
  if (x <= 0.16) return 'early_adopters'
  if (x <= 0.5) return 'early_majority'
  if (x <= 0.84) return 'late_majority'
  return 'laggards'
}

it('computes every adopter’s adoption time and segment as the simulation produced them', async () => {
  // The admin sees named lists, so people come back under their own ids.
  const res = await t.app.inject({
    method: 'GET',
    url: `/v1/orgs/truth/metrics/adopters?from=${truth.start}&to=${truth.end}`,
    headers: auth(),
  })
  expect(res.statusCode).toBe(200)
  const listed: Listed[] = res.json().people
  const workforce = new Set(listed.map((p) => p.person))
  expect(workforce.size).toBe(listed.length)

  // Ground truth: the workforce members (as of the end) who adopted.
  const adopters = truth.people.filter((p) => p.adoption_time !== null && workforce.has(p.id))
  expect(adopters.length).toBeGreaterThan(100)

  // The launch (METRICS.md "Launch"): the day of the first engaged event, the earliest simulated
  // adoption (UTC org). The launch cohort: the roster on that day (leavers later kept), by hand
  // from the stored roster; everyone else who adopted is a hire.
  const dayOf = (time: string) => new Date(time).toISOString().slice(0, 10)
  const launch = truth.people
    .map((p) => p.adoption_time)
    .filter((x): x is string => x !== null)
    .map(dayOf)
    .sort()[0]!
  const rosterRows = await (
    await t.runtime.store.client.query({
      query: `SELECT person_id, toString(hired_at) AS hired_at, toString(left_at) AS left_at FROM roster
              WHERE org = 'truth' AND snapshot = (SELECT max(snapshot) FROM roster WHERE org = 'truth')`,
      format: 'JSONEachRow',
    })
  ).json<{ person_id: string; hired_at: string | null; left_at: string | null }>()
  const roster = new Map(rosterRows.map((r) => [r.person_id, r]))
  const inCohort = (id: string) => {
    const r = roster.get(id)!
    return (r.hired_at === null || r.hired_at <= launch) && (r.left_at === null || r.left_at > launch)
  }
  const cohortSize = rosterRows.filter((r) => inCohort(r.person_id)).length
  const cohortAdopters = truth.people
    .filter((p) => p.adoption_time !== null && roster.has(p.id) && inCohort(p.id))
    .sort((a, b) => Date.parse(a.adoption_time!) - Date.parse(b.adoption_time!) || (a.id < b.id ? -1 : 1))
  const rankOf = new Map(cohortAdopters.map((p, i) => [p.id, i + 1]))

  const byPerson = new Map(listed.map((p) => [p.person, p]))
  let hires = 0
  for (const person of adopters) {
    const answer = byPerson.get(person.id)!
    // The org is in UTC: the list's day is the UTC day of the simulated adoption instant.
    expect(answer.adopted_on, person.id).toBe(dayOf(person.adoption_time!))
    if (inCohort(person.id)) {
      expect(answer.cohort, person.id).toBe('launch')
      expect(answer.segment, person.id).toBe(segmentOf(rankOf.get(person.id)!, cohortSize))
    } else {
      // A hire: days from the hire day, and never an innovator or an early adopter.
      hires += 1
      const hired = roster.get(person.id)!.hired_at!
      expect(answer.cohort, person.id).toBe('hire')
      expect(answer.days_to_adopt, person.id).toBe(
        Math.max(0, (Date.parse(dayOf(person.adoption_time!)) - Date.parse(hired)) / 86_400_000),
      )
      expect(['early_majority', 'late_majority', 'laggards'], person.id).toContain(answer.segment)
    }
  }
  expect(hires).toBeGreaterThan(0)
  const nonAdopters = listed.filter((p) => p.segment === 'non_adopters').map((p) => p.person)
  expect(nonAdopters.length).toBe(listed.length - adopters.length)
  for (const id of nonAdopters) {
    expect(truth.people.find((p) => p.id === id)?.adoption_time ?? null).toBeNull()
  }

  const adoption = await t.app.inject({
    method: 'GET',
    url: `/v1/orgs/truth/metrics/adoption?from=${truth.start}&to=${truth.end}&interval=week`,
    headers: auth(),
  })
  expect(adoption.json()).toMatchObject({ workforce: listed.length, adopters: adopters.length })
})
