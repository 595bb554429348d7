// Every generated event passes the event contract, and the rows the store path builds directly are
// exactly what `judgeEvent` makes of the wire events: the proof that lets the store path skip it.
import { describe, expect, it } from 'vitest'
import { judgeEvent } from '../../../schemas/event.ts'
import { BadDays } from '../../../simulation/bad-days.ts'
import { parseSimulationOptions, SimulationOptionsError } from '../../../simulation/options.ts'
import { Random } from '../../../simulation/random.ts'
import { Simulation } from '../../../simulation/simulate.ts'

const end = '2026-06-01'

describe('the generated events and the contract', () => {
  it('judges every event of a run as valid, equal to the row built for the store', () => {
    const simulation = new Simulation(
      parseSimulationOptions({ org: 'contract', employees: 150, months: 6, seed: 12, end }),
    )
    const now = new Date(`${end}T00:00:00Z`)
    const receivedAt = '2026-06-01 00:00:00.000'
    const faults: string[] = []
    const types = new Set<string>()
    let events = 0
    for (const day of simulation.days()) {
      for (const [i, e] of day.events.entries()) {
        events++
        types.add(e.type)
        const wire = simulation.formatter.wire(e, day.ids[i]!)
        const line = simulation.formatter.line(e, day.ids[i]!)
        if (line !== JSON.stringify(wire)) faults.push(`line differs: ${line}`)
        const judged = judgeEvent(JSON.parse(line), { now, defaultSource: 'other' })
        if (!judged.ok) {
          faults.push(`${line}: ${judged.refusal.path} ${judged.refusal.message}`)
          continue
        }
        const built = simulation.formatter.stored(e, day.ids[i]!, receivedAt)
        const expected = { ...judged.event, received_at: receivedAt }
        if (JSON.stringify(built) !== JSON.stringify(expected)) {
          faults.push(`stored row differs: ${JSON.stringify(built)} vs ${JSON.stringify(expected)}`)
        }
      }
    }
    expect(faults.slice(0, 5)).toEqual([])
    expect(events).toBeGreaterThan(10_000)
    // Every type of the catalogue shows up, even in a short run.
    expect(types.size).toBe(26)
  })

  it('breaks each malformed line in a way the contract refuses', () => {
    const simulation = new Simulation(
      parseSimulationOptions({ org: 'bad', employees: 60, months: 1, seed: 2, end }),
    )
    const badDays = new BadDays(new Random(2, 'bad-days'), 0.2, 0.1, 'sim-2-')
    const lines: string[] = []
    for (const day of simulation.days()) {
      for (const [i, e] of day.events.entries()) badDays.mix(simulation.formatter.line(e, day.ids[i]!), lines)
    }
    badDays.flush(lines)
    const now = new Date(`${end}T00:00:00Z`)
    let refused = 0
    let malformedIds = 0
    const seen = new Map<string, number>()
    for (const line of lines) {
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch {
        refused++
        continue
      }
      const judged = judgeEvent(value, { now, defaultSource: 'x' })
      if (!judged.ok) {
        refused++
        if (judged.id?.includes('-bad-')) malformedIds++
      } else seen.set(judged.event.id, (seen.get(judged.event.id) ?? 0) + 1)
    }
    expect(badDays.malformed).toBeGreaterThan(100)
    expect(refused).toBe(badDays.malformed)
    expect(malformedIds).toBeGreaterThan(badDays.malformed * 0.8)
    const twice = [...seen.values()].filter((n) => n > 1).reduce((s, n) => s + n - 1, 0)
    expect(twice).toBe(badDays.duplicates)
    expect(badDays.duplicates).toBeGreaterThan(50)
  })

  it('names the flag at fault in a bad option', () => {
    expect(() => parseSimulationOptions({ end, badShare: '2' })).toThrow(SimulationOptionsError)
    expect(() => parseSimulationOptions({ end, badShare: '2' })).toThrow(/^--bad-share: /)
    expect(() => parseSimulationOptions({ end, employees: 'many' })).toThrow(/^--employees: /)
    expect(() => parseSimulationOptions({ end: '2026-02-30' })).toThrow(/^--end: /)
    expect(parseSimulationOptions({ end })).toMatchObject({
      org: 'demo',
      employees: 2000,
      months: 18,
      seed: 42,
    })
  })
})
