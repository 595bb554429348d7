// Where the reader is: the page (history routing, `/adoption`, `/communities/<space>`) and the
// filters in the query string. Page changes push a history entry; filter changes replace it.
import { Filters, filtersToSearch, parseFilters } from './filters.svelte.ts'

export const pageIds = [
  'overview',
  'adoption',
  'engagement',
  'communities',
  'features',
  'collaboration',
  'hr',
  'data',
  'privacy',
  'settings',
  'definitions',
] as const
export type PageId = (typeof pageIds)[number]

export interface Route {
  page: PageId
  /** On the communities page: one community. */
  space?: string
  /** On the definitions page: the section of docs/METRICS.md to show (`adoption`). */
  section?: string
}

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent)
  const [first, second] = parts
  if (!first) return { page: 'overview' }
  if (first === 'communities' && second) return { page: 'communities', space: second }
  if (first === 'definitions' && second) return { page: 'definitions', section: second }
  return (pageIds as readonly string[]).includes(first) ? { page: first as PageId } : { page: 'overview' }
}

export function routePath(route: Route): string {
  if (route.page === 'overview') return '/'
  if (route.space) return `/${route.page}/${encodeURIComponent(route.space)}`
  if (route.section) return `/${route.page}/${encodeURIComponent(route.section)}`
  return `/${route.page}`
}

export interface HistoryPort {
  location(): { pathname: string; search: string; hash: string }
  push(url: string): void
  replace(url: string): void
  /** Calls back on back/forward; returns how to stop listening. */
  onPop(callback: () => void): () => void
}

export function browserHistory(): HistoryPort {
  return {
    location: () => ({
      pathname: window.location.pathname,
      search: window.location.search,
      hash: window.location.hash,
    }),
    push: (url) => window.history.pushState(null, '', url),
    replace: (url) => window.history.replaceState(null, '', url),
    onPop(callback) {
      window.addEventListener('popstate', callback)
      return () => window.removeEventListener('popstate', callback)
    },
  }
}

export class Navigation {
  route = $state<Route>({ page: 'overview' })
  readonly filters: Filters

  constructor(
    private readonly history: HistoryPort,
    private readonly today: string,
    fallbackOrg = 'demo',
  ) {
    const here = history.location()
    this.route = parseRoute(here.pathname)
    this.filters = new Filters(parseFilters(here.search, today, fallbackOrg))
  }

  /** The URL of a route with the current filters. */
  href(route: Route): string {
    return routePath(route) + this.filters.search
  }

  go(route: Route): void {
    this.route = route
    this.history.push(this.href(route))
  }

  /** Writes the current filters into the address bar (replacing the entry), keeping a fragment. */
  syncUrl(hash = ''): void {
    const url = this.href(this.route) + hash
    const here = this.history.location()
    if (here.pathname + here.search + here.hash !== url) this.history.replace(url)
  }

  /** Back and forward: the address bar is the truth. */
  readLocation(): void {
    const here = this.history.location()
    this.route = parseRoute(here.pathname)
    const values = parseFilters(here.search, this.today, this.filters.org)
    if (filtersToSearch(values) !== this.filters.search) this.filters.set(values)
  }

  listen(): () => void {
    return this.history.onPop(() => this.readLocation())
  }
}

/** A history that lives in memory, for tests. */
export class MemoryHistory implements HistoryPort {
  entries: string[]
  index = 0
  private listeners = new Set<() => void>()

  constructor(url = '/') {
    this.entries = [url]
  }

  location() {
    const url = new URL(this.entries[this.index]!, 'http://dashboard.test')
    return { pathname: url.pathname, search: url.search, hash: url.hash }
  }
  push(url: string): void {
    this.entries = [...this.entries.slice(0, this.index + 1), url]
    this.index = this.entries.length - 1
  }
  replace(url: string): void {
    this.entries[this.index] = url
  }
  back(): void {
    if (this.index > 0) this.index--
    for (const listener of this.listeners) listener()
  }
  onPop(callback: () => void): () => void {
    this.listeners.add(callback)
    return () => this.listeners.delete(callback)
  }
}
