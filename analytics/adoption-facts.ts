// One row per person of the workforce source with their adoption time (METRICS.md "Adoption"):
// the single heavy aggregation that adoption, adopters and influence share. Everything "as of a
// day" (workforce, adopters, Rogers ranks) is then worked out from these rows, so the events are
// read once per answer however many periods or groups it has.
import type { MetricContext } from './context.ts'
import { runQuery } from './run.ts'
import { baseParams, levelAtLeast, localDay } from './sql.ts'
import { actorFirstsRows, adoptionTimesSql, peopleSql, type WorkforceSource } from './workforce.ts'

export interface PersonFacts {
  person: string
  department: string
  site: string
  /** `YYYY-MM-DD`; null when unknown (always in the workforce from the start). */
  hired_at: string | null
  left_at: string | null
  /** First engaged event ever, RFC 3339 in UTC; null for people who never adopted. */
  adopted_at: string | null
  /** Its day in the org's time zone. */
  adopted_day: string | null
}

interface PersonFactsRow extends Omit<PersonFacts, 'adopted_at'> {
  /** ClickHouse text form `YYYY-MM-DD hh:mm:ss.sss`, UTC. */
  adopted_at: string | null
}

/** People LEFT JOIN adoption times; `join_use_nulls` keeps "never adopted" as NULL, not 1970. */
export function personFactsSql(source: WorkforceSource, ctx: MetricContext): string {
  return `
    SELECT p.person_id AS person, p.department AS department, p.site AS site,
           toString(p.hired_at) AS hired_at, toString(p.left_at) AS left_at,
           toString(a.adopted_at) AS adopted_at, toString(a.adopted_day) AS adopted_day
    FROM ${peopleSql(source, ctx)} AS p
    LEFT JOIN ${adoptionTimesSql(ctx)} AS a ON a.actor = p.person_id
    SETTINGS join_use_nulls = 1`
}

/** UTF-8 byte order, as ClickHouse sorts strings, so ranks agree with any ORDER BY actor. */
export function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

/** Rank order of METRICS.md: by (adoption time, actor id), people who never adopted last. */
export function byAdoption(a: PersonFacts, b: PersonFacts): number {
  if (a.adopted_at !== b.adopted_at) {
    if (a.adopted_at === null) return 1
    if (b.adopted_at === null) return -1
    return a.adopted_at < b.adopted_at ? -1 : 1
  }
  return compareIds(a.person, b.person)
}

/** Every person of the workforce source, in adoption order (see `byAdoption`). */
export async function loadPersonFacts(ctx: MetricContext, source: WorkforceSource): Promise<PersonFacts[]> {
  const rows = await runQuery<PersonFactsRow>(ctx.client, personFactsSql(source, ctx), baseParams(ctx.query))
  const people = rows.map((row) => ({
    ...row,
    adopted_at: row.adopted_at === null ? null : `${row.adopted_at.replace(' ', 'T')}Z`,
  }))
  return people.sort(byAdoption)
}

/** The launch: its day (null before any engaged event) and what set it. */
export interface Launch {
  day: string | null
  source: 'setting' | 'first_engaged_event' | null
}

/**
 * The org's first engaged event day, ever, whatever the query's filters (the launch is the org's,
 * not a feature's or a department's).
 */
export function firstEngagedDaySql(ctx: MetricContext): string {
  return `SELECT toString(${localDay('min(first_engaged)')}) AS day
    FROM ${actorFirstsRows(ctx, {}, levelAtLeast('react'))}
    WHERE first_engaged IS NOT NULL`
}

/** METRICS.md "Launch": the setting `launched_at`, else the day of the org's first engaged event. */
export async function loadLaunch(ctx: MetricContext): Promise<Launch> {
  if (ctx.settings.launched_at) return { day: ctx.settings.launched_at, source: 'setting' }
  const [row] = await runQuery<{ day: string | null }>(
    ctx.client,
    firstEngagedDaySql(ctx),
    baseParams(ctx.query),
  )
  return row?.day ? { day: row.day, source: 'first_engaged_event' } : { day: null, source: null }
}

/** The rule of `inWorkforceOn` (sql.ts) for one person: hired on or before `day`, not yet left. */
export function inWorkforceOn(person: PersonFacts, day: string): boolean {
  return (
    (person.hired_at === null || person.hired_at <= day) && (person.left_at === null || person.left_at > day)
  )
}

/** Adopted on or before `day` (to be combined with `inWorkforceOn` for "an adopter on day"). */
export function adoptedBy(person: PersonFacts, day: string): boolean {
  return person.adopted_day !== null && person.adopted_day <= day
}

/** A share rounded to 4 decimals; null when there is nobody to share among. */
export function shareOf(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null
}
