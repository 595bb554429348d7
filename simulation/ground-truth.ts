// What really happened, for tests and for checking the analytics: each person's adoption time (the
// time of their first engaged event), week, path and influencer, the parameters used, the communities.
import { dateOf, dayMs, isoWeekStart } from './calendar.ts'
import type { Communities } from './communities.ts'
import type { Adoption, AdoptionPath } from './diffusion.ts'
import { preLaunchWeeks } from './email.ts'
import { wireTime } from './event-format.ts'
import type { Lifecycle } from './lifecycle.ts'
import type { Organisation } from './organisation.ts'
import type { Traits } from './people-traits.ts'

export interface GroundTruthPerson {
  id: string
  department: string
  community_manager: boolean
  /** Drawn among the share that never adopts. */
  never: boolean
  /** RFC 3339 UTC time of the first engaged event; null for people who did not adopt in the period. */
  adoption_time: string | null
  /** Monday (`YYYY-MM-DD`) of the ISO week of adoption, as the analytics label weeks. */
  adoption_week: string | null
  /** Week of the diffusion process (7-day steps from the period's first day). */
  diffusion_week: number | null
  path: AdoptionPath | null
  /** The adopted neighbour whose interaction led to the adoption. */
  influencer: string | null
  /** Id of that interaction: the influencer's targeted event, or the adopter's view of their content. */
  interaction_event: string | null
  /** Id of the first engaged event. */
  adoption_event: string | null
  /** Spells of silence after adopting (`to` exclusive; the period's end when they never came back). */
  dormant: { from: string; to: string }[]
}

export interface GroundTruth {
  org: string
  seed: number
  /** The platform's launch: the first day of platform activity (the community managers open it). */
  start: string
  /** First simulated day: the email baseline starts `preLaunchWeeks` (8) weeks before `start`,
   * with only `email.sent` events before it. */
  emails_from: string
  /** First day after the simulated period (exclusive). */
  end: string
  employees: number
  months: number
  p: number
  q: number
  never: number
  adopters: number
  /** Valid events generated (duplicates and malformed lines not included). */
  events: number
  malformed: number
  duplicates: number
  people: GroundTruthPerson[]
  communities: { space: string; department: string | null; created: string; dormant_from: string | null }[]
}

export interface GroundTruthParams {
  org: string
  seed: number
  employees: number
  months: number
  p: number
  q: number
  never: number
  startDay: number
  endDay: number
}

/** Filled while the events are written: event ids are known only once a day is sorted. */
export class GroundTruthRecorder {
  readonly interactionEvent: (string | null)[]
  readonly adoptionEvent: (string | null)[]
  events = 0
  malformed = 0
  duplicates = 0

  constructor(people: number) {
    this.interactionEvent = Array.from({ length: people }, () => null)
    this.adoptionEvent = Array.from({ length: people }, () => null)
  }

  build(
    params: GroundTruthParams,
    world: { org: Organisation; traits: Traits; lifecycle: Lifecycle; adoptions: readonly Adoption[] },
    communities: Communities,
  ): GroundTruth {
    const { org, traits, lifecycle } = world
    const byPerson = new Map(world.adoptions.map((a) => [a.person, a]))
    const people = org.people.map((p): GroundTruthPerson => {
      const a = byPerson.get(p.index)
      return {
        id: p.id,
        department: org.departments[p.department]!.name,
        community_manager: p.communityManager,
        never: traits.never[p.index] === 1,
        adoption_time: a ? wireTime(a.time) : null,
        adoption_week: a ? dateOf(isoWeekStart(Math.floor(a.time / dayMs))) : null,
        diffusion_week: a ? a.week : null,
        path: a ? a.path : null,
        influencer: a && a.influencer >= 0 ? org.people[a.influencer]!.id : null,
        interaction_event: this.interactionEvent[p.index] ?? null,
        adoption_event: this.adoptionEvent[p.index] ?? null,
        dormant: lifecycle.spells[p.index]!.map((s) => ({ from: dateOf(s.from), to: dateOf(s.to) })),
      }
    })
    return {
      org: params.org,
      seed: params.seed,
      start: dateOf(params.startDay),
      emails_from: dateOf(params.startDay - 7 * preLaunchWeeks),
      end: dateOf(params.endDay),
      employees: params.employees,
      months: params.months,
      p: params.p,
      q: params.q,
      never: params.never,
      adopters: world.adoptions.length,
      events: this.events,
      malformed: this.malformed,
      duplicates: this.duplicates,
      people,
      communities: communities.list.map((c) => ({
        space: c.id,
        department: c.department >= 0 ? org.departments[c.department]!.name : null,
        created: dateOf(c.createdDay),
        dormant_from:
          Number.isFinite(c.dormantFrom) && c.dormantFrom < params.endDay ? dateOf(c.dormantFrom) : null,
      })),
    }
  }
}
