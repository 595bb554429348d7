import { describe, expect, it } from 'vitest'
import { parseRosterCsv } from '../../../ingest/roster.ts'
import { dayOf } from '../../../simulation/calendar.ts'
import { buildOrganisation, rosterCsv, rosterOf } from '../../../simulation/organisation.ts'
import { Random } from '../../../simulation/random.ts'

const startDay = dayOf('2025-05-27')
const endDay = dayOf('2026-11-27')
const org = buildOrganisation({ employees: 2000, startDay, endDay }, new Random(42))

describe('the simulated organisation', () => {
  it('has departments of uneven size: a few large, many small, some below five', () => {
    const sizes = org.departments
      .map((d) => org.people.filter((p) => p.department === d.index && p.hiredDay < startDay).length)
      .sort((a, b) => b - a)
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(2000)
    expect(sizes.length).toBeGreaterThan(30)
    // The three largest hold more than a third of the people; half the departments hold fewer than 25.
    expect(sizes[0]! + sizes[1]! + sizes[2]!).toBeGreaterThan(2000 / 3)
    expect(sizes.filter((s) => s < 25).length).toBeGreaterThan(sizes.length / 2)
    expect(sizes.filter((s) => s < 5).length).toBeGreaterThanOrEqual(3)
    expect(new Set(org.people.map((p) => p.site)).size).toBeGreaterThan(3)
  })

  it('has one manager hierarchy with a single head and no cycle', () => {
    const roots = org.people.filter((p) => p.manager < 0)
    expect(roots).toHaveLength(1)
    let cycles = 0
    for (const p of org.people) {
      const seen = new Set<number>()
      for (let m = p.index; m >= 0 && !seen.has(m); m = org.people[m]!.manager) {
        seen.add(m)
        if (seen.has(org.people[m]!.manager)) cycles++
      }
    }
    expect(cycles).toBe(0)
    const reports = new Map<number, number>()
    for (const p of org.people) if (p.manager >= 0) reports.set(p.manager, (reports.get(p.manager) ?? 0) + 1)
    expect(Math.max(...reports.values())).toBeLessThanOrEqual(60)
  })

  it('has people leaving and joining during the period, and a few community managers', () => {
    const leavers = org.people.filter((p) => p.leftDay < endDay)
    const joiners = org.people.filter((p) => p.hiredDay >= startDay)
    expect(leavers.length).toBeGreaterThan(100)
    expect(joiners.length).toBeGreaterThan(100)
    for (const p of joiners) expect(p.hiredDay).toBeLessThan(endDay)
    for (const p of leavers) expect(p.leftDay).toBeGreaterThan(p.hiredDay)
    expect(org.communityManagers.length).toBe(5)
    for (const i of org.communityManagers) expect(org.people[i]!.leftDay).toBe(Number.POSITIVE_INFINITY)
  })

  it('writes a roster the ingest CSV parser takes whole', () => {
    const roster = rosterOf(org)
    const parsed = parseRosterCsv(rosterCsv(roster))
    expect(parsed.errors).toEqual([])
    expect(parsed.people).toHaveLength(org.people.length)
    expect(parsed.people.find((p) => p.left_at)?.left_at).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    const ids = new Set(roster.map((p) => p.id))
    expect(roster.filter((p) => p.manager && !ids.has(p.manager))).toEqual([])
  })
})
