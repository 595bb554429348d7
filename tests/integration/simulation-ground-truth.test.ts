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
}

/** Rogers' cut-offs of METRICS.md, applied by hand to a rank among N. */
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

  // Ground truth: the workforce members (as of the end) who adopted, by (adoption time, id).
  const adopters = truth.people
    .filter((p) => p.adoption_time !== null && workforce.has(p.id))
    .sort((a, b) => Date.parse(a.adoption_time!) - Date.parse(b.adoption_time!) || (a.id < b.id ? -1 : 1))
  expect(adopters.length).toBeGreaterThan(100)

  const byPerson = new Map(listed.map((p) => [p.person, p]))
  adopters.forEach((person, i) => {
    const answer = byPerson.get(person.id)!
    // The org is in UTC: the list's day is the UTC day of the simulated adoption instant.
    expect(answer.adopted_on, person.id).toBe(new Date(person.adoption_time!).toISOString().slice(0, 10))
    expect(answer.segment, person.id).toBe(segmentOf(i + 1, listed.length))
  })
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
