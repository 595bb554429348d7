// What the server writes to its log: a credential sent in a query string (refused with 401) and
// the Authorization header never appear in a log line; the rest of the URL still does.
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../server/app.ts'
import { redactCredentials } from '../../server/hardening.ts'
import { adminToken, auth, startTestApp, type TestApp } from '../helpers/app.ts'

let base: TestApp
beforeAll(async () => {
  base = await startTestApp()
})
afterAll(() => base?.close())

/** A real app whose pino logger (the one `serve` builds) writes to lines we read. */
async function appWithLog() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean))
      done()
    },
  })
  const app = await buildApp({ ...base.runtime, logger: pino({ level: 'info' }, stream) })
  return { app, lines }
}

describe('log redaction', () => {
  it('never logs a credential of the query string nor the Authorization header', async () => {
    const { app, lines } = await appWithLog()
    await app.ready()
    try {
      const secrets = {
        token: 'SECRET-TOKEN-1',
        access_token: 'SECRET-TOKEN-2',
        api_key: 'SECRET-TOKEN-3',
        key: 'SECRET-TOKEN-4',
        secret: 'SECRET-TOKEN-5',
        password: 'SECRET-TOKEN-6',
        authorization: 'SECRET-TOKEN-7',
        'X-Amz-Signature': 'SECRET-TOKEN-8',
      }
      for (const [name, value] of Object.entries(secrets)) {
        const res = await app.inject({
          method: 'GET',
          url: `/v1/orgs/acme/metrics/active-users?from=2025-01-01&${name}=${value}&interval=week`,
        })
        expect(res.statusCode).toBe(401)
      }
      const authed = await app.inject({
        method: 'GET',
        url: '/v1/orgs/acme/settings?token=SECRET-TOKEN-9',
        headers: { ...auth(), cookie: 'session=SECRET-COOKIE' },
      })
      expect(authed.statusCode).toBe(200)
      // Whatever a route may log (its headers, an error naming a URL), the logger holds.
      app.log.info({ headers: { ...auth(), cookie: 'session=SECRET-COOKIE' } }, 'headers seen')
      app.log.info({ req: { headers: { authorization: `Bearer ${adminToken}`, cookie: 'SECRET-COOKIE' } } })
      app.log.error(
        { err: new Error('upstream https://platform.example/api?access_token=SECRET-IN-ERROR failed') },
        'request failed',
      )

      const log = lines.join('\n')
      for (const value of [...Object.values(secrets), 'SECRET-TOKEN-9', 'SECRET-IN-ERROR', 'SECRET-COOKIE']) {
        expect(log, `${value} is in the log`).not.toContain(value)
      }
      expect(log).not.toContain(adminToken)
      // The lines are still useful: the request is logged with its other parameters.
      const incoming = lines
        .map((l) => JSON.parse(l) as { msg?: string; req?: { url?: string } })
        .filter((l) => l.msg === 'incoming request' && l.req?.url?.includes('active-users'))
      expect(incoming).toHaveLength(Object.keys(secrets).length)
      expect(incoming[0]!.req!.url).toBe(
        '/v1/orgs/acme/metrics/active-users?from=2025-01-01&token=[REDACTED]&interval=week',
      )
      expect(log).toContain('"authorization":"[REDACTED]"')
      expect(log).toContain('access_token=[REDACTED]')
    } finally {
      await app.close()
    }
  })

  it('takes an error given as its message (a string), redacted, without throwing', async () => {
    // Log lines such as { err: error.message } (the 503 of an unavailable sink) pass a string.
    const { app, lines } = await appWithLog()
    try {
      await app.ready()
      expect(() => app.log.warn({ err: 'sink down at /v1/x?token=sEcReT-1' }, 'ingest refused')).not.toThrow()
      const line = lines.find((l) => l.includes('ingest refused'))
      expect(line).toBeDefined()
      expect(line).toContain('[REDACTED]')
      expect(line).not.toContain('sEcReT-1')
    } finally {
      await app.close()
    }
  })

  it('redacts credential-like parameters only', () => {
    expect(redactCredentials('/x?from=2025-01-01&to=2025-02-01&by=site&table=weeks')).toBe(
      '/x?from=2025-01-01&to=2025-02-01&by=site&table=weeks',
    )
    expect(redactCredentials('/x?apiKey=a&client_secret=b&refresh_token=c&pwd=d&feature=wiki')).toBe(
      '/x?apiKey=[REDACTED]&client_secret=[REDACTED]&refresh_token=[REDACTED]&pwd=[REDACTED]&feature=wiki',
    )
    expect(redactCredentials('/x?%74oken=a')).toBe('/x?%74oken=[REDACTED]')
  })
})
