// The one table decider: from the query (its source, the org's calendar, its zone and filters), which
// stored tables may answer. Every metric asks here; none tests a zone or a filter itself. The raw
// events answer everything and stay the oracle of the tests (tests/integration/analytics/
// rollups.test.ts runs every metric both ways).
//
// The rollups are keyed on the events' local `day`, stamped in the zone of the org's calendar
// (migration 015), so they answer an org in any zone, but only while that calendar is ready in
// the zone the query asks for: during a time-zone change (server/calendar-change.ts) the metrics
// read the raw events, which compute days from `time` in the query's zone, and stay exact.
import type { MetricContext } from './context.ts'
import { type RollupTable, rollupDefinition } from './rollup-definitions.ts'
import { eventFilters } from './sql.ts'

/**
 * The rollups may answer: the caller asked for them (the default) rather than the raw events, and
 * the org's calendar is not being rebuilt (a rebuild empties and refills every rollup of the org).
 * Enough for the time-valued rollups (first and last times, the social copy), right in any zone.
 */
export function usesRollups(ctx: MetricContext): boolean {
  return (ctx.source ?? 'rollup') === 'rollup' && (ctx.calendar?.ready ?? true)
}

/** The rollups' days are the query's days: the org's calendar is in the query's zone. */
export function calendarMatches(ctx: MetricContext): boolean {
  return (ctx.calendar?.zone ?? 'UTC') === ctx.query.timeZone
}

/**
 * The rollup `table` may answer the query: the rollups may (`usesRollups`), its days are the
 * query's days if it is keyed on them (unless `anyZone`: the question does not depend on how its
 * days are cut), and it keeps every column the query's filters select on.
 */
export function rollupAnswers(ctx: MetricContext, table: RollupTable, anyZone = false): boolean {
  const definition = rollupDefinition(table)
  const keeps = new Set<string>(definition.keeps)
  const { filters } = ctx.query
  return (
    usesRollups(ctx) &&
    (anyZone || !definition.calendar || calendarMatches(ctx)) &&
    (filters.feature === undefined || keeps.has('feature')) &&
    (filters.space === undefined || keeps.has('space')) &&
    ((filters.department === undefined && filters.site === undefined) || keeps.has('actor'))
  )
}

/**
 * The org's events as the query sees them: their `day` and `minute` in the query's zone (as the
 * writer stamps them for the org's calendar), narrowed by every filter of the query and by
 * `events`, a condition on their columns (`day` the local one).
 */
function queryEvents(ctx: MetricContext, events: string | undefined): string {
  const zoned = `
      SELECT * REPLACE (toDate(time, {tz:String}) AS day,
                        toUInt16(toHour(time, {tz:String}) * 60 + toMinute(time, {tz:String})) AS minute)
      FROM events
      WHERE org = {org:String}${eventFilters(ctx.query)}`
  return events ? `(SELECT * FROM (${zoned}) WHERE ${events})` : `(${zoned})`
}

export interface RollupRowsOptions {
  /**
   * A condition on the events' columns (`day` being their local day in the query's zone) that
   * keeps at least every event the query's rows come from: it narrows the scan when the rows are
   * computed from the events. Ignored when the stored rows answer.
   */
  events?: string
  /**
   * The rows computed from the events even when the stored rows could answer: for the part of a
   * period (a month cut by the range) that the stored rows, holding whole periods, cannot give.
   */
  computed?: boolean
  /**
   * The question does not depend on how the rollup's days or months are cut (a person's first
   * time ever is the minimum over all their months in any zone): the stored rows answer even when
   * the org's calendar is in another zone than the query's, though not while it is being rebuilt.
   */
  anyZone?: boolean
}

/**
 * The one way a metric reads a rollup: a table expression of the rows of `table` for the org,
 * narrowed by the query's filters. They are the stored rows when the rollup answers
 * (`rollupAnswers`), else the same rows computed by the rollup's own feed
 * (rollup-definitions.ts) from the raw events, in the query's zone and with the filters applied
 * to the events: during a calendar change, for another zone, or for a filter the rollup does not
 * keep. So each question has one SQL, written on the rollup's columns; the raw scan
 * (`source: 'raw'`) is that SQL on the computed rows.
 */
export function rollupRows(ctx: MetricContext, table: RollupTable, options: RollupRowsOptions = {}): string {
  if (!options.computed && rollupAnswers(ctx, table, options.anyZone)) {
    return `(SELECT * FROM ${table} WHERE org = {org:String}${eventFilters(ctx.query)})`
  }
  return `(${rollupDefinition(table).feed('1', queryEvents(ctx, options.events))})`
}
