// Participation tiers (METRICS.md "Engagement"): creators, contributors and lurkers among the
// people active in the range, inactive workforce members, beside the 90-9-1 reference.
import {
  type Participation,
  participationResponse,
  type TierRow,
} from '../../schemas/api/metrics/participation.ts'
import { type Tier, tierNames } from '../../schemas/api/vocabulary.ts'
import { shareOf } from '../adoption-facts.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { addDays } from '../query.ts'
import { dayInRange } from '../rollups.ts'
import { runQuery } from '../run.ts'
import { baseParams, breakdownColumn, inWorkforceOn, levelAtLeast } from '../sql.ts'
import { rollupRows } from '../tables.ts'
import type { Row } from '../tabular.ts'
import { peopleSql, type WorkforceSource, workforceSource } from '../workforce.ts'

/** Nielsen's 90-9-1 rule, as shares of the active people. */
export const reference = { lurkers: 0.9, contributors: 0.09, creators: 0.01 } as const

interface GroupCounts {
  grp: string
  creators: number
  contributors: number
  lurkers: number
  inactive: number
  creators_members: number
  contributors_members: number
  lurkers_members: number
  workforce: number
  unknown_actors: number
  /** Workforce members and active people: those the group's numbers are about. */
  people: number
}

/**
 * One row per group: people of the workforce source FULL JOIN the actors active in the range, so
 * that actors missing from the roster (person_id NULL) and inactive members (actor NULL) both count.
 */
export function participationSql(source: WorkforceSource, ctx: MetricContext): string {
  const by = ctx.query.by
  const groupColumn = by === 'department' || by === 'site' ? `ifNull(${breakdownColumn(by)}, '')` : `''`
  const member = `(r.person_id IS NOT NULL AND ${inWorkforceOn('{last:Date}')})`
  const tierOf = `multiIf(a.actor IS NULL, 'inactive', a.created, 'creators', a.contributed, 'contributors', 'lurkers')`
  // From the rows of `rollup_actor_day`: the best level of each day; "contributed" matters only
  // when not "created", and then a day at react or contribute is exactly a react or contribute event.
  const activity = `SELECT actor, max(max_level = 4) AS created, max(max_level IN (2, 3)) AS contributed
      FROM ${rollupRows(ctx, 'rollup_actor_day', { events: `${levelAtLeast('view')} AND ${dayInRange}` })}
      WHERE max_level >= 1 AND ${dayInRange}
      GROUP BY actor`
  return `
    WITH activity AS (
      ${activity}
    )
    SELECT grp,
           countIf(tier = 'creators') AS creators,
           countIf(tier = 'contributors') AS contributors,
           countIf(tier = 'lurkers') AS lurkers,
           countIf(tier = 'inactive' AND member) AS inactive,
           countIf(tier = 'creators' AND member) AS creators_members,
           countIf(tier = 'contributors' AND member) AS contributors_members,
           countIf(tier = 'lurkers' AND member) AS lurkers_members,
           countIf(member) AS workforce,
           countIf(unknown) AS unknown_actors,
           countIf(member OR tier != 'inactive') AS people
    FROM (
      SELECT ${groupColumn} AS grp, ${tierOf} AS tier, ${member} AS member, r.person_id IS NULL AS unknown
      FROM ${peopleSql(source, ctx)} AS r
      FULL OUTER JOIN activity AS a ON a.actor = r.person_id
    )
    GROUP BY grp
    ORDER BY grp
    SETTINGS join_use_nulls = 1`
}

function tiersOf(c: GroupCounts): TierRow[] {
  const active = c.creators + c.contributors + c.lurkers
  const members: Record<Tier, number> = {
    creators: c.creators_members,
    contributors: c.contributors_members,
    lurkers: c.lurkers_members,
    inactive: c.inactive,
  }
  return tierNames.map((name) => ({
    tier: name,
    people: c[name],
    share_of_active: name === 'inactive' ? null : shareOf(c[name], active),
    reference: name === 'inactive' ? null : reference[name],
    workforce_members: members[name],
    share_of_workforce: shareOf(members[name], c.workforce),
  }))
}

const sumCounts = (rows: readonly GroupCounts[]): GroupCounts =>
  rows.reduce(
    (total, row) => {
      for (const key of Object.keys(total) as (keyof GroupCounts)[]) {
        if (key !== 'grp') total[key] += row[key]
      }
      return total
    },
    {
      grp: '',
      creators: 0,
      contributors: 0,
      lurkers: 0,
      inactive: 0,
      creators_members: 0,
      contributors_members: 0,
      lurkers_members: 0,
      workforce: 0,
      unknown_actors: 0,
      people: 0,
    },
  )

export async function computeParticipation(ctx: MetricContext): Promise<Participation> {
  const source = await workforceSource(ctx)
  const rows = await runQuery<GroupCounts>(ctx.client, participationSql(source, ctx), {
    ...baseParams(ctx.query),
    last: addDays(ctx.query.range.to, -1),
  })
  const total = sumCounts(rows)
  const answer: Participation = {
    workforce_source: source,
    workforce: total.workforce,
    active: total.creators + total.contributors + total.lurkers,
    unknown_actors: total.unknown_actors,
    tiers: tiersOf(total),
    reference,
  }
  if (ctx.query.by === 'department' || ctx.query.by === 'site') {
    // Rows of people who were neither members nor active (leavers, future hires) are no group.
    const groups = rows.filter((r) => r.people > 0)
    answer.groups = groups.map((r) => ({
      group: r.grp,
      suppressed: false,
      workforce: r.workforce,
      active: r.creators + r.contributors + r.lurkers,
      tiers: tiersOf(r),
    }))
  }
  return answer
}

export const participation = registerMetric({
  name: 'participation',
  summary: 'Creators, contributors, lurkers and inactive people beside the 90-9-1 rule',
  response: participationResponse,
  compute: computeParticipation,
  groups: [{ kind: 'breakdown', rows: (r) => r.groups ?? [] }],
  tables: (r) => ({
    tiers: r.tiers,
    groups: (r.groups ?? []).flatMap((g): Row[] =>
      g.tiers
        ? g.tiers.map((t) => ({ group: g.group, suppressed: false, ...t }))
        : tierNames.map((name) => ({
            group: g.group,
            suppressed: true,
            tier: name,
            people: null,
            share_of_active: null,
            reference: null,
            workforce_members: null,
            share_of_workforce: null,
          })),
    ),
  }),
})
