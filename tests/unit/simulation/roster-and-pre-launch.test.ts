// The simulated roster says who the community managers are (roster column `community_manager`),
// in every format the simulator writes; and the simulation starts with eight weeks of email
// before the platform's launch (the email study's pre-period).
import { describe, expect, it } from 'vitest'
import { parseRosterCsv } from '../../../ingest/roster.ts'
import { dateOf, dayMs, dayOf } from '../../../simulation/calendar.ts'
import { parseSimulationOptions } from '../../../simulation/options.ts'
import { buildOrganisation, rosterCsv, rosterOf } from '../../../simulation/organisation.ts'
import { Random } from '../../../simulation/random.ts'
import { Simulation } from '../../../simulation/simulate.ts'

describe('the simulated roster', () => {
  const org = buildOrganisation(
    { employees: 800, startDay: dayOf('2025-06-01'), endDay: dayOf('2026-06-01') },
    new Random(7),
  )
  const managers = new Set(org.communityManagers.map((i) => org.people[i]!.id))

  it('flags the community managers true and everyone else false', () => {
    const roster = rosterOf(org)
    expect(managers.size).toBe(2)
    expect(roster.filter((p) => p.community_manager === true).map((p) => p.id)).toEqual(
      org.people.filter((p) => p.communityManager).map((p) => p.id),
    )
    expect(new Set(roster.filter((p) => p.community_manager).map((p) => p.id))).toEqual(managers)
    expect(roster.filter((p) => p.community_manager === false)).toHaveLength(roster.length - managers.size)
  })

  it('writes the flag in its CSV (files and API outputs), read back by the ingest parser', () => {
    const csv = rosterCsv(rosterOf(org))
    expect(csv.split('\n')[0]).toBe('id,department,site,manager,hired_at,left_at,community_manager')
    const parsed = parseRosterCsv(csv)
    expect(parsed.errors).toEqual([])
    expect(parsed.ignoredColumns).toEqual([])
    expect(new Set(parsed.people.filter((p) => p.community_manager).map((p) => p.id))).toEqual(managers)
    expect(parsed.people.filter((p) => p.community_manager === false)).toHaveLength(
      parsed.people.length - managers.size,
    )
  })
})

describe('the weeks before the launch', () => {
  // Three months ending 2026-04-01: the launch (the period's first day) is 2026-01-01.
  const simulation = new Simulation(
    parseSimulationOptions({ org: 'pre', employees: 150, months: 3, seed: 9, end: '2026-04-01' }),
  )
  const launch = simulation.startDay
  const days = [...simulation.days()]
  const events = days.flatMap((d) => d.events)
  const before = events.filter((e) => e.time < launch * dayMs)
  const emailDays = new Set(
    before.filter((e) => e.type === 'email.sent').map((e) => Math.floor(e.time / dayMs)),
  )

  it('start eight weeks (56 days) before the launch, the first day of platform activity', () => {
    expect(dateOf(launch)).toBe('2026-01-01')
    expect(days[0]!.day).toBe(launch - 56)
    expect(dateOf(days[0]!.day)).toBe('2025-11-06')
    const firstPlatform = events.find((e) => e.type !== 'email.sent')!
    expect(Math.floor(firstPlatform.time / dayMs)).toBeGreaterThanOrEqual(launch)
    expect(simulation.groundTruth().emails_from).toBe('2025-11-06')
    expect(simulation.groundTruth().start).toBe('2026-01-01')
  })

  it('hold email only, on every working day of the eight weeks', () => {
    expect(before.length).toBeGreaterThan(0)
    expect(before.every((e) => e.type === 'email.sent' && e.count >= 1)).toBe(true)
    const working: number[] = []
    for (let d = launch - 56; d < launch; d++) if (simulation.calendar.isWorkingDay(d)) working.push(d)
    // 8 weeks = 40 weekdays, less 11 November and Christmas Day (Thursdays in 2025).
    expect(working).toHaveLength(38)
    expect([...emailDays].sort((a, b) => a - b)).toEqual(working)
    // Every week of the eight has email: at least eight weeks of pre-period.
    const weeks = new Set([...emailDays].map((d) => Math.floor((d - (launch - 56)) / 7)))
    expect(weeks).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]))
  })
})
