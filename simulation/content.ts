// What there is to read: the objects people created (posts, articles, wiki pages, files, questions,
// polls, meetings), kept as recent lists per community, per department and company-wide. Objects
// created on a day become visible the next day, so nothing is read before it exists.
import type { Feature } from '../schemas/event-catalogue.ts'
import type { Random } from './random.ts'

export type ContentKind = 'post' | 'article' | 'wiki' | 'file' | 'question' | 'poll' | 'meeting'

export const featureOfKind: Record<ContentKind, Feature> = {
  post: 'groups',
  article: 'articles',
  wiki: 'wiki',
  file: 'files',
  question: 'qa',
  poll: 'events',
  meeting: 'events',
}

export interface ContentItem {
  id: string
  kind: ContentKind
  feature: Feature
  creator: number
  /** The community it was posted in, '' when company-wide. */
  space: string
  community: number
  department: number
}

/** A bounded list of the most recent items, drawn with a bias to the newest. */
export class RecentList {
  private items: ContentItem[] = []
  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.items.length
  }

  add(item: ContentItem): void {
    this.items.push(item)
    if (this.items.length > 2 * this.capacity) this.items = this.items.slice(-this.capacity)
  }

  pick(rng: Random): ContentItem | undefined {
    const n = this.items.length
    if (n === 0) return undefined
    const r = rng.next()
    return this.items[n - 1 - Math.floor(n * r * r * r)]
  }
}

export class ContentLibrary {
  readonly everywhere = new RecentList(600)
  readonly byDepartment: RecentList[]
  readonly byCommunity: RecentList[] = []
  readonly files = new RecentList(200)
  readonly wikiPages = new RecentList(300)
  private staged: ContentItem[] = []
  private readonly counters = new Map<string, number>()

  constructor(departments: number) {
    this.byDepartment = Array.from({ length: departments }, () => new RecentList(150))
  }

  /** A new id for an object: `post-1`, `wiki-12`… */
  nextId(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1
    this.counters.set(prefix, n)
    return `${prefix}-${n}`
  }

  /** Kept aside until the end of the day (see `publishStaged`). */
  add(item: ContentItem): void {
    this.staged.push(item)
  }

  publishStaged(): void {
    for (const item of this.staged) {
      this.everywhere.add(item)
      this.byDepartment[item.department]!.add(item)
      if (item.community >= 0) {
        while (this.byCommunity.length <= item.community) this.byCommunity.push(new RecentList(40))
        this.byCommunity[item.community]!.add(item)
      }
      if (item.kind === 'file') this.files.add(item)
      if (item.kind === 'wiki') this.wikiPages.add(item)
    }
    this.staged = []
  }

  /** Something for a person to read: from their communities, their department or anywhere. */
  pickFor(department: number, communities: readonly number[], rng: Random): ContentItem | undefined {
    const r = rng.next()
    if (r < 0.45 && communities.length > 0) {
      const item = this.byCommunity[communities[rng.int(communities.length)]!]?.pick(rng)
      if (item) return item
    }
    if (r < 0.75) {
      const item = this.byDepartment[department]!.pick(rng)
      if (item) return item
    }
    return this.everywhere.pick(rng)
  }
}
