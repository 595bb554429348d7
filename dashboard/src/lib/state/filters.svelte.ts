// The global filters (org, date range, interval, department, site) and their place in the URL's
// query string, so that a copied link reproduces the view. `to` is exclusive, as in the API.
import { addDays, daysBetween, isIsoDate } from '../dates.ts'

export const intervals = ['day', 'week', 'month'] as const
export type Interval = (typeof intervals)[number]

export interface FilterValues {
  org: string
  from: string
  to: string
  interval: Interval
  department: string
  site: string
}

/** Range presets, in days back from the end of the last complete period. */
export const rangePresets = [30, 90, 182, 365, 730] as const

/** The first day of the period holding `day` (ISO weeks start on Monday). */
export function periodStartOf(day: string, interval: Interval): string {
  if (interval === 'day') return day
  if (interval === 'month') return `${day.slice(0, 7)}-01`
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7
  return addDays(day, -weekday)
}

/**
 * METRICS.md "Periods": a preset ends at the last complete period (today's day, week or month is
 * not over, so `to` is its first day) and starts on a period boundary about `days` before.
 */
export function presetRange(days: number, today: string, interval: Interval): { from: string; to: string } {
  const to = periodStartOf(today, interval)
  return { from: periodStartOf(addDays(to, -days), interval), to }
}

export const orgPattern = /^[a-z0-9][a-z0-9_-]{0,63}$/

export function defaultFilters(today: string, org = 'demo'): FilterValues {
  return { org, ...presetRange(365, today, 'week'), interval: 'week', department: '', site: '' }
}

/** Reads the filters from a query string; anything missing or malformed takes its default. */
export function parseFilters(search: string, today: string, fallbackOrg = 'demo'): FilterValues {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search)
  const defaults = defaultFilters(today, fallbackOrg)
  const org = params.get('org') ?? ''
  let from = params.get('from') ?? ''
  let to = params.get('to') ?? ''
  // Nothing valid: the default range (whole weeks up to the last complete one). A bad `from`
  // alone: a year before the given end.
  if (!isIsoDate(to)) {
    to = defaults.to
    if (!isIsoDate(from) || from >= to) from = defaults.from
  }
  if (!isIsoDate(from) || from >= to) from = addDays(to, -365)
  const interval = params.get('interval') ?? ''
  return {
    org: orgPattern.test(org) ? org : defaults.org,
    from,
    to,
    interval: (intervals as readonly string[]).includes(interval)
      ? (interval as Interval)
      : defaults.interval,
    department: (params.get('department') ?? '').slice(0, 256),
    site: (params.get('site') ?? '').slice(0, 256),
  }
}

export function filtersToSearch(values: FilterValues): string {
  const params = new URLSearchParams()
  params.set('org', values.org)
  params.set('from', values.from)
  params.set('to', values.to)
  params.set('interval', values.interval)
  if (values.department) params.set('department', values.department)
  if (values.site) params.set('site', values.site)
  return `?${params.toString()}`
}

/** The query parameters every metric call takes, from the filters. */
export function metricParams(values: FilterValues): Record<string, string> {
  const params: Record<string, string> = { from: values.from, to: values.to, interval: values.interval }
  if (values.department) params.department = values.department
  if (values.site) params.site = values.site
  return params
}

export class Filters {
  org = $state('demo')
  from = $state('')
  to = $state('')
  interval = $state<Interval>('week')
  department = $state('')
  site = $state('')

  values: FilterValues = $derived({
    org: this.org,
    from: this.from,
    to: this.to,
    interval: this.interval,
    department: this.department,
    site: this.site,
  })
  params = $derived(metricParams(this.values))
  search = $derived(filtersToSearch(this.values))
  /** The last day inside the range, as people read a date range. */
  lastDay = $derived(this.to ? addDays(this.to, -1) : '')
  rangeDays = $derived(this.from && this.to ? daysBetween(this.from, this.to) : 0)
  /** Period labels carry the year when the range spans more than one. */
  labelsWithYear = $derived(this.from.slice(0, 4) !== this.lastDay.slice(0, 4))

  constructor(values: FilterValues) {
    this.set(values)
  }

  set(values: Partial<FilterValues>): void {
    if (values.org !== undefined && orgPattern.test(values.org)) this.org = values.org
    if (values.interval !== undefined) this.interval = values.interval
    if (values.department !== undefined) this.department = values.department
    if (values.site !== undefined) this.site = values.site
    const from = values.from ?? this.from
    const to = values.to ?? this.to
    if (isIsoDate(from) && isIsoDate(to) && from < to) {
      this.from = from
      this.to = to
    }
  }

  /** Sets the range from its first and last (inclusive) days, as the date inputs show it. */
  setDays(first: string, last: string): void {
    if (isIsoDate(first) && isIsoDate(last) && first <= last) this.set({ from: first, to: addDays(last, 1) })
  }

  /** About the last `days` days, in whole periods of the current interval (`presetRange`). */
  preset(days: number, today: string): void {
    this.set(presetRange(days, today, this.interval))
  }

  /** Which preset the current range is, if any. */
  presetOf(today: string): number | null {
    return (
      rangePresets.find((days) => {
        const range = presetRange(days, today, this.interval)
        return range.from === this.from && range.to === this.to
      }) ?? null
    )
  }
}
