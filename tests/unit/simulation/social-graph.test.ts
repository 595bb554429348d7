import { describe, expect, it } from 'vitest'
import { dayOf } from '../../../simulation/calendar.ts'
import { buildOrganisation } from '../../../simulation/organisation.ts'
import { Random } from '../../../simulation/random.ts'
import { buildSocialGraph } from '../../../simulation/social-graph.ts'

const org = buildOrganisation(
  { employees: 1000, startDay: dayOf('2025-01-01'), endDay: dayOf('2026-01-01') },
  new Random(3),
)
const { neighbours } = buildSocialGraph(org, new Random(3, 'graph'))
const dept = (i: number) => org.people[i]!.department

describe('the social graph', () => {
  it('is symmetric, without self-ties', () => {
    const faults: string[] = []
    neighbours.forEach((list, a) => {
      for (const b of list) if (b === a || !neighbours[b]!.includes(a)) faults.push(`${a}-${b}`)
    })
    expect(faults).toEqual([])
  })

  it('is dense inside departments and sparse across, with connectors bridging', () => {
    let inside = 0
    let across = 0
    for (const [a, list] of neighbours.entries())
      for (const b of list) dept(a) === dept(b) ? inside++ : across++
    expect(inside / (inside + across)).toBeGreaterThan(0.8)
    expect(across).toBeGreaterThan(0)
    const crossTies = (i: number) => neighbours[i]!.filter((b) => dept(b) !== dept(i)).length
    const connectors = org.people.filter((p) => p.connector)
    const others = org.people.filter((p) => !p.connector)
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    expect(mean(connectors.map((p) => crossTies(p.index)))).toBeGreaterThan(
      5 * mean(others.map((p) => crossTies(p.index))),
    )
  })

  it('is a small world: short paths and high clustering', () => {
    // Mean distance from a few people to everyone reachable (breadth-first).
    let total = 0
    let pairs = 0
    let reached = 0
    for (const source of [0, 100, 500, 900]) {
      const dist = new Map<number, number>([[source, 0]])
      const queue = [source]
      for (let i = 0; i < queue.length; i++) {
        const a = queue[i]!
        for (const b of neighbours[a]!) {
          if (dist.has(b)) continue
          dist.set(b, dist.get(a)! + 1)
          queue.push(b)
        }
      }
      for (const d of dist.values()) total += d
      pairs += dist.size - 1
      reached += dist.size
    }
    expect(reached / 4).toBeGreaterThan(0.95 * org.people.length)
    expect(total / pairs).toBeLessThan(6)
    // Clustering: the share of a person's neighbour pairs who know each other.
    let clustering = 0
    let counted = 0
    for (const list of neighbours) {
      if (list.length < 2) continue
      let linked = 0
      for (let i = 0; i < list.length; i++)
        for (let j = i + 1; j < list.length; j++) if (neighbours[list[i]!]!.includes(list[j]!)) linked++
      clustering += linked / ((list.length * (list.length - 1)) / 2)
      counted++
    }
    const meanDegree = neighbours.reduce((s, l) => s + l.length, 0) / neighbours.length
    // A random graph of the same density would cluster at about meanDegree / n.
    expect(clustering / counted).toBeGreaterThan(10 * (meanDegree / neighbours.length))
  })
})
