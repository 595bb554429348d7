import { flushSync } from 'svelte'
import { describe, expect, it } from 'vitest'
import {
  defaultFilters,
  Filters,
  filtersToSearch,
  metricParams,
  parseFilters,
  presetRange,
} from '../../../dashboard/src/lib/state/filters.svelte.ts'
import {
  MemoryHistory,
  Navigation,
  parseRoute,
  routePath,
} from '../../../dashboard/src/lib/state/navigation.svelte.ts'

const today = '2025-06-15'

describe('filters in the query string', () => {
  it('defaults to whole weeks, about a year, up to the last complete week, for the demo org', () => {
    // Sunday 15 June 2025: its week is not complete, the range ends on Monday 9 June (exclusive);
    // 365 days before is Sunday 9 June 2024, whose week starts on Monday 3 June.
    expect(parseFilters('', today)).toEqual({
      org: 'demo',
      from: '2024-06-03',
      to: '2025-06-09',
      interval: 'week',
      department: '',
      site: '',
    })
  })

  it('reads every filter back from the string it wrote', () => {
    const values = {
      org: 'acme',
      from: '2025-01-01',
      to: '2025-04-01',
      interval: 'month' as const,
      department: 'R&D / Lab',
      site: 'Saint-Étienne',
    }
    const search = filtersToSearch(values)
    expect(search).toBe(
      '?org=acme&from=2025-01-01&to=2025-04-01&interval=month&department=R%26D+%2F+Lab&site=Saint-%C3%89tienne',
    )
    expect(parseFilters(search, today)).toEqual(values)
  })

  it('replaces malformed values by defaults instead of failing', () => {
    const parsed = parseFilters('?org=Bad%20Org&from=2025-02-30&to=2025-13-01&interval=year', today)
    expect(parsed).toEqual(defaultFilters(today))
    // A range that ends before it starts keeps its end and takes a year before it.
    expect(parseFilters('?from=2025-05-01&to=2025-04-01', today)).toMatchObject({
      from: '2024-04-01',
      to: '2025-04-01',
    })
  })

  it('sends the API only the filters that are set', () => {
    // Today is Sunday 15 June 2025: its week is not over, so the default range ends on Monday
    // 9 June (exclusive) and starts on the Monday on or before 9 June 2024 − 0 = 3 June 2024.
    expect(metricParams({ ...defaultFilters(today), department: 'Sales' })).toEqual({
      from: '2024-06-03',
      to: '2025-06-09',
      interval: 'week',
      department: 'Sales',
    })
  })
})

describe('Filters', () => {
  it('follows the date inputs (inclusive last day) and refuses an inverted range', () => {
    const filters = new Filters(defaultFilters(today))
    filters.setDays('2025-01-01', '2025-01-31')
    expect([filters.from, filters.to, filters.lastDay, filters.rangeDays]).toEqual([
      '2025-01-01',
      '2025-02-01',
      '2025-01-31',
      31,
    ])
    filters.setDays('2025-03-01', '2025-02-01')
    expect(filters.from).toBe('2025-01-01')
    filters.set({ org: 'NOT VALID' })
    expect(filters.org).toBe('demo')
  })

  it('ends presets at the last complete period and starts them on a period boundary', () => {
    // Sunday 15 June 2025. Days: up to yesterday (to = today). Weeks: to Monday 9 June, from the
    // Monday before 10 May (9 June − 30 days) = 5 May. Months: to 1 June, from 1 May (2 May − …).
    expect(presetRange(30, today, 'day')).toEqual({ from: '2025-05-16', to: '2025-06-15' })
    expect(presetRange(30, today, 'week')).toEqual({ from: '2025-05-05', to: '2025-06-09' })
    expect(presetRange(30, today, 'month')).toEqual({ from: '2025-05-01', to: '2025-06-01' })
    expect(presetRange(365, '2025-06-01', 'month')).toEqual({ from: '2024-06-01', to: '2025-06-01' })
  })

  it('knows the preset the range is, and labels periods with the year when it spans two', () => {
    const filters = new Filters(defaultFilters(today))
    expect(filters.presetOf(today)).toBe(365)
    expect(filters.labelsWithYear).toBe(true)
    filters.preset(30, today)
    expect(filters.presetOf(today)).toBe(30)
    expect(filters.labelsWithYear).toBe(false)
    filters.setDays('2025-01-01', '2025-01-31')
    expect(filters.presetOf(today)).toBeNull()
  })
})

describe('routes', () => {
  it('maps paths to pages and back', () => {
    expect(parseRoute('/')).toEqual({ page: 'overview' })
    expect(parseRoute('/engagement')).toEqual({ page: 'engagement' })
    expect(parseRoute('/communities/ask%20it')).toEqual({ page: 'communities', space: 'ask it' })
    expect(parseRoute('/nowhere')).toEqual({ page: 'overview' })
    expect(routePath({ page: 'communities', space: 'ask it' })).toBe('/communities/ask%20it')
    expect(routePath({ page: 'overview' })).toBe('/')
  })
})

describe('Navigation ↔ address bar', () => {
  it('starts from the URL, writes filter changes back, and follows back/forward', () => {
    const history = new MemoryHistory('/adoption?org=acme&from=2025-01-01&to=2025-02-01&interval=day#x')
    const nav = new Navigation(history, today)
    expect(nav.route).toEqual({ page: 'adoption' })
    expect(nav.filters.values).toMatchObject({ org: 'acme', interval: 'day' })

    nav.filters.set({ department: 'Sales' })
    flushSync()
    nav.syncUrl()
    expect(history.entries).toEqual([
      '/adoption?org=acme&from=2025-01-01&to=2025-02-01&interval=day&department=Sales',
    ])

    nav.go({ page: 'hr' })
    expect(history.entries.at(-1)).toBe(
      '/hr?org=acme&from=2025-01-01&to=2025-02-01&interval=day&department=Sales',
    )

    const stop = nav.listen()
    history.back()
    expect(nav.route).toEqual({ page: 'adoption' })
    expect(nav.filters.department).toBe('Sales')
    stop()
  })

  it('a copied link reproduces the view', () => {
    const first = new Navigation(new MemoryHistory('/'), today)
    first.filters.set({ org: 'acme', interval: 'month', site: 'Lyon' })
    first.filters.setDays('2025-02-01', '2025-03-31')
    const link = first.href({ page: 'features' })
    const second = new Navigation(new MemoryHistory(link), '2030-01-01')
    expect(second.route).toEqual({ page: 'features' })
    expect(second.filters.values).toEqual(first.filters.values)
  })
})
