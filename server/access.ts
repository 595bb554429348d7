// Who may call what: the route × role × org table. It is the single source of access rules: the
// auth hook (server/auth.ts) reads it for every request, a route registered without a line here
// makes the app refuse to start, and tests/integration/access-control.test.ts runs every route
// against every role, in the token's own org, a foreign org and with an all-orgs token.
// docs/SECURITY.md is this table written out for a security reviewer; keep both in step.
import { metricNames } from '../schemas/api/catalogue.ts'
import type { Role } from '../schemas/auth.ts'

/**
 * How a route's org is checked against the token's orgs.
 * - `path`: the `:org` of the URL must be one of the token's orgs, else 404 (the org does not
 *   exist as far as this token can tell).
 * - `body`: each event names its org; an event for an org outside the token's set is refused on
 *   its own (kept in the rejected store with its reason), the rest of the batch is kept.
 * - `token-scope`: admin routes outside any org path. The answer holds only what lies inside the
 *   token's orgs (tokens whose orgs are all in the caller's set, audit entries of those orgs); a
 *   token can be made only for orgs inside the caller's set, and `*` only by an all-orgs admin.
 * - `all-orgs`: the answer spans every org (process metrics): only all-orgs tokens (`*`) may call.
 * - `none`: public or org-free (health, documentation, the dashboard's static files).
 */
export type OrgCheck = 'path' | 'body' | 'token-scope' | 'all-orgs' | 'none'

export interface AccessRule {
  /** The roles that may call the route; `public` needs no token. */
  roles: readonly Role[] | 'public'
  org: OrgCheck
  /** Why: one line for docs/SECURITY.md. */
  why: string
  /** Served only in some setups (the built dashboard, swagger-ui's static files). */
  optional?: boolean
}

const readers: readonly Role[] = ['admin', 'exec', 'community_manager', 'hr']
const publicDocs: AccessRule = { roles: 'public', org: 'none', why: 'the OpenAPI document and its viewer' }
const dashboardFile: AccessRule = {
  roles: 'public',
  org: 'none',
  why: 'the dashboard page and its assets (it asks for a token itself)',
  optional: true,
}

export const accessTable: Readonly<Record<string, AccessRule>> = {
  // health and documentation
  'GET /healthz': { roles: 'public', org: 'none', why: 'liveness probe' },
  'GET /readyz': { roles: 'public', org: 'none', why: 'readiness probe (store, sink, worker)' },
  'GET /docs': publicDocs,
  'GET /docs/': { ...publicDocs, optional: true },
  'GET /docs/json': publicDocs,
  'GET /docs/yaml': publicDocs,
  'GET /docs/static/*': publicDocs,
  'GET /docs/static/index.html': { ...publicDocs, optional: true },
  'GET /docs/static/swagger-initializer.js': { ...publicDocs, optional: true },
  'GET /': { roles: 'public', org: 'none', why: 'the dashboard or, unbuilt, a landing page' },
  'OPTIONS *': {
    roles: 'public',
    org: 'none',
    why: 'CORS preflight, served only when CORS_ORIGINS names origins',
    optional: true,
  },
  'GET /assets/*': dashboardFile,
  'GET /*': dashboardFile,
  // operations
  'GET /metrics': {
    roles: ['admin', 'metrics'],
    org: 'all-orgs',
    why: 'Prometheus scrape: a metrics token reads counters and nothing else; counters name every org, so all-orgs tokens only',
  },
  // ingest
  'POST /v1/events': {
    roles: ['admin', 'ingest'],
    org: 'body',
    why: 'send events; each event for an org outside the token is refused on its own',
  },
  'PUT /v1/orgs/:org/roster': {
    roles: ['admin', 'ingest', 'hr'],
    org: 'path',
    why: 'replace the workforce roster',
  },
  'GET /v1/orgs/:org/ingest/status': {
    roles: ['admin', 'ingest', ...readers.filter((r) => r !== 'admin')],
    org: 'path',
    why: 'stored and refused counts, last event times',
  },
  'GET /v1/orgs/:org/rejected': {
    roles: ['admin', 'ingest'],
    org: 'path',
    why: 'refused input verbatim: may hold personal data, so the sender and admins only',
  },
  'POST /v1/orgs/:org/imports/:source': {
    roles: ['admin', 'ingest'],
    org: 'path',
    why: 'upload a platform history export',
  },
  // analytics
  ...Object.fromEntries(
    metricNames.map((name): [string, AccessRule] => [
      `GET /v1/orgs/:org/metrics/${name}`,
      { roles: readers, org: 'path', why: 'a metric; small groups withheld for every role but admin' },
    ]),
  ),
  'GET /v1/orgs/:org/metrics/:name': {
    roles: readers,
    org: 'path',
    why: 'an unknown metric name: a 404 that lists the metrics',
  },
  'GET /v1/orgs/:org/settings': { roles: readers, org: 'path', why: 'org settings' },
  'PUT /v1/orgs/:org/settings': {
    roles: ['admin', 'exec'],
    org: 'path',
    why: 'admin: every setting; exec: only the return assumptions (roi) and the index weights — privacy settings and the calendar are the admin’s',
  },
  'GET /v1/orgs/:org/exports/:report': {
    roles: ['admin', 'hr', 'exec'],
    org: 'path',
    why: 'HR exports (CSV, XLSX, Parquet, Arrow), under the minimum group size',
  },
  // privacy
  'GET /v1/orgs/:org/privacy': { roles: readers, org: 'path', why: 'what each role sees, retention, rights' },
  'GET /v1/orgs/:org/privacy/notice': {
    roles: readers,
    org: 'path',
    why: 'the printable employee information notice (Code du travail L1222-4), from the org settings',
  },
  'DELETE /v1/orgs/:org/people/:id': {
    roles: ['admin', 'hr'],
    org: 'path',
    why: 'erase a person everywhere (GDPR art. 17)',
  },
  'GET /v1/admin/audit': {
    roles: ['admin'],
    org: 'token-scope',
    why: 'the read and export log, of the token’s orgs only',
  },
  // tokens
  'POST /v1/admin/tokens': {
    roles: ['admin'],
    org: 'token-scope',
    why: 'make a token for orgs inside the caller’s own; `*` only by an all-orgs admin',
  },
  'GET /v1/admin/tokens': {
    roles: ['admin'],
    org: 'token-scope',
    why: 'list tokens whose orgs all lie inside the caller’s',
  },
  'DELETE /v1/admin/tokens/:id': {
    roles: ['admin'],
    org: 'token-scope',
    why: 'revoke a token whose orgs all lie inside the caller’s (else 404)',
  },
}

export function routeKey(method: string, url: string): string {
  return `${method.toUpperCase()} ${url}`
}

export function accessRuleOf(method: string, url: string): AccessRule | undefined {
  return accessTable[routeKey(method, url)]
}

/** The access table as the Markdown table of docs/SECURITY.md. */
export function accessTableMarkdown(): string {
  const lines = ['| route | roles | org check | why |', '|---|---|---|---|']
  for (const [key, rule] of Object.entries(accessTable)) {
    const roles = rule.roles === 'public' ? 'public' : rule.roles.join(', ')
    lines.push(`| \`${key}\` | ${roles} | ${rule.org} | ${rule.why.replaceAll('|', '\\|')} |`)
  }
  return `${lines.join('\n')}\n`
}
