// The simulated organisation from options to events: builds the people, their graph, time off and
// the diffusion (all in memory, small), then streams the events day by day, in time order, with
// deterministic ids, recording the ground truth as it goes.
import type { RosterPerson } from '../schemas/roster.ts'
import type { ProgressListener } from '../terminal/progress.ts'
import { Absences } from './absences.ts'
import { ActivityGenerator } from './activity.ts'
import type { BadDays } from './bad-days.ts'
import { addMonths, dateOf, dayOf, WorkCalendar } from './calendar.ts'
import { type Adoption, simulateDiffusion } from './diffusion.ts'
import { preLaunchWeeks } from './email.ts'
import { EventFormatter, type SimEvent, wireTime } from './event-format.ts'
import { type GroundTruth, GroundTruthRecorder } from './ground-truth.ts'
import { Lifecycle } from './lifecycle.ts'
import { type SimulationOptions, SimulationOptionsError } from './options.ts'
import { buildOrganisation, isEmployed, type Organisation, rosterOf } from './organisation.ts'
import type { SimulationOutput } from './outputs.ts'
import { drawTraits, type Traits } from './people-traits.ts'
import { Random } from './random.ts'
import { buildSocialGraph, type SocialGraph } from './social-graph.ts'
import type { SimulationSummary } from './summary.ts'

export interface DayOfEvents {
  day: number
  events: SimEvent[]
  /** The id of each event, same order. */
  ids: string[]
}

export class Simulation {
  readonly calendar: WorkCalendar
  readonly org: Organisation
  readonly graph: SocialGraph
  readonly traits: Traits
  readonly absences: Absences
  readonly lifecycle: Lifecycle
  readonly adoptions: readonly Adoption[]
  readonly formatter: EventFormatter
  readonly recorder: GroundTruthRecorder
  private readonly activity: ActivityGenerator
  private readonly idPrefix: string
  private nextId = 0
  private done = false

  constructor(readonly options: SimulationOptions) {
    const endDay = dayOf(options.end)
    const startDay = addMonths(endDay, -options.months)
    this.calendar = new WorkCalendar(startDay, endDay)
    // One stream per stage, so that a change in one stage's draws leaves the others as they were.
    const root = new Random(options.seed)
    this.org = buildOrganisation(
      { employees: options.employees, startDay, endDay },
      root.fork('organisation'),
    )
    this.graph = buildSocialGraph(this.org, root.fork('graph'))
    this.traits = drawTraits(this.org, options.never, root.fork('traits'))
    this.absences = new Absences(this.org, this.calendar, root.fork('absences'))
    this.lifecycle = new Lifecycle(this.org.people.length, startDay, endDay)
    const world = {
      org: this.org,
      graph: this.graph,
      traits: this.traits,
      absences: this.absences,
      lifecycle: this.lifecycle,
      calendar: this.calendar,
    }
    this.adoptions = simulateDiffusion(world, { p: options.p, q: options.q }, root.fork('diffusion'))
    this.activity = new ActivityGenerator(
      { ...world, adoptions: this.adoptions },
      root.fork('activity'),
      root.fork('pre-launch'),
    )
    this.formatter = new EventFormatter(
      options.org,
      this.org.people.map((p) => p.id),
    )
    this.recorder = new GroundTruthRecorder(this.org.people.length)
    this.idPrefix = `sim-${options.seed}-`
  }

  get startDay(): number {
    return this.calendar.startDay
  }

  get endDay(): number {
    return this.calendar.endDay
  }

  roster(): RosterPerson[] {
    return rosterOf(this.org)
  }

  /** Workforce on the last simulated day. */
  workforceAtEnd(): number {
    return this.org.people.filter((p) => isEmployed(p, this.endDay - 1)).length
  }

  /** The events, one day at a time, in time order; may be walked once. */
  *days(): Generator<DayOfEvents> {
    if (this.done) throw new Error('a simulation streams its events once; build another one')
    this.done = true
    for (const { day, events } of this.activity.days()) {
      const ids = new Array<string>(events.length)
      for (let i = 0; i < events.length; i++) {
        const id = `${this.idPrefix}${this.nextId++}`
        ids[i] = id
        const e = events[i]!
        if (e.interactionOf >= 0) this.recorder.interactionEvent[e.interactionOf] = id
        if (e.adoptionOf >= 0) this.recorder.adoptionEvent[e.adoptionOf] = id
      }
      this.recorder.events += events.length
      yield { day, events, ids }
    }
  }

  /** Complete once `days()` has been walked to its end. */
  groundTruth(): GroundTruth {
    return this.recorder.build(
      {
        org: this.options.org,
        seed: this.options.seed,
        employees: this.options.employees,
        months: this.options.months,
        p: this.options.p,
        q: this.options.q,
        never: this.options.never,
        startDay: this.startDay,
        endDay: this.endDay,
      },
      { org: this.org, traits: this.traits, lifecycle: this.lifecycle, adoptions: this.adoptions },
      this.activity.communities,
    )
  }
}

export interface SimulationResult {
  groundTruth: GroundTruth
  summary: SimulationSummary
}

export interface RunOptions {
  output: SimulationOutput
  /** The mixer the output was given, if any: its counts go into the ground truth. */
  badDays?: BadDays | null
  onProgress?: ProgressListener
}

/** Runs a whole simulation into an output; gives the event loop a turn after every simulated day. */
export async function runSimulation(options: SimulationOptions, run: RunOptions): Promise<SimulationResult> {
  const { output, badDays = null } = run
  if ((options.badShare > 0 || options.duplicateShare > 0) && !output.takesBadLines) {
    throw new SimulationOptionsError('--bad-share and --duplicate-share only apply with --to or --out')
  }
  const startedAt = performance.now()
  const simulation = new Simulation(options)
  await output.start(simulation.roster(), simulation.formatter)
  const eventsByType = new Map<string, number>()
  let events = 0
  let firstTime = Number.NaN
  let lastTime = Number.NaN
  const firstDay = simulation.startDay - 7 * preLaunchWeeks
  const total = simulation.endDay - firstDay
  for (const day of simulation.days()) {
    for (const e of day.events) eventsByType.set(e.type, (eventsByType.get(e.type) ?? 0) + 1)
    if (day.events.length > 0) {
      if (Number.isNaN(firstTime)) firstTime = day.events[0]!.time
      lastTime = day.events[day.events.length - 1]!.time
    }
    events += day.events.length
    await output.write(day.events, day.ids)
    run.onProgress?.({ done: day.day + 1 - firstDay, total, events, date: dateOf(day.day) })
    // A server simulating its demo org keeps answering meanwhile.
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
  const groundTruth = () => {
    simulation.recorder.malformed = badDays?.malformed ?? 0
    simulation.recorder.duplicates = badDays?.duplicates ?? 0
    return simulation.groundTruth()
  }
  const report = await output.finish(groundTruth)
  const truth = groundTruth()
  const seconds = (performance.now() - startedAt) / 1000
  const endDay = simulation.endDay
  const workforce = simulation.workforceAtEnd()
  const adoptedAndEmployed = simulation.adoptions.filter((a) =>
    isEmployed(simulation.org.people[a.person]!, endDay - 1),
  ).length
  const summary: SimulationSummary = {
    org: options.org,
    people: simulation.org.people.length,
    workforceAtEnd: workforce,
    adopters: simulation.adoptions.length,
    adoptionRateAtEnd: workforce > 0 ? adoptedAndEmployed / workforce : 0,
    events,
    eventsByType: Object.fromEntries(
      [...eventsByType.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
    ),
    malformed: truth.malformed,
    duplicates: truth.duplicates,
    start: truth.start,
    end: truth.end,
    firstEvent: Number.isNaN(firstTime) ? null : wireTime(firstTime),
    lastEvent: Number.isNaN(lastTime) ? null : wireTime(lastTime),
    seconds,
    eventsPerSecond: seconds > 0 ? events / seconds : 0,
    ...report,
  }
  return { groundTruth: truth, summary }
}
