// Builds a real app on a fresh embedded store (or the ClickHouse server in CLICKHOUSE_URL) for
// one test file, and talks to it through fastify's inject.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { parseConfig } from '../../schemas/config.ts'
import { buildApp } from '../../server/app.ts'
import { type Role, type Runtime, startRuntime } from '../../server/runtime.ts'

export const adminToken = 'test-admin-token-0123456789'

export interface TestApp {
  app: FastifyInstance
  runtime: Runtime
  dataDir: string
  close(): Promise<void>
}

/**
 * `dataDir`: restart on the data of an earlier app (closed first), as a server restarts; by default
 * a fresh one.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  role: Role = 'all',
  dataDir = mkdtempSync(path.join(tmpdir(), 'implication-test-')),
): Promise<TestApp> {
  const config = parseConfig({
    DATA_DIR: dataDir,
    IMPLICATION_ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'silent',
    ...env,
  })
  const runtime = await startRuntime(config, role)
  const app = await buildApp({ ...runtime, logger: false })
  await app.ready()
  return {
    app,
    runtime,
    dataDir,
    async close() {
      await app.close()
      await runtime.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export function auth(token = adminToken): Record<string, string> {
  return { authorization: `Bearer ${token}` }
}

export function ndjson(events: readonly unknown[]): string {
  return `${events.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n')}\n`
}

export async function countStored(
  runtime: Runtime,
  org: string,
): Promise<{ distinct: number; final: number }> {
  const result = await runtime.store.client.query({
    query: `SELECT
              (SELECT count() FROM events FINAL WHERE org = {org:String}) AS final,
              (SELECT uniqExact(source, id) FROM events WHERE org = {org:String}) AS distinct`,
    query_params: { org },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ final: string; distinct: string }>()
  return { final: Number(row?.final), distinct: Number(row?.distinct) }
}

/**
 * A bearer token of `role` for `orgs`, made through the admin API. Reads that must show the
 * privacy rules use one: small groups are withheld for every role but admin.
 */
export async function createToken(
  t: TestApp,
  role: string,
  orgs: readonly string[] = ['*'],
): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/admin/tokens',
    headers: auth(),
    payload: { role, orgs, label: `test ${role}` },
  })
  if (res.statusCode !== 201) throw new Error(`token creation failed: ${res.statusCode} ${res.body}`)
  return res.json().token
}
