// The event-type catalogue of EVENTS.md: which feature and engagement level each type stands for.

export const features = [
  'platform',
  'groups',
  'articles',
  'wiki',
  'files',
  'bookmarks',
  'events',
  'qa',
  'messaging',
  'email',
] as const
export type Feature = (typeof features)[number]

/** Ordered from least to most engaged; `none` never makes anyone active. */
export const levels = ['none', 'view', 'react', 'contribute', 'create'] as const
export type Level = (typeof levels)[number]

/** `given` means the sender must name the feature. */
type CatalogueEntry = { feature: Feature | 'given'; level: Level }

export const eventCatalogue = {
  'session.started': { feature: 'platform', level: 'view' },
  'search.performed': { feature: 'platform', level: 'view' },
  'content.viewed': { feature: 'given', level: 'view' },
  'reaction.added': { feature: 'given', level: 'react' },
  'follow.added': { feature: 'platform', level: 'react' },
  'bookmark.added': { feature: 'bookmarks', level: 'react' },
  'poll.voted': { feature: 'events', level: 'react' },
  'group.joined': { feature: 'groups', level: 'react' },
  'comment.created': { feature: 'given', level: 'contribute' },
  'mention.added': { feature: 'given', level: 'contribute' },
  'answer.created': { feature: 'qa', level: 'contribute' },
  'message.sent': { feature: 'messaging', level: 'contribute' },
  'file.shared': { feature: 'files', level: 'contribute' },
  'bookmark.shared': { feature: 'bookmarks', level: 'contribute' },
  'member.invited': { feature: 'groups', level: 'contribute' },
  'post.created': { feature: 'groups', level: 'create' },
  'article.published': { feature: 'articles', level: 'create' },
  'wiki.created': { feature: 'wiki', level: 'create' },
  'wiki.edited': { feature: 'wiki', level: 'create' },
  'file.uploaded': { feature: 'files', level: 'create' },
  'question.asked': { feature: 'qa', level: 'create' },
  'poll.created': { feature: 'events', level: 'create' },
  'event.scheduled': { feature: 'events', level: 'create' },
  'group.created': { feature: 'groups', level: 'create' },
  'group.left': { feature: 'groups', level: 'none' },
  'email.sent': { feature: 'email', level: 'none' },
} as const satisfies Record<string, CatalogueEntry>

export type CatalogueType = keyof typeof eventCatalogue

/** Custom vendor types: `x.<vendor>.<name>`, carrying their own feature and level. */
export const customTypePattern = /^x\.[a-z0-9][a-z0-9_-]{0,31}\.[a-z0-9][a-z0-9_.-]{0,63}$/

export function isCatalogueType(type: string): type is CatalogueType {
  return Object.hasOwn(eventCatalogue, type)
}
