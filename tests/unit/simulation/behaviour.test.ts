// Does the simulated organisation behave like a real one? One year of 400 people, checked against
// plausible bands and against its own ground truth; the adoption curve on a full-size organisation.
import { beforeAll, describe, expect, it } from 'vitest'
import { eventCatalogue, type Level } from '../../../schemas/event-catalogue.ts'
import {
  dateOf,
  dayMs,
  dayOf,
  isoWeekStart,
  type WorkCalendar,
  weekdayOf,
} from '../../../simulation/calendar.ts'
import type { SimEvent } from '../../../simulation/event-format.ts'
import type { GroundTruth } from '../../../simulation/ground-truth.ts'
import { parseSimulationOptions } from '../../../simulation/options.ts'
import { Simulation } from '../../../simulation/simulate.ts'

const end = '2026-10-01'
const rank: Record<Level, number> = { none: 0, view: 1, react: 2, contribute: 3, create: 4 }

interface Run {
  simulation: Simulation
  events: SimEvent[]
  ids: string[]
  truth: GroundTruth
  calendar: WorkCalendar
}
let run: Run

beforeAll(() => {
  const simulation = new Simulation(
    parseSimulationOptions({ org: 'behaviour', employees: 400, months: 12, seed: 21, end }),
  )
  const events: SimEvent[] = []
  const ids: string[] = []
  for (const day of simulation.days()) {
    for (const e of day.events) events.push(e)
    for (const id of day.ids) ids.push(id)
  }
  run = { simulation, events, ids, truth: simulation.groundTruth(), calendar: simulation.calendar }
})

const level = (e: SimEvent) => rank[eventCatalogue[e.type].level]
const dayOfEvent = (e: SimEvent) => Math.floor(e.time / dayMs)
const idOf = (e: SimEvent) => run.simulation.org.people[e.actor]!.id

/** Share of active people (a view or more) whose best level is create / react-contribute / view. */
function ladder(events: readonly SimEvent[]): {
  active: number
  creators: number
  contributors: number
  lurkers: number
} {
  const best = new Map<number, number>()
  for (const e of events) {
    const l = level(e)
    if (l >= 1 && l > (best.get(e.actor) ?? 0)) best.set(e.actor, l)
  }
  const count = (f: (l: number) => boolean) => [...best.values()].filter(f).length / best.size
  return {
    active: best.size,
    creators: count((l) => l === 4),
    contributors: count((l) => l === 2 || l === 3),
    lurkers: count((l) => l === 1),
  }
}

describe('the event stream', () => {
  it('is in time order, inside the period, with unique deterministic ids', () => {
    const { events, ids, simulation } = run
    let disorder = 0
    for (let i = 1; i < events.length; i++) if (events[i]!.time < events[i - 1]!.time) disorder++
    expect(disorder).toBe(0)
    // Eight weeks of email only before the launch (the period's first day).
    expect(events[0]!.time).toBeGreaterThanOrEqual((simulation.startDay - 56) * dayMs)
    expect(events.filter((e) => e.time < simulation.startDay * dayMs && e.type !== 'email.sent')).toEqual([])
    expect(events.at(-1)!.time).toBeLessThan(simulation.endDay * dayMs)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids[0]).toBe('sim-21-0')
    expect(ids.at(-1)).toBe(`sim-21-${ids.length - 1}`)
    expect(events.length).toBeGreaterThan(100_000)
    expect(new Set(events.map((e) => e.type)).size).toBe(Object.keys(eventCatalogue).length)
  })

  it('has people act only while employed and never during a dormant spell', () => {
    const { events, simulation } = run
    const outside = events.filter((e) => {
      const p = simulation.org.people[e.actor]!
      const day = dayOfEvent(e)
      return day < p.hiredDay || day >= p.leftDay
    })
    expect(outside).toEqual([])
    const spells = simulation.lifecycle.spells
    const inSpell = events.filter(
      (e) =>
        e.type !== 'email.sent' &&
        spells[e.actor]!.some((s) => dayOfEvent(e) >= s.from && dayOfEvent(e) < s.to),
    )
    expect(inSpell).toEqual([])
    // Some drift away, and some of them come back.
    const drifted = spells.filter((s) => s.length > 0).length
    expect(drifted).toBeGreaterThan(10)
    const cameBack = spells.filter((s, person) =>
      s.some(
        (spell) =>
          spell.to < simulation.endDay && events.some((e) => e.actor === person && dayOfEvent(e) >= spell.to),
      ),
    ).length
    expect(cameBack).toBeGreaterThan(3)
  })
})

describe('the ground truth', () => {
  it('gives each adopter the time of their first engaged event, and non-adopters none', () => {
    const first = new Map<string, { time: number; id: string }>()
    run.events.forEach((e, i) => {
      if (level(e) >= 2 && !first.has(idOf(e))) first.set(idOf(e), { time: e.time, id: run.ids[i]! })
    })
    const faults: string[] = []
    let adopters = 0
    for (const p of run.truth.people) {
      const seen = first.get(p.id)
      if (p.adoption_time === null) {
        if (seen) faults.push(`${p.id} has an engaged event but no adoption`)
        continue
      }
      adopters++
      if (!seen || new Date(seen.time).toISOString().replace('.000', '') !== p.adoption_time) {
        faults.push(
          `${p.id}: adoption ${p.adoption_time}, first engaged ${seen && new Date(seen.time).toISOString()}`,
        )
      } else if (seen.id !== p.adoption_event)
        faults.push(`${p.id}: adoption event ${p.adoption_event} vs ${seen.id}`)
      const week = dateOf(isoWeekStart(dayOf(p.adoption_time.slice(0, 10))))
      if (p.adoption_week !== week) faults.push(`${p.id}: week ${p.adoption_week} vs ${week}`)
    }
    expect(faults.slice(0, 5)).toEqual([])
    expect(adopters).toBe(run.truth.adopters)
    expect(adopters / run.truth.people.length).toBeGreaterThan(0.5)
    expect(run.truth.people.filter((p) => p.never && p.adoption_time)).toEqual([])
    expect(run.truth).toMatchObject({ p: 0.01, q: 0.35, never: 0.15, seed: 21, start: '2025-10-01', end })
  })

  it('traces each influenced adoption to an interaction the influence metric can find', () => {
    const { events, ids, truth } = run
    const byId = new Map(ids.map((id, i) => [id, events[i]!]))
    const creatorOf = new Map<string, string>()
    for (const e of events) if (level(e) === 4 && e.object) creatorOf.set(e.object, idOf(e))
    const adoptedAt = new Map(
      truth.people.map((p) => [p.id, p.adoption_time ? Date.parse(p.adoption_time) : null]),
    )
    const faults: string[] = []
    const influenced = truth.people.filter((p) => p.influencer)
    for (const p of influenced) {
      const e = byId.get(p.interaction_event ?? '')
      const adoption = Date.parse(p.adoption_time!)
      if (!e) {
        faults.push(`${p.id}: no interaction event`)
        continue
      }
      const ofInfluencer =
        idOf(e) === p.influencer && e.target >= 0 && run.simulation.org.people[e.target]!.id === p.id
      const readTheirs = idOf(e) === p.id && level(e) <= 2 && creatorOf.get(e.object) === p.influencer
      if (!ofInfluencer && !readTheirs) faults.push(`${p.id}: ${e.type} is not from ${p.influencer}`)
      if (!(e.time < adoption && e.time >= adoption - 30 * dayMs))
        faults.push(`${p.id}: interaction not in the 30 days`)
      if (!((adoptedAt.get(p.influencer!) ?? Number.POSITIVE_INFINITY) < e.time)) {
        faults.push(`${p.id}: ${p.influencer} had not adopted yet`)
      }
    }
    expect(faults.slice(0, 5)).toEqual([])
    expect(influenced.length / truth.adopters).toBeGreaterThan(0.5)
    const paths = new Set(influenced.map((p) => p.path))
    expect([...paths].sort()).toEqual(['content', 'invitation', 'mention', 'message', 'share'])
  })
})

describe('behaviour', () => {
  it('shows a participation ladder: many readers, fewer contributors, few creators', () => {
    const lastMonth = run.events.filter((e) => e.time >= (run.simulation.endDay - 28) * dayMs)
    const month = ladder(lastMonth)
    expect(month.lurkers).toBeGreaterThan(0.45)
    expect(month.lurkers).toBeLessThan(0.85)
    expect(month.contributors).toBeGreaterThan(0.1)
    expect(month.contributors).toBeLessThan(0.45)
    expect(month.creators).toBeGreaterThan(0.02)
    expect(month.creators).toBeLessThan(0.15)
    // Over the whole year adopters have all engaged once, so fewer read only; creators stay a minority.
    const year = ladder(run.events)
    expect(year.creators).toBeLessThan(0.4)
    expect(year.creators).toBeLessThan(year.contributors)
    expect(year.lurkers).toBeGreaterThan(0.03)
  })

  it('follows the working week, and slows down on public holidays and in August', () => {
    const perDay = new Map<number, number>()
    for (const e of run.events)
      if (e.type !== 'email.sent') perDay.set(dayOfEvent(e), (perDay.get(dayOfEvent(e)) ?? 0) + 1)
    const mean = (days: number[]) => days.reduce((s, d) => s + (perDay.get(d) ?? 0), 0) / days.length
    const { startDay, endDay } = run.simulation
    // The second half of the year: adoption has settled.
    const days = Array.from({ length: endDay - startDay }, (_, i) => startDay + i).filter(
      (d) => d >= dayOf('2026-03-01'),
    )
    const working = days.filter((d) => run.calendar.isWorkingDay(d) && dateOf(d).slice(5, 7) !== '08')
    const weekends = days.filter((d) => weekdayOf(d) >= 5)
    const holidays = days.filter((d) => weekdayOf(d) < 5 && run.calendar.isHoliday(d))
    const ratio = mean(working) / mean(weekends)
    expect(ratio).toBeGreaterThan(5)
    expect(ratio).toBeLessThan(40)
    expect(holidays.length).toBeGreaterThanOrEqual(5)
    expect(mean(holidays)).toBeLessThan(0.3 * mean(working))
    const august = days.filter((d) => run.calendar.isWorkingDay(d) && dateOf(d).slice(5, 7) === '08')
    const juneSeptember = days.filter(
      (d) => run.calendar.isWorkingDay(d) && ['06', '09'].includes(dateOf(d).slice(5, 7)),
    )
    expect(mean(august)).toBeLessThan(0.8 * mean(juneSeptember))
    // Emails: working days only.
    expect(
      run.events.filter((e) => e.type === 'email.sent' && !run.calendar.isWorkingDay(dayOfEvent(e))),
    ).toEqual([])
  })

  it('takes features up at different times: files and wiki first, Q&A and meeting polls later', () => {
    const first = new Map<string, number>()
    for (const e of run.events) {
      const feature = e.feature || eventCatalogue[e.type].feature
      if (!first.has(feature)) first.set(feature, e.time)
    }
    const { startDay, endDay } = run.simulation
    const at = (feature: string) => (first.get(feature)! / dayMs - startDay) / (endDay - startDay)
    expect(at('files')).toBeLessThan(0.05)
    expect(at('wiki')).toBeLessThan(0.05)
    expect(at('qa')).toBeGreaterThan(0.25)
    expect(at('events')).toBeGreaterThan(at('qa'))
  })

  it('answers most questions, by others, after a while, and leaves some unanswered', () => {
    const questions = new Map<string, { time: number; asker: number; firstReply: number }>()
    let selfAnswers = 0
    let orphanAnswers = 0
    for (const e of run.events) {
      if (e.type === 'question.asked')
        questions.set(e.object, { time: e.time, asker: e.actor, firstReply: Number.NaN })
      if (e.type === 'answer.created') {
        const q = questions.get(e.parent)
        if (!q) orphanAnswers++
        else if (e.actor === q.asker) selfAnswers++
        else if (Number.isNaN(q.firstReply)) q.firstReply = e.time
      }
    }
    expect(orphanAnswers).toBe(0)
    expect(selfAnswers).toBeGreaterThan(0)
    const all = [...questions.values()]
    expect(all.length).toBeGreaterThan(30)
    const unanswered = all.filter((q) => Number.isNaN(q.firstReply)).length / all.length
    expect(unanswered).toBeGreaterThan(0.02)
    expect(unanswered).toBeLessThan(0.35)
    const within24h = all.filter((q) => q.firstReply - q.time <= dayMs).length / all.length
    expect(within24h).toBeGreaterThan(0.3)
    expect(within24h).toBeLessThan(0.95)
  })

  it('has communities that grow, and some that go dormant', () => {
    const { truth, events } = run
    const dormant = truth.communities.filter((c) => c.dormant_from)
    expect(truth.communities.length).toBeGreaterThan(10)
    expect(dormant.length).toBeGreaterThan(0)
    const dormantFrom = new Map(dormant.map((c) => [c.space, Date.parse(`${c.dormant_from}T00:00:00Z`)]))
    const latePosts = events.filter(
      (e) => e.type === 'post.created' && dormantFrom.has(e.space) && e.time >= dormantFrom.get(e.space)!,
    )
    expect(latePosts).toEqual([])
    const joins = events.filter((e) => e.type === 'group.joined')
    const half = run.simulation.startDay + (run.simulation.endDay - run.simulation.startDay) / 2
    expect(joins.filter((e) => dayOfEvent(e) >= half).length).toBeGreaterThan(0)
    expect(events.filter((e) => e.type === 'group.left').length).toBeGreaterThan(0)
    expect(events.filter((e) => e.type === 'post.created' && e.space === '')).toEqual([])
  })

  it('sends fewer emails per person as engagement rises', () => {
    const perDay = (from: string, to: string) => {
      let emails = 0
      let personDays = 0
      for (const e of run.events) {
        if (e.type !== 'email.sent') continue
        const date = dateOf(dayOfEvent(e))
        if (date >= from && date < to) {
          emails += e.count
          personDays++
        }
      }
      return emails / personDays
    }
    expect(perDay('2026-07-01', '2026-10-01')).toBeLessThan(0.9 * perDay('2025-10-01', '2025-11-01'))
  })
})

describe('adoption by diffusion', () => {
  it('draws an S-shaped curve: slow start, steepest in the middle, saturating', () => {
    for (const seed of [42, 7]) {
      const simulation = new Simulation(parseSimulationOptions({ org: 'curve', seed, end: '2026-11-27' }))
      const weeks = Math.ceil((simulation.endDay - simulation.startDay) / 7)
      const perWeek = new Array<number>(weeks).fill(0)
      for (const a of simulation.adoptions) perWeek[a.week]!++
      const peak = perWeek.indexOf(Math.max(...perWeek))
      expect(peak).toBeGreaterThanOrEqual(weeks / 10)
      expect(peak).toBeLessThan(weeks - weeks / 10)
      const cumulative = (w: number) =>
        perWeek.slice(0, w).reduce((a, b) => a + b, 0) / simulation.adoptions.length
      // Slow start, then most of it, then a long tail of late adopters and newcomers.
      expect(cumulative(Math.round(weeks / 10))).toBeLessThan(0.3)
      const firstTenth = perWeek.slice(0, Math.round(weeks / 10))
      expect(Math.max(...firstTenth)).toBeLessThan(0.75 * perWeek[peak]!)
      expect(cumulative(Math.round(weeks / 2))).toBeGreaterThan(0.8)
      expect(
        perWeek.slice(-Math.round(weeks / 10)).reduce((a, b) => a + b, 0) / simulation.adoptions.length,
      ).toBeLessThan(0.05)
      const adopters = simulation.adoptions.length / simulation.org.people.length
      expect(adopters).toBeGreaterThan(0.7)
      expect(adopters).toBeLessThan(0.9)
    }
  })

  it('has fewer adoptions when more people never adopt, and later ones with less imitation', () => {
    const run = (input: { never?: number; q?: number }) =>
      new Simulation(
        parseSimulationOptions({ org: 'curve', employees: 600, seed: 3, end: '2026-11-27', ...input }),
      )
    const median = (s: Simulation) => {
      const weeks = s.adoptions.map((a) => a.week).sort((a, b) => a - b)
      return weeks[Math.floor(weeks.length / 2)]!
    }
    const base = run({})
    expect(run({ never: 0.5 }).adoptions.length).toBeLessThan(0.7 * base.adoptions.length)
    expect(median(run({ q: 0.1 }))).toBeGreaterThan(median(base) + 5)
  })
})
