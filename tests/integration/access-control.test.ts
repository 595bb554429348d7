// Every route × every role × (own org, foreign org, an all-orgs token), on the real server over
// HTTP, against the access table of server/access.ts — the same table the auth hook enforces and
// docs/SECURITY.md prints. Then the checks a security reviewer tries by hand: an org-bound admin
// stays in its org, an exec cannot weaken the privacy settings, a metrics token scrapes only.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { metricNames } from '../../schemas/api/catalogue.ts'
import { roles as allRoles, type Role } from '../../schemas/auth.ts'
import { type AccessRule, accessTable, accessTableMarkdown, routeKey } from '../../server/access.ts'
import { buildApp } from '../../server/app.ts'
import { assertRouteHasRule } from '../../server/auth.ts'
import { adminToken, startTestApp, type TestApp } from '../helpers/app.ts'
import { validEvents } from '../helpers/events.ts'

let t: TestApp
let base: string
/** Tokens bound to org `own`, and tokens for every org (`*`), by role. */
const bound = new Map<Role, string>()
const everyOrg = new Map<Role, string>()

async function call(
  method: string,
  url: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; json: () => Record<string, unknown>; text: string }> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  return {
    status: res.status,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  }
}

async function mint(role: Role, orgs: string[], token = adminToken): Promise<string> {
  const res = await call('POST', '/v1/admin/tokens', token, { role, orgs, label: `access ${role}` })
  if (res.status !== 201) throw new Error(`minting ${role} for ${orgs}: ${res.status} ${res.text}`)
  return res.json().token as string
}

beforeAll(async () => {
  t = await startTestApp()
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  const address = t.app.server.address()
  if (!address || typeof address === 'string') throw new Error('no port')
  base = `http://127.0.0.1:${address.port}`
  for (const role of allRoles) {
    bound.set(role, await mint(role, ['own']))
    everyOrg.set(role, role === 'admin' ? adminToken : await mint(role, ['*']))
  }
})
afterAll(() => t?.close())

const routes = () => t.app.registeredRoutes
const key = (r: { method: string; url: string }) => routeKey(r.method, r.url)

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

function messageOf(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { message?: string }).message
  } catch {
    return undefined // a download (CSV, Parquet…)
  }
}

/** What the auth layer answers when it refuses: 401, 403, or the 404 of an org out of reach. */
function refusedByAuth(status: number, text: string, org: string): boolean {
  return status === 401 || status === 403 || (status === 404 && messageOf(text) === `no org ${org}`)
}

describe('the access table', () => {
  it('names every route the app registers, and every route it names exists (optional ones aside)', () => {
    const present = new Set(routes().map(key))
    expect(
      routes()
        .filter((r) => !accessTable[key(r)])
        .map(key),
    ).toEqual([])
    const stale = Object.entries(accessTable)
      .filter(([k, rule]) => !rule.optional && !present.has(k))
      .map(([k]) => k)
    expect(stale).toEqual([])
  })

  it('stops the app from starting with a route it does not name', async () => {
    expect(() => assertRouteHasRule('GET', '/v1/orgs/:org/unlisted')).toThrow(/no line in the access table/)
    // A second app on the same store: buildApp's onRoute check refuses the registration itself.
    const other = await buildApp({ ...t.runtime, logger: false })
    try {
      expect(() => other.get('/v1/unlisted', async () => 'open')).toThrow(/GET \/v1\/unlisted has no line/)
    } finally {
      await other.close()
    }
  })

  it('has one rule for each metric', () => {
    for (const name of metricNames) expect(accessTable[`GET /v1/orgs/:org/metrics/${name}`]).toBeDefined()
  })

  it('is the table docs/SECURITY.md prints', () => {
    const doc = readFileSync(new URL('../../docs/SECURITY.md', import.meta.url), 'utf8')
    // Cells compared without the padding a Markdown formatter adds.
    const cells = (markdown: string) =>
      markdown
        .split('\n')
        .filter((line) => line.startsWith('|'))
        .map((line) => line.replace(/\s*\|\s*/g, '|').replace(/-{3,}/g, '---'))
        .join('\n')
    expect(cells(doc)).toContain(cells(accessTableMarkdown()))
  })
})

/** The body a route needs to get past validation, so that an allowed call does real work. */
function bodyFor(route: string, org: string): unknown {
  if (route === 'POST /v1/events') {
    return { ...validEvents(org, 1, `ac-${Math.random()}`)[0], time: new Date().toISOString() }
  }
  if (route === 'POST /v1/admin/tokens') return { role: 'exec', orgs: [org] }
  if (route === 'PUT /v1/orgs/:org/settings') return { roi: { hourly_cost: 50 } }
  return undefined
}

describe('every route × every role × org', () => {
  const cases: Array<{ label: string; tokens: () => Map<Role, string>; org: string }> = [
    { label: 'a token bound to the org', tokens: () => bound, org: 'own' },
    { label: 'a token bound to another org', tokens: () => bound, org: 'foreign' },
    { label: 'a token for every org (*)', tokens: () => everyOrg, org: 'foreign' },
  ]

  it('answers 401 to every protected route without a token and with a made-up one', async () => {
    const failures: string[] = []
    for (const r of routes().filter((x) => accessTable[key(x)]!.roles !== 'public')) {
      for (const token of [undefined, 'imp_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
        const res = await call(r.method, urlOf(r.url, 'own'), token)
        if (res.status !== 401) failures.push(`${key(r)}: ${res.status}`)
      }
    }
    expect(failures).toEqual([])
  })

  it('serves the public routes without a token', async () => {
    const failures: string[] = []
    for (const r of routes().filter((x) => accessTable[key(x)]!.roles === 'public')) {
      const res = await call(r.method, urlOf(r.url, 'own'))
      if (res.status === 401 || res.status === 403) failures.push(`${key(r)}: ${res.status}`)
    }
    expect(failures).toEqual([])
  })

  for (const c of cases) {
    it(`with ${c.label}: the allowed roles pass, the others get 403, a foreign path org 404`, async () => {
      const failures: string[] = []
      for (const r of routes()) {
        const rule: AccessRule = accessTable[key(r)]!
        if (rule.roles === 'public') continue
        for (const role of allRoles) {
          const tokenIsBound = c.tokens() === bound
          const res = await call(r.method, urlOf(r.url, c.org), c.tokens().get(role), bodyFor(key(r), c.org))
          const where = `${role} (${c.label}) ${key(r)}: ${res.status} ${messageOf(res.text) ?? ''}`
          const outOfReach = tokenIsBound && c.org !== 'own'
          let expected: 'pass' | 403 | 404
          if (rule.org === 'path' && outOfReach) expected = 404
          else if (!rule.roles.includes(role)) expected = 403
          else if (rule.org === 'all-orgs' && tokenIsBound) expected = 403
          else expected = 'pass'
          if (expected === 'pass' && refusedByAuth(res.status, res.text, c.org)) {
            // token-scope and body routes refuse out-of-reach orgs in their own way (below).
            const scoped = (rule.org === 'token-scope' || rule.org === 'body') && outOfReach
            if (!scoped) failures.push(`${where} (should pass)`)
          }
          if (expected === 403 && res.status !== 403) failures.push(`${where} (should be 403)`)
          if (expected === 404 && (res.status !== 404 || messageOf(res.text) !== `no org ${c.org}`)) {
            failures.push(`${where} (should be 404 no org ${c.org})`)
          }
          if (res.status >= 500) failures.push(`${where} (server error)`)
        }
      }
      expect(failures).toEqual([])
    })
  }

  it('body org: an event for an org outside the token is refused on its own, the rest kept', async () => {
    const res = await call('POST', '/v1/events', bound.get('ingest'), [
      { ...validEvents('own', 1, 'body-own')[0], id: 'body-own' },
      { ...validEvents('foreign', 1, 'body-foreign')[0], id: 'body-foreign' },
    ])
    expect(res.status).toBe(202)
    const body = res.json() as { accepted: number; rejected: number; errors: Array<{ id: string }> }
    expect(body.accepted).toBe(1)
    expect(body.rejected).toBe(1)
    expect(body.errors.map((e) => e.id)).toEqual(['body-foreign'])
  })
})

describe('an admin bound to an org stays in it', () => {
  let taAdmin: string
  beforeAll(async () => {
    taAdmin = await mint('admin', ['ta'])
  })

  it('makes tokens for its own org only: not for another org, not for every org', async () => {
    expect((await call('POST', '/v1/admin/tokens', taAdmin, { role: 'exec', orgs: ['ta'] })).status).toBe(201)
    for (const orgs of [['tb'], ['*'], ['ta', 'tb']]) {
      for (const role of ['admin', 'exec']) {
        const res = await call('POST', '/v1/admin/tokens', taAdmin, { role, orgs })
        expect(res.status, `${role} for ${orgs}`).toBe(403)
        expect(messageOf(res.text)).toMatch(/^orgs: /)
      }
    }
    // and the all-orgs admin still can
    expect((await call('POST', '/v1/admin/tokens', adminToken, { role: 'exec', orgs: ['tb'] })).status).toBe(
      201,
    )
  })

  it('lists and revokes only the tokens of its own org', async () => {
    const tbExec = await mint('exec', ['tb'])
    const tbId = tbExec.split('_')[1]!
    const taExec = await mint('exec', ['ta'], taAdmin)
    const taId = taExec.split('_')[1]!
    const listed = (await call('GET', '/v1/admin/tokens', taAdmin)).json() as {
      tokens: Array<{ token_id: string; orgs: string[] }>
    }
    expect(listed.tokens.length).toBeGreaterThan(0)
    expect(listed.tokens.every((tok) => tok.orgs.every((o) => o === 'ta'))).toBe(true)
    expect(listed.tokens.map((tok) => tok.token_id)).toContain(taId)
    expect(listed.tokens.map((tok) => tok.token_id)).not.toContain(tbId)
    // the all-orgs admin sees both
    const all = (await call('GET', '/v1/admin/tokens', adminToken)).json() as {
      tokens: Array<{ token_id: string }>
    }
    expect(all.tokens.map((tok) => tok.token_id)).toEqual(expect.arrayContaining([taId, tbId]))

    expect((await call('DELETE', `/v1/admin/tokens/${tbId}`, taAdmin)).status).toBe(404)
    expect((await call('GET', '/v1/orgs/tb/settings', tbExec)).status).toBe(200)
    expect((await call('DELETE', `/v1/admin/tokens/${taId}`, taAdmin)).status).toBe(204)
    expect((await call('GET', '/v1/orgs/ta/settings', taExec)).status).toBe(401)
  })

  it('cannot scrape /metrics, which names every org', async () => {
    expect((await call('GET', '/metrics', taAdmin)).status).toBe(403)
  })
})

describe('an exec sets the return assumptions, not the privacy settings', () => {
  const settingsUrl = '/v1/orgs/own/settings'
  const read = async () => (await call('GET', settingsUrl, adminToken)).json()

  it('cannot lower the minimum group size, turn on named lists, shorten retention or change the time zone', async () => {
    const exec = bound.get('exec')!
    const before = await read()
    for (const change of [
      { min_group_size: 3 },
      { named_lists_for_community_managers: true },
      { pseudonymise_ids: true },
      { retention_months: 1 },
      { time_zone: 'Europe/Paris' },
    ]) {
      const res = await call('PUT', settingsUrl, exec, { ...before, ...change })
      expect(res.status, JSON.stringify(change)).toBe(403)
      const field = Object.keys(change)[0]!
      expect(res.json().field).toBe(field)
      expect(messageOf(res.text)).toContain(`${field}: only an admin may change`)
    }
    expect(await read()).toEqual(before)
  })

  it('changes the return assumptions and index weights, and what it leaves out keeps its value', async () => {
    const admin = await call('PUT', settingsUrl, adminToken, { min_group_size: 8, time_zone: 'Europe/Paris' })
    expect(admin.status).toBe(200)
    const exec = bound.get('exec')!
    // Sent whole with the current privacy values: accepted.
    const current = await read()
    const whole = await call('PUT', settingsUrl, exec, {
      ...current,
      roi: { ...(current.roi as object), hourly_cost: 61 },
    })
    expect(whole.status).toBe(200)
    // Sent with only the return assumptions: the group size stays 8, not the default 5.
    const partial = await call('PUT', settingsUrl, exec, {
      roi: { hourly_cost: 70 },
      index_weights: { adoption: 2, depth: 1, stickiness: 1, reach: 1, responsiveness: 1 },
    })
    expect(partial.status).toBe(200)
    const after = await read()
    expect(after.min_group_size).toBe(8)
    expect(after.time_zone).toBe('Europe/Paris')
    expect((after.roi as { hourly_cost: number }).hourly_cost).toBe(70)
    expect((after.index_weights as { adoption: number }).adoption).toBe(2)
  })

  it('an admin may still lower the group size to the floor of 3', async () => {
    expect((await call('PUT', settingsUrl, adminToken, { min_group_size: 3 })).status).toBe(200)
    expect((await read()).min_group_size).toBe(3)
  })
})

describe('a metrics token scrapes and does nothing else', () => {
  it('reads /metrics, and is refused everywhere else', async () => {
    const scrape = await call('GET', '/metrics', everyOrg.get('metrics'))
    expect(scrape.status).toBe(200)
    expect(scrape.text).toContain('# TYPE')
    for (const role of ['exec', 'hr', 'community_manager', 'ingest'] as const) {
      expect((await call('GET', '/metrics', everyOrg.get(role))).status, role).toBe(403)
    }
    for (const url of ['/v1/orgs/own/settings', '/v1/admin/tokens', '/v1/orgs/own/metrics/adoption']) {
      expect((await call('GET', url, everyOrg.get('metrics'))).status, url).toBe(403)
    }
  })
})

describe('revocation', () => {
  it('stops a token at once', async () => {
    const token = await mint('exec', ['own'])
    const id = token.split('_')[1]!
    expect((await call('GET', '/v1/orgs/own/settings', token)).status).toBe(200)
    expect((await call('DELETE', `/v1/admin/tokens/${id}`, adminToken)).status).toBe(204)
    const after = await call('GET', '/v1/orgs/own/settings', token)
    expect(after.status).toBe(401)
    expect(messageOf(after.text)).toBe('invalid or revoked token')
  })
})
