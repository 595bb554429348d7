// The one place that builds ClickHouse clients: embedded chDB under DATA_DIR by default, a
// ClickHouse server over HTTP when CLICKHOUSE_URL is set. Same client API either way.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { type ClickHouseClient, createClient } from '@clickhouse/client'

type ClientOptions = NonNullable<Parameters<typeof createClient>[0]>

import type { Config } from '../schemas/config.ts'

export interface Store {
  client: ClickHouseClient
  /** `embedded` (chDB in this process) or `server`. */
  kind: 'embedded' | 'server'
  describe: string
  close(): Promise<void>
}

export async function createStore(config: Pick<Config, 'CLICKHOUSE_URL' | 'DATA_DIR'>): Promise<Store> {
  if (config.CLICKHOUSE_URL) return createServerStore(config.CLICKHOUSE_URL)
  return createEmbeddedStore(path.resolve(config.DATA_DIR, 'clickhouse'))
}

async function createServerStore(url: string): Promise<Store> {
  const parsed = new URL(url)
  const database = parsed.pathname.replace(/^\//, '') || 'default'
  // The database must exist before a client bound to it can run anything.
  const bootstrapUrl = new URL(url)
  bootstrapUrl.pathname = '/'
  const bootstrap = createClient({ url: bootstrapUrl.toString() })
  try {
    await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(database)}` })
  } finally {
    await bootstrap.close()
  }
  const client = createClient({
    url,
    request_timeout: 60_000,
    clickhouse_settings: { date_time_input_format: 'best_effort' },
  })
  parsed.password = parsed.password ? '***' : ''
  return {
    client,
    kind: 'server',
    describe: `ClickHouse server ${parsed.toString()}`,
    close: () => client.close(),
  }
}

async function createEmbeddedStore(dir: string): Promise<Store> {
  mkdirSync(dir, { recursive: true })
  // Loaded lazily so that a server deployment never loads the ~550 MB engine.
  const { createChdbConnection } = await import('chdb/connection')
  // chdb declares the same Connection contract against its own copy of @clickhouse/client-common,
  // so the two identical types differ only by the path TypeScript resolved them from.
  const connection = createChdbConnection({ path: dir }) as unknown as NonNullable<
    ClientOptions['connection']
  >
  const client = createClient({ connection })
  return { client, kind: 'embedded', describe: `embedded chDB at ${dir}`, close: () => client.close() }
}

function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`CLICKHOUSE_URL: bad database name "${name}"`)
  return `\`${name}\``
}
