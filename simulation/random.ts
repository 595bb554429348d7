// Seeded pseudo-random numbers (xoshiro128**, seeded through splitmix32): the simulation's only
// source of chance, so one seed always gives the same organisation, on any machine.

function splitmix32(state: number): () => number {
  let s = state | 0
  return () => {
    s = (s + 0x9e3779b9) | 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
}

/** FNV-1a of a label, so that independent streams can be named (`fork('bad-days')`). */
function hashLabel(label: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

const twoTo32 = 4294967296

export class Random {
  private a: number
  private b: number
  private c: number
  private d: number
  private readonly seed: number

  /** `seed` is any safe integer; its high and low 32-bit halves both count. */
  constructor(seed: number, label = '') {
    this.seed = seed
    const low = seed >>> 0
    const high = Math.floor(seed / twoTo32) >>> 0
    const mix = splitmix32(low ^ Math.imul(high, 0x27d4eb2d) ^ hashLabel(label))
    this.a = mix()
    this.b = mix()
    this.c = mix()
    this.d = mix()
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1
  }

  /** An independent stream: drawing from it never shifts the draws of this one. */
  fork(label: string): Random {
    return new Random(this.seed, label)
  }

  /** A float in [0, 1). */
  next(): number {
    const b = this.b
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9)
    const t = b << 9
    this.c ^= this.a
    this.d ^= this.b
    this.b ^= this.c
    this.a ^= this.d
    this.c ^= t
    this.d = rotl(this.d, 11)
    return (result >>> 0) / twoTo32
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** A float in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[this.int(items.length)]!
  }

  /** The index of a weight, drawn in proportion to the weights (all ≥ 0, at least one > 0). */
  weighted(weights: readonly number[]): number {
    let total = 0
    for (const w of weights) total += w
    let r = this.next() * total
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!
      if (r < 0) return i
    }
    return weights.length - 1
  }

  /** A standard normal draw (Box–Muller). */
  normal(): number {
    const u = 1 - this.next()
    const v = this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  /** exp(N(mu, sigma²)): the heavy-ish tail of most human activity figures. */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal())
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next())
  }

  /** Poisson counts: Knuth's product method for small means, a rounded normal above 30. */
  poisson(mean: number): number {
    if (mean <= 0) return 0
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()))
    const limit = Math.exp(-mean)
    let k = 0
    let product = this.next()
    while (product > limit) {
      k++
      product *= this.next()
    }
    return k
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const tmp = items[i]!
      items[i] = items[j]!
      items[j] = tmp
    }
    return items
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
