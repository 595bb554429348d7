// The Bass diffusion model of METRICS.md "Bass diffusion fit": the cumulative adoption fraction
// F(t) and a bounded Levenberg–Marquardt fit of p, q and m on weekly new adopters. Pure, no I/O.

export interface BassParameters {
  /** Coefficient of innovation (adoption from outside influence), per week. */
  p: number
  /** Coefficient of imitation (adoption from adopters' influence), per week. */
  q: number
  /** Share of the workforce that will ever adopt, in (0, 1]. */
  m: number
}

export type BassFit =
  | (BassParameters & {
      ok: true
      /** Coefficient of determination on the weekly new adopters. */
      r2: number
      /** Week of the fastest adoption, t* = ln(q/p)/(p+q); 0 when q ≤ p (fastest at launch). */
      peakWeek: number
    })
  | { ok: false; reason: string }

/** Fewer weekly points than this and the fit is refused. */
export const minimumWeeks = 5
/** Three parameters need at least three weeks that carry information. */
const minimumWeeksWithAdopters = 3

// Bounds: p > 0 and m > 0 are kept strictly positive; q may sit at 0 (no imitation).
const bounds = {
  p: { min: 1e-7, max: 5 },
  q: { min: 0, max: 10 },
  m: { min: 1e-6, max: 1 },
}
const maxIterations = 500

/** F(t) = (1 − e^{−(p+q)t}) / (1 + (q/p)·e^{−(p+q)t}): the share of eventual adopters by week t. */
export function bassFraction(p: number, q: number, t: number): number {
  const e = Math.exp(-(p + q) * t)
  return (1 - e) / (1 + (q / p) * e)
}

/** ∂F/∂p and ∂F/∂q at t (analytic, so that the Jacobian stays exact near the bounds). */
function bassGradient(p: number, q: number, t: number): [number, number] {
  const e = Math.exp(-(p + q) * t)
  const r = q / p
  const numerator = 1 - e
  const denominator = 1 + r * e
  const d2 = denominator * denominator
  const dp = (t * e * denominator + numerator * e * (q / (p * p) + r * t)) / d2
  const dq = (t * e * denominator - numerator * e * (1 / p - r * t)) / d2
  return [dp, dq]
}

/** Expected weekly new adopters as shares of the workforce: m·(F(k+1) − F(k)) for weeks 0..n−1. */
export function bassWeeklyShares({ p, q, m }: BassParameters, weeks: number): number[] {
  return Array.from({ length: weeks }, (_, k) => m * (bassFraction(p, q, k + 1) - bassFraction(p, q, k)))
}

export function peakWeek(p: number, q: number): number {
  return q > p ? Math.log(q / p) / (p + q) : 0
}

/** Weeks after week 0 at which the adoption rate m·F(t) reaches `share`; null when m ≤ share. */
export function weeksToReach({ p, q, m }: BassParameters, share: number): number | null {
  if (m <= share) return null
  const f = share / m
  const e = (1 - f) / (1 + (f * q) / p)
  const t = -Math.log(e) / (p + q)
  return Number.isFinite(t) ? t : null
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0)

function sumOfSquares(y: readonly number[], theta: BassParameters): number {
  const fitted = bassWeeklyShares(theta, y.length)
  return sum(y.map((v, k) => (v - fitted[k]!) ** 2))
}

function project(theta: BassParameters): BassParameters {
  const clamp = (x: number, b: { min: number; max: number }) => Math.min(b.max, Math.max(b.min, x))
  return { p: clamp(theta.p, bounds.p), q: clamp(theta.q, bounds.q), m: clamp(theta.m, bounds.m) }
}

/** Solves A·x = b by Gaussian elimination with partial pivoting; null when A is singular. */
export function solveLinear(matrix: readonly (readonly number[])[], rhs: readonly number[]): number[] | null {
  const n = rhs.length
  const a = matrix.map((row, i) => [...row, rhs[i]!])
  for (let col = 0; col < n; col++) {
    let pivot = col
    for (let row = col + 1; row < n; row++)
      if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row
    if (!(Math.abs(a[pivot]![col]!) > 1e-300)) return null
    ;[a[col], a[pivot]] = [a[pivot]!, a[col]!]
    for (let row = col + 1; row < n; row++) {
      const factor = a[row]![col]! / a[col]![col]!
      for (let k = col; k <= n; k++) a[row]![k]! -= factor * a[col]![k]!
    }
  }
  const x = new Array<number>(n).fill(0)
  for (let row = n - 1; row >= 0; row--) {
    let s = a[row]![n]!
    for (let k = row + 1; k < n; k++) s -= a[row]![k]! * x[k]!
    x[row] = s / a[row]![row]!
  }
  return x.every(Number.isFinite) ? x : null
}

/**
 * Bass (1969) start: regress S(t) = a + b·Y(t−1) + c·Y(t−1)² by ordinary least squares, where S is
 * the week's new adopters and Y the adopters before it (shares of the workforce); then
 * a = p·m, b = q − p, c = −q/m, so m is the positive root of c·m² + b·m + a = 0, p = a/m, q = −c·m.
 * Null when the regression does not describe a Bass curve (c ≥ 0, no positive root, p ≤ 0).
 */
export function olsStart(y: readonly number[]): BassParameters | null {
  const rows: [number, number, number][] = []
  let before = 0
  for (const s of y) {
    rows.push([1, before, before * before])
    before += s
  }
  const xtx = [0, 1, 2].map((i) => [0, 1, 2].map((j) => sum(rows.map((r) => r[i]! * r[j]!))))
  const xty = [0, 1, 2].map((i) => sum(rows.map((r, k) => r[i]! * y[k]!)))
  const coefficients = solveLinear(xtx, xty)
  if (!coefficients) return null
  const [a, b, c] = coefficients as [number, number, number]
  if (!(c < 0)) return null
  const discriminant = b * b - 4 * a * c
  if (discriminant < 0) return null
  const m = (-b - Math.sqrt(discriminant)) / (2 * c)
  if (!(m > 0)) return null
  const p = a / m
  const q = -c * m
  if (!(p > 0) || !(q >= 0)) return null
  return project({ p, q, m })
}

/** A coarse grid over p and q, with the best m for each (the model is linear in m). */
function gridStart(y: readonly number[]): BassParameters {
  const ps = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3]
  const qs = [0, 0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 1]
  let best: { theta: BassParameters; sse: number } | null = null
  for (const p of ps) {
    for (const q of qs) {
      const unit = bassWeeklyShares({ p, q, m: 1 }, y.length)
      const m = sum(unit.map((u, k) => u * y[k]!)) / sum(unit.map((u) => u * u))
      const theta = project({ p, q, m })
      const sse = sumOfSquares(y, theta)
      if (!best || sse < best.sse) best = { theta, sse }
    }
  }
  return best!.theta
}

interface Descent {
  theta: BassParameters
  sse: number
  converged: boolean
}

/** Levenberg–Marquardt (Marquardt's diagonal scaling), each step projected onto the bounds. */
function levenbergMarquardt(y: readonly number[], start: BassParameters): Descent {
  let theta = project(start)
  let sse = sumOfSquares(y, theta)
  let lambda = 1e-3
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const { p, q, m } = theta
    const fitted = bassWeeklyShares(theta, y.length)
    const jacobian = y.map((_, k) => {
      const [dp1, dq1] = bassGradient(p, q, k + 1)
      const [dp0, dq0] = bassGradient(p, q, k)
      return [m * (dp1 - dp0), m * (dq1 - dq0), bassFraction(p, q, k + 1) - bassFraction(p, q, k)]
    })
    const jtj = [0, 1, 2].map((i) => [0, 1, 2].map((j) => sum(jacobian.map((row) => row[i]! * row[j]!))))
    const jtr = [0, 1, 2].map((i) => sum(jacobian.map((row, k) => row[i]! * (y[k]! - fitted[k]!))))
    let accepted = false
    while (!accepted) {
      const damped = jtj.map((row, i) => row.map((v, j) => (i === j ? v + lambda * Math.max(v, 1e-12) : v)))
      const step = solveLinear(damped, jtr)
      if (step) {
        const candidate = project({ p: p + step[0]!, q: q + step[1]!, m: m + step[2]! })
        const candidateSse = sumOfSquares(y, candidate)
        if (candidateSse < sse) {
          const improvement = sse - candidateSse
          const moved = Math.max(
            Math.abs(candidate.p - p) / p,
            Math.abs(candidate.q - q) / Math.max(q, 1e-6),
            Math.abs(candidate.m - m) / m,
          )
          theta = candidate
          sse = candidateSse
          lambda = Math.max(lambda / 10, 1e-12)
          accepted = true
          if (improvement <= 1e-12 * sse || moved <= 1e-10) return { theta, sse, converged: true }
          continue
        }
      }
      lambda *= 10
      // No step, however short, lowers the error: θ is a (possibly bounded) minimum.
      if (lambda > 1e16) return { theta, sse, converged: true }
    }
  }
  return { theta, sse, converged: false }
}

/**
 * Fits the Bass model to weekly new adopters (week 0 = the week of the org's first engaged event)
 * of a workforce of `workforce` people. Refuses, with a readable reason, rather than inventing a
 * curve when the data cannot carry three parameters or the fit does not converge.
 */
export function fitBass(weeklyNewAdopters: readonly number[], workforce: number): BassFit {
  const weeks = weeklyNewAdopters.length
  if (!(workforce > 0)) return { ok: false, reason: 'the workforce is empty' }
  if (weeks < minimumWeeks) {
    return {
      ok: false,
      reason: `fewer than ${minimumWeeks} weeks of adoption data (${weeks} complete week${weeks === 1 ? '' : 's'})`,
    }
  }
  const y = weeklyNewAdopters.map((s) => s / workforce)
  const mean = sum(y) / weeks
  const totalSquares = sum(y.map((v) => (v - mean) ** 2))
  if (sum(y) === 0) return { ok: false, reason: 'no new adopters in the weeks to fit' }
  if (weeklyNewAdopters.filter((s) => s > 0).length < minimumWeeksWithAdopters) {
    return {
      ok: false,
      reason: `fewer than ${minimumWeeksWithAdopters} weeks with new adopters: p, q and m cannot be told apart`,
    }
  }
  if (totalSquares === 0) {
    return { ok: false, reason: 'weekly new adopters are constant: p, q and m cannot be told apart' }
  }

  const starts = [olsStart(y), gridStart(y)].filter((s): s is BassParameters => s !== null)
  const best = starts
    .map((start) => levenbergMarquardt(y, start))
    .filter((d) => d.converged && Number.isFinite(d.sse))
    .sort((a, b) => a.sse - b.sse)[0]
  if (!best) return { ok: false, reason: 'the fit did not converge' }
  const { p, q, m } = best.theta
  return { ok: true, p, q, m, r2: 1 - best.sse / totalSquares, peakWeek: peakWeek(p, q) }
}

/** A 32-bit seeded generator (mulberry32): the bootstrap repeats its answer for the same data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/**
 * A Poisson draw of mean `lambda`: Knuth's product of uniforms up to 30, above it the normal
 * approximation with a continuity correction (its error is below the bootstrap's own noise).
 */
export function poisson(lambda: number, random: () => number): number {
  if (!(lambda > 0)) return 0
  if (lambda > 30) {
    const u = Math.max(random(), 1e-12)
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * z))
  }
  const limit = Math.exp(-lambda)
  let k = 0
  let product = random()
  while (product > limit) {
    k += 1
    product *= random()
  }
  return k
}

export interface BassInterval {
  /** 10th and 90th percentiles of the weeks to reach the share; null = not reached (m ≤ share) in that tail. */
  low: number | null
  high: number | null
}

export interface BassBootstrap {
  resamples: number
  /** Resamples whose refit converged (the others are left out of the percentiles). */
  fitted: number
  intervals: Record<'rate_50' | 'rate_80', BassInterval>
}

/** The q-quantile (linear interpolation) of sorted values, Infinity standing for "never". */
function quantile(sorted: readonly number[], q: number): number {
  const at = q * (sorted.length - 1)
  const lo = Math.floor(at)
  const hi = Math.ceil(at)
  if (!Number.isFinite(sorted[hi]!)) return at === lo ? sorted[lo]! : Number.POSITIVE_INFINITY
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo)
}

/**
 * METRICS.md "Bass diffusion fit": the 80 % intervals of the weeks to reach 50 % and 80 %, by a
 * parametric bootstrap: `resamples` series of weekly counts drawn as Poisson around the fitted
 * counts m·L·(F(k+1) − F(k)), each refitted from the fit itself; the 10th and 90th percentiles,
 * a resample that never reaches the share counting as "never" (so a high end may be null).
 */
export function bootstrapBass(
  fit: BassParameters,
  weeks: number,
  cohort: number,
  { resamples = 200, seed = 20_250_101 }: { resamples?: number; seed?: number } = {},
): BassBootstrap {
  const random = seededRandom(seed)
  const expected = bassWeeklyShares(fit, weeks).map((s) => s * cohort)
  const t50: number[] = []
  const t80: number[] = []
  for (let i = 0; i < resamples; i++) {
    const y = expected.map((lambda) => poisson(lambda, random) / cohort)
    if (sum(y) === 0) continue
    const d = levenbergMarquardt(y, fit)
    if (!d.converged || !Number.isFinite(d.sse)) continue
    t50.push(weeksToReach(d.theta, 0.5) ?? Number.POSITIVE_INFINITY)
    t80.push(weeksToReach(d.theta, 0.8) ?? Number.POSITIVE_INFINITY)
  }
  const interval = (ts: number[]): BassInterval => {
    if (ts.length === 0) return { low: null, high: null }
    const sorted = [...ts].sort((a, b) => a - b)
    const finite = (x: number) => (Number.isFinite(x) ? x : null)
    return { low: finite(quantile(sorted, 0.1)), high: finite(quantile(sorted, 0.9)) }
  }
  return { resamples, fitted: t50.length, intervals: { rate_50: interval(t50), rate_80: interval(t80) } }
}
