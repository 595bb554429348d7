// Everything the pages share, made once by App.svelte and handed down through context: the session,
// language, theme, navigation with its filters, the API client and the org's settings.
import { getContext, setContext } from 'svelte'
import { ApiClient, type Params, queryString, type Row } from '../api/client.ts'
import { type MetricName, type MetricRequest, metricRequest } from '../api/metrics.ts'
import type { Adoption, OrgSettings } from '../api/types.ts'
import { localToday } from '../dates.ts'
import { pickLocale } from '../format.ts'
import { I18n } from './i18n.svelte.ts'
import { type HistoryPort, Navigation } from './navigation.svelte.ts'
import { Remote } from './remote.svelte.ts'
import { type KeyValueStore, Session } from './session.svelte.ts'
import { Theme } from './theme.svelte.ts'

export interface Environment {
  sessionStore: KeyValueStore
  localStore: KeyValueStore
  history: HistoryPort
  languages: readonly string[]
  prefersDark: boolean
  fetch?: typeof fetch
  today?: string
}

const lastOrgKey = 'implication.org'

export class AppState {
  readonly session: Session
  readonly i18n: I18n
  readonly theme: Theme
  readonly nav: Navigation
  readonly api: ApiClient
  readonly today: string
  /** The org's settings: the minimum group size, the currency and the time zone shown in labels. */
  readonly settings: Remote<OrgSettings>
  /** The departments and sites the filter bar offers, from the adoption breakdowns. */
  readonly departments: Remote<string[]>
  readonly sites: Remote<string[]>
  /** The options are asked for only once the reader reaches for the filter bar (or a link set one):
   * they cost two breakdowns the page itself does not need. */
  groupOptionsWanted = $state(false)

  constructor(private readonly env: Environment) {
    this.today = env.today ?? localToday()
    this.session = new Session(env.sessionStore)
    this.i18n = new I18n(env.localStore, env.languages, pickLocale)
    this.theme = new Theme(env.localStore, env.prefersDark)
    this.nav = new Navigation(env.history, this.today, env.localStore.getItem(lastOrgKey) ?? 'demo')
    this.api = new ApiClient({
      token: () => this.session.token,
      onUnauthorized: (message) => this.session.refused(message),
      ...(env.fetch ? { fetch: env.fetch } : {}),
    })
    this.settings = new Remote(
      () => (this.session.signedIn ? this.nav.filters.org : null),
      (org, signal) => this.api.json<OrgSettings>(`/v1/orgs/${org}/settings`, undefined, signal),
    )
    this.departments = this.groupOptions('department')
    this.sites = this.groupOptions('site')
  }

  /** A period's label on a chart axis, by the current interval. */
  periodLabel = (iso: string, interval: 'day' | 'week' | 'month' = this.nav.filters.interval): string =>
    this.i18n.period(iso, interval, this.nav.filters.labelsWithYear)

  get org(): string {
    return this.nav.filters.org
  }

  rememberOrg(): void {
    this.env.localStore.setItem(lastOrgKey, this.nav.filters.org)
  }

  /** The request for a metric under the current filters. */
  request(metric: MetricName, extra: Record<string, string | undefined> = {}): MetricRequest {
    return metricRequest(metric, this.nav.filters.params, extra)
  }

  /** The URL of a request: the key `Remote` follows (null while signed out). */
  urlOf(request: MetricRequest): string | null {
    if (!this.session.signedIn) return null
    return this.metricPath(request.metric) + queryString(request.params)
  }

  metricPath(metric: MetricName): string {
    return `/v1/orgs/${encodeURIComponent(this.org)}/metrics/${metric}`
  }

  /** A metric's JSON answer, following the filters. */
  metric<T>(metric: MetricName, extra: () => Record<string, string | undefined> = () => ({})): Remote<T> {
    return new Remote<T>(
      () => this.urlOf(this.request(metric, extra())),
      (url, signal) => this.api.json<T>(url, undefined, signal),
    )
  }

  /** One table of a metric, loaded as Arrow. */
  table(
    metric: MetricName,
    table: string,
    extra: () => Record<string, string | undefined> = () => ({}),
  ): Remote<Row[]> {
    return new Remote<Row[]>(
      () => this.urlOf(this.request(metric, { ...extra(), table })),
      (url, signal) => this.api.arrowRows(url, undefined, signal),
    )
  }

  private groupOptions(by: 'department' | 'site'): Remote<string[]> {
    return new Remote<string[]>(
      () =>
        this.session.signedIn && (this.groupOptionsWanted || this.nav.filters[by] !== '')
          ? `${this.org}/${by}?from=${this.nav.filters.from}&to=${this.nav.filters.to}`
          : null,
      async (_key, signal) => {
        const params: Params = { from: this.nav.filters.from, to: this.nav.filters.to, by }
        const answer = await this.api.json<Adoption>(this.metricPath('adoption'), params, signal)
        return (answer.groups ?? [])
          .filter((g) => g.group !== '' && !g.suppressed)
          .map((g) => g.group)
          .sort((a, b) => a.localeCompare(b))
      },
    )
  }
}

const contextKey = Symbol('implication.app')

export function provideApp(app: AppState): void {
  setContext(contextKey, app)
}

export function useApp(): AppState {
  const app = getContext<AppState | undefined>(contextKey)
  if (!app) throw new Error('useApp() outside the dashboard')
  return app
}
