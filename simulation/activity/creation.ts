// Making content: what an adopter creates in a session (posts, files, wiki pages and edits,
// articles, questions, polls, meetings, or a community while there are few), weighed by how far
// each feature has been taken up, and where it goes (a community or the company).
import type { CatalogueType } from '../../schemas/event-catalogue.ts'
import { type ContentItem, type ContentKind, featureOfKind } from '../content.ts'
import type { SimEvent } from '../event-format.ts'
import { scheduleAnswers, scheduleVotes } from './responses.ts'
import { communityToJoin, createCommunity, joinCommunity, spaceFor } from './spaces.ts'
import type { ActivityState, UptakeFeature } from './state.ts'

export interface Created {
  item: ContentItem
  event: SimEvent
}

type CreateKind = ContentKind | 'wiki-edit' | 'community'
const createKinds: ReadonlyArray<{ kind: CreateKind; weight: number; feature: UptakeFeature }> = [
  { kind: 'post', weight: 30, feature: 'groups' },
  { kind: 'file', weight: 14, feature: 'files' },
  { kind: 'wiki-edit', weight: 12, feature: 'wiki' },
  { kind: 'wiki', weight: 4, feature: 'wiki' },
  { kind: 'article', weight: 5, feature: 'articles' },
  { kind: 'question', weight: 8, feature: 'qa' },
  { kind: 'poll', weight: 2.5, feature: 'events' },
  { kind: 'meeting', weight: 2.5, feature: 'events' },
  // Weighed at the time: often while there are few communities, seldom after.
  { kind: 'community', weight: 0, feature: 'groups' },
]

const createType: Record<ContentKind, CatalogueType> = {
  post: 'post.created',
  article: 'article.published',
  wiki: 'wiki.created',
  file: 'file.uploaded',
  question: 'question.asked',
  poll: 'poll.created',
  meeting: 'event.scheduled',
}

/** One creation in a session. */
export function create(s: ActivityState, t: number, u: number): void {
  const rng = s.rng
  const cm = s.world.org.people[u]!.communityManager
  const wanted = 3 + s.activeAdopters.length / 18
  const communityWeight = s.communities.list.length < wanted ? (cm ? 40 : 3) : 0.3
  const weights = createKinds.map((k) =>
    k.kind === 'community' ? communityWeight * s.uptake.groups : k.weight * s.uptake[k.feature],
  )
  const kind = createKinds[rng.weighted(weights)]!.kind
  if (kind === 'community') {
    createCommunity(s, t, u)
    return
  }
  if (kind === 'wiki-edit') {
    const page = s.library.wikiPages.pick(rng)
    if (page) s.emit(t, 'wiki.edited', u, '', page.space, page.id)
    else createItem(s, t, u, 'wiki', spaceFor(s, u, 0.5))
    return
  }
  const inCommunity =
    kind === 'post' || kind === 'poll' || kind === 'meeting' ? 1 : kind === 'article' ? 0.2 : 0.6
  const community = spaceFor(s, u, inCommunity)
  if (kind === 'post' && community < 0) {
    // Posts live in communities: join one first, or start one.
    const c = communityToJoin(s, u)
    if (c >= 0) {
      joinCommunity(s, t, u, c)
      createItem(s, s.step(t), u, 'post', c)
    } else createCommunity(s, t, u)
    return
  }
  createItem(s, t, u, kind, community)
}

/** A new item in the library (readable from tomorrow); questions and polls plan their responses. */
export function createItem(
  s: ActivityState,
  t: number,
  u: number,
  kind: ContentKind,
  community: number,
): Created {
  const person = s.world.org.people[u]!
  const item: ContentItem = {
    id: s.library.nextId(kind),
    kind,
    feature: featureOfKind[kind],
    creator: u,
    space: community >= 0 ? s.communities.list[community]!.id : '',
    community,
    department: person.department,
  }
  const event = s.emit(t, createType[kind], u, '', item.space, item.id)
  s.library.add(item)
  if (kind === 'question') scheduleAnswers(s, t, item)
  if (kind === 'poll' && community >= 0) scheduleVotes(s, t, item, community)
  return { item, event }
}
