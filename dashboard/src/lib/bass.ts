// Drawing the Bass diffusion model the API fitted (p, q, m, week 0): the share of the workforce
// that has adopted t weeks after week 0. The fit itself is the API's; this only plots it.
import { addDays, daysBetween } from './dates.ts'

export interface BassFit {
  p: number | null
  q: number | null
  m: number | null
  start: string | null
}

/** m·F(t), F(t) = (1 − e^{−(p+q)t}) / (1 + (q/p)·e^{−(p+q)t}); null when there is no fit. */
export function bassShare(fit: BassFit, weeks: number): number | null {
  const { p, q, m } = fit
  if (p === null || q === null || m === null || p <= 0 || weeks < 0) return null
  const decay = Math.exp(-(p + q) * weeks)
  return (m * (1 - decay)) / (1 + (q / p) * decay)
}

/** The fitted share as of the day before `end` (a period's exclusive end). */
export function bassShareAt(fit: BassFit, end: string): number | null {
  if (!fit.start) return null
  return bassShare(fit, daysBetween(fit.start, end) / 7)
}

export type Interval = 'day' | 'week' | 'month'

/** The first day of the next period. */
export function nextPeriod(start: string, interval: Interval): string {
  if (interval === 'day') return addDays(start, 1)
  if (interval === 'week') return addDays(start, 7)
  const [y, m] = start.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10)
}

/** The period labels after `last`, up to and including the period holding `until`, at most `max`. */
export function periodsAfter(last: string, interval: Interval, until: string, max: number): string[] {
  const periods: string[] = []
  let period = nextPeriod(last, interval)
  while (periods.length < max && period <= until) {
    periods.push(period)
    period = nextPeriod(period, interval)
  }
  return periods
}

/** Index of the period (sorted labels) that holds `date`, or -1. */
export function periodIndexOf(periods: readonly string[], date: string): number {
  for (let i = periods.length - 1; i >= 0; i--) if (periods[i]! <= date) return i
  return -1
}
