// The rejected store: refused input kept verbatim with its reason (dead letters), per org.
import type { ClickHouseClient } from '@clickhouse/client'
import { toClickHouseTime } from '../schemas/event.ts'

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

export class RejectedStore {
  constructor(private readonly client: ClickHouseClient) {}

  async keep(rejections: readonly Rejection[], now = new Date()): Promise<void> {
    if (rejections.length === 0) return
    const receivedAt = toClickHouseTime(now.getTime())
    await this.client.insert({
      table: 'rejected_events',
      format: 'JSONEachRow',
      values: rejections.map((r) => ({
        org: r.org,
        received_at: receivedAt,
        channel: r.channel,
        request_id: r.requestId,
        item_index: r.index,
        event_id: r.eventId ?? '',
        path: r.path,
        reason: r.reason,
        raw: r.raw,
      })),
    })
  }

  async list(org: string, limit: number, before?: string): Promise<RejectedRow[]> {
    const result = await this.client.query({
      query: `
        SELECT received_at, channel, request_id, item_index AS index, event_id, path, reason, raw
        FROM rejected_events
        WHERE org = {org:String} ${before ? 'AND received_at < {before:DateTime64(3)}' : ''}
        ORDER BY received_at DESC, item_index
        LIMIT {limit:UInt32}`,
      query_params: { org, limit, ...(before ? { before } : {}) },
      format: 'JSONEachRow',
    })
    return (await result.json<RejectedRow>()).map((r) => ({
      ...r,
      received_at: `${r.received_at.replace(' ', 'T')}Z`,
    }))
  }
}
