// Build: small pure functions that make the SQL pieces every metric shares. Values are always
// bound parameters ({name:Type}); identifiers come only from the closed maps below.
import type { Breakdown, Interval } from '../schemas/api/catalogue.ts'
import type { Level } from '../schemas/event-catalogue.ts'
import type { MetricQuery } from './query.ts'

/** The day of an event in the org's time zone. */
export function localDay(column = 'time'): string {
  return `toDate(${column}, {tz:String})`
}

const periodFunctions: Record<Interval, (day: string) => string> = {
  day: (day) => day,
  week: (day) => `toStartOfWeek(${day}, 1)`,
  month: (day) => `toStartOfMonth(${day})`,
}

export function periodOf(day: string, interval: Interval): string {
  return periodFunctions[interval](day)
}

const levelRanks: Record<Level, number> = { none: 0, view: 1, react: 2, contribute: 3, create: 4 }

export function levelAtLeast(level: Level): string {
  return `CAST(level, 'Int8') >= ${levelRanks[level]}`
}

/** The latest roster snapshot of the org; `community_manager` is false when the upload did not say. */
export const latestRoster = `(
  SELECT person_id, department, site, manager, hired_at, left_at, community_manager
  FROM roster
  WHERE org = {org:String} AND snapshot = (SELECT max(snapshot) FROM roster WHERE org = {org:String})
)`

/** Roster people in the workforce on `day` (an SQL date expression). */
export function inWorkforceOn(day: string): string {
  return `((hired_at IS NULL OR hired_at <= ${day}) AND (left_at IS NULL OR left_at > ${day}))`
}

/** The event range in UTC instants that covers the org's local days [from, to). */
export const timeInRange = `time >= toDateTime64({from:Date}, 3, {tz:String}) AND time < toDateTime64({to:Date}, 3, {tz:String})`

/** Event filters of the query (feature, space, department, site), as `AND ...` clauses. */
export function eventFilters(query: MetricQuery): string {
  const clauses: string[] = []
  if (query.filters.feature) clauses.push('feature = {feature:String}')
  if (query.filters.space) clauses.push('space = {space:String}')
  if (query.filters.department) {
    clauses.push(`actor IN (SELECT person_id FROM ${latestRoster} WHERE department = {department:String})`)
  }
  if (query.filters.site) {
    clauses.push(`actor IN (SELECT person_id FROM ${latestRoster} WHERE site = {site:String})`)
  }
  return clauses.map((c) => ` AND ${c}`).join('')
}

/** The values bound by the fragments above. */
export function baseParams(query: MetricQuery): Record<string, string> {
  return {
    org: query.org,
    tz: query.timeZone,
    from: query.range.from,
    to: query.range.to,
    ...query.filters,
  }
}

/** The column naming an event's group for a breakdown; department and site come from the roster,
 * joined as `r` (see `rosterJoin`); people missing from the roster fall in group ''. */
const breakdownColumns: Record<Breakdown, string> = {
  feature: 'feature',
  space: 'space',
  department: 'r.department',
  site: 'r.site',
}

export function breakdownColumn(by: Breakdown): string {
  return breakdownColumns[by]
}

export const rosterJoin = `LEFT JOIN ${latestRoster} AS r ON r.person_id = actor`

/**
 * The bits of the days of [lower, upper) (SQL date expressions) in the bit set of the month
 * starting on `month` (bit d-1 for day d, as `rollup_actor_month` keeps them): all 31 for a month
 * inside the range, fewer for the months the bounds cut.
 */
export function monthDaysMask(month: string, lower: string, upper: string): string {
  const bit = (bound: string) => `least(greatest(dateDiff('day', ${month}, ${bound}), 0), 31)`
  return `toUInt32(bitShiftLeft(toUInt64(1), greatest(${bit(upper)}, ${bit(lower)})) - bitShiftLeft(toUInt64(1), ${bit(lower)}))`
}

/** The bits of the days before `upper` in the bit set of `month` (see `monthDaysMask`). */
export function monthDaysBefore(month: string, upper: string): string {
  return `toUInt32(bitShiftLeft(toUInt64(1), least(greatest(dateDiff('day', ${month}, ${upper}), 0), 31)) - 1)`
}
