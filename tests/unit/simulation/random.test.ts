import { describe, expect, it } from 'vitest'
import { Random } from '../../../simulation/random.ts'

const draws = (rng: Random, n = 5) => Array.from({ length: n }, () => rng.next())

describe('Random', () => {
  it('gives the same draws for the same seed and label, others for another', () => {
    expect(draws(new Random(42))).toEqual(draws(new Random(42)))
    expect(draws(new Random(42))).not.toEqual(draws(new Random(43)))
    expect(draws(new Random(42, 'a'))).not.toEqual(draws(new Random(42, 'b')))
    // The high half of a large seed counts too.
    expect(draws(new Random(2 ** 40 + 1))).not.toEqual(draws(new Random(1)))
  })

  it('forks streams that do not shift the parent', () => {
    const a = new Random(7)
    const b = new Random(7)
    const child = a.fork('child')
    draws(child, 100)
    expect(draws(a)).toEqual(draws(b))
    expect(draws(new Random(7).fork('child'))).toEqual(draws(new Random(7, 'child')))
  })

  it('draws in range with the expected means', () => {
    const rng = new Random(1)
    const n = 50_000
    let sum = 0
    let poisson = 0
    let exp = 0
    const counts = [0, 0, 0]
    let outOfRange = 0
    for (let i = 0; i < n; i++) {
      const x = rng.next()
      if (x < 0 || x >= 1) outOfRange++
      sum += x
      poisson += rng.poisson(3)
      exp += rng.exponential(2)
      counts[rng.weighted([1, 2, 7])]!++
    }
    expect(outOfRange).toBe(0)
    expect(sum / n).toBeCloseTo(0.5, 2)
    expect(poisson / n).toBeCloseTo(3, 1)
    expect(exp / n).toBeCloseTo(2, 1)
    expect(counts[2]! / n).toBeCloseTo(0.7, 1)
    expect(rng.poisson(100)).toBeGreaterThan(50)
    expect(() => rng.pick([])).toThrow()
  })
})
