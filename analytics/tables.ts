// The one table decider: from the query (its source, the org's calendar, its zone and filters), which
// stored tables may answer. Every metric asks here; none tests a zone or a filter itself. The raw
// events answer everything and stay the oracle of the tests (tests/integration/analytics/
// rollups.test.ts runs every metric both ways).
//
// The rollups are keyed on the events' local `day`, stamped in the zone of the org's calendar
// (migration 015), so they answer an org in any zone, but only while that calendar is ready in
// the zone the query asks for: during a time-zone change (server/calendar-change.ts) the metrics
// read the raw events, which compute days from `time` in the query's zone, and stay exact.
import type { MetricContext } from './metric.ts'

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
 * The per-person rollups (`rollup_actor_day`, `rollup_actor_firsts` by day): they keep no feature
 * or space, so they answer only queries without those filters. Department and site filters
 * select people, which these rows keep.
 */
export function usesDayRollups(ctx: MetricContext): boolean {
  return (
    usesRollups(ctx) &&
    calendarMatches(ctx) &&
    ctx.query.filters.feature === undefined &&
    ctx.query.filters.space === undefined
  )
}

/**
 * `rollup_event_counts` keeps type, feature, level and space but no person: it answers any
 * feature or space filter, and no department or site filter.
 */
export function usesCountRollup(ctx: MetricContext): boolean {
  return (
    usesRollups(ctx) &&
    calendarMatches(ctx) &&
    ctx.query.filters.department === undefined &&
    ctx.query.filters.site === undefined
  )
}

/** `rollup_actor_feature_month` keeps no space: it answers queries without a space filter. */
export function usesFeatureDays(ctx: MetricContext): boolean {
  return usesRollups(ctx) && calendarMatches(ctx) && ctx.query.filters.space === undefined
}

/**
 * The events that link people or content: `rollup_social_events` (a copy of every event with a
 * target or a parent and of every question, every column kept, time-valued: any zone, any
 * filter) when the rollups apply, else the raw events. `exact` reads through FINAL, as counting
 * readers of the events do. Only for queries whose rows all satisfy `socialEventPredicate`.
 */
export function socialEventsTable(ctx: MetricContext, exact: boolean): string {
  const table = usesRollups(ctx) ? 'rollup_social_events' : 'events'
  return exact ? `${table} FINAL` : table
}
