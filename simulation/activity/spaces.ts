// Communities as people use them: finding one to join, joining, inviting colleagues (who may join
// some hours later), and starting one with a few colleagues brought along.
import { hourMs } from '../calendar.ts'
import type { ActivityState } from './state.ts'

export function joinCommunity(s: ActivityState, t: number, u: number, c: number): void {
  s.emit(t, 'group.joined', u, '', s.communities.list[c]!.id)
  s.communities.join(u, c)
}

/** A live community of the person's department or the company that they are not in yet. */
export function communityToJoin(s: ActivityState, u: number): number {
  const department = s.world.org.people[u]!.department
  const pool = s.rng.chance(0.6) ? s.communities.byDepartment[department]! : s.communities.companyWide
  for (let tries = 0; tries < 4 && pool.length > 0; tries++) {
    const c = pool[s.rng.int(pool.length)]!
    if (s.communities.isLive(c, s.day) && !s.communities.isMember(u, c)) return c
  }
  return -1
}

/** A live community the person is in, -1 when none came up. */
export function liveCommunityOf(s: ActivityState, u: number): number {
  const mine = s.communities.memberships[u]!
  for (let tries = 0; tries < 3 && mine.length > 0; tries++) {
    const c = mine[s.rng.int(mine.length)]!
    if (s.communities.isLive(c, s.day)) return c
  }
  return -1
}

/** A live community of the person with the given chance, else -1 (company-wide). */
export function spaceFor(s: ActivityState, u: number, chance: number): number {
  return s.rng.chance(chance) ? liveCommunityOf(s, u) : -1
}

/** An invitation; a little over half are accepted, in office hours some hours later. */
export function invite(s: ActivityState, t: number, u: number, target: number, c: number): void {
  s.emit(t, 'member.invited', u, '', s.communities.list[c]!.id, '', '', target)
  if (s.rng.chance(0.55)) {
    const when = s.officeTime(t + s.rng.logNormal(Math.log(6 * hourMs), 1.2))
    s.schedule({ kind: 'join', time: when, order: 0, person: target, community: c })
  }
}

/** A new community, for the founder's department or the company; returns its index. */
export function createCommunity(s: ActivityState, t: number, u: number): number {
  const { org } = s.world
  const person = org.people[u]!
  const cm = person.communityManager
  const forDepartment = !cm && s.rng.chance(0.65)
  const department = forDepartment ? org.departments[person.department]! : null
  const community = s.communities.create(u, s.day, department, cm, s.rng)
  s.emit(t, 'group.created', u, '', community.id, community.id)
  // The founder brings a few colleagues along.
  const invitations = 2 + s.rng.int(5)
  let when = t
  for (let i = 0; i < invitations; i++) {
    when = s.step(when)
    const target = s.colleagueOf(u)
    if (target >= 0 && !s.communities.isMember(target, community.index))
      invite(s, when, u, target, community.index)
  }
  return community.index
}

/** A live community the person is in, joining or starting one (just before `t`) when needed. */
export function communityOf(s: ActivityState, t: number, v: number): number {
  const mine = liveCommunityOf(s, v)
  if (mine >= 0) return mine
  const other = communityToJoin(s, v)
  if (other < 0) return createCommunity(s, s.earlier(t, 90_000), v)
  joinCommunity(s, s.earlier(t, 60_000), v, other)
  return other
}
