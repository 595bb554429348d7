// Deterministic, realistic activity events for the benchmark: the same seed gives the same events
// in every process, so the HTTP runs and the raw engine run store identical data.
import type { ActivityEvent } from '../schemas/event.ts'
import type { CatalogueType, Feature } from '../schemas/event-catalogue.ts'

export interface EventSpec {
  org: string
  count: number
  /** Prefix of the ids: events of two specs with different prefixes never share an id. */
  idPrefix: string
  seed: number
  /** Events are spread over the 180 days before this instant. */
  nowMs: number
  /** Size of the population of actors of the org. */
  actors?: number
}

/** Distinct actors in each run of 1,000 consecutive events (a request body). */
export const actorsPerThousand = 40
export const eventsPerBody = 1_000
const dayMs = 86_400_000
const spanDays = 180

/** Type mix of a collaboration platform: mostly views, some reactions, fewer contributions. */
const typeWeights: ReadonlyArray<readonly [CatalogueType, number]> = [
  ['content.viewed', 34],
  ['session.started', 10],
  ['search.performed', 7],
  ['reaction.added', 11],
  ['comment.created', 8],
  ['message.sent', 7],
  ['mention.added', 3],
  ['post.created', 4],
  ['follow.added', 2],
  ['bookmark.added', 2],
  ['answer.created', 1.5],
  ['question.asked', 1],
  ['file.uploaded', 1.5],
  ['file.shared', 1],
  ['wiki.edited', 1.5],
  ['wiki.created', 0.5],
  ['article.published', 0.5],
  ['poll.voted', 1],
  ['group.joined', 1],
  ['event.scheduled', 0.5],
  ['member.invited', 0.5],
  ['email.sent', 1],
  ['group.left', 0.2],
]

/** Features a sender names for the types whose catalogue feature is `given`. */
const givenFeatures: Partial<Record<CatalogueType, readonly Feature[]>> = {
  'content.viewed': ['articles', 'wiki', 'files', 'groups', 'qa'],
  'reaction.added': ['groups', 'articles', 'qa'],
  'comment.created': ['groups', 'articles', 'wiki'],
  'mention.added': ['messaging', 'groups'],
}

const clients = ['web', 'mobile', 'desktop'] as const

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function typePicker(random: () => number): () => CatalogueType {
  const total = typeWeights.reduce((sum, [, w]) => sum + w, 0)
  const cumulative = typeWeights.map(([type], i) => ({
    type,
    upTo: typeWeights.slice(0, i + 1).reduce((sum, [, w]) => sum + w, 0) / total,
  }))
  return () => {
    const r = random()
    return (cumulative.find((c) => r < c.upTo) ?? cumulative[cumulative.length - 1]!).type
  }
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!
}

/** The events of a spec, in order. Each body of 1,000 draws its actors from a window of 40. */
export function* generateEvents(spec: EventSpec): Generator<ActivityEvent> {
  const random = prng(spec.seed)
  const nextType = typePicker(random)
  const population = spec.actors ?? 5_000
  const start = spec.nowMs - spanDays * dayMs
  for (let i = 0; i < spec.count; i++) {
    const window = (Math.floor(i / eventsPerBody) * actorsPerThousand * 7) % population
    const actor = `user-${(window + Math.floor(random() * actorsPerThousand)) % population}`
    const type = nextType()
    const features = givenFeatures[type]
    const event: ActivityEvent = {
      id: `${spec.idPrefix}-${i}`,
      type,
      time: new Date(start + Math.floor(random() * (spanDays * dayMs - 60_000))).toISOString(),
      org: spec.org,
      actor,
      space: `space-${Math.floor(random() * 60)}`,
      object: `obj-${Math.floor(random() * 20_000)}`,
    }
    if (features) event.feature = pick(random, features)
    if (type === 'comment.created') event.parent = `obj-${Math.floor(random() * 20_000)}`
    if (type === 'mention.added') event.target = `user-${Math.floor(random() * population)}`
    if (random() < 0.3) event.props = { client: pick(random, clients) }
    yield event
  }
}

/** NDJSON request bodies of `eventsPerBody` events each, encoded once, ready to send. */
export function ndjsonBodies(spec: EventSpec): Buffer[] {
  const bodies: Buffer[] = []
  let lines: string[] = []
  for (const event of generateEvents(spec)) {
    lines.push(JSON.stringify(event))
    if (lines.length === eventsPerBody) {
      bodies.push(Buffer.from(`${lines.join('\n')}\n`))
      lines = []
    }
  }
  if (lines.length > 0) bodies.push(Buffer.from(`${lines.join('\n')}\n`))
  return bodies
}
