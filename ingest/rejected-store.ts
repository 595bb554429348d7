// The rejected store: refused input kept verbatim with its reason (dead letters), per org, within
// a per-org cap on the number of rows and on the bytes of raw text.
//
// Cap policy: the NEWEST refusals are kept; once an org is over its cap, its oldest rows are
// deleted (a trim down to 90% of the cap, so that a steady flood costs one delete per tenth of the
// cap, not one per request). The newest refusals are the ones a sender is fixing now: keeping the
// oldest instead would leave the store full of last month's garbage and hide today's mistake.
// Nothing the client sent goes unreported either way: every refused line is named, with its
// reason, in the answer to the request that sent it, whether or not the store can keep it. What
// a trim removes is counted per org in `rejected_dropped` (migration 014, so the count survives a
// restart), shown by GET /v1/orgs/:org/ingest/status, and counted by this process for /metrics.
//
// Enforcement is cheap: each process keeps a per-org usage figure (rows, raw bytes), read from the
// table the first time an org refuses something, then kept up to date by its own inserts and read
// again once it is older than a minute (other processes write too) or after a trim. Only when the
// figure says the org is over its cap is the table asked for the exact usage and the cut-off row.
import { randomUUID } from 'node:crypto'
import type { ClickHouseClient } from '@clickhouse/client'
import { afterCursorSql, type CursorOrder, cursorParams, decodeCursor, pageOf } from '../schemas/cursor.ts'
import { toClickHouseTime } from '../schemas/event.ts'
import { BodyError } from './parse-body.ts'

/** Org under which refusals are kept when the input names no org the sender may use. */
export const unassignedOrg = '_unassigned'

export interface Rejection {
  org: string
  channel: 'http' | 'kafka' | 'import'
  requestId: string
  index: number
  eventId: string | undefined
  path: string
  reason: string
  raw: string
}

export interface RejectedRow {
  received_at: string
  channel: string
  request_id: string
  index: number
  event_id: string
  path: string
  reason: string
  raw: string
}

export interface RejectedPage {
  rejected: RejectedRow[]
  /** Pass as `cursor` for the next (older) page; null when this page is the last. */
  next_cursor: string | null
}

/** The most an org may keep in the rejected store. */
export interface RejectedCap {
  rows: number
  /** Bytes of raw text (the input as sent), the bulk of a row. */
  bytes: number
}

/** The defaults of REJECTED_MAX_ROWS_PER_ORG and REJECTED_MAX_BYTES_PER_ORG (schemas/config.ts). */
export const defaultRejectedCap: RejectedCap = { rows: 100_000, bytes: 256 * 1024 * 1024 }

export interface RejectedStoreSettings {
  cap: RejectedCap
  /** Told of each trim: rows and raw bytes of the org's oldest refusals that were deleted. */
  onDropped?(org: string, rows: number, bytes: number): void
  /** Told when enforcing the cap failed (the refusals were kept; the next insert tries again). */
  onError?(err: Error): void
  /** How long a per-org usage figure is trusted before it is read again from the table. */
  usageTtlMs?: number
}

interface Usage {
  rows: number
  bytes: number
  readAt: number
}

/** What every RejectedStore on one client shares: the settings and the per-org usage figures. */
interface Shared {
  settings: RejectedStoreSettings
  usage: Map<string, Usage>
  /** Per org, the enforcement in progress: one at a time per org. */
  enforcing: Map<string, Promise<void>>
}

const sharedByClient = new WeakMap<ClickHouseClient, Shared>()

function sharedOf(client: ClickHouseClient): Shared {
  let shared = sharedByClient.get(client)
  if (!shared) {
    shared = { settings: { cap: defaultRejectedCap }, usage: new Map(), enforcing: new Map() }
    sharedByClient.set(client, shared)
  }
  return shared
}

/**
 * Sets the cap (and who is told of drops) for every rejected store on this client: the composition
 * root calls it once from the configuration; stores made before or after see it.
 */
export function configureRejectedStore(client: ClickHouseClient, settings: RejectedStoreSettings): void {
  const shared = sharedOf(client)
  shared.settings = settings
  shared.usage.clear()
}

/** The per-org cap in force on this client. */
export function rejectedCapOf(client: ClickHouseClient): RejectedCap {
  return sharedOf(client).settings.cap
}

const listOrder = 'received_at DESC, request_id, item_index, row_id'
const cursorOrder: CursorOrder = {
  time: 'received_at',
  ties: [
    ['request_id', 'String'],
    ['item_index', 'UInt32'],
    ['row_id', 'UUID'],
  ],
}

export class RejectedStore {
  private readonly shared: Shared

  constructor(private readonly client: ClickHouseClient) {
    this.shared = sharedOf(client)
  }

  /** Stores the refusals, then trims each org that went over its cap (see the policy above). */
  async keep(rejections: readonly Rejection[], now = new Date()): Promise<void> {
    if (rejections.length === 0) return
    const receivedAt = toClickHouseTime(now.getTime())
    const added = new Map<string, { rows: number; bytes: number }>()
    const values = rejections.map((r) => {
      const sum = added.get(r.org) ?? { rows: 0, bytes: 0 }
      sum.rows++
      sum.bytes += Buffer.byteLength(r.raw)
      added.set(r.org, sum)
      return {
        org: r.org,
        received_at: receivedAt,
        channel: r.channel,
        request_id: r.requestId,
        item_index: r.index,
        event_id: r.eventId ?? '',
        path: r.path,
        reason: r.reason,
        raw: r.raw,
        // The last part of the sort key: unique even for two refusals of one request id (a client
        // may choose its x-request-id) in one millisecond, so paging never skips a row.
        row_id: randomUUID(),
      }
    })
    await this.client.insert({ table: 'rejected_events', format: 'JSONEachRow', values })
    await Promise.all([...added].map(([org, sum]) => this.enforceCap(org, sum.rows, sum.bytes)))
  }

  /** Newest first, `limit` rows after `cursor`, received before `beforeMs` when given. */
  async list(
    org: string,
    options: { limit: number; cursor?: string | undefined; beforeMs?: number | undefined },
  ): Promise<RejectedPage> {
    const key = options.cursor === undefined ? undefined : decodeCursor(options.cursor, cursorOrder)
    if (options.cursor !== undefined && !key) {
      throw new BodyError(400, 'cursor: not a cursor of this list (pass next_cursor as it was answered)')
    }
    const where = [
      'org = {org:String}',
      options.beforeMs === undefined ? '' : 'toUnixTimestamp64Milli(received_at) < {before_ms:Int64}',
      key ? afterCursorSql(cursorOrder) : '',
    ].filter(Boolean)
    const result = await this.client.query({
      query: `
        SELECT toUnixTimestamp64Milli(received_at) AS received_ms, channel, request_id,
               item_index AS index, event_id, path, reason, raw, row_id
        FROM rejected_events
        WHERE ${where.join(' AND ')}
        ORDER BY ${listOrder}
        LIMIT {limit:UInt32}`,
      query_params: {
        org,
        // One more than asked: whether there is a next page, without a count.
        limit: options.limit + 1,
        ...(options.beforeMs === undefined ? {} : { before_ms: options.beforeMs }),
        ...(key ? cursorParams(key) : {}),
      },
      format: 'JSONEachRow',
    })
    const rows = await result.json<
      Omit<RejectedRow, 'received_at'> & { received_ms: string; row_id: string }
    >()
    const { page, nextCursor } = pageOf(rows, options.limit, (last) => [
      Number(last.received_ms),
      last.request_id,
      Number(last.index),
      last.row_id,
    ])
    return {
      rejected: page.map(({ received_ms, row_id: _row, ...r }) => ({
        received_at: new Date(Number(received_ms)).toISOString(),
        ...r,
        index: Number(r.index),
      })),
      next_cursor: nextCursor,
    }
  }

  /** Rows and raw bytes the org keeps now. */
  private async readUsage(org: string): Promise<Usage> {
    const result = await this.client.query({
      query: `SELECT count() AS rows, sum(length(raw)) AS bytes FROM rejected_events WHERE org = {org:String}`,
      query_params: { org },
      format: 'JSONEachRow',
    })
    const [row] = await result.json<{ rows: string; bytes: string }>()
    return { rows: Number(row?.rows ?? 0), bytes: Number(row?.bytes ?? 0), readAt: Date.now() }
  }

  private enforceCap(org: string, rows: number, bytes: number): Promise<void> {
    const { enforcing, usage, settings } = this.shared
    const run = async () => {
      const cached = usage.get(org)
      const ttl = settings.usageTtlMs ?? 60_000
      let current: Usage
      if (cached && Date.now() - cached.readAt < ttl) {
        cached.rows += rows
        cached.bytes += bytes
        current = cached
      } else {
        // Read after the insert: the figure already holds the rows just kept.
        current = await this.readUsage(org)
        usage.set(org, current)
      }
      if (current.rows > settings.cap.rows || current.bytes > settings.cap.bytes) await this.trim(org)
    }
    const previous = enforcing.get(org) ?? Promise.resolve()
    const next = previous.then(run).catch((err: Error) => {
      // The refusals are stored; only the trim failed. Forget the figure: the next insert reads it.
      usage.delete(org)
      settings.onError?.(err)
    })
    enforcing.set(org, next)
    return next.finally(() => {
      if (enforcing.get(org) === next) enforcing.delete(org)
    })
  }

  /** Deletes the org's oldest refusals down to 90% of its cap, and counts what went. */
  private async trim(org: string): Promise<void> {
    const { usage, settings } = this.shared
    const exact = await this.readUsage(org)
    usage.set(org, exact)
    const { cap } = settings
    if (exact.rows <= cap.rows && exact.bytes <= cap.bytes) return
    const keepRows = cap.rows - Math.floor(cap.rows / 10)
    const keepBytes = cap.bytes - Math.floor(cap.bytes / 10)
    // The newest row that does not fit: it and every older row go.
    const cut = await this.client.query({
      query: `
        SELECT received_ms, request_id, item_index, row_id FROM (
          SELECT toUnixTimestamp64Milli(received_at) AS received_ms, request_id, item_index,
                 row_id,
                 row_number() OVER newest AS n, sum(length(raw)) OVER newest AS bytes
          FROM rejected_events
          WHERE org = {org:String}
          WINDOW newest AS (ORDER BY ${listOrder} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))
        WHERE n > {keep_rows:UInt64} OR bytes > {keep_bytes:UInt64}
        ORDER BY n
        LIMIT 1`,
      query_params: { org, keep_rows: keepRows, keep_bytes: keepBytes },
      format: 'JSONEachRow',
    })
    const [first] = await cut.json<{
      received_ms: string
      request_id: string
      item_index: number
      row_id: string
    }>()
    if (!first) return
    const params = {
      org,
      ...cursorParams([Number(first.received_ms), first.request_id, Number(first.item_index), first.row_id]),
    }
    const where = `org = {org:String} AND ${afterCursorSql(cursorOrder, true)}`
    const counted = await this.client.query({
      query: `SELECT count() AS rows, sum(length(raw)) AS bytes FROM rejected_events WHERE ${where}`,
      query_params: params,
      format: 'JSONEachRow',
    })
    const [gone] = await counted.json<{ rows: string; bytes: string }>()
    const rows = Number(gone?.rows ?? 0)
    const bytes = Number(gone?.bytes ?? 0)
    if (rows === 0) return
    // Rows newer than the cut-off that arrive meanwhile are not matched: they sort before it.
    await this.client.command({ query: `DELETE FROM rejected_events WHERE ${where}`, query_params: params })
    await this.client.insert({
      table: 'rejected_dropped',
      format: 'JSONEachRow',
      values: [{ org, at: toClickHouseTime(Date.now()), rows, bytes }],
    })
    usage.set(org, { rows: exact.rows - rows, bytes: exact.bytes - bytes, readAt: Date.now() })
    settings.onDropped?.(org, rows, bytes)
  }
}
