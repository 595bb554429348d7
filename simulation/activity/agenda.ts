// The agenda: what was planned for today (adoption moments, answers, votes, accepted invitations,
// seed content), run after everyone's ordinary day in time order. Items planned while it runs for
// the same day run in a further round.
import { adoptionSession, influencerCreates, interaction } from './adoption.ts'
import { createItem } from './creation.ts'
import { answer, vote } from './responses.ts'
import { joinCommunity, liveCommunityOf } from './spaces.ts'
import type { ActivityState, AgendaItem } from './state.ts'

export function runAgenda(s: ActivityState): void {
  const bucket = s.agenda[s.day - s.world.calendar.startDay]!
  while (bucket.length > 0) {
    const batch = bucket.splice(0)
    batch.sort((a, b) => a.time - b.time || a.order - b.order)
    for (const item of batch) runItem(s, item)
  }
}

function runItem(s: ActivityState, item: AgendaItem): void {
  switch (item.kind) {
    case 'content':
      influencerCreates(s, item.time, item.plan)
      return
    case 'interaction':
      interaction(s, item.time, item.plan)
      return
    case 'adoption':
      adoptionSession(s, item.time, item.plan)
      return
    case 'answer':
      answer(s, item.time, item.question, item.self)
      return
    case 'vote':
      vote(s, item.time, item.poll, item.voter)
      return
    case 'seed':
      if (s.canAct(item.person)) {
        createItem(s, item.time, item.person, item.content, liveCommunityOf(s, item.person))
      }
      return
    case 'join':
      if (s.canAct(item.person) && !s.communities.isMember(item.person, item.community)) {
        joinCommunity(s, item.time, item.person, item.community)
      }
      return
  }
}
