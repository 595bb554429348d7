// The audit log: one row per analytics read or export (routes that declare `config.audit`), who
// (token id and role), which org and report, which filters (the query string), when, with what
// status. Rows are buffered and written in batches so a read never waits on the audit insert;
// the buffer is flushed every second, at 500 rows and when the app closes. Readers page it newest
// first with an opaque cursor over (at, request_id, row_id): row_id (migration 014) is drawn per row,
// so rows of one millisecond, even of one client-chosen request id, each keep their own place.
import { randomUUID } from 'node:crypto'
import type { ClickHouseClient } from '@clickhouse/client'
import type { FastifyInstance } from 'fastify'
import { afterCursorSql, type CursorOrder, cursorParams, decodeCursor, pageOf } from '../schemas/cursor.ts'
import { toClickHouseTime } from '../schemas/event.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Writes an audit row for each call: a read of a report, or an export. */
    audit?: 'read' | 'export'
  }
}

export interface AuditRow {
  at: string
  org: string
  token_id: string
  role: string
  action: string
  report: string
  method: string
  route: string
  filters: string
  status: number
  request_id: string
}

/** Newest first; row_id (drawn per row) makes the key unique. */
const cursorOrder: CursorOrder = {
  time: 'at',
  ties: [
    ['request_id', 'String'],
    ['row_id', 'UUID'],
  ],
}

export class AuditLog {
  private buffer: Record<string, unknown>[] = []
  private flushing: Promise<void> = Promise.resolve()
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly client: ClickHouseClient,
    private readonly onError: (err: Error) => void = () => {},
    private readonly maxRows = 500,
    flushMs = 1_000,
  ) {
    this.timer = setInterval(() => void this.flush(), flushMs)
    this.timer.unref()
  }

  record(row: Omit<AuditRow, 'at'>, at = new Date()): void {
    this.buffer.push({ ...row, at: toClickHouseTime(at.getTime()), row_id: randomUUID() })
    if (this.buffer.length >= this.maxRows) void this.flush()
  }

  /** Writes what is buffered; resolves once it is stored. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.buffer.length === 0) return
      const rows = this.buffer
      this.buffer = []
      try {
        await this.client.insert({ table: 'audit_log', format: 'JSONEachRow', values: rows })
      } catch (err) {
        // Put them back: the next flush retries, nothing is lost while the store is down.
        this.buffer = rows.concat(this.buffer)
        this.onError(err as Error)
      }
    })
    return this.flushing
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    await this.flush()
  }

  /**
   * Newest first, `limit` rows after `cursor` (undefined when it is not a cursor of this log).
   * `orgs`: only the entries of these orgs (an org-bound reader); absent, every org's.
   */
  async query(filter: {
    org?: string
    orgs?: readonly string[]
    from?: string
    to?: string
    limit: number
    cursor?: string
  }): Promise<{ rows: AuditRow[]; nextCursor: string | null } | undefined> {
    const key = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor, cursorOrder)
    if (filter.cursor !== undefined && !key) return undefined
    const where = [
      filter.org ? 'org = {org:String}' : '',
      filter.orgs ? 'org IN {orgs:Array(String)}' : '',
      filter.from ? "at >= {from:DateTime64(3, 'UTC')}" : '',
      filter.to ? "at < {to:DateTime64(3, 'UTC')}" : '',
      key ? afterCursorSql(cursorOrder) : '',
    ].filter(Boolean)
    const { cursor: _cursor, ...params } = filter
    const result = await this.client.query({
      query: `SELECT toUnixTimestamp64Milli(at) AS at_ms, org, token_id, role, action, report, method,
                     route, filters, status, request_id, row_id
              FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
              ORDER BY at DESC, request_id, row_id LIMIT {limit:UInt32}`,
      query_params: {
        ...params,
        // One more than asked: whether there is a next page, without a count.
        limit: filter.limit + 1,
        ...(key ? cursorParams(key) : {}),
      },
      format: 'JSONEachRow',
    })
    const found = await result.json<Omit<AuditRow, 'at'> & { at_ms: string; row_id: string }>()
    const { page, nextCursor } = pageOf(found, filter.limit, (last) => [
      Number(last.at_ms),
      last.request_id,
      last.row_id,
    ])
    return {
      rows: page.map(({ at_ms, row_id: _row, ...r }) => ({
        at: new Date(Number(at_ms)).toISOString(),
        ...r,
        status: Number(r.status),
      })),
      nextCursor,
    }
  }
}

/** The report a route serves: the last static segment of its URL (`metrics/adoption` → adoption). */
function reportOf(routeUrl: string, params: Record<string, string>): string {
  const segments = routeUrl.split('/').filter(Boolean)
  const last = segments[segments.length - 1] ?? ''
  return last.startsWith(':') ? (params[last.slice(1)] ?? last) : last
}

/** Adds the hook that writes one audit row per call of a route with `config.audit`. */
export function installAudit(app: FastifyInstance, log: AuditLog): void {
  app.addHook('onResponse', async (request, reply) => {
    const action = request.routeOptions.config.audit
    if (!action) return
    const params = (request.params ?? {}) as Record<string, string>
    const url = request.url
    const q = url.indexOf('?')
    log.record({
      org: params.org ?? '',
      token_id: request.principal?.tokenId ?? '',
      role: request.principal?.role ?? '',
      action,
      report: reportOf(request.routeOptions.url ?? '', params),
      method: request.method,
      route: request.routeOptions.url ?? '',
      filters: q >= 0 ? url.slice(q + 1) : '',
      status: reply.statusCode,
      request_id: String(request.id),
    })
  })
}
