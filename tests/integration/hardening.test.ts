// API hardening on a real app: rate limit per token, security headers, CORS only when configured,
// body limits, engine limits per query, and no stack trace in a 500.
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../schemas/config.ts'
import { buildApp } from '../../server/app.ts'
import { installErrorHandler } from '../../server/errors.ts'
import { installHardening, withQueryLimits } from '../../server/hardening.ts'
import { adminToken, auth, startTestApp, type TestApp } from '../helpers/app.ts'
import { seedEvents, seedRoster } from '../helpers/seed.ts'

// chDB holds one data directory per process: one store, and an app per configuration on it.
let base: TestApp
const apps: FastifyInstance[] = []
async function start(
  env: Record<string, string> = {},
): Promise<{ app: FastifyInstance; runtime: TestApp['runtime'] }> {
  const config = parseConfig({
    DATA_DIR: base.dataDir,
    IMPLICATION_ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'silent',
    ...env,
  })
  const app = await buildApp({ ...base.runtime, config, logger: false })
  await app.ready()
  apps.push(app)
  return { app, runtime: base.runtime }
}
beforeAll(async () => {
  base = await startTestApp()
})
afterAll(async () => {
  for (const app of apps) await app.close()
  await base?.close()
})

describe('security headers and CORS', () => {
  let t: { app: FastifyInstance }
  beforeAll(async () => {
    t = await start()
  })

  it('sends the security headers on API answers and errors', async () => {
    for (const res of [
      await t.app.inject({ method: 'GET', url: '/healthz' }),
      await t.app.inject({ method: 'GET', url: '/v1/orgs/x/settings', headers: auth() }),
      await t.app.inject({ method: 'GET', url: '/v1/orgs/x/settings' }), // 401
      await t.app.inject({ method: 'GET', url: '/v1/nowhere' }), // 404
    ]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['referrer-policy']).toBe('no-referrer')
      expect(res.headers['x-frame-options']).toBe('DENY')
      const csp = String(res.headers['content-security-policy'])
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).toContain("script-src 'self'")
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/)
    }
  })

  it('answers no CORS by default', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/orgs/x/settings',
      headers: { ...auth(), origin: 'https://intranet.example' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/v1/orgs/x/settings',
      headers: { origin: 'https://intranet.example', 'access-control-request-method': 'GET' },
    })
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('answers CORS to the configured origins only', async () => {
    const c = await start({ CORS_ORIGINS: 'https://intranet.example,https://hr.example' })
    const preflight = await c.app.inject({
      method: 'OPTIONS',
      url: '/v1/orgs/x/settings',
      headers: {
        origin: 'https://hr.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    })
    expect(preflight.statusCode).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('https://hr.example')
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('authorization')
    const allowed = await c.app.inject({
      method: 'GET',
      url: '/v1/orgs/x/settings',
      headers: { ...auth(), origin: 'https://intranet.example' },
    })
    expect(allowed.headers['access-control-allow-origin']).toBe('https://intranet.example')
    const other = await c.app.inject({
      method: 'GET',
      url: '/v1/orgs/x/settings',
      headers: { ...auth(), origin: 'https://evil.example' },
    })
    expect(other.headers['access-control-allow-origin']).toBeUndefined()
  })
})

describe('rate limit per token', () => {
  it('answers 429 with Retry-After past the limit, counting each token on its own', async () => {
    const t = await start({ RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_INGEST_PER_MINUTE: '5' })
    const hr1 = (await t.runtime.tokens.create({ role: 'hr', orgs: ['*'], source: 'default', label: '' }))
      .token
    const hr2 = (await t.runtime.tokens.create({ role: 'hr', orgs: ['*'], source: 'default', label: '' }))
      .token
    const call = (token: string) =>
      t.app.inject({ method: 'GET', url: '/v1/orgs/x/settings', headers: auth(token) })
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await call(hr1)).statusCode)
    expect(statuses).toEqual([200, 200, 200, 429])
    const refused = await call(hr1)
    expect(refused.statusCode).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(refused.json().message).toContain('rate limit')
    // Another token has its own count; the admin token has the higher (ingest) figure.
    expect((await call(hr2)).statusCode).toBe(200)
    const admin = []
    for (let i = 0; i < 6; i++) admin.push((await call(adminToken)).statusCode)
    expect(admin).toEqual([200, 200, 200, 200, 200, 429])
    // Probes are never limited.
    for (let i = 0; i < 10; i++)
      expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
  })
})

describe('body limits', () => {
  it('holds every route to API_BODY_LIMIT_BYTES but events and roster to MAX_BODY_BYTES', async () => {
    const t = await start({ API_BODY_LIMIT_BYTES: '2000' })
    const bigSettings = await t.app.inject({
      method: 'PUT',
      url: '/v1/orgs/x/settings',
      headers: { ...auth(), 'content-type': 'application/json' },
      payload: JSON.stringify({ time_zone: 'UTC', padding: 'x'.repeat(3000) }),
    })
    expect(bigSettings.statusCode).toBe(413)
    const roster = `id,department,site\n${Array.from({ length: 200 }, (_, i) => `person-${i},dept,site`).join('\n')}\n`
    expect(roster.length).toBeGreaterThan(2000)
    const upload = await t.app.inject({
      method: 'PUT',
      url: '/v1/orgs/x/roster',
      headers: { ...auth(), 'content-type': 'text/csv' },
      payload: roster,
    })
    expect(upload.statusCode).toBe(200)
    expect(upload.json().people).toBe(200)
  })
})

describe('engine limits and errors', () => {
  it('answers 504 for a query over QUERY_MAX_EXECUTION_SECONDS, and 500 without a stack or detail', async () => {
    // The app's error handler and hardening on a bare instance: routes of the app itself must
    // each have their access rule, these two are for the test only.
    const app = Fastify({ logger: false })
    installErrorHandler(app)
    await installHardening(app, parseConfig({ LOG_LEVEL: 'silent' }))
    const slow = withQueryLimits(base.runtime.store.client, {
      maxExecutionSeconds: 1,
      maxMemoryBytes: 2 ** 31,
    })
    app.get('/v1/test/slow', async () => {
      const result = await slow.query({
        query: 'SELECT count() FROM numbers(100000000000) WHERE number % 7 = 3',
        format: 'JSONEachRow',
      })
      return result.json()
    })
    app.get('/v1/test/crash', async () => {
      throw new Error('secret detail: password=hunter2 in /srv/app/server/x.ts:12')
    })
    await app.ready()
    try {
      const timeout = await app.inject({ method: 'GET', url: '/v1/test/slow' })
      expect(timeout.statusCode).toBe(504)
      expect(timeout.json().message).toContain('longer than allowed')

      const crash = await app.inject({ method: 'GET', url: '/v1/test/crash' })
      expect(crash.statusCode).toBe(500)
      const body = crash.json()
      expect(body).toEqual({
        error: 'Internal Server Error',
        message: 'internal error',
        request_id: expect.any(String),
      })
      expect(crash.body).not.toContain('hunter2')
      expect(crash.body).not.toContain('.ts:')
      expect(crash.headers['x-content-type-options']).toBe('nosniff')
    } finally {
      await app.close()
    }
  })
  // Last: the embedded engine keeps the limit for the rest of its session (see the report).
  it('answers 503 when a query needs more memory than QUERY_MAX_MEMORY_BYTES', async () => {
    const t = await start({ QUERY_MAX_MEMORY_BYTES: '1000' })
    await seedRoster(t.runtime.store.client, 'mem', 'id,department,site\na,d,s\n')
    await seedEvents(t.runtime.store.client, 'mem', [
      { id: 'e1', type: 'post.created', time: '2025-01-06T09:00:00Z', actor: 'a' },
    ])
    for (const url of [
      '/v1/orgs/mem/metrics/participation?from=2025-01-01&to=2025-02-01',
      '/v1/orgs/mem/exports/engagement?format=csv&from=2025-01-01&to=2025-02-01',
    ]) {
      const res = await t.app.inject({ method: 'GET', url, headers: auth() })
      expect(res.statusCode).toBe(503)
      expect(res.json().message).toContain('more memory than allowed')
      expect(res.headers['retry-after']).toBe('60')
    }
  })
})
