// Every route × every role × own org and foreign org, against a rule table written here by hand.
// A route the app registers without a rule below fails the test, naming its method and URL: add
// the rule (who may call it) when you add the route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { metricNames } from '../../analytics/metric.ts'
import { roles as allRoles, type Role } from '../../schemas/auth.ts'
import type { RegisteredRoute } from '../../server/app.ts'
import { auth, startTestApp, type TestApp } from '../helpers/app.ts'

const readers: Role[] = ['admin', 'exec', 'community_manager', 'hr']

interface Rule {
  /** Who may call it; 'public' needs no token. */
  roles: readonly Role[] | 'public'
  /** Routes that exist only in some setups (the built dashboard). */
  optional?: boolean
}

// ---- the rule table: one line per route (method and URL pattern as registered) ----
const rules: Record<string, Rule> = {
  'GET /healthz': { roles: 'public' },
  'GET /readyz': { roles: 'public' },
  'GET /metrics': { roles: ['admin'] },
  'GET /docs': { roles: 'public' },
  'GET /docs/': { roles: 'public', optional: true },
  'GET /docs/static/*': { roles: 'public' },
  'GET /docs/json': { roles: 'public' },
  'GET /docs/yaml': { roles: 'public' },
  'GET /docs/static/index.html': { roles: 'public', optional: true },
  'GET /docs/static/swagger-initializer.js': { roles: 'public', optional: true },
  'GET /': { roles: 'public' },
  'GET /assets/*': { roles: 'public', optional: true },
  'GET /*': { roles: 'public', optional: true },
  // ingest
  'POST /v1/events': { roles: ['admin', 'ingest'] },
  'PUT /v1/orgs/:org/roster': { roles: ['admin', 'ingest', 'hr'] },
  'GET /v1/orgs/:org/ingest/status': { roles: ['admin', 'ingest', 'exec', 'community_manager', 'hr'] },
  'GET /v1/orgs/:org/rejected': { roles: ['admin', 'ingest'] },
  // analytics
  ...Object.fromEntries(metricNames.map((name) => [`GET /v1/orgs/:org/metrics/${name}`, { roles: readers }])),
  'GET /v1/orgs/:org/metrics/:name': { roles: readers },
  'GET /v1/orgs/:org/settings': { roles: readers },
  'PUT /v1/orgs/:org/settings': { roles: ['admin', 'exec'] },
  // history imports
  'POST /v1/orgs/:org/imports/:source': { roles: ['admin', 'ingest'] },
  // HR exports
  'GET /v1/orgs/:org/exports/:report': { roles: ['admin', 'hr', 'exec'] },
  // privacy
  'GET /v1/orgs/:org/privacy': { roles: readers },
  'DELETE /v1/orgs/:org/people/:id': { roles: ['admin', 'hr'] },
  'GET /v1/admin/audit': { roles: ['admin'] },
  // tokens
  'POST /v1/admin/tokens': { roles: ['admin'] },
  'GET /v1/admin/tokens': { roles: ['admin'] },
  'DELETE /v1/admin/tokens/:id': { roles: ['admin'] },
}
// ---- end of the rule table ----

let t: TestApp
let routes: RegisteredRoute[]
const tokens = new Map<Role, string>()

beforeAll(async () => {
  t = await startTestApp()
  routes = [...t.app.registeredRoutes]
  for (const role of allRoles) {
    if (role === 'admin') continue
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/tokens',
      headers: auth(),
      payload: { role, orgs: ['own'], label: `access test ${role}` },
    })
    expect(created.statusCode).toBe(201)
    tokens.set(role, created.json().token)
  }
})
afterAll(() => t?.close())

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`

/** A concrete URL for a pattern, in an org. */
function urlOf(pattern: string, org: string): string {
  return pattern
    .replace(':org', org)
    .replace(':name', 'no-such-metric')
    .replace(':id', 'nobody')
    .replace(':report', 'engagement')
    .replace(':source', 'slack')
    .replace('*', 'x')
}

/** The error message of a JSON answer; a download (CSV, Parquet…) has none. */
function messageOf(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { message?: string }).message
  } catch {
    return undefined
  }
}

function tokenOf(role: Role): string {
  return role === 'admin' ? 'test-admin-token-0123456789' : tokens.get(role)!
}

// The admin token sees every org, so "foreign org" is tested with the org-bound tokens only.
const boundRoles = allRoles.filter((r) => r !== 'admin')

describe('the rule table', () => {
  it('has a rule for every route the app registers', () => {
    const unlisted = routes.filter((r) => !rules[key(r)]).map(key)
    expect(unlisted, 'routes without a rule in tests/integration/access-control.test.ts').toEqual([])
  })

  it('lists no route the app does not have (except optional ones)', () => {
    const present = new Set(routes.map(key))
    const stale = Object.entries(rules)
      .filter(([k, rule]) => !rule.optional && !present.has(k))
      .map(([k]) => k)
    expect(stale).toEqual([])
  })

  it('matches the roles each route declares', () => {
    const mismatches = routes
      .filter((r) => rules[key(r)])
      .filter((r) => {
        const rule = rules[key(r)]!.roles
        const declared = r.roles ? [...r.roles].sort() : 'public'
        return JSON.stringify(declared) !== JSON.stringify(rule === 'public' ? rule : [...rule].sort())
      })
      .map((r) => `${key(r)} declares ${JSON.stringify(r.roles ?? 'public')}`)
    expect(mismatches).toEqual([])
  })
})

describe('every protected route × every role', () => {
  it('answers 401 without a token and with a made-up one', async () => {
    const failures: string[] = []
    for (const r of routes.filter((x) => x.roles)) {
      for (const headers of [{}, auth('imp_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')]) {
        const res = await t.app.inject({ method: r.method as 'GET', url: urlOf(r.url, 'own'), headers })
        if (res.statusCode !== 401) failures.push(`${key(r)}: ${res.statusCode}`)
      }
    }
    expect(failures).toEqual([])
  })

  it('lets the allowed roles through and answers 403 to the others, in their own org', async () => {
    const failures: string[] = []
    for (const r of routes.filter((x) => x.roles)) {
      const rule = rules[key(r)]
      if (!rule || rule.roles === 'public') continue
      for (const role of allRoles) {
        const res = await t.app.inject({
          method: r.method as 'GET',
          url: urlOf(r.url, 'own'),
          headers: auth(tokenOf(role)),
        })
        const allowed = rule.roles.includes(role)
        const refusedByAuth =
          res.statusCode === 401 || res.statusCode === 403 || messageOf(res.body) === 'no org own'
        if (allowed && refusedByAuth) failures.push(`${role} ${key(r)}: ${res.statusCode} (should pass)`)
        if (!allowed && res.statusCode !== 403)
          failures.push(`${role} ${key(r)}: ${res.statusCode} (should be 403)`)
      }
    }
    expect(failures).toEqual([])
  })

  it('answers 404 to every org-bound role for an org outside its set, whatever the route', async () => {
    const failures: string[] = []
    for (const r of routes.filter((x) => x.roles && x.url.includes(':org'))) {
      for (const role of boundRoles) {
        const res = await t.app.inject({
          method: r.method as 'GET',
          url: urlOf(r.url, 'foreign'),
          headers: auth(tokenOf(role)),
        })
        if (res.statusCode !== 404 || res.json().message !== 'no org foreign') {
          failures.push(`${role} ${key(r)}: ${res.statusCode}`)
        }
      }
    }
    expect(failures).toEqual([])
  })

  it('serves the public routes without a token', async () => {
    const failures: string[] = []
    for (const r of routes.filter((x) => !x.roles)) {
      const res = await t.app.inject({ method: r.method as 'GET', url: urlOf(r.url, 'own') })
      if (res.statusCode === 401 || res.statusCode === 403) failures.push(`${key(r)}: ${res.statusCode}`)
    }
    expect(failures).toEqual([])
  })
})

describe('revocation', () => {
  it('stops a token at once', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/tokens',
      headers: auth(),
      payload: { role: 'exec', orgs: ['own'] },
    })
    const { token, info } = created.json()
    const read = () => t.app.inject({ method: 'GET', url: '/v1/orgs/own/settings', headers: auth(token) })
    expect((await read()).statusCode).toBe(200)
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/v1/admin/tokens/${info.token_id}`,
      headers: auth(),
    })
    expect(revoked.statusCode).toBe(204)
    const after = await read()
    expect(after.statusCode).toBe(401)
    expect(after.json().message).toBe('invalid or revoked token')
  })
})
