// Time off: a summer break (mostly in August), Christmas week and the odd spring week, per person.
// Nobody acts on the platform or sends email while away, which makes the August slump.
import { dayMs, type WorkCalendar, yearOf } from './calendar.ts'
import type { Organisation } from './organisation.ts'
import type { Random } from './random.ts'

export class Absences {
  private readonly away: Uint8Array
  private readonly startDay: number
  private readonly days: number

  constructor(org: Organisation, calendar: WorkCalendar, rng: Random) {
    this.startDay = calendar.startDay
    this.days = calendar.days
    this.away = new Uint8Array(org.people.length * this.days)
    const firstYear = yearOf(calendar.startDay)
    const lastYear = yearOf(calendar.endDay)
    const date = (y: number, m: number, d: number) => Math.floor(Date.UTC(y, m - 1, d) / dayMs)
    for (const p of org.people) {
      for (let y = firstYear; y <= lastYear; y++) {
        if (rng.chance(0.9)) {
          // Two or three weeks, starting between mid-July and late August, most often in August.
          const start = rng.chance(0.7) ? date(y, 7, 27) + rng.int(24) : date(y, 7, 6) + rng.int(21)
          this.mark(p.index, start, start + (rng.chance(0.5) ? 14 : rng.chance(0.6) ? 21 : 10))
        }
        if (rng.chance(0.65)) this.mark(p.index, date(y, 12, 22) + rng.int(3), date(y + 1, 1, 2))
        if (rng.chance(0.35)) {
          const start = date(y, 4, 1) + rng.int(50)
          this.mark(p.index, start, start + 7)
        }
        if (rng.chance(0.3)) {
          const start = date(y, 10, 20) + rng.int(14)
          this.mark(p.index, start, start + 5)
        }
      }
    }
  }

  private mark(person: number, from: number, to: number): void {
    const lo = Math.max(from, this.startDay) - this.startDay
    const hi = Math.min(to, this.startDay + this.days) - this.startDay
    const base = person * this.days
    for (let d = lo; d < hi; d++) this.away[base + d] = 1
  }

  isAway(person: number, day: number): boolean {
    const offset = day - this.startDay
    if (offset < 0 || offset >= this.days) return false
    return this.away[person * this.days + offset] === 1
  }
}
