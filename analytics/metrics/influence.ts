// Diffusion flows (METRICS.md "Diffusion flows"): who convinced whom. An adopter u was influenced
// by v when, in the 30 days up to u's adoption, v (already an adopter then) named u as the target
// of an event, or u viewed or reacted to an object v had created. Credit is split equally between
// u's distinct influencers and summed by (influencer segment → adopter segment). The champions
// are a per-person list (METRICS.md "Privacy rules that change numbers"): admin, and community
// managers with named lists, get it; every other role gets their number and the flows.
import {
  type AdopterSegment,
  adopterSegments,
  formerMembers,
  type Influence,
  type InfluencerSegment,
  influenceResponse,
  influencerSegments,
  maxChampions,
} from '../../schemas/api/metrics/influence.ts'
import { compareIds, loadLaunch, loadPersonFacts } from '../adoption-facts.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { addDays } from '../query.ts'
import { runQuery } from '../run.ts'
import { rogersSegments } from '../segments.ts'
import { baseParams, eventFilters, inWorkforceOn, levelAtLeast } from '../sql.ts'
import { rollupRows } from '../tables.ts'
import type { Row } from '../tabular.ts'
import { adoptionTimesSql, peopleSql, type WorkforceSource, workforceSource } from '../workforce.ts'
import { personListState, seesPersonLists } from './adopters.ts'

/**
 * Distinct (adopter, influencer) pairs for the adopters whose adoption time is in the range.
 * Adoption times are read once, into a scalar pair of arrays that every step looks up with
 * `transform` (a CTE would be evaluated again wherever it is used). An adopter's 30 days end at
 * their adoption time inclusive: their first reaction is their adoption, and reacting to an
 * object is one of the ways to be influenced.
 *
 * The acts naming a target are social events: the rows of `rollup_social_events`. Views,
 * reactions and creations of objects carry neither target nor parent (a post viewed, a post
 * created), and no rollup keeps their object: those read the events (one SQL either way).
 */
export function influencePairsSql(source: WorkforceSource, ctx: MetricContext): string {
  const filters = eventFilters(ctx.query)
  const rangeStart = 'toDateTime64({from:Date}, 3, {tz:String})'
  const rangeEnd = 'toDateTime64({to:Date}, 3, {tz:String})'
  const adoptedAt = (person: string) => `transform(${person}, adoption.1, adoption.2, never)`
  const targeted = rollupRows(ctx, 'rollup_social_events', {
    events: `target != '' AND day >= toDate({from:Date}) - 31 AND day < {to:Date}`,
  })
  return `
    WITH
      (SELECT (groupArray(actor), groupArray(adopted_at)) FROM ${adoptionTimesSql(ctx)}) AS adoption,
      toDateTime64(0, 3, 'UTC') AS never,
      acts AS (
        -- v acted on u: an event by v naming u as its target (mention, invitation, reply, share)
        SELECT target AS u, actor AS v, '' AS object, time AS at
        FROM ${targeted}
        WHERE ${levelAtLeast('view')} AND target != '' AND target != actor
          AND time >= ${rangeStart} - INTERVAL 30 DAY AND time < ${rangeEnd}
        UNION ALL
        -- u viewed or reacted to an object (its creators are joined below)
        SELECT actor AS u, '' AS v, object, time AS at
        FROM events
        WHERE org = {org:String} AND level IN ('view', 'react') AND object != ''
          AND time >= ${rangeStart} - INTERVAL 30 DAY AND time < ${rangeEnd}${filters}
      ),
      newcomer_acts AS (
        SELECT u, v, object, at
        FROM (SELECT *, ${adoptedAt('u')} AS u_adopted_at FROM acts)
        WHERE u_adopted_at >= ${rangeStart} AND u_adopted_at < ${rangeEnd}
          AND at >= u_adopted_at - INTERVAL 30 DAY AND at <= u_adopted_at
      ),
      creations AS (
        SELECT actor AS v, object, min(time) AS created_at
        FROM events
        WHERE org = {org:String} AND level = 'create' AND object != '' AND time < ${rangeEnd}${filters}
        GROUP BY actor, object
      ),
      influences AS (
        SELECT n.u AS adopter, if(n.object = '', n.v, c.v) AS influencer, n.at AS at
        FROM newcomer_acts AS n
        LEFT JOIN creations AS c ON c.object = n.object
        WHERE n.object = '' OR c.created_at <= n.at
      )
    SELECT i.adopter AS adopter, i.influencer AS influencer
    FROM influences AS i
    INNER JOIN ${peopleSql(source, ctx)} AS r ON r.person_id = i.influencer
    WHERE i.influencer != i.adopter
      AND ${adoptedAt('i.influencer')} > never AND ${adoptedAt('i.influencer')} <= i.at
      AND ${inWorkforceOn('toDate(i.at, {tz:String})')}
    GROUP BY adopter, influencer`
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000

export async function computeInfluence(ctx: MetricContext): Promise<Influence> {
  const { query } = ctx
  const last = addDays(query.range.to, -1)
  const source = await workforceSource(ctx)
  const [people, launch, pairs] = await Promise.all([
    loadPersonFacts(ctx, source),
    loadLaunch(ctx),
    runQuery<{ adopter: string; influencer: string }>(
      ctx.client,
      influencePairsSql(source, ctx),
      baseParams(query),
    ),
  ])
  const segmented = rogersSegments(people, last, launch, source)
  const segmentOf = new Map(segmented.map((s) => [s.person.person, s.segment]))
  const departmentOf = new Map(people.map((p) => [p.person, p.department]))
  const newcomers = new Map<string, AdopterSegment>()
  for (const { person, segment } of segmented) {
    if (segment !== 'non_adopters' && person.adopted_day! >= query.range.from) {
      newcomers.set(person.person, segment)
    }
  }

  const influencersOf = new Map<string, string[]>()
  for (const { adopter, influencer } of pairs) {
    if (!newcomers.has(adopter)) continue
    const list = influencersOf.get(adopter) ?? []
    list.push(influencer)
    influencersOf.set(adopter, list)
  }

  const influencerSegment = (v: string): InfluencerSegment => {
    const segment = segmentOf.get(v)
    return segment === undefined || segment === 'non_adopters' ? formerMembers : segment
  }
  const flows = new Map<string, number>()
  const champions = new Map<string, { influenced: number; credit: number }>()
  for (const [adopter, influencers] of influencersOf) {
    const share = 1 / influencers.length
    const to = newcomers.get(adopter)!
    for (const v of influencers) {
      const key = `${influencerSegment(v)}\u0000${to}`
      flows.set(key, (flows.get(key) ?? 0) + share)
      const champion = champions.get(v) ?? { influenced: 0, credit: 0 }
      champion.influenced += 1
      champion.credit += share
      champions.set(v, champion)
    }
  }

  const listed = seesPersonLists(ctx)
  return {
    flows: influencerSegments.flatMap((from) =>
      adopterSegments
        .map((to) => ({ from, to, credit: round4(flows.get(`${from}\u0000${to}`) ?? 0) }))
        .filter((f) => f.credit > 0),
    ),
    person_list: personListState(ctx),
    champions: listed
      ? [...champions.entries()]
          .map(([v, c]) => ({
            person: ctx.personLabel(v),
            segment: influencerSegment(v),
            department: departmentOf.get(v) ?? '',
            influenced: c.influenced,
            credit: round4(c.credit),
          }))
          .sort(
            (a, b) => b.credit - a.credit || b.influenced - a.influenced || compareIds(a.person, b.person),
          )
          .slice(0, maxChampions)
      : null,
    influencers: champions.size,
    influenced_adopters: influencersOf.size,
    adopters_in_range: newcomers.size,
  }
}

export const influence = registerMetric({
  name: 'influence',
  summary:
    'Diffusion flows between Rogers segments and the champions of adoption (listed for admin, and community managers with named lists)',
  response: influenceResponse,
  compute: computeInfluence,
  // The champions' table only where the list is.
  tables: (r): Record<string, Row[]> =>
    r.champions ? { flows: r.flows, champions: r.champions } : { flows: r.flows },
})
