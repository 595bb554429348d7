// One person's ordinary day: away or not, the day's email, then either a lurker's short visit
// (before adopting) or an adopter's sessions: views, reactions, replies, bookmarks, searches, a
// contribution, a creation, now and then leaving a community. Activity follows the weekday, the
// summer and each person's engagement; the chances of writing rise steeply with engagement.
import { dayMs, hourMs, monthOf, weekdayOf } from '../calendar.ts'
import { featureUptake } from '../features.ts'
import { isEmployed } from '../organisation.ts'
import { create } from './creation.ts'
import { sendEmails } from './email-sent.ts'
import { contribute, reply } from './social.ts'
import { type ActivityState, uptakeFeatures } from './state.ts'

/**
 * Chances per view (react, comment, bookmark) or per session (contribute, create), rising steeply
 * with engagement: most people mostly read, a few write most of what there is to read.
 */
const participation = {
  react: (e: number) => Math.min(0.4, 0.004 * e ** 1.4),
  comment: (e: number) => Math.min(0.2, 0.002 * e ** 1.4),
  bookmark: (e: number) => Math.min(0.05, 0.0015 * e),
  contribute: (e: number) => Math.min(0.4, 0.006 * e ** 1.4),
  create: (e: number) => Math.min(0.4, 0.0008 * e ** 2.2),
}

/** Relative activity of a working weekday (Monday to Friday). */
const weekdayRhythm = [1, 1.05, 0.97, 1, 0.82]

/** Today's clock, rhythm, feature take-up and the adopters who are around. */
export function beginDay(s: ActivityState, day: number): void {
  const { calendar, org, lifecycle, absences } = s.world
  s.day = day
  s.working = calendar.isWorkingDay(day)
  const august = monthOf(day) === 7 ? 0.85 : 1
  s.dayFactor = s.working ? weekdayRhythm[weekdayOf(day)]! * august : 0.06
  const progress = (day - calendar.startDay) / calendar.days
  for (const f of uptakeFeatures) s.uptake[f] = featureUptake(f, progress)
  s.activeAdopters = []
  for (const p of org.people) {
    const u = p.index
    if (
      s.adoptionDay[u]! < day &&
      isEmployed(p, day) &&
      !lifecycle.isDormant(u, day) &&
      !absences.isAway(u, day)
    ) {
      s.activeAdopters.push(u)
    }
  }
}

/** Everything a person does today outside the agenda. The adoption day itself is the agenda's. */
export function personDay(s: ActivityState, u: number): void {
  const { org, absences, lifecycle, traits } = s.world
  const person = org.people[u]!
  if (!isEmployed(person, s.day) || absences.isAway(u, s.day)) return
  const adopted = s.adoptionDay[u]! < s.day
  const dormant = adopted && lifecycle.isDormant(u, s.day)
  if (s.working) sendEmails(s, u, adopted, dormant)
  if (s.adoptionDay[u] === s.day || dormant) return
  if (adopted) adopterDay(s, u)
  else if (s.rng.chance(traits.lurk[u]! * (s.working ? 1 : 0.05))) lurk(s, u)
}

/** Before adopting: a look around, reading a little, maybe a search. */
function lurk(s: ActivityState, u: number): void {
  let t = s.sessionStart()
  s.emit(t, 'session.started', u)
  const views = 1 + s.rng.poisson(1)
  for (let i = 0; i < views; i++) {
    t = s.step(t)
    const item = s.pickContent(u)
    if (!item) break
    s.emit(t, 'content.viewed', u, item.feature, item.space, item.id)
  }
  if (s.rng.chance(0.3)) s.emit(s.step(t), 'search.performed', u)
}

/** Whether an adopter comes today and how many sessions: more as they settle in, and the keen. */
function adopterDay(s: ActivityState, u: number): void {
  const e = s.world.traits.engagement[u]!
  const sinceAdoption = s.day - s.adoptionDay[u]!
  const maturity = Math.min(1, 0.5 + sinceAdoption / 112)
  const pActive = Math.min(0.9, 0.2 * e ** 0.8) * maturity * s.dayFactor
  if (!s.rng.chance(pActive)) return
  const sessions = 1 + s.rng.poisson(Math.min(3, 0.15 * e))
  for (let i = 0; i < sessions; i++) session(s, u, e)
}

function session(s: ActivityState, u: number, e: number): void {
  const rng = s.rng
  const dayEnd = (s.day + 1) * dayMs - 2 * hourMs
  let t = s.sessionStart()
  s.emit(t, 'session.started', u)
  const pReact = participation.react(e)
  const pComment = participation.comment(e)
  const pBookmark = participation.bookmark(e) * s.uptake.bookmarks
  const views = 1 + rng.poisson(2.5)
  for (let i = 0; i < views && t < dayEnd; i++) {
    t = s.step(t)
    const item = s.pickContent(u)
    if (!item) break
    s.emit(t, 'content.viewed', u, item.feature, item.space, item.id)
    if (rng.chance(pReact)) {
      t = s.step(t)
      s.emit(t, 'reaction.added', u, item.feature, item.space, item.id)
    }
    // Answering a question takes knowing the answer: readers reply to questions less often.
    if (rng.chance(item.kind === 'question' ? 0.3 * pComment : pComment)) {
      t = s.step(t)
      reply(s, t, u, item)
    }
    if (rng.chance(pBookmark)) {
      t = s.step(t)
      s.emit(t, 'bookmark.added', u, '', item.space, item.id)
    }
  }
  if (rng.chance(0.2)) {
    t = s.step(t)
    s.emit(t, 'search.performed', u)
  }
  if (rng.chance(participation.contribute(e))) {
    t = s.step(t)
    contribute(s, t, u)
  }
  if (rng.chance(participation.create(e))) {
    t = s.step(t)
    create(s, t, u)
  }
  // Now and then one leaves a community, far more often one nobody posts in any more.
  const mine = s.communities.memberships[u]!
  if (mine.length > 0) {
    const c = mine[rng.int(mine.length)]!
    if (rng.chance(s.communities.isLive(c, s.day) ? 0.003 : 0.05)) {
      s.emit(s.step(t), 'group.left', u, '', s.communities.list[c]!.id)
      s.communities.leave(u, c)
    }
  }
}
