// Who knows whom: a small-world graph, dense inside teams and departments, sparse across them,
// with a few connectors (and the community managers) bridging departments.
import type { Organisation } from './organisation.ts'
import type { Random } from './random.ts'

export interface SocialGraph {
  /** Neighbours of each person, by index, ascending. */
  neighbours: number[][]
}

export function buildSocialGraph(org: Organisation, rng: Random): SocialGraph {
  const n = org.people.length
  const ties: Set<number>[] = Array.from({ length: n }, () => new Set<number>())
  const link = (a: number, b: number) => {
    if (a === b) return
    ties[a]!.add(b)
    ties[b]!.add(a)
  }

  const byDepartment: number[][] = org.departments.map(() => [])
  const byManager = new Map<number, number[]>()
  for (const p of org.people) {
    byDepartment[p.department]!.push(p.index)
    if (p.manager >= 0) {
      link(p.index, p.manager)
      const team = byManager.get(p.manager) ?? []
      team.push(p.index)
      byManager.set(p.manager, team)
    }
  }

  // Teammates (same manager) all know each other in small teams, partly in large ones.
  for (const team of byManager.values()) {
    for (let i = 0; i < team.length; i++) {
      for (let j = i + 1; j < team.length; j++) {
        if (team.length <= 10 || rng.chance(6 / team.length)) link(team[i]!, team[j]!)
      }
    }
  }

  // Colleagues in the department.
  for (const members of byDepartment) {
    if (members.length < 2) continue
    for (const a of members) {
      const k = Math.min(members.length - 1, 3 + rng.poisson(4))
      for (let i = 0; i < k; i++) link(a, rng.pick(members))
    }
  }

  // Sparse ties across departments, mostly on the same site; connectors have many.
  const everyone = org.people.map((p) => p.index)
  const bySite: number[][] = org.sites.map(() => [])
  for (const p of org.people) bySite[p.site]!.push(p.index)
  for (const p of org.people) {
    const k = p.connector ? 8 + rng.int(13) : rng.chance(0.35) ? 1 : 0
    for (let i = 0; i < k; i++) {
      const pool = rng.chance(0.6) ? bySite[p.site]! : everyone
      const other = rng.pick(pool)
      if (org.people[other]!.department !== p.department) link(p.index, other)
    }
  }

  return { neighbours: ties.map((s) => [...s].sort((a, b) => a - b)) }
}
