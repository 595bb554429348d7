// The community managers' share (METRICS.md "Communities (spaces)", last bullet): per local month
// of the range, overall and per space, the contributions (contribute- or create-level events) and
// the replies (`comment.created` / `answer.created` with a parent, as the communities metric counts
// them), and how many of each the community managers made: the people flagged `community_manager`
// on the org's current roster (migration 017). The seed's claim is that a community needs its
// managers at first and takes over later; this series shows whether it did.
//
// Choices where the definition leaves room:
// - Months are the org's local months (the query's zone); the range's first and last months hold
//   only the range's days. Every month of the range is listed, empty ones with 0 and null shares.
// - Overall counts every contribution and reply, in a space or not; per space, those outside any
//   space make a row of their own (`space: null`), as in the communities answer.
// - A manager is one on the current roster, for every month (the roster keeps no history of the
//   flag); actors missing from the roster are not managers.
// - Every filter of the query applies to the events (a department or site filter keeps its
//   people's events). The rollups keep no (actor, level, space) row per event, so the counts are
//   read from the events, in the query's zone: the same answer for `source` rollup and raw.
//
// `managerShareSql` is the SQL, `managerShareFromRows` the pure assembly (tested alone).
import type {
  CommunityManagersShare,
  ManagerShareMonth,
  ManagerShareSpace,
} from '../schemas/api/metrics/community-managers.ts'
import type { MetricContext } from './context.ts'
import type { DateRange } from './query.ts'
import { runQuery } from './run.ts'
import { baseParams, eventFilters, latestRoster, levelAtLeast, timeInRange } from './sql.ts'

/** A reply, as the communities metric counts them. */
const isReply = `type IN ('comment.created', 'answer.created') AND parent != ''`

/**
 * One row per (local month, space) with a contribution in the range: the counts of contributions
 * and replies and of those by community managers (a reply is a contribute-level event, so
 * replies are contributions too).
 */
export function managerShareSql(ctx: MetricContext): string {
  return `
    SELECT toString(toStartOfMonth(toDate(time, {tz:String}))) AS month, space,
           countIf(${levelAtLeast('contribute')}) AS contributions,
           countIf(${levelAtLeast('contribute')} AND by_manager) AS manager_contributions,
           countIf(${isReply}) AS replies,
           countIf(${isReply} AND by_manager) AS manager_replies
    FROM (
      SELECT time, space, type, parent, level,
             actor IN (SELECT person_id FROM ${latestRoster} WHERE community_manager) AS by_manager
      FROM events
      WHERE org = {org:String} AND ${timeInRange}${eventFilters(ctx.query)}
        AND (${levelAtLeast('contribute')} OR (${isReply}))
    )
    GROUP BY month, space
    ORDER BY month, space`
}

/** The people flagged community managers on the current roster. */
export const managerCountSql = `SELECT count() AS managers FROM ${latestRoster} WHERE community_manager`

export interface ManagerShareRow {
  /** `YYYY-MM-01`. */
  month: string
  /** '' outside any space. */
  space: string
  contributions: number
  manager_contributions: number
  replies: number
  manager_replies: number
}

/** The first days (`YYYY-MM-01`) of the months holding a day of the range [from, to). */
export function monthsOfRange(range: DateRange): string[] {
  const months: string[] = []
  if (range.to <= range.from) return months
  const last = addDaysIso(range.to, -1)
  let year = Number(range.from.slice(0, 4))
  let month = Number(range.from.slice(5, 7))
  const lastKey = last.slice(0, 7)
  for (;;) {
    const key = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`
    months.push(`${key}-01`)
    if (key >= lastKey) break
    month++
    if (month > 12) {
      month = 1
      year++
    }
  }
  return months
}

function addDaysIso(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

const share = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null

interface Counts {
  contributions: number
  manager_contributions: number
  replies: number
  manager_replies: number
}

const zero = (): Counts => ({ contributions: 0, manager_contributions: 0, replies: 0, manager_replies: 0 })

function add(into: Counts, row: Counts): void {
  into.contributions += row.contributions
  into.manager_contributions += row.manager_contributions
  into.replies += row.replies
  into.manager_replies += row.manager_replies
}

function monthOf(month: string, c: Counts): ManagerShareMonth {
  return {
    month,
    contributions: c.contributions,
    manager_contributions: c.manager_contributions,
    manager_contribution_share: share(c.manager_contributions, c.contributions),
    replies: c.replies,
    manager_replies: c.manager_replies,
    manager_reply_share: share(c.manager_replies, c.replies),
  }
}

/**
 * The answer from the rows of `managerShareSql`: every month of `months` overall and for each
 * space with a row; spaces by contributions over the range (most first), then replies, then name,
 * the row outside any space (`space: null`) last. Rows of months outside `months` are ignored.
 */
export function managerShareFromRows(
  rows: readonly ManagerShareRow[],
  months: readonly string[],
  managers: number,
): CommunityManagersShare {
  const index = new Map(months.map((m, i) => [m, i]))
  const overall = months.map(zero)
  const bySpace = new Map<string, { total: Counts; months: Counts[] }>()
  for (const raw of rows) {
    const i = index.get(raw.month)
    if (i === undefined) continue
    const row: Counts = {
      contributions: Number(raw.contributions),
      manager_contributions: Number(raw.manager_contributions),
      replies: Number(raw.replies),
      manager_replies: Number(raw.manager_replies),
    }
    add(overall[i]!, row)
    let space = bySpace.get(raw.space)
    if (!space) {
      space = { total: zero(), months: months.map(zero) }
      bySpace.set(raw.space, space)
    }
    add(space.total, row)
    add(space.months[i]!, row)
  }
  const spaces: ManagerShareSpace[] = [...bySpace.entries()]
    .sort(
      ([a, x], [b, y]) =>
        Number(a === '') - Number(b === '') ||
        y.total.contributions - x.total.contributions ||
        y.total.replies - x.total.replies ||
        (a < b ? -1 : a > b ? 1 : 0),
    )
    .map(([space, s]) => ({
      space: space === '' ? null : space,
      months: s.months.map((c, i) => monthOf(months[i]!, c)),
    }))
  return { managers, overall: overall.map((c, i) => monthOf(months[i]!, c)), spaces }
}

/**
 * The community managers' share of contributions and replies, per local month of the query's
 * range, overall and per space (see the top of this file).
 */
export async function computeCommunityManagers(ctx: MetricContext): Promise<CommunityManagersShare> {
  const params = baseParams(ctx.query)
  const [rows, count] = await Promise.all([
    runQuery<ManagerShareRow>(ctx.client, managerShareSql(ctx), params),
    runQuery<{ managers: number }>(ctx.client, managerCountSql, params),
  ])
  return managerShareFromRows(rows, monthsOfRange(ctx.query.range), Number(count[0]?.managers ?? 0))
}
