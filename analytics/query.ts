// Parse: the common query parameters of every metric (schemas/api/query.ts), validated into a
// typed query with the range resolved (from inclusive, to exclusive, in the org's days).
import type { Breakdown, FilterName, Interval } from '../schemas/api/catalogue.ts'
import type { MetricQueryParams } from '../schemas/api/query.ts'

export interface DateRange {
  /** Inclusive, `YYYY-MM-DD`. */
  from: string
  /** Exclusive, `YYYY-MM-DD`. */
  to: string
}

export type Filters = { [name in FilterName]?: string }

export interface MetricQuery {
  org: string
  range: DateRange
  interval: Interval
  by: Breakdown | undefined
  filters: Filters
  timeZone: string
  /** What counts, for the metrics that take `measure` (retention: engaged or active). */
  measure?: string
  /** Days of the window ending at `to`, for the metrics that take `window` (participation). */
  window?: number
}

/** A bad query parameter: answered 400, naming the field. */
export class QueryError extends Error {
  readonly statusCode = 400
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`)
  }
}

const dayMs = 86_400_000

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10)
}

/** Today's date in a time zone, `YYYY-MM-DD`. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now)
}

const maxRangeDays = 366 * 10

export function resolveQuery(
  org: string,
  params: MetricQueryParams,
  timeZone: string,
  now = new Date(),
): MetricQuery {
  const to = params.to ?? addDays(todayIn(timeZone, now), 1)
  const from = params.from ?? addDays(to, -364)
  if (from >= to) throw new QueryError('from', `must be before to (${from} ≥ ${to})`)
  if ((Date.parse(to) - Date.parse(from)) / dayMs > maxRangeDays) {
    throw new QueryError('from', 'the range may not exceed ten years')
  }
  const filters: Filters = {}
  if (params.feature) filters.feature = params.feature
  if (params.department) filters.department = params.department
  if (params.site) filters.site = params.site
  if (params.space) filters.space = params.space
  // `measure` and `window` are in the queries of the metrics that take them only
  // (schemas/api/query.ts), which validated them.
  const { measure, window } = params as MetricQueryParams & { measure?: string; window?: string }
  return {
    org,
    range: { from, to },
    interval: params.interval,
    by: params.by,
    filters,
    timeZone,
    ...(measure ? { measure } : {}),
    ...(window ? { window: Number(window) } : {}),
  }
}

/** First day of the period holding `date` (ISO weeks start on Monday). */
export function periodStart(date: string, interval: Interval): string {
  if (interval === 'day') return date
  if (interval === 'month') return `${date.slice(0, 7)}-01`
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7
  return addDays(date, -weekday)
}

export function nextPeriod(start: string, interval: Interval): string {
  if (interval === 'day') return addDays(start, 1)
  if (interval === 'week') return addDays(start, 7)
  const [y, m] = start.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10)
}

export interface Period {
  /** Label: the period's first day (may be before the range's `from`). */
  period: string
  /** The part of the period inside the range: [first, end). */
  first: string
  end: string
  /** Its last day inside the range ("as of the period"). */
  last: string
  /** The range cuts it: it starts before `from` or ends after `to` (METRICS.md "Periods"). */
  partial: boolean
}

/** ISO dates compare as text. */
export const laterDate = (a: string, b: string): string => (a > b ? a : b)
export const earlierDate = (a: string, b: string): string => (a < b ? a : b)

/** The periods covering a range, clipped to it. */
export function periodsOf(range: DateRange, interval: Interval): Period[] {
  const periods: Period[] = []
  for (let start = periodStart(range.from, interval); start < range.to; start = nextPeriod(start, interval)) {
    const first = laterDate(start, range.from)
    const end = earlierDate(nextPeriod(start, interval), range.to)
    const partial = first !== start || end !== nextPeriod(start, interval)
    periods.push({ period: start, first, end, last: addDays(end, -1), partial })
  }
  return periods
}
