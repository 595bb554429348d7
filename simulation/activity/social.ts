// Interactions aimed at a colleague: replies (comments, answers) to what one reads, and the
// contributions of a session (messages, mentions, shared files and bookmarks, invitations, follows,
// joins), each weighed by how far its feature has been taken up.
import type { ContentItem } from '../content.ts'
import { communityToJoin, invite, joinCommunity, liveCommunityOf } from './spaces.ts'
import type { ActivityState, UptakeFeature } from './state.ts'

type ContributeKind =
  | 'message.sent'
  | 'mention.added'
  | 'file.shared'
  | 'bookmark.shared'
  | 'member.invited'
  | 'follow.added'
  | 'group.joined'
const contributeKinds: ReadonlyArray<{ kind: ContributeKind; weight: number; feature: UptakeFeature }> = [
  { kind: 'message.sent', weight: 30, feature: 'messaging' },
  { kind: 'mention.added', weight: 12, feature: 'groups' },
  { kind: 'file.shared', weight: 10, feature: 'files' },
  { kind: 'bookmark.shared', weight: 5, feature: 'bookmarks' },
  { kind: 'member.invited', weight: 10, feature: 'groups' },
  // Following people has no take-up of its own: there from the launch, like groups.
  { kind: 'follow.added', weight: 8, feature: 'groups' },
  { kind: 'group.joined', weight: 15, feature: 'groups' },
]

/** A comment on what was read, or an answer when it is a question; aimed at its creator. */
export function reply(s: ActivityState, t: number, u: number, item: ContentItem): void {
  const target = item.creator !== u ? item.creator : -1
  if (item.kind === 'question') {
    s.emit(t, 'answer.created', u, '', item.space, s.library.nextId('answer'), item.id, target)
  } else {
    s.emit(t, 'comment.created', u, item.feature, item.space, s.library.nextId('comment'), item.id, target)
  }
}

/** One contribution in a session; nothing when it finds no colleague, content or community. */
export function contribute(s: ActivityState, t: number, u: number): void {
  const rng = s.rng
  const kind = contributeKinds[rng.weighted(contributeKinds.map((k) => k.weight * s.uptake[k.feature]))]!.kind
  switch (kind) {
    case 'group.joined': {
      const c = communityToJoin(s, u)
      if (c >= 0) joinCommunity(s, t, u, c)
      return
    }
    case 'member.invited': {
      const c = liveCommunityOf(s, u)
      const target = s.colleagueOf(u)
      if (c < 0 || target < 0 || s.communities.isMember(target, c)) return
      invite(s, t, u, target, c)
      return
    }
    case 'mention.added': {
      const target = s.colleagueOf(u)
      const item = s.pickContent(u)
      if (target < 0 || !item) return
      s.emit(t, 'mention.added', u, item.feature, item.space, item.id, '', target)
      return
    }
    case 'file.shared':
    case 'bookmark.shared': {
      const target = s.colleagueOf(u)
      const item = kind === 'file.shared' ? s.library.files.pick(rng) : s.pickContent(u)
      if (target < 0 || !item) return
      s.emit(t, kind, u, '', item.space, item.id, '', target)
      return
    }
    case 'message.sent':
    case 'follow.added': {
      const target = s.colleagueOf(u)
      if (target >= 0) s.emit(t, kind, u, '', '', '', '', target)
      return
    }
  }
}
