// Each adoption as planned by the diffusion, in up to three moments on the agenda: the content an
// influencer makes (content path), the influencer's interaction that reaches the adopter-to-be
// (invitation, mention, share, message, or the view of that content), and the adoption session
// around the person's first engaged event. Seed adopters (community managers) start a community
// and fill the platform in its first week; innovators adopt on their own.
import { dayMs } from '../calendar.ts'
import type { ContentKind } from '../content.ts'
import { type Adoption, toSeconds, workingHour } from '../diffusion.ts'
import type { SimEvent } from '../event-format.ts'
import { createItem } from './creation.ts'
import { communityOf, communityToJoin, liveCommunityOf } from './spaces.ts'
import type { ActivityState, AdoptionPlan } from './state.ts'

/** Puts every adoption's moments, and the seed adopters' first content, on the agenda. */
export function scheduleAdoptions(s: ActivityState): void {
  for (const adoption of s.world.adoptions) {
    s.adoptionDay[adoption.person] = Math.floor(adoption.time / dayMs)
    const plan: AdoptionPlan = { adoption, item: null, community: -1 }
    if (adoption.path === 'content')
      s.schedule({ kind: 'content', time: adoption.contentTime, order: 0, plan })
    if (adoption.influencer >= 0) {
      s.schedule({ kind: 'interaction', time: adoption.interactionTime, order: 0, plan })
    }
    s.schedule({ kind: 'adoption', time: adoption.time, order: 0, plan })
    if (adoption.path === 'seed') scheduleSeedContent(s, adoption)
  }
}

/** Community managers fill the platform in its first week: a handbook, files, a welcome post. */
function scheduleSeedContent(s: ActivityState, adoption: Adoption): void {
  const { calendar } = s.world
  const seeds: ContentKind[] = ['wiki', 'file', 'post', 'wiki', 'file', 'post']
  let day = Math.floor(adoption.time / dayMs)
  for (const content of seeds) {
    do day++
    while (!calendar.isWorkingDay(day) && day < calendar.endDay)
    const time = toSeconds(calendar.parisTime(day, workingHour(s.rng)))
    s.schedule({ kind: 'seed', time, order: 0, person: adoption.person, content })
  }
}

/** For the `content` path: the influencer makes what the adopter-to-be will read. */
export function influencerCreates(s: ActivityState, t: number, plan: AdoptionPlan): void {
  const v = plan.adoption.influencer
  const c = liveCommunityOf(s, v)
  plan.item = createItem(s, t, v, c >= 0 ? 'post' : 'article', c).item
}

/** The influencer's interaction that reaches the adopter-to-be (their ground-truth event). */
export function interaction(s: ActivityState, t: number, plan: AdoptionPlan): void {
  const { adoption } = plan
  const u = adoption.person
  const v = adoption.influencer
  let event: SimEvent
  switch (adoption.path) {
    case 'invitation': {
      const c = communityOf(s, t, v)
      plan.community = c
      event = s.emit(t, 'member.invited', v, '', s.communities.list[c]!.id, '', '', u)
      break
    }
    case 'mention': {
      const c = communityOf(s, t, v)
      plan.item = createItem(s, s.earlier(t, 30_000), v, 'post', c).item
      event = s.emit(t, 'mention.added', v, 'groups', plan.item.space, plan.item.id, '', u)
      break
    }
    case 'share': {
      plan.item = s.library.files.pick(s.rng) ?? createItem(s, s.earlier(t, 60_000), v, 'file', -1).item
      event = s.emit(t, 'file.shared', v, '', plan.item.space, plan.item.id, '', u)
      break
    }
    case 'message':
      event = s.emit(t, 'message.sent', v, '', '', '', '', u)
      break
    case 'content': {
      const item = plan.item!
      event = s.emit(t, 'content.viewed', u, item.feature, item.space, item.id)
      break
    }
    default:
      return
  }
  event.interactionOf = u
}

/** A short visit around the first engaged event, which is the only engaged event of that day. */
export function adoptionSession(s: ActivityState, t: number, plan: AdoptionPlan): void {
  const { adoption } = plan
  const u = adoption.person
  const rng = s.rng
  s.emit(s.earlier(t, 1000 * (60 + rng.int(240))), 'session.started', u)
  const adoptionEvent = firstEngagedEvent(s, t, plan)
  adoptionEvent.adoptionOf = u
  let after = t
  const views = rng.poisson(1.2)
  for (let i = 0; i < views; i++) {
    after = s.step(after)
    const item = s.pickContent(u)
    if (item) s.emit(after, 'content.viewed', u, item.feature, item.space, item.id)
  }
}

/** The adoption event itself, answering the interaction of the path (the ground truth's event). */
function firstEngagedEvent(s: ActivityState, t: number, plan: AdoptionPlan): SimEvent {
  const { adoption } = plan
  const u = adoption.person
  const v = adoption.influencer
  switch (adoption.path) {
    case 'seed': {
      const community = s.communities.create(u, s.day, null, true, s.rng)
      return s.emit(t, 'group.created', u, '', community.id, community.id)
    }
    case 'invitation': {
      const c = plan.community
      s.communities.join(u, c)
      return s.emit(t, 'group.joined', u, '', s.communities.list[c]!.id)
    }
    case 'mention': {
      const item = plan.item!
      return s.emit(t, 'comment.created', u, 'groups', item.space, s.library.nextId('comment'), item.id, v)
    }
    case 'share':
    case 'content': {
      const item = plan.item!
      return s.emit(t, 'reaction.added', u, item.feature, item.space, item.id)
    }
    case 'message':
      return s.emit(t, 'message.sent', u, '', '', '', '', v)
    case 'innovation':
      return innovation(s, t, u)
  }
}

/** Adopting on one's own: joining a community, following someone, uploading, asking… */
function innovation(s: ActivityState, t: number, u: number): SimEvent {
  const rng = s.rng
  const choice = rng.weighted([45, 25, 10, 5, 5 * s.uptake.qa, 10])
  if (choice === 0) {
    const c = communityToJoin(s, u)
    if (c >= 0) {
      s.communities.join(u, c)
      return s.emit(t, 'group.joined', u, '', s.communities.list[c]!.id)
    }
  }
  if (choice === 1) {
    const target = s.colleagueOf(u)
    if (target >= 0) return s.emit(t, 'follow.added', u, '', '', '', '', target)
  }
  if (choice === 3) {
    const c = communityToJoin(s, u)
    if (c >= 0) {
      s.communities.join(u, c)
      return createItem(s, t, u, 'post', c).event
    }
  }
  if (choice === 4) return createItem(s, t, u, 'question', -1).event
  if (choice === 5) {
    const page = s.library.wikiPages.pick(rng)
    if (page) return s.emit(t, 'wiki.edited', u, '', page.space, page.id)
  }
  return createItem(s, t, u, 'file', -1).event
}
