// Communities (METRICS.md "Communities (spaces)"): per space, membership, activity, questions and
// how fast they are answered, the Community Health Index, and dormancy.
//
// Choices where the definition leaves room:
// - The spaces are those with any event up to the end of the range (a space whose activity all
//   lies before the range is listed, as dormant).
// - Membership at the end of the range: `group.joined`, or creating content there (an implicit
//   join), makes a person a member; a `group.left` later than all of those ends it.
// - The health windows are fixed to the end of the range, whatever its start: active people in
//   the last 28 days ÷ people active in the last 365 days (both up to the range end, in the org's
//   days). Active = an event of level view or above in the space.
// - Question and reply rules: see `analytics/questions.ts`.
import { type Communities, communitiesResponse, type Space } from '../../schemas/api/metrics/communities.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { questionOutcomes } from '../questions.ts'
import { dayInRange, eventCountsSql } from '../rollups.ts'
import { runQuery } from '../run.ts'
import { baseParams, levelAtLeast } from '../sql.ts'
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
 * Per space: membership, activity and content counts, from the last times per person
 * (`lastTimesSql`): the last active time says whether they were active in the range, the last 28
 * or the last 365 days. Posts from the rows of `rollup_event_counts`, replies from those
 * of `rollup_social_events` (every reply has a parent).
 */
export function spaceActivitySql(ctx: MetricContext): string {
  return `
    SELECT a.space AS space, a.members AS members, a.active_members AS active_members,
           p.posts AS posts, r.replies AS replies, a.active_28d AS active_28d, a.active_365d AS active_365d
    FROM (
      SELECT space,
             countIf(last_in > last_left) AS members,
             countIf(${since('{from:Date}')}) AS active_members,
             countIf(${since('toDate({to:Date}) - 28')}) AS active_28d,
             countIf(${since('toDate({to:Date}) - 365')}) AS active_365d
      FROM (
        ${lastTimesSql(ctx)}
      )
      GROUP BY space
    ) AS a
    LEFT JOIN (
      SELECT space, sum(n) AS posts
      FROM (${eventCountsSql({ space: 'space' }, `space != '' AND level = 'create' AND ${dayInRange}`, ctx)})
      GROUP BY space
    ) AS p ON p.space = a.space
    LEFT JOIN (
      SELECT space, count() AS replies
      FROM ${rollupRows(ctx, 'rollup_social_events', { events: dayInRange })}
      WHERE space != '' AND type IN ('comment.created', 'answer.created') AND parent != ''
        AND ${inRange} AND ${upToEnd}
      GROUP BY space
    ) AS r ON r.space = a.space`
}

/**
 * How many spaces there are and how many are dormant, without the per-space detail. Only whether
 * a space has events matters, so the rows of `rollup_event_counts` answer it (computed from the
 * events under a department or site filter: it keeps no person; reading the per-person last
 * times instead was measured slower, 3.4 s against 0.25 s at 10M, for their end month is always
 * computed from its events).
 */
export function communityCountsSql(ctx: MetricContext): string {
  const upToEndDay = `space != '' AND day < {to:Date}`
  return `
    SELECT count() AS communities, countIf(active_28d = 0) AS dormant
    FROM (
      SELECT space, countIf(${levelAtLeast('view')} AND day >= toDate({to:Date}) - 28) AS active_28d
      FROM ${rollupRows(ctx, 'rollup_event_counts', { events: upToEndDay })}
      WHERE ${upToEndDay}
      GROUP BY space
    )`
}

interface SpaceActivity {
  space: string
  members: number
  active_members: number
  posts: number
  replies: number
  active_28d: number
  active_365d: number
}

const ratio = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null

export async function computeCommunities(ctx: MetricContext): Promise<Communities> {
  const [activity, outcomes] = await Promise.all([
    runQuery<SpaceActivity>(ctx.client, spaceActivitySql(ctx), baseParams(ctx.query)),
    questionOutcomes(ctx),
  ])
  const bySpace = new Map(outcomes.map((o) => [o.space, o]))
  const spaces: Space[] = activity
    .map((a) => {
      const q = bySpace.get(a.space)
      const questions = q?.questions ?? 0
      const median = q?.median_first_reply_minutes ?? null
      return {
        space: a.space,
        suppressed: false,
        members: a.members,
        active_members: a.active_members,
        posts: a.posts,
        replies: a.replies,
        questions,
        answered_24h: ratio(q?.answered_24h ?? 0, questions),
        median_first_reply_minutes: median === null ? null : Math.round(median * 100) / 100,
        unanswered: q?.unanswered ?? 0,
        active_28d: a.active_28d,
        active_365d: a.active_365d,
        health_index: ratio(a.active_28d, a.active_365d),
        dormant: a.active_28d === 0,
      }
    })
    .sort(
      (x, y) => y.active_members - x.active_members || (x.space < y.space ? -1 : x.space > y.space ? 1 : 0),
    )
  return { spaces, communities: spaces.length, dormant: spaces.filter((s) => s.dormant).length }
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
      group: (s) => String(s.space),
    },
  ],
  tables: (r) => ({ spaces: r.spaces }),
})
