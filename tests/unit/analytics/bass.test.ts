// The Bass fit recovers known parameters from generated curves, and refuses what it cannot fit.
import { describe, expect, it } from 'vitest'
import {
  type BassParameters,
  bassFraction,
  bassWeeklyShares,
  fitBass,
  olsStart,
  peakWeek,
  solveLinear,
  weeksToReach,
} from '../../../analytics/bass.ts'

/** mulberry32: a small seeded PRNG, so that the noisy curves are the same on every run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Knuth's Poisson sampler (fine for the means below 200 used here). */
function poisson(mean: number, random: () => number): number {
  const limit = Math.exp(-mean)
  let k = 0
  let product = random()
  while (product > limit) {
    k++
    product *= random()
  }
  return k
}

/** Expected weekly new adopters of a workforce of n people: n·m·(F(k+1) − F(k)). */
const weeklyAdopters = (theta: BassParameters, n: number, weeks: number) =>
  bassWeeklyShares(theta, weeks).map((share) => share * n)

const relativeError = (estimate: number, truth: number) => Math.abs(estimate / truth - 1)
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const slow: BassParameters = { p: 0.01, q: 0.3, m: 0.8 }
const fast: BassParameters = { p: 0.02, q: 0.4, m: 0.7 }

describe('the Bass curve', () => {
  it('starts at 0 and tends to 1', () => {
    expect(bassFraction(0.01, 0.3, 0)).toBe(0)
    expect(bassFraction(0.01, 0.3, 500)).toBeCloseTo(1, 12)
    // With q = 0 it is the pure innovation curve 1 − e^{−pt}: 1 − e^{−1} at t = 1/p.
    expect(bassFraction(0.05, 0, 20)).toBeCloseTo(1 - Math.exp(-1), 12)
  })

  it('peaks at ln(q/p)/(p+q), and at launch when q ≤ p', () => {
    // ln(30)/0.31 = 3.4012/0.31 = 10.9716
    expect(peakWeek(0.01, 0.3)).toBeCloseTo(10.9716, 3)
    expect(peakWeek(0.1, 0.05)).toBe(0)
  })

  it('forecasts when a share is reached, and never one above m', () => {
    // p = 0.01, q = 0.3, m = 0.8, rate 0.5: f = 0.5/0.8 = 0.625, e^{−0.31t} = 0.375/(1 + 0.625·30) =
    // 0.375/19.75 = 0.018987, t = −ln(0.018987)/0.31 = 3.9641/0.31 = 12.787 weeks.
    expect(weeksToReach(slow, 0.5)).toBeCloseTo(12.787, 2)
    expect(0.8 * bassFraction(0.01, 0.3, weeksToReach(slow, 0.5)!)).toBeCloseTo(0.5, 10)
    expect(weeksToReach(slow, 0.8)).toBeNull()
    expect(weeksToReach(slow, 0.9)).toBeNull()
  })

  it('solves small linear systems and says when they are singular', () => {
    expect(
      solveLinear(
        [
          [2, 1],
          [1, 3],
        ],
        [3, 5],
      ),
    ).toEqual([0.8, 1.4]) // 2x + y = 3, x + 3y = 5 → y = 7/5, x = 4/5
    expect(
      solveLinear(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
    ).toBeNull()
  })

  it('starts from the ordinary least squares estimate of Bass (1969)', () => {
    // On an exact curve the quadratic S = a + bY + cY² is only approximate (weekly steps), so the
    // OLS start lands near, not on, the true parameters.
    const start = olsStart(bassWeeklyShares(slow, 60))
    expect(start).not.toBeNull()
    expect(relativeError(start!.m, slow.m)).toBeLessThan(0.05)
    expect(relativeError(start!.q, slow.q)).toBeLessThan(0.25)
    // Accelerating adoption S = 0.01 + 10·Y² (c = +10, no downturn): no Bass start can be read.
    const accelerating: number[] = []
    for (let before = 0; accelerating.length < 6; ) {
      accelerating.push(0.01 + 10 * before * before)
      before += accelerating.at(-1)!
    }
    expect(olsStart(accelerating)).toBeNull()
  })
})

describe('fitBass', () => {
  it.each([
    ['p=0.01 q=0.3 m=0.8, 2,000 people, 60 weeks', slow, 2000, 60],
    ['p=0.02 q=0.4 m=0.7, 5,000 people, 40 weeks', fast, 5000, 40],
  ])('recovers %s within 5 %% without noise', (_, theta, n, weeks) => {
    const fit = fitBass(weeklyAdopters(theta, n, weeks), n)
    expect(fit.ok).toBe(true)
    if (!fit.ok) return
    expect(relativeError(fit.p, theta.p)).toBeLessThan(0.05)
    expect(relativeError(fit.q, theta.q)).toBeLessThan(0.05)
    expect(relativeError(fit.m, theta.m)).toBeLessThan(0.05)
    expect(fit.r2).toBeGreaterThan(0.999)
    expect(fit.peakWeek).toBeCloseTo(peakWeek(theta.p, theta.q), 1)
  })

  it('recovers whole numbers of adopters (rounded curve) within 5 %', () => {
    const fit = fitBass(weeklyAdopters(slow, 2000, 60).map(Math.round), 2000)
    expect(
      fit.ok && [fit.p / slow.p, fit.q / slow.q, fit.m / slow.m].every((r) => Math.abs(r - 1) < 0.05),
    ).toBe(true)
  })

  it('recovers p=0.02 q=0.4 m=0.7 within 15 % under Poisson noise, for every seed', () => {
    const expected = weeklyAdopters(fast, 5000, 40)
    for (let seed = 1; seed <= 20; seed++) {
      const random = seededRandom(seed)
      const fit = fitBass(
        expected.map((mean) => poisson(mean, random)),
        5000,
      )
      expect(fit.ok, `seed ${seed}`).toBe(true)
      if (!fit.ok) continue
      expect(relativeError(fit.p, fast.p), `p, seed ${seed}`).toBeLessThan(0.15)
      expect(relativeError(fit.q, fast.q), `q, seed ${seed}`).toBeLessThan(0.15)
      expect(relativeError(fit.m, fast.m), `m, seed ${seed}`).toBeLessThan(0.15)
    }
  })

  it('recovers p=0.01 q=0.3 m=0.8 within 15 % under Poisson noise', () => {
    // With 2,000 people the first weeks hold ~16–25 adopters, so p alone carries ~8 % sampling
    // error per curve: q and m must be within 15 % on every curve, p on the median of 20 curves.
    const expected = weeklyAdopters(slow, 2000, 60)
    const ps: number[] = []
    for (let seed = 1; seed <= 20; seed++) {
      const random = seededRandom(seed)
      const fit = fitBass(
        expected.map((mean) => poisson(mean, random)),
        2000,
      )
      expect(fit.ok, `seed ${seed}`).toBe(true)
      if (!fit.ok) continue
      ps.push(fit.p)
      expect(relativeError(fit.q, slow.q), `q, seed ${seed}`).toBeLessThan(0.15)
      expect(relativeError(fit.m, slow.m), `m, seed ${seed}`).toBeLessThan(0.15)
      expect(fit.r2).toBeGreaterThan(0.9)
    }
    expect(relativeError(median(ps), slow.p)).toBeLessThan(0.15)
  })

  it('keeps m within (0, 1] when the data would rather have more than the whole workforce', () => {
    // The curve of 1.3 × a workforce of 1,000 cannot be matched with m ≤ 1: m stops at the bound.
    const fit = fitBass(weeklyAdopters({ p: 0.01, q: 0.3, m: 1.3 }, 1000, 60), 1000)
    expect(fit.ok).toBe(true)
    if (fit.ok) expect(fit.m).toBe(1)
  })

  it('refuses fewer than 5 weekly points', () => {
    expect(fitBass([3, 8, 15, 9], 100)).toEqual({
      ok: false,
      reason: 'fewer than 5 weeks of adoption data (4 complete weeks)',
    })
    expect(fitBass([], 100)).toMatchObject({ ok: false })
  })

  it('refuses flat and degenerate series', () => {
    expect(fitBass([0, 0, 0, 0, 0, 0], 100)).toEqual({
      ok: false,
      reason: 'no new adopters in the weeks to fit',
    })
    expect(fitBass([4, 4, 4, 4, 4, 4], 100)).toEqual({
      ok: false,
      reason: 'weekly new adopters are constant: p, q and m cannot be told apart',
    })
    expect(fitBass([20, 0, 0, 0, 0, 3, 0], 100)).toEqual({
      ok: false,
      reason: 'fewer than 3 weeks with new adopters: p, q and m cannot be told apart',
    })
    expect(fitBass([1, 2, 3, 2, 1], 0)).toEqual({ ok: false, reason: 'the workforce is empty' })
  })
})
