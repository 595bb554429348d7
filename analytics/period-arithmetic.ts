// Period arithmetic beyond `query.ts`: the period before or after one, in SQL and in TypeScript,
// and how many periods separate two period starts. Intervals map to SQL through closed maps.
import type { Interval } from '../schemas/api/catalogue.ts'
import { addDays } from './query.ts'

const nextPeriodFunctions: Record<Interval, (start: string) => string> = {
  day: (start) => `(${start} + 1)`,
  week: (start) => `(${start} + 7)`,
  month: (start) => `addMonths(${start}, 1)`,
}

/** The first day of the period after the one starting at `start` (an SQL date expression). */
export function nextPeriodSql(start: string, interval: Interval): string {
  return nextPeriodFunctions[interval](start)
}

const previousPeriodFunctions: Record<Interval, (start: string) => string> = {
  day: (start) => `(${start} - 1)`,
  week: (start) => `(${start} - 7)`,
  month: (start) => `addMonths(${start}, -1)`,
}

/** The first day of the period before the one starting at `start` (an SQL date expression). */
export function previousPeriodSql(start: string, interval: Interval): string {
  return previousPeriodFunctions[interval](start)
}

const periodDistanceFunctions: Record<Interval, (earlier: string, later: string) => string> = {
  day: (earlier, later) => `toInt32(${later} - ${earlier})`,
  week: (earlier, later) => `intDiv(toInt32(${later} - ${earlier}), 7)`,
  month: (earlier, later) => `toInt32(dateDiff('month', ${earlier}, ${later}))`,
}

/** How many periods after `earlier` the period `later` starts (both SQL period starts). */
export function periodDistanceSql(earlier: string, later: string, interval: Interval): string {
  return periodDistanceFunctions[interval](earlier, later)
}

/** The first day of the period before the one starting at `start`. */
export function previousPeriod(start: string, interval: Interval): string {
  if (interval === 'day') return addDays(start, -1)
  if (interval === 'week') return addDays(start, -7)
  const [y, m] = start.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 10)
}

/** Whole days from `from` to `to` (ISO dates, `to` exclusive). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}
