// Participation tiers (METRICS.md "Engagement"): over a fixed window of `window` days (28 by
// default, or 90) ending at the range end, the active people sorted by the highest level of their
// events, creators (create), contributors (contribute), reactors (react) and lurkers (view), and
// the workforce members with nothing, inactive; beside the 90-9-1 reference. Also per month of
// the range (the window is the month, clipped to the range), and inside each department, site or
// space (by=).
//
// by=space: the tiers count the events of each space. A workforce has no meaning inside a space,
// so there `inactive` are the space's people (those who ever had an event in it, at any level,
// before the window's end: the people the privacy layer sizes a space by) who are workforce
// members on the window's last day and had no view-or-above event in the space in the window;
// the group's `workforce` is those members.
import {
  type Participation,
  type ParticipationMonth,
  participationResponse,
  type TierRow,
} from '../../schemas/api/metrics/participation.ts'
import { type Tier, tierNames } from '../../schemas/api/vocabulary.ts'
import { shareOf } from '../adoption-facts.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { addDays, earlierDate, nextPeriod, periodsOf } from '../query.ts'
import { runQuery } from '../run.ts'
import { baseParams, breakdownColumn, eventFilters, inWorkforceOn, levelAtLeast } from '../sql.ts'
import { rollupRows } from '../tables.ts'
import type { Row } from '../tabular.ts'
import { peopleSql, type WorkforceSource, workforceSource } from '../workforce.ts'

/** Nielsen's 90-9-1 rule, as shares of the active people. It has no reactor tier: its 90 % who
 * do not contribute are the reactors and the lurkers together. */
export const reference = { lurkers: 0.9, contributors: 0.09, creators: 0.01 } as const

/** The windows `window` takes, in days; the first is the default. */
export const participationWindows = [28, 90] as const

/** The level rank (sql.ts) that puts a person in each active tier: their highest in the window. */
const tierLevels = { creators: 4, contributors: 3, reactors: 2, lurkers: 1 } as const
type ActiveTier = keyof typeof tierLevels
const activeTiers = Object.keys(tierLevels) as ActiveTier[]

interface GroupCounts {
  /** 'window', or the first day of a month of the range. */
  slot: string
  grp: string
  creators: number
  contributors: number
  reactors: number
  lurkers: number
  inactive: number
  creators_members: number
  contributors_members: number
  reactors_members: number
  lurkers_members: number
  workforce: number
  unknown_actors: number
  /** Workforce members and active people: those the group's numbers are about. */
  people: number
}

const countColumns = (level: string, member: string, unknown: string) => `
           ${activeTiers.map((t) => `countIf(${level} = ${tierLevels[t]}) AS ${t}`).join(',\n           ')},
           countIf(${level} = 0 AND ${member}) AS inactive,
           ${activeTiers.map((t) => `countIf(${level} = ${tierLevels[t]} AND ${member}) AS ${t}_members`).join(',\n           ')},
           countIf(${member}) AS workforce,
           countIf(${unknown} AND ${level} > 0) AS unknown_actors,
           countIf(${member} OR ${level} > 0) AS people`

/**
 * One row per slot and group. The slots are the window ('window') and each month of the range
 * (its first day), each with its last day `last` (bound as the arrays {slots} and {lasts}): a
 * person's tier in a slot is their highest level on its days, from the rows of
 * `rollup_actor_day` (its best level of each day). The people of the workforce source, once per
 * slot, FULL JOIN the actors active in it, so that actors missing from the roster (person_id
 * NULL) and inactive members (no level) both count.
 */
export function participationSql(source: WorkforceSource, ctx: MetricContext): string {
  if (ctx.query.by === 'space') return spaceParticipationSql(source, ctx)
  const by = ctx.query.by
  const groupColumn = by === 'department' || by === 'site' ? `ifNull(${breakdownColumn(by)}, '')` : `''`
  const days = 'day >= {scan_from:Date} AND day < {to:Date}'
  return `
    WITH activity AS (
      SELECT slot, actor, max(max_level) AS level
      FROM (
        SELECT actor, day, max_level
        FROM ${rollupRows(ctx, 'rollup_actor_day', { events: `${levelAtLeast('view')} AND ${days}` })}
        WHERE max_level >= 1 AND ${days}
      )
      ARRAY JOIN arrayFilter(s -> s != '', [if(day >= {window_from:Date}, 'window', ''),
                                            if(day >= {from:Date}, toString(toStartOfMonth(day)), '')]) AS slot
      GROUP BY slot, actor
    ),
    slots AS (
      SELECT tupleElement(s, 1) AS slot, tupleElement(s, 2) AS last
      FROM (SELECT arrayJoin(arrayZip({slots:Array(String)}, {lasts:Array(Date)})) AS s)
    )
    SELECT slot, grp, ${countColumns('level', 'member', 'unknown')}
    FROM (
      SELECT coalesce(r.slot, a.slot) AS slot, ${groupColumn} AS grp, ifNull(a.level, 0) AS level,
             (r.person_id IS NOT NULL AND ${inWorkforceOn('r.last')}) AS member, r.person_id IS NULL AS unknown
      FROM (SELECT s.slot AS slot, s.last AS last, p.* FROM slots AS s CROSS JOIN ${peopleSql(source, ctx)} AS p) AS r
      FULL OUTER JOIN activity AS a ON a.actor = r.person_id AND a.slot = r.slot
    )
    GROUP BY slot, grp
    ORDER BY slot, grp
    SETTINGS join_use_nulls = 1`
}

/**
 * by=space, over the window only: per space and actor, from the events (no rollup keeps a
 * person's levels in a space), their highest level in the window (0: none) among the people who
 * ever had an event there before its end, joined to the workforce source for membership.
 */
function spaceParticipationSql(source: WorkforceSource, ctx: MetricContext): string {
  const windowStart = 'toDateTime64({window_from:Date}, 3, {tz:String})'
  return `
    WITH space_people AS (
      SELECT space AS grp, actor,
             max(if(time >= ${windowStart} AND ${levelAtLeast('view')}, CAST(level, 'Int8'), 0)) AS level
      FROM events
      WHERE org = {org:String} AND space != '' AND time < toDateTime64({to:Date}, 3, {tz:String})${eventFilters(ctx.query)}
      GROUP BY grp, actor
    )
    SELECT 'window' AS slot, grp, ${countColumns('level', 'member', 'unknown')}
    FROM (
      SELECT a.grp AS grp, a.level AS level,
             (r.person_id IS NOT NULL AND ${inWorkforceOn('{last:Date}')}) AS member, r.person_id IS NULL AS unknown
      FROM space_people AS a
      LEFT JOIN ${peopleSql(source, ctx)} AS r ON r.person_id = a.actor
    )
    GROUP BY grp
    ORDER BY grp
    SETTINGS join_use_nulls = 1`
}

const members = (c: GroupCounts, name: Tier): number =>
  name === 'inactive' ? c.inactive : c[`${name}_members`]

function tiersOf(c: GroupCounts): TierRow[] {
  const active = activeOf(c)
  return tierNames.map((name) => ({
    tier: name,
    people: c[name],
    share_of_active: name === 'inactive' ? null : shareOf(c[name], active),
    reference: name === 'inactive' || name === 'reactors' ? null : reference[name],
    workforce_members: members(c, name),
    share_of_workforce: shareOf(members(c, name), c.workforce),
  }))
}

const activeOf = (c: GroupCounts) => c.creators + c.contributors + c.reactors + c.lurkers

const emptyCounts = (slot: string): GroupCounts => ({
  slot,
  grp: '',
  creators: 0,
  contributors: 0,
  reactors: 0,
  lurkers: 0,
  inactive: 0,
  creators_members: 0,
  contributors_members: 0,
  reactors_members: 0,
  lurkers_members: 0,
  workforce: 0,
  unknown_actors: 0,
  people: 0,
})

const sumCounts = (slot: string, rows: readonly GroupCounts[]): GroupCounts =>
  rows.reduce((total, row) => {
    for (const key of Object.keys(total) as (keyof GroupCounts)[]) {
      if (key !== 'grp' && key !== 'slot') total[key] += row[key]
    }
    return total
  }, emptyCounts(slot))

export async function computeParticipation(ctx: MetricContext): Promise<Participation> {
  const { range, by } = ctx.query
  const window = ctx.query.window ?? participationWindows[0]
  const windowFrom = addDays(range.to, -window)
  const last = addDays(range.to, -1)
  const months = periodsOf(range, 'month')
  const source = await workforceSource(ctx)
  const params = {
    ...baseParams(ctx.query),
    window_from: windowFrom,
    scan_from: earlierDate(windowFrom, range.from),
    last,
    slots: ['window', ...months.map((m) => m.period)],
    lasts: [last, ...months.map((m) => m.last)],
  }
  const rows = await runQuery<GroupCounts>(ctx.client, participationSql(source, ctx), params)
  // by=space answers the window only (its groups); the totals and months come from the
  // query without the breakdown.
  const totals =
    by === 'space'
      ? await runQuery<GroupCounts>(
          ctx.client,
          participationSql(source, { ...ctx, query: { ...ctx.query, by: undefined } }),
          params,
        )
      : rows
  const slot = (name: string) => totals.filter((r) => r.slot === name)
  const total = sumCounts('window', slot('window'))
  const monthly = months.map((m): ParticipationMonth => {
    const c = sumCounts(m.period, slot(m.period))
    return {
      month: m.period,
      window_from: m.first,
      window_to: m.end,
      partial: m.first !== m.period || m.end !== nextPeriod(m.period, 'month'),
      workforce: c.workforce,
      active: activeOf(c),
      unknown_actors: c.unknown_actors,
      tiers: tiersOf(c),
    }
  })
  const answer: Participation = {
    workforce_source: source,
    window,
    window_from: windowFrom,
    window_to: range.to,
    workforce: total.workforce,
    active: activeOf(total),
    unknown_actors: total.unknown_actors,
    tiers: tiersOf(total),
    reference,
    monthly,
  }
  if (by === 'department' || by === 'site' || by === 'space') {
    // Rows of people who were neither members nor active (leavers, future hires, a space's past
    // people who left) are no group.
    const groups = rows.filter((r) => r.slot === 'window' && r.people > 0)
    answer.groups = groups.map((r) => ({
      group: r.grp,
      suppressed: false,
      workforce: r.workforce,
      active: activeOf(r),
      tiers: tiersOf(r),
    }))
  }
  return answer
}

const blankTiers = (fields: Row): Row[] =>
  tierNames.map((name) => ({
    ...fields,
    tier: name,
    people: null,
    share_of_active: null,
    reference: null,
    workforce_members: null,
    share_of_workforce: null,
  }))

export const participation = registerMetric({
  name: 'participation',
  summary:
    'Creators, contributors, reactors, lurkers and inactive people over a 28- or 90-day window, per month and beside the 90-9-1 rule',
  response: participationResponse,
  compute: computeParticipation,
  groups: [{ kind: 'breakdown', rows: (r) => r.groups ?? [] }],
  tables: (r) => ({
    tiers: r.tiers.map((t) => ({ window_from: r.window_from, window_to: r.window_to, ...t })),
    monthly: r.monthly.flatMap(({ tiers, ...m }): Row[] =>
      tiers.map((t) => ({
        month: m.month,
        window_from: m.window_from,
        window_to: m.window_to,
        partial: m.partial,
        ...t,
      })),
    ),
    groups: (r.groups ?? []).flatMap((g): Row[] =>
      g.tiers
        ? g.tiers.map((t) => ({ group: g.group, suppressed: false, ...t }))
        : blankTiers({ group: g.group, suppressed: true }),
    ),
  }),
})
