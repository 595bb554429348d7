// What every behaviour of a simulated day shares: the world, the random stream, the content and the
// communities, the agenda of planned items, today's clock and who is around, and the event list
// the day is written into.
import type { CatalogueType, Feature } from '../../schemas/event-catalogue.ts'
import { dayMs, hourMs } from '../calendar.ts'
import { Communities } from '../communities.ts'
import { type ContentItem, type ContentKind, ContentLibrary } from '../content.ts'
import { type Adoption, type DiffusionWorld, toSeconds, workingHour } from '../diffusion.ts'
import type { SimEvent } from '../event-format.ts'
import { featureLaunch } from '../features.ts'
import { isEmployed } from '../organisation.ts'
import type { Random } from '../random.ts'

export interface ActivityWorld extends DiffusionWorld {
  adoptions: readonly Adoption[]
}

/** What an adoption needs at its three moments: what the influencer made, where they invited to. */
export interface AdoptionPlan {
  adoption: Adoption
  item: ContentItem | null
  community: number
}

/** Something planned for a later day: a step of an adoption, an answer, a vote, a join, seed content. */
export type AgendaItem =
  | { kind: 'content' | 'interaction' | 'adoption'; time: number; order: number; plan: AdoptionPlan }
  | { kind: 'answer'; time: number; order: number; question: ContentItem; self: boolean }
  | { kind: 'vote'; time: number; order: number; poll: ContentItem; voter: number }
  | { kind: 'join'; time: number; order: number; person: number; community: number }
  | { kind: 'seed'; time: number; order: number; person: number; content: ContentKind }

export type UptakeFeature = keyof typeof featureLaunch
export const uptakeFeatures = Object.keys(featureLaunch) as UptakeFeature[]

export class ActivityState {
  readonly library: ContentLibrary
  readonly communities: Communities
  /** One bucket per simulated day. */
  readonly agenda: AgendaItem[][]
  /** The day each person adopts, Infinity for those who never do. */
  readonly adoptionDay: Float64Array
  /** How far each feature has been taken up today, 0 to 1. */
  readonly uptake: Record<UptakeFeature, number>
  events: SimEvent[] = []
  seq = 0
  order = 0
  day = 0
  working = false
  /** Today's activity relative to an ordinary weekday. */
  dayFactor = 1
  /** Adopted before today, employed, present and not dormant: who answers, votes, is mentioned. */
  activeAdopters: number[] = []

  constructor(
    readonly world: ActivityWorld,
    readonly rng: Random,
  ) {
    const n = world.org.people.length
    this.library = new ContentLibrary(world.org.departments.length)
    this.communities = new Communities(n, world.org.departments.length)
    this.agenda = Array.from({ length: world.calendar.days }, () => [])
    this.adoptionDay = new Float64Array(n).fill(Number.POSITIVE_INFINITY)
    this.uptake = Object.fromEntries(uptakeFeatures.map((f) => [f, 0])) as Record<UptakeFeature, number>
  }

  /** Files the item under its day; items outside the simulated period are dropped. */
  schedule(item: AgendaItem): void {
    const offset = Math.floor(item.time / dayMs) - this.world.calendar.startDay
    if (offset < 0 || offset >= this.agenda.length) return
    item.order = this.order++
    this.agenda[offset]!.push(item)
  }

  emit(
    time: number,
    type: CatalogueType,
    actor: number,
    feature: Feature | '' = '',
    space = '',
    object = '',
    parent = '',
    target = -1,
    count = 0,
  ): SimEvent {
    const event: SimEvent = {
      time,
      seq: this.seq++,
      type,
      actor,
      feature,
      space,
      object,
      parent,
      target,
      count,
      interactionOf: -1,
      adoptionOf: -1,
    }
    this.events.push(event)
    return event
  }

  // ── today's clock ──────────────────────────────────────────────────────────────────────────

  /** UTC ms of a Paris wall-clock hour today. */
  at(hours: number): number {
    return toSeconds(this.world.calendar.parisTime(this.day, hours))
  }

  sessionStart(): number {
    return this.working ? this.at(workingHour(this.rng)) : this.at(9 + 13 * this.rng.next())
  }

  /** The time of the next action in a session. */
  step(t: number): number {
    return t + 1000 * (20 + this.rng.int(220))
  }

  /** `ms` before `t`, but never before today (events of a day stay in that day). */
  earlier(t: number, ms: number): number {
    return Math.max(this.day * dayMs, t - ms)
  }

  /** The same time when it falls in office hours on a working day, else the next working morning. */
  officeTime(t: number): number {
    const { calendar } = this.world
    let day = Math.floor(t / dayMs)
    const hour = (t - day * dayMs) / hourMs + calendar.parisOffset(day)
    if (calendar.isWorkingDay(day) && hour >= 7.5 && hour <= 19.5) return toSeconds(t)
    if (hour > 19.5 || !calendar.isWorkingDay(day)) day++
    while (!calendar.isWorkingDay(day)) day++
    return toSeconds(calendar.parisTime(day, 8 + 2 * this.rng.next()))
  }

  // ── who and what is around ─────────────────────────────────────────────────────────────────

  /** Something the person can read: from their department, their communities or the company. */
  pickContent(u: number): ContentItem | undefined {
    const person = this.world.org.people[u]!
    return this.library.pickFor(person.department, this.communities.memberships[u]!, this.rng)
  }

  /** An adopted colleague, most often a neighbour in the graph; -1 when there is none. */
  colleagueOf(u: number): number {
    const neighbours = this.world.graph.neighbours[u]!
    if (neighbours.length > 0 && this.rng.chance(0.75)) {
      for (let tries = 0; tries < 6; tries++) {
        const v = neighbours[this.rng.int(neighbours.length)]!
        if (this.isAvailableAdopter(v)) return v
      }
    }
    if (this.activeAdopters.length === 0) return -1
    const v = this.activeAdopters[this.rng.int(this.activeAdopters.length)]!
    return v === u ? -1 : v
  }

  /** Adopted before today and employed today: may be the target of an interaction. */
  isAvailableAdopter(v: number): boolean {
    return this.adoptionDay[v]! < this.day && isEmployed(this.world.org.people[v]!, this.day)
  }

  /** May act today on someone else's behalf (answer, vote, join): also present and not dormant. */
  canAct(v: number): boolean {
    return (
      this.isAvailableAdopter(v) &&
      !this.world.absences.isAway(v, this.day) &&
      !this.world.lifecycle.isDormant(v, this.day)
    )
  }
}
