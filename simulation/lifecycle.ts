// Drifting away and coming back: after adopting, people may go quiet for weeks, some for good.
// Planned per person as soon as they adopt, so the diffusion only picks influencers who are around.
import type { Random } from './random.ts'

export interface DormantSpell {
  from: number
  /** Exclusive; the period's end when the person never came back. */
  to: number
}

export class Lifecycle {
  private readonly dormant: Uint8Array
  readonly spells: DormantSpell[][]

  constructor(
    people: number,
    private readonly startDay: number,
    private readonly endDay: number,
  ) {
    this.dormant = new Uint8Array(people * (endDay - startDay))
    this.spells = Array.from({ length: people }, () => [])
  }

  /**
   * Weekly chance of drifting away falls with engagement; a spell lasts eight weeks on average and
   * six in ten come back.
   */
  planAfterAdoption(person: number, adoptionDay: number, engagement: number, rng: Random): void {
    const weeklyDrift = Math.min(0.05, 0.008 / Math.sqrt(Math.max(0.05, engagement)))
    let day = adoptionDay + 21
    while (day < this.endDay) {
      if (rng.chance(weeklyDrift)) {
        const comesBack = rng.chance(0.6)
        const to = comesBack ? Math.min(this.endDay, day + 14 + Math.round(rng.exponential(42))) : this.endDay
        this.spells[person]!.push({ from: day, to })
        const days = this.endDay - this.startDay
        for (let d = day; d < to; d++) this.dormant[person * days + d - this.startDay] = 1
        day = to + 21
      } else day += 7
    }
  }

  isDormant(person: number, day: number): boolean {
    const offset = day - this.startDay
    const days = this.endDay - this.startDay
    if (offset < 0 || offset >= days) return false
    return this.dormant[person * days + offset] === 1
  }

  /** Dormant on any day of [from, to). */
  isDormantDuring(person: number, from: number, to: number): boolean {
    for (let d = from; d < to; d++) if (this.isDormant(person, d)) return true
    return false
  }
}
