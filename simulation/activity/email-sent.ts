// The outside baseline written as events: one `email.sent` per person and working day, with the
// day's count, which falls as the person's use of the platform matures (see ../email.ts).
import { emailCount } from '../email.ts'
import type { ActivityState } from './state.ts'

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
