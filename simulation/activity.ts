// Day by day, what everyone does: lurking before adopting, the planned interaction and first engaged
// event of each adoption, sessions once adopted (views, reactions, comments, shares, creations),
// answers to questions, votes, joins, and the daily email count. One day is held at a time.
// The behaviours live in activity/; their shared state in activity/state.ts.
import { scheduleAdoptions } from './activity/adoption.ts'
import { runAgenda } from './activity/agenda.ts'
import { beginDay, personDay } from './activity/day.ts'
import { preLaunchEmails } from './activity/email-sent.ts'
import { ActivityState, type ActivityWorld } from './activity/state.ts'
import type { Communities } from './communities.ts'
import { preLaunchWeeks } from './email.ts'
import type { SimEvent } from './event-format.ts'
import type { Random } from './random.ts'

export type { ActivityWorld } from './activity/state.ts'

export interface SimulatedDay {
  day: number
  /** In time order. */
  events: SimEvent[]
}

export class ActivityGenerator {
  readonly communities: Communities
  private readonly state: ActivityState

  /** `preLaunch`: the random stream of the email days before the launch (`preLaunchWeeks`). */
  constructor(
    world: ActivityWorld,
    rng: Random,
    private readonly preLaunch: Random,
  ) {
    this.state = new ActivityState(world, rng)
    this.communities = this.state.communities
    scheduleAdoptions(this.state)
  }

  *days(): Generator<SimulatedDay> {
    const s = this.state
    const { calendar, org } = s.world
    for (let day = calendar.startDay - 7 * preLaunchWeeks; day < calendar.startDay; day++) {
      yield { day, events: preLaunchEmails(s.world, day, this.preLaunch) }
    }
    for (let day = calendar.startDay; day < calendar.endDay; day++) {
      beginDay(s, day)
      for (let u = 0; u < org.people.length; u++) personDay(s, u)
      runAgenda(s)
      s.library.publishStaged()
      const events = s.events
      s.events = []
      events.sort((a, b) => a.time - b.time || a.seq - b.seq)
      yield { day, events }
    }
  }
}
