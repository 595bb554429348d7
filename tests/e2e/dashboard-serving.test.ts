// How the server serves the built dashboard: the app at `/` and at every client route, hashed
// assets cached for a year, API misses still JSON 404s, and the landing page when not built.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../schemas/config.ts'
import { buildApp } from '../../server/app.ts'
import { type Runtime, startRuntime } from '../../server/runtime.ts'

describe('dashboard serving', () => {
  let workDir: string
  let runtime: Runtime
  let built: FastifyInstance
  let notBuilt: FastifyInstance

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'implication-serving-'))
    const dist = path.join(workDir, 'dist')
    mkdirSync(path.join(dist, 'assets'), { recursive: true })
    writeFileSync(
      path.join(dist, 'index.html'),
      '<!doctype html><title>dashboard</title><div id="app"></div>',
    )
    writeFileSync(path.join(dist, 'assets', 'index-AbC123.js'), 'console.log(1)')
    writeFileSync(path.join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
    const config = parseConfig({
      DATA_DIR: path.join(workDir, 'data'),
      IMPLICATION_ADMIN_TOKEN: 'serving-admin-token-0123',
      LOG_LEVEL: 'silent',
    })
    runtime = await startRuntime(config, 'all')
    built = await buildApp({ ...runtime, logger: false, dashboardDir: dist })
    notBuilt = await buildApp({ ...runtime, logger: false, dashboardDir: path.join(workDir, 'nothing') })
  })

  afterAll(async () => {
    await built?.close()
    await notBuilt?.close()
    await runtime?.close()
    rmSync(workDir, { recursive: true, force: true })
  })

  it('serves the app at / and at client routes, never cached', async () => {
    for (const url of ['/', '/adoption', '/communities/ask-it?org=demo&from=2025-01-01', '/no/such/page']) {
      const answer = await built.inject({ url })
      expect(answer.statusCode, url).toBe(200)
      expect(answer.headers['content-type']).toMatch(/^text\/html/)
      expect(answer.headers['cache-control']).toBe('no-cache')
      expect(answer.body).toContain('<div id="app">')
    }
  })

  it('caches hashed assets for a year, and a missing asset is a 404', async () => {
    const asset = await built.inject({ url: '/assets/index-AbC123.js' })
    expect(asset.statusCode).toBe(200)
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect((await built.inject({ url: '/assets/gone-123.js' })).statusCode).toBe(404)
    const icon = await built.inject({ url: '/favicon.svg' })
    expect([icon.statusCode, icon.headers['content-type']]).toEqual([200, 'image/svg+xml'])
  })

  it('leaves the API its own answers', async () => {
    const miss = await built.inject({ url: '/v1/nothing/here' })
    expect(miss.statusCode).toBe(404)
    expect(miss.json()).toMatchObject({ error: 'Not Found' })
    expect((await built.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' })
    expect((await built.inject({ url: '/v1/orgs/demo/settings' })).statusCode).toBe(401)
    expect((await built.inject({ url: '/../../etc/passwd' })).body).not.toContain('root:')
  })

  it('shows the landing page when the dashboard is not built', async () => {
    const answer = await notBuilt.inject({ url: '/' })
    expect(answer.statusCode).toBe(200)
    expect(answer.body).toContain('The ingest API is running')
    expect((await notBuilt.inject({ url: '/adoption' })).statusCode).toBe(404)
  })
})
