// Communities (METRICS.md "Communities (spaces)"): per space, membership, activity, questions and
// how fast they are answered, the Community Health Index, and dormancy.
//
// Choices where the definition leaves room:
// - The spaces are those with any event up to the end of the range (a space whose activity all
//   lies before the range is listed, as dormant).
// - Membership at the end of the range: `group.joined`, or creating content there (an implicit
//   join), makes a person a member; a `group.left` later than all of those ends it.
// - The windows (28, 56, 90 and 365 days) end at the range end, whatever its start, in the
//   org's days. Active = an event of level view or above in the space; a contributor has one of
//   level contribute or create.
// - Questions (asked in the range, replies up to its end; rules in `analytics/questions.ts`) are
//   judged in business time (analytics/business-time.ts): due once one business day after them
//   has come before the range end; answered within one business day when the first reply by
//   another person came at or before that instant; the median delay in business minutes is over
//   every question of the range that got a reply, due or not.
// - Health index v2 = 100 × mean(breadth, responsiveness, momentum), one decimal; responsiveness
//   counts 0 in the mean when the space had no post or question in the last 90 days (the part
//   itself is then null); momentum is 1 when only the last 28 days have contributors. Fewer than
//   5 members active in 365 days: null, "too small to score" (the parts are still given).
// - Dormant: no contribute- or create-level event in the last 28 days.
// - Outside any space (space ''): a row `space: null` with contributors, posts, replies, questions
//   and responsiveness; no membership or health (`rollup_space_actor_month` keeps no such row, so
//   the row reads the event-count and social rollups and the events, as every space does for its
//   contributors and responsiveness). Listed last, when the query has no space filter and there
//   is any such activity; not counted in `communities`.
import { type Communities, communitiesResponse, type Space } from '../../schemas/api/metrics/communities.ts'
import {
  type BusinessCalendar,
  businessCalendar,
  businessMinutes,
  oneBusinessDayLater,
  wallInstant,
} from '../business-time.ts'
import { computeCommunityManagers } from '../community-managers.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { narrowedTo, type QuestionRow, questionRows } from '../questions.ts'
import { dayInRange, eventCountsSql } from '../rollups.ts'
import { runQuery } from '../run.ts'
import { baseParams, eventFilters, levelAtLeast } from '../sql.ts'
import { rollupRows } from '../tables.ts'

const inRange = `time >= toDateTime64({from:Date}, 3, {tz:String})`
const upToEnd = `time < toDateTime64({to:Date}, 3, {tz:String})`
const since = (bound: string) => `last_active >= toDateTime64(${bound}, 3, {tz:String})`

/** The local month holding the range end: its stored rows may hold events after the range end. */
const endMonth = 'toStartOfMonth({to:Date})'

/**
 * Per (space, person) with an event in the space up to the range end: the last active, join and
 * leave times up to the range end, from `rollup_space_actor_month` (max over its rows): the rows
 * of the months before the range end's month as they are (stored, or computed from the events),
 * those of that last month always computed from its events before the range end (its stored row
 * may hold later events).
 */
function lastTimesSql(ctx: MetricContext): string {
  const lastTimes = 'space, actor, last_active, last_in, last_left'
  const before = `day < ${endMonth}`
  const tail = `day >= ${endMonth} AND day < {to:Date}`
  return `SELECT space, actor, max(last_active) AS last_active, max(last_in) AS last_in, max(last_left) AS last_left
        FROM (
          SELECT ${lastTimes}
          FROM ${rollupRows(ctx, 'rollup_space_actor_month', { events: before })}
          WHERE month < ${endMonth}
          UNION ALL
          SELECT ${lastTimes}
          FROM ${rollupRows(ctx, 'rollup_space_actor_month', { events: tail, computed: true })}
        )
        GROUP BY space, actor`
}

/**
 * Per space: membership and activity, from the last times per person (`lastTimesSql`): the last
 * active time says whether they were active in the range or the last 365 days. Spaces only
 * (the rollup keeps no row outside any space).
 */
export function spaceActivitySql(ctx: MetricContext): string {
  return `
      SELECT space,
             countIf(last_in > last_left) AS members,
             countIf(${since('{from:Date}')}) AS active_members,
             countIf(${since('toDate({to:Date}) - 365')}) AS active_365d
      FROM (
        ${lastTimesSql(ctx)}
      )
      GROUP BY space`
}

/**
 * Per space, `''` (outside any space) included: posts from the rows of `rollup_event_counts`,
 * replies from those of `rollup_social_events` (every reply has a parent).
 */
export function spaceContentSql(ctx: MetricContext): string {
  return `
    SELECT space, sum(posts) AS posts, sum(replies) AS replies
    FROM (
      SELECT space, sum(n) AS posts, toUInt64(0) AS replies
      FROM (${eventCountsSql({ space: 'space' }, `level = 'create' AND ${dayInRange}`, ctx)})
      GROUP BY space
      UNION ALL
      SELECT space, toUInt64(0) AS posts, count() AS replies
      FROM ${rollupRows(ctx, 'rollup_social_events', { events: dayInRange })}
      WHERE type IN ('comment.created', 'answer.created') AND parent != '' AND ${inRange} AND ${upToEnd}
      GROUP BY space
    )
    GROUP BY space`
}

/** The start of the local day `days` before the range end. */
const daysBeforeEnd = (days: number) => `toDateTime64(toDate({to:Date}) - ${days}, 3, {tz:String})`
const rangeEnd = 'toDateTime64({to:Date}, 3, {tz:String})'

/**
 * Per space, `''` included: distinct contributors (a contribute- or create-level event) in the
 * range, in the last 28 days and in the 28 days before. No rollup keeps a person's contributions
 * per space and day (`rollup_space_actor_month` keeps last times per month, and no row outside
 * any space), so this reads the events of those levels over the range and the last 56 days.
 */
export function contributorsSql(ctx: MetricContext): string {
  const from = 'toDateTime64({from:Date}, 3, {tz:String})'
  return `
    SELECT space,
           uniqExactIf(actor, time >= ${from}) AS contributors,
           uniqExactIf(actor, time >= ${daysBeforeEnd(28)}) AS contributors_28d,
           uniqExactIf(actor, time >= ${daysBeforeEnd(56)} AND time < ${daysBeforeEnd(28)}) AS contributors_prev_28d
    FROM events
    WHERE org = {org:String}${eventFilters(ctx.query)} AND ${levelAtLeast('contribute')}
      AND time >= least(${from}, ${daysBeforeEnd(56)}) AND time < ${rangeEnd}
    GROUP BY space`
}

/**
 * Per space, `''` included: the posts and questions (create-level events, one per key: `object`,
 * else `id`, by whoever created it first) of the last 90 days up to the range end, and how many
 * got a `comment.created` or `answer.created` with that `parent` from someone other than their
 * author, at or after them and before the range end. The creations are read from the events
 * (`rollup_social_events` holds a post only when it has a target or a parent), the replies from
 * the rows of `rollup_social_events`, whatever their space (as for questions).
 */
export function replySharesSql(ctx: MetricContext): string {
  const replies = rollupRows(narrowedTo(ctx, {}), 'rollup_social_events', {
    events: `type IN ('comment.created', 'answer.created') AND parent != '' AND day >= toDate({to:Date}) - 90 AND day < {to:Date}`,
  })
  return `
    SELECT space, count() AS posts_90d, countIf(replied) AS replied_90d
    FROM (
      SELECT p.space AS space, p.key AS key,
             countIf(r.actor != p.author AND r.time >= p.created_at) > 0 AS replied
      FROM (
        SELECT space, if(object != '', object, id) AS key, min(time) AS created_at,
               argMin(actor, time) AS author
        FROM events
        WHERE org = {org:String}${eventFilters(ctx.query)} AND level = 'create'
          AND time >= ${daysBeforeEnd(90)} AND time < ${rangeEnd}
        GROUP BY space, key
      ) AS p
      LEFT JOIN (
        SELECT parent, actor, time FROM ${replies}
        WHERE type IN ('comment.created', 'answer.created') AND parent != ''
          AND time >= ${daysBeforeEnd(90)} AND time < ${rangeEnd}
      ) AS r ON r.parent = p.key
      GROUP BY p.space, p.key
    )
    GROUP BY space`
}

/**
 * How many spaces there are and how many are dormant (no contribute- or create-level event in the
 * last 28 days), without the per-space detail. Only whether a space has events matters, so the
 * rows of `rollup_event_counts` answer it (computed from the events under a department or site
 * filter: it keeps no person; reading the per-person last times instead was measured slower,
 * 3.4 s against 0.25 s at 10M, for their end month is always computed from its events).
 */
export function communityCountsSql(ctx: MetricContext): string {
  const upToEndDay = `space != '' AND day < {to:Date}`
  return `
    SELECT count() AS communities, countIf(contributions_28d = 0) AS dormant
    FROM (
      SELECT space, countIf(${levelAtLeast('contribute')} AND day >= toDate({to:Date}) - 28) AS contributions_28d
      FROM ${rollupRows(ctx, 'rollup_event_counts', { events: upToEndDay })}
      WHERE ${upToEndDay}
      GROUP BY space
    )`
}

interface SpaceActivity {
  space: string
  members: number
  active_members: number
  active_365d: number
}
interface SpaceContent {
  space: string
  posts: number
  replies: number
}
interface Contributors {
  space: string
  contributors: number
  contributors_28d: number
  contributors_prev_28d: number
}
interface ReplyShares {
  space: string
  posts_90d: number
  replied_90d: number
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals
const ratio = (part: number, whole: number) => (whole > 0 ? round(part / whole, 4) : null)

/** A space with fewer members active in the last 365 days gets no health index. */
export const minimumHealthMembers = 5

/** The median of numbers (the mean of the two middle ones for an even count); null when none. */
function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

interface QuestionFigures {
  questions: number
  due: number
  answered_1bd: number | null
  median_first_reply_business_minutes: number | null
  unanswered: number
  pending: number
}

/**
 * The questions of one space judged in business time (analytics/business-time.ts), as of the
 * range end `end` (ms): due when one business day after the question came before it; answered
 * within one business day when the first reply by another person came at or before that instant.
 */
export function questionFigures(
  rows: readonly QuestionRow[],
  cal: BusinessCalendar,
  end: number,
): QuestionFigures {
  let due = 0
  let answered = 0
  let unanswered = 0
  const delays: number[] = []
  for (const q of rows) {
    const dueAt = oneBusinessDayLater(cal, q.asked_ms)
    if (q.reply_ms !== null) delays.push(businessMinutes(cal, q.asked_ms, q.reply_ms))
    if (dueAt > end) continue
    due++
    if (q.reply_ms === null) unanswered++
    else if (q.reply_ms <= dueAt) answered++
  }
  const middle = median(delays)
  return {
    questions: rows.length,
    due,
    answered_1bd: ratio(answered, due),
    median_first_reply_business_minutes: middle === null ? null : round(middle, 2),
    unanswered,
    pending: rows.length - due,
  }
}

interface HealthParts {
  breadth: number | null
  responsiveness: number | null
  momentum: number | null
  health: number | null
  health_reason: string | null
}

/** The Community Health Index v2 and its parts. */
export function healthOf(
  active365d: number,
  contributors28d: number,
  contributorsPrev28d: number,
  posts90d: number,
  replied90d: number,
): HealthParts {
  const breadth = active365d > 0 ? Math.min(1, contributors28d / active365d) : 0
  const responsiveness = posts90d > 0 ? replied90d / posts90d : null
  const momentum =
    contributorsPrev28d > 0 ? Math.min(1, contributors28d / contributorsPrev28d) : contributors28d > 0 ? 1 : 0
  const small = active365d < minimumHealthMembers
  return {
    breadth: round(breadth, 4),
    responsiveness: responsiveness === null ? null : round(responsiveness, 4),
    momentum: round(momentum, 4),
    health: small ? null : round((100 * (breadth + (responsiveness ?? 0) + momentum)) / 3, 1),
    health_reason: small ? 'too small to score' : null,
  }
}

export async function computeCommunities(ctx: MetricContext): Promise<Communities> {
  const params = baseParams(ctx.query)
  const [activity, content, contributors, shares, questions] = await Promise.all([
    runQuery<SpaceActivity>(ctx.client, spaceActivitySql(ctx), params),
    runQuery<SpaceContent>(ctx.client, spaceContentSql(ctx), params),
    runQuery<Contributors>(ctx.client, contributorsSql(ctx), params),
    runQuery<ReplyShares>(ctx.client, replySharesSql(ctx), params),
    questionRows(ctx),
  ])
  const cal = businessCalendar({ ...ctx.settings, time_zone: ctx.query.timeZone })
  const end = wallInstant(ctx.query.timeZone, ctx.query.range.to, 0)
  const bySpace = <T extends { space: string }>(rows: readonly T[]) => new Map(rows.map((r) => [r.space, r]))
  const contentOf = bySpace(content)
  const contributorsOf = bySpace(contributors)
  const sharesOf = bySpace(shares)
  const questionsOf = new Map<string, QuestionRow[]>()
  for (const q of questions) {
    const list = questionsOf.get(q.space)
    if (list) list.push(q)
    else questionsOf.set(q.space, [q])
  }

  const common = (space: string) => {
    const c = contentOf.get(space)
    const k = contributorsOf.get(space)
    return {
      contributors: Number(k?.contributors ?? 0),
      posts: Number(c?.posts ?? 0),
      replies: Number(c?.replies ?? 0),
      ...questionFigures(questionsOf.get(space) ?? [], cal, end),
      contributors_28d: Number(k?.contributors_28d ?? 0),
      contributors_prev_28d: Number(k?.contributors_prev_28d ?? 0),
    }
  }
  const spaces: Space[] = activity
    .map((a) => {
      const figures = common(a.space)
      const s = sharesOf.get(a.space)
      const active365d = Number(a.active_365d)
      return {
        space: a.space,
        suppressed: false,
        members: Number(a.members),
        active_members: Number(a.active_members),
        ...figures,
        active_365d: active365d,
        ...healthOf(
          active365d,
          figures.contributors_28d,
          figures.contributors_prev_28d,
          Number(s?.posts_90d ?? 0),
          Number(s?.replied_90d ?? 0),
        ),
        dormant: figures.contributors_28d === 0,
      }
    })
    .sort(
      (x, y) =>
        y.active_members! - x.active_members! || (x.space! < y.space! ? -1 : x.space! > y.space! ? 1 : 0),
    )
  const communities = spaces.length
  const dormant = spaces.filter((s) => s.dormant).length
  // Content and questions outside any space: a row of their own (no membership, no health), when
  // the query selects no space and there is any.
  if (ctx.query.filters.space === undefined) {
    const figures = common('')
    const s = sharesOf.get('')
    if (figures.contributors + figures.posts + figures.replies + figures.questions > 0) {
      const posts90d = Number(s?.posts_90d ?? 0)
      spaces.push({
        space: null,
        suppressed: false,
        members: null,
        active_members: null,
        ...figures,
        active_365d: null,
        breadth: null,
        responsiveness: ratio(Number(s?.replied_90d ?? 0), posts90d),
        momentum: null,
        health: null,
        health_reason: 'outside any space',
        dormant: null,
      })
    }
  }
  // Each row's fields in the schema's order (the CSV columns).
  const fields = Object.keys(communitiesResponse.shape.spaces.element.shape) as (keyof Space)[]
  const ordered = spaces.map((row) => Object.fromEntries(fields.map((f) => [f, row[f]])) as Space)
  return { spaces: ordered, communities, dormant, managers: await managersOf(ctx) }
}

/**
 * The managers' monthly share, org-wide (the per-space series of `computeCommunityManagers` is not
 * served yet: a space with one manager would show that person's activity). Fewer managers than
 * the org's minimum group size are a small group: their curve goes to admin and community
 * managers only (their own work), not to exec or hr.
 */
async function managersOf(ctx: MetricContext): Promise<Communities['managers']> {
  const share = await computeCommunityManagers(ctx)
  const k = ctx.settings.min_group_size
  const exempt = ctx.role === 'admin' || ctx.role === 'community_manager'
  if (share.managers > 0 && share.managers < k && !exempt) {
    return {
      managers: share.managers,
      overall: null,
      withheld: `fewer than ${k} community managers (min_group_size)`,
    }
  }
  return { managers: share.managers, overall: share.overall, withheld: null }
}

export const communities = registerMetric({
  name: 'communities',
  summary: 'Per space: members, activity, questions answered, Community Health Index, dormancy',
  response: communitiesResponse,
  compute: computeCommunities,
  // A space is a group of people for every role but admin and community managers.
  groups: [
    {
      kind: 'space',
      rows: (r) => r.spaces,
      keys: ['space'],
      // The row outside any space: the people who acted with no space.
      group: (s) => String(s.space ?? ''),
    },
  ],
  tables: (r) => ({ spaces: r.spaces, managers: r.managers.overall ?? [] }),
})
