// The outside baseline written as events: one `email.sent` per person and working day, with the
// day's count, which falls as the person's use of the platform matures (see ../email.ts).
import { toSeconds } from '../diffusion.ts'
import { emailCount } from '../email.ts'
import type { SimEvent } from '../event-format.ts'
import { isEmployed } from '../organisation.ts'
import type { Random } from '../random.ts'
import type { ActivityState, ActivityWorld } from './state.ts'

export function sendEmails(s: ActivityState, u: number, adopted: boolean, dormant: boolean): void {
  const { traits } = s.world
  const weeks = adopted ? (s.day - s.adoptionDay[u]!) / 7 : -1
  const count = emailCount(
    {
      baseline: traits.emailBaseline[u]!,
      engagement: traits.engagement[u]!,
      weeksSinceAdoption: weeks,
      dormant,
    },
    s.rng,
  )
  if (count > 0) s.emit(s.at(19), 'email.sent', u, '', '', '', '', -1, Math.min(count, 1_000_000))
}

/**
 * A day before the platform's launch (see `preLaunchWeeks`): everyone employed sends the day's
 * email on a working day, at their baseline; nobody has adopted, nobody is on the platform. Its
 * own random stream, so the days from the launch on are the same with or without these.
 */
export function preLaunchEmails(world: ActivityWorld, day: number, rng: Random): SimEvent[] {
  const { calendar, org, traits } = world
  if (!calendar.isWorkingDay(day)) return []
  const time = toSeconds(calendar.parisTime(day, 19))
  const events: SimEvent[] = []
  for (const person of org.people) {
    const u = person.index
    // Away now and then, as on the days after the launch.
    if (!isEmployed(person, day) || rng.chance(0.05)) continue
    const count = emailCount(
      {
        baseline: traits.emailBaseline[u]!,
        engagement: traits.engagement[u]!,
        weeksSinceAdoption: -1,
        dormant: false,
      },
      rng,
    )
    if (count === 0) continue
    events.push({
      time,
      seq: events.length,
      type: 'email.sent',
      actor: u,
      feature: '',
      space: '',
      object: '',
      parent: '',
      target: -1,
      count: Math.min(count, 1_000_000),
      interactionOf: -1,
      adoptionOf: -1,
    })
  }
  return events
}
