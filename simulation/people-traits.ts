// What each person brings: a heavy-tailed propensity to take part (most people little, a few a
// lot), whether they will never adopt, their daily email habit and how much they lurk.
import type { Organisation } from './organisation.ts'
import type { Random } from './random.ts'

export interface Traits {
  /** Propensity to take part once adopted: log-normal, median 1; community managers are high. */
  engagement: Float64Array
  /** 1 for people who will never make an engaged event. */
  never: Uint8Array
  /** Emails sent on an ordinary working day before the platform. */
  emailBaseline: Float64Array
  /** Chance of a viewing-only visit on a working day before adopting. */
  lurk: Float64Array
}

export function drawTraits(org: Organisation, neverShare: number, rng: Random): Traits {
  const n = org.people.length
  const traits: Traits = {
    engagement: new Float64Array(n),
    never: new Uint8Array(n),
    emailBaseline: new Float64Array(n),
    lurk: new Float64Array(n),
  }
  for (const p of org.people) {
    const e = p.communityManager ? rng.between(8, 14) : Math.min(25, Math.max(0.05, rng.logNormal(0, 1)))
    traits.engagement[p.index] = e
    traits.emailBaseline[p.index] = Math.min(120, rng.logNormal(Math.log(22), 0.5))
    // A third of the people never open the platform before they adopt (or ever).
    traits.lurk[p.index] = rng.chance(0.35) ? 0 : Math.min(0.3, 0.05 * Math.sqrt(e))
  }
  // An exact share, so that the ceiling of the adoption curve is known.
  const candidates = org.people.filter((p) => !p.communityManager).map((p) => p.index)
  rng.shuffle(candidates)
  const neverCount = Math.round(neverShare * candidates.length)
  for (const i of candidates.slice(0, neverCount)) traits.never[i] = 1
  return traits
}
