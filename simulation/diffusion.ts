// Adoption by diffusion: each week, each person not yet on board adopts with the hazard
// p + q · (share of their neighbours who adopted). An influenced adoption is traced to one adopted
// neighbour and to the interaction (invitation, mention, share, message, content) that reached them.

import type { Absences } from './absences.ts'
import { dayMs, hourMs, minuteMs, type WorkCalendar } from './calendar.ts'
import { featureUptake } from './features.ts'
import type { Lifecycle } from './lifecycle.ts'
import { isEmployed, type Organisation } from './organisation.ts'
import type { Traits } from './people-traits.ts'
import type { Random } from './random.ts'
import type { SocialGraph } from './social-graph.ts'

export type AdoptionPath = 'seed' | 'innovation' | 'invitation' | 'mention' | 'share' | 'message' | 'content'
export const influencedPaths = ['invitation', 'mention', 'share', 'message', 'content'] as const
export type InfluencedPath = (typeof influencedPaths)[number]

export interface Adoption {
  person: number
  /** UTC milliseconds of the person's first engaged event. */
  time: number
  /** Diffusion week (7-day steps from the period's first day) of the adoption. */
  week: number
  path: AdoptionPath
  /** The adopted neighbour whose interaction led to the adoption; -1 when not influenced. */
  influencer: number
  /** When the influencer's interaction reached the person; NaN when not influenced. */
  interactionTime: number
  /** For `content`: when the influencer created what the person then viewed; NaN otherwise. */
  contentTime: number
}

export interface DiffusionParams {
  /** Weekly hazard of adopting on one's own (innovation). */
  p: number
  /** Weekly hazard added per unit share of adopted neighbours (imitation). */
  q: number
}

export interface DiffusionWorld {
  org: Organisation
  graph: SocialGraph
  traits: Traits
  absences: Absences
  lifecycle: Lifecycle
  calendar: WorkCalendar
}

/** A Paris wall-clock hour of office activity: a morning and an afternoon peak. */
export function workingHour(rng: Random): number {
  const h = rng.chance(0.55) ? 10.2 + 1.2 * rng.normal() : 15 + 1.5 * rng.normal()
  return Math.min(19.5, Math.max(7.5, h))
}

export function toSeconds(ms: number): number {
  return Math.round(ms / 1000) * 1000
}

const pathWeights: Record<InfluencedPath, number> = {
  invitation: 0.3,
  mention: 0.2,
  share: 0.15,
  message: 0.15,
  content: 0.2,
}

/**
 * A time in (lo, hi), about `medianLagMs` before `hi`, moved into office hours when that keeps
 * it inside the window.
 */
function timeBefore(world: DiffusionWorld, rng: Random, lo: number, hi: number, medianLagMs: number): number {
  const lag = rng.logNormal(Math.log(medianLagMs), 1)
  let t = hi - lag
  if (t <= lo) t = lo + (hi - lo) * rng.between(0.2, 0.8)
  const day = Math.floor(t / dayMs)
  const inHours = world.calendar.parisTime(day, workingHour(rng))
  if (inHours > lo && inHours < hi && world.calendar.isWorkingDay(day)) t = inHours
  const rounded = toSeconds(t)
  return rounded > lo && rounded < hi ? rounded : Math.floor((lo + hi) / 2000) * 1000
}

export function simulateDiffusion(world: DiffusionWorld, params: DiffusionParams, rng: Random): Adoption[] {
  const { org, graph, traits, absences, lifecycle, calendar } = world
  const n = org.people.length
  const adoptions: Adoption[] = []
  const adoptedAt = new Float64Array(n).fill(Number.POSITIVE_INFINITY)

  // Community managers start active: they open the platform on its first working day.
  let firstDay = calendar.startDay
  while (!calendar.isWorkingDay(firstDay) && firstDay < calendar.endDay - 1) firstDay++
  for (const [k, i] of org.communityManagers.entries()) {
    const time = toSeconds(calendar.parisTime(firstDay, 9 + k * 0.25))
    adoptedAt[i] = time
    adoptions.push({
      person: i,
      time,
      week: Math.floor((firstDay - calendar.startDay) / 7),
      path: 'seed',
      influencer: -1,
      interactionTime: Number.NaN,
      contentTime: Number.NaN,
    })
    lifecycle.planAfterAdoption(i, firstDay, Number.POSITIVE_INFINITY, rng)
  }

  const weeks = Math.ceil(calendar.days / 7)
  const available: number[] = []
  for (let w = 0; w < weeks; w++) {
    const weekStart = calendar.startDay + 7 * w
    const weekEnd = Math.min(weekStart + 7, calendar.endDay)
    const weekStartMs = weekStart * dayMs
    const progress = (weekStart - calendar.startDay) / calendar.days
    const adoptedThisWeek: Adoption[] = []
    for (let u = 0; u < n; u++) {
      if (adoptedAt[u] !== Number.POSITIVE_INFINITY || traits.never[u] === 1) continue
      const person = org.people[u]!
      available.length = 0
      for (let d = weekStart; d < weekEnd; d++) {
        if (calendar.isWorkingDay(d) && isEmployed(person, d) && !absences.isAway(u, d)) available.push(d)
      }
      if (available.length === 0) continue

      let around = 0
      let adopted = 0
      for (const v of graph.neighbours[u]!) {
        const other = org.people[v]!
        if (other.hiredDay >= weekEnd || other.leftDay <= weekStart) continue
        around++
        if (adoptedAt[v]! < weekStartMs) adopted++
      }
      const share = around === 0 ? 0 : adopted / around
      const hazard = (params.p + params.q * share) * Math.min(1, available.length / 5)
      if (!rng.chance(hazard)) continue

      const day = rng.pick(available)
      const time = toSeconds(calendar.parisTime(day, workingHour(rng)))
      const adoption: Adoption = {
        person: u,
        time,
        week: w,
        path: 'innovation',
        influencer: -1,
        interactionTime: Number.NaN,
        contentTime: Number.NaN,
      }
      const imitation = params.q * share
      if (rng.chance(imitation / (params.p + imitation))) {
        // The neighbour who reached them: adopted, around that fortnight, the keen ones most often.
        const candidates: number[] = []
        const weights: number[] = []
        for (const v of graph.neighbours[u]!) {
          const other = org.people[v]!
          if (adoptedAt[v]! >= weekStartMs || other.leftDay <= weekEnd) continue
          if (lifecycle.isDormantDuring(v, weekStart - 14, weekEnd)) continue
          candidates.push(v)
          weights.push(traits.engagement[v]! ** 0.75)
        }
        if (candidates.length > 0) {
          const v = candidates[rng.weighted(weights)]!
          // Reaching someone through one's own writing (a post that mentions them, content they
          // read) is for those who write; anyone can invite, share or message.
          const writes = Math.min(1, (traits.engagement[v]! / 3) ** 2)
          const uptake = {
            invitation: featureUptake('groups', progress),
            mention: featureUptake('groups', progress) * writes,
            share: featureUptake('files', progress),
            message: featureUptake('messaging', progress),
            content: featureUptake('groups', progress) * writes,
          }
          const path = influencedPaths[rng.weighted(influencedPaths.map((k) => pathWeights[k] * uptake[k]))]!
          const lo = Math.max(adoptedAt[v]! + 5 * minuteMs, time - 14 * dayMs)
          adoption.path = path
          adoption.influencer = v
          adoption.interactionTime = timeBefore(world, rng, lo, time - 5 * minuteMs, 20 * hourMs)
          if (path === 'content') {
            // Inside the fortnight the influencer was checked to be around in.
            const contentLo = Math.max(adoptedAt[v]! + 2 * minuteMs, time - 14 * dayMs)
            adoption.contentTime = timeBefore(
              world,
              rng,
              contentLo,
              adoption.interactionTime - minuteMs,
              30 * hourMs,
            )
          }
        }
      }
      adoptedThisWeek.push(adoption)
    }
    // Synchronous update: this week's adopters influence others from next week on.
    for (const a of adoptedThisWeek) {
      adoptedAt[a.person] = a.time
      adoptions.push(a)
      lifecycle.planAfterAdoption(a.person, Math.floor(a.time / dayMs), traits.engagement[a.person]!, rng)
    }
  }
  return adoptions.sort((a, b) => a.time - b.time || a.person - b.person)
}
