// The ClickHouse HTTP interface, as much of it as @clickhouse/client uses, served from the chDB
// engine of this process. chDB binds one data directory to one process, and the fault tests need
// several processes (API, workers) writing to one store: they point CLICKHOUSE_URL here, so the
// processes under test run the same code as against a ClickHouse server. The SQL engine is the
// real one; only the HTTP transport is this small adapter. A request is run only once its body
// has fully arrived, so a client killed mid-request inserts nothing (as with a server).
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ClickHouseClient } from '@clickhouse/client'

/** URL parameters that are HTTP-interface plumbing, not settings. */
const notSettings = new Set(['query', 'query_id', 'database', 'session_id', 'role', 'user', 'password'])

export interface ChdbHttpServer {
  url: string
  close(): Promise<void>
}

export async function startChdbHttpServer(client: ClickHouseClient): Promise<ChdbHttpServer> {
  // As a server's http_max_uri_size (1 MiB): query parameters travel in the URL.
  const server = createServer(
    { maxHeaderSize: 1024 * 1024 },
    (request, response) => void serve(client, request, response),
  )
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

async function serve(client: ClickHouseClient, request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? '/', 'http://localhost')
  if (url.pathname === '/ping') {
    response.end('Ok.\n')
    return
  }
  const chunks: Buffer[] = []
  let complete = false
  request.on('data', (chunk: Buffer) => chunks.push(chunk))
  request.on('end', () => {
    complete = true
  })
  await new Promise<void>((resolve) => {
    request.on('close', resolve)
    request.on('error', () => resolve())
  })
  if (!complete) return // the client went away mid-request: run nothing
  const body = Buffer.concat(chunks).toString('utf8')
  const database = url.searchParams.get('database')
  const query = url.searchParams.get('query')
  const sql = query ? `${query}\n${body}` : body
  const settings: Record<string, string> = {}
  for (const [key, value] of url.searchParams) if (!notSettings.has(key)) settings[key] = value
  try {
    if (database && database !== 'default') throw new Error(`only the default database is served here`)
    const result = await client.exec({ query: sql, clickhouse_settings: settings })
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
    for await (const chunk of result.stream) response.write(chunk)
    response.end()
  } catch (err) {
    const e = err as Error & { code?: string; type?: string }
    const code = e.code ?? '1000'
    if (!response.headersSent) {
      response.writeHead(500, { 'x-clickhouse-exception-code': code, 'content-type': 'text/plain' })
    }
    response.end(`Code: ${code}. DB::Exception: ${e.message}. (${e.type ?? 'UNKNOWN'}) (version chdb)\n`)
  }
}
