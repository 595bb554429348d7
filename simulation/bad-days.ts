// Bad days at the sender: a share of malformed lines (each refused for its own reason) and of exact
// duplicates (same id, re-sent a little later), mixed into the NDJSON stream to exercise ingest.
import { Random } from './random.ts'

/** Each breaks one rule of the contract, so the ingest API must refuse it. */
const breakages: ReadonlyArray<(e: Record<string, unknown>, line: string) => string> = [
  (_e, line) => line.slice(0, Math.max(1, Math.floor(line.length / 2))),
  (e) => JSON.stringify({ ...e, type: 'post.exploded' }),
  (e) => JSON.stringify({ ...e, actor: undefined }),
  (e) => JSON.stringify({ ...e, time: String(e.time).replace('Z', '') }),
  (e) => JSON.stringify({ ...e, time: `2999${String(e.time).slice(4)}` }),
  (e) => JSON.stringify({ ...e, user_email: 'someone@example.com' }),
  (e) => JSON.stringify({ ...e, type: 'wiki.created', feature: 'files' }),
  (e) => JSON.stringify({ ...e, type: 'comment.created', feature: undefined }),
  (e) => JSON.stringify({ ...e, count: 0 }),
  (e) => JSON.stringify({ ...e, time: `${String(e.time).slice(0, 4)}-02-30T10:00:00Z` }),
]

export class BadDays {
  malformed = 0
  duplicates = 0
  private pending: { line: string; after: number }[] = []

  constructor(
    private readonly rng: Random,
    private readonly badShare: number,
    private readonly duplicateShare: number,
    private readonly idPrefix: string,
  ) {}

  get active(): boolean {
    return this.badShare > 0 || this.duplicateShare > 0
  }

  /** The lines to write for one good event: itself, maybe a malformed sibling, due duplicates. */
  mix(line: string, out: string[]): void {
    out.push(line)
    if (this.badShare > 0 && this.rng.chance(this.badShare)) {
      const event = JSON.parse(line) as Record<string, unknown>
      const broken = { ...event, id: `${this.idPrefix}bad-${this.malformed}` }
      const breakage = breakages[this.malformed % breakages.length]!
      out.push(breakage(broken, JSON.stringify(broken)))
      this.malformed++
    }
    if (this.duplicateShare > 0 && this.rng.chance(this.duplicateShare)) {
      this.pending.push({ line, after: 1 + this.rng.int(500) })
    }
    if (this.pending.length > 0) {
      const still: { line: string; after: number }[] = []
      for (const p of this.pending) {
        if (--p.after <= 0) {
          out.push(p.line)
          this.duplicates++
        } else still.push(p)
      }
      this.pending = still
    }
  }

  /** Duplicates still waiting at the end of the stream. */
  flush(out: string[]): void {
    for (const p of this.pending) {
      out.push(p.line)
      this.duplicates++
    }
    this.pending = []
  }
}

/** The bad-days mixer of a run, or null when the run asks for none. */
export function badDaysFor(options: {
  seed: number
  badShare: number
  duplicateShare: number
}): BadDays | null {
  if (options.badShare === 0 && options.duplicateShare === 0) return null
  // Its own stream: the good events are the same with or without bad days.
  return new BadDays(
    new Random(options.seed, 'bad-days'),
    options.badShare,
    options.duplicateShare,
    `sim-${options.seed}-`,
  )
}
