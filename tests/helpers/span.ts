// The tests' own linear algebra, apart from the code under test (analytics/privacy/grid.ts uses
// floating point on sparse vectors; this is exact): whether a 0/1 vector lies in the span of
// others, by Gaussian elimination modulo a large prime. Over the rationals, being in the span
// implies being in it modulo p, so this never misses a vector the rationals would find (it could
// only ever find one too many, which would fail a test, never pass one wrongly).

const p = (1n << 61n) - 1n

const mod = (x: bigint) => ((x % p) + p) % p

function inverse(a: bigint): bigint {
  // Fermat: a^(p-2) mod p.
  let result = 1n
  let base = mod(a)
  let e = p - 2n
  while (e > 0n) {
    if (e & 1n) result = (result * base) % p
    base = (base * base) % p
    e >>= 1n
  }
  return result
}

/** Row-reduced basis of the given sets (each a set of coordinates with value 1). */
export class Span {
  private readonly rows: { pivot: number; values: bigint[] }[] = []

  constructor(private readonly dimension: number) {}

  private reduce(vector: readonly bigint[]): bigint[] {
    const v = [...vector]
    for (const { pivot, values } of this.rows) {
      const f = v[pivot]!
      if (f === 0n) continue
      for (let i = 0; i < this.dimension; i++) v[i] = mod(v[i]! - f * values[i]!)
    }
    return v
  }

  private vectorOf(coordinates: Iterable<number>): bigint[] {
    const v = new Array<bigint>(this.dimension).fill(0n)
    for (const c of coordinates) v[c] = 1n
    return v
  }

  add(coordinates: Iterable<number>): void {
    const v = this.reduce(this.vectorOf(coordinates))
    const pivot = v.findIndex((x) => x !== 0n)
    if (pivot < 0) return
    const inv = inverse(v[pivot]!)
    for (let i = 0; i < this.dimension; i++) v[i] = (v[i]! * inv) % p
    this.rows.push({ pivot, values: v })
  }

  contains(coordinates: Iterable<number>): boolean {
    return this.reduce(this.vectorOf(coordinates)).every((x) => x === 0n)
  }

  get rank(): number {
    return this.rows.length
  }
}
