// Answers to questions and votes on polls: planned when the question or poll is made, run from the
// agenda on the day they fall. Most questions get an answer within hours, some more, a few are
// answered by their own asker; members of a poll's community vote, the keen more often.
import { hourMs } from '../calendar.ts'
import type { ContentItem } from '../content.ts'
import type { ActivityState } from './state.ts'

export function scheduleAnswers(s: ActivityState, t: number, question: ContentItem): void {
  const rng = s.rng
  if (rng.chance(0.72)) {
    const first = t + rng.logNormal(Math.log(2.5 * hourMs), 1.4)
    s.schedule({ kind: 'answer', time: s.officeTime(first), order: 0, question, self: false })
    const more = rng.poisson(0.7)
    for (let i = 0; i < more; i++) {
      const later = first + rng.logNormal(Math.log(8 * hourMs), 1.2)
      s.schedule({ kind: 'answer', time: s.officeTime(later), order: 0, question, self: false })
    }
  }
  if (rng.chance(0.08)) {
    const later = t + rng.logNormal(Math.log(24 * hourMs), 1)
    s.schedule({ kind: 'answer', time: s.officeTime(later), order: 0, question, self: true })
  }
}

export function scheduleVotes(s: ActivityState, t: number, poll: ContentItem, community: number): void {
  for (const voter of s.communities.list[community]!.members) {
    const e = s.world.traits.engagement[voter]!
    if (voter === poll.creator || !s.rng.chance(Math.min(0.6, 0.12 * e))) continue
    const when = s.officeTime(t + s.rng.logNormal(Math.log(20 * hourMs), 1))
    s.schedule({ kind: 'vote', time: when, order: 0, poll, voter })
  }
}

/** A planned answer: by the asker, or by someone of the question's community or the company. */
export function answer(s: ActivityState, t: number, question: ContentItem, self: boolean): void {
  let answerer = -1
  if (self) answerer = s.canAct(question.creator) ? question.creator : -1
  else {
    const members = question.community >= 0 ? s.communities.list[question.community]!.members : []
    for (let tries = 0; tries < 24 && answerer < 0; tries++) {
      const pool = tries < 12 && members.length > 1 ? members : s.activeAdopters
      if (pool.length === 0) break
      const v = pool[s.rng.int(pool.length)]!
      // The keen answer most.
      const keen = s.rng.chance(Math.min(1, s.world.traits.engagement[v]! / 4))
      if (v !== question.creator && keen && s.canAct(v)) answerer = v
    }
  }
  if (answerer < 0) return
  const target = answerer === question.creator ? -1 : question.creator
  s.emit(t, 'answer.created', answerer, '', question.space, s.library.nextId('answer'), question.id, target)
}

/** A planned vote, cast if the voter is around that day. */
export function vote(s: ActivityState, t: number, poll: ContentItem, voter: number): void {
  if (s.canAct(voter)) s.emit(t, 'poll.voted', voter, '', poll.space, poll.id)
}
