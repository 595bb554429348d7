// Judges every item of a request on its own and says where each refusal belongs.
import type { Principal } from '../schemas/auth.ts'
import { canAccessOrg } from '../schemas/auth.ts'
import {
  cutText,
  judgeEvent,
  maxEventBytes,
  orgPattern,
  type StoredEvent,
  toClickHouseTime,
  toWellFormedText,
} from '../schemas/event.ts'
import { judgeEventFast } from '../schemas/event-fast.ts'
import type { BodyItem } from './parse-body.ts'
import { type Rejection, unassignedOrg } from './rejected-store.ts'

export interface EventError {
  index: number
  id: string | null
  path: string
  message: string
}

export interface BatchJudgement {
  accepted: StoredEvent[]
  rejections: Rejection[]
  errors: EventError[]
}

export interface BatchContext {
  principal: Principal
  now: Date
  requestId: string
  channel: Rejection['channel']
}

export function judgeBatch(items: readonly BodyItem[], ctx: BatchContext): BatchJudgement {
  const out: BatchJudgement = { accepted: [], rejections: [], errors: [] }
  const refuse = (item: BodyItem, rawId: string | undefined, rawPath: string, rawMessage: string) => {
    // What is stored must be Unicode text the store takes: a refused event may name a field or
    // carry an id with a lone surrogate, and V8's JSON.parse messages quote the input cut
    // anywhere, even inside a surrogate pair.
    const id = rawId === undefined ? undefined : toWellFormedText(rawId)
    const path = toWellFormedText(rawPath)
    const message = toWellFormedText(rawMessage)
    out.errors.push({ index: item.index, id: id ?? null, path, message })
    out.rejections.push({
      org: orgForRefusal(item.value, ctx.principal),
      channel: ctx.channel,
      requestId: ctx.requestId,
      index: item.index,
      eventId: id,
      path,
      reason: path ? `${path}: ${message}` : message,
      raw: toWellFormedText(item.raw),
    })
  }
  const nowMs = ctx.now.getTime()
  const judgeContext = {
    now: ctx.now,
    nowMs,
    defaultSource: ctx.principal.source,
    receivedAt: toClickHouseTime(nowMs),
  }
  for (const item of items) {
    if (item.parseError !== undefined) {
      refuse(item, idOf(item.value), item.parsePath ?? '', item.parseError)
      continue
    }
    // At most 3 UTF-8 bytes per UTF-16 unit: most events need no byte count.
    if (item.raw.length * 3 > maxEventBytes && Buffer.byteLength(item.raw) > maxEventBytes) {
      refuse(item, idOf(item.value), '', 'event larger than 16 KiB')
      continue
    }
    // The common shape is checked by hand; whatever that check does not accept is judged by zod.
    const fast = judgeEventFast(item.value, judgeContext)
    if (fast) {
      if (canAccessOrg(ctx.principal, fast.org)) out.accepted.push(fast)
      else refuse(item, fast.id, 'org', `this token may not send events for org ${fast.org}`)
      continue
    }
    const judgement = judgeEvent(item.value, judgeContext)
    if (!judgement.ok) {
      refuse(item, judgement.id, judgement.refusal.path, judgement.refusal.message)
      continue
    }
    if (!canAccessOrg(ctx.principal, judgement.event.org)) {
      refuse(item, judgement.event.id, 'org', `this token may not send events for org ${judgement.event.org}`)
      continue
    }
    out.accepted.push(judgement.event)
  }
  return out
}

function idOf(value: unknown): string | undefined {
  const id = (value as { id?: unknown } | null)?.id
  return typeof id === 'string' ? cutText(id, 128) : undefined
}

/**
 * A refusal is kept under the org the input names when the sender may use it, else under the
 * sender's only org, else under `_unassigned` (visible to admins).
 */
function orgForRefusal(value: unknown, principal: Principal): string {
  const org = (value as { org?: unknown } | null)?.org
  if (typeof org === 'string' && orgPattern.test(org) && canAccessOrg(principal, org)) return org
  if (principal.orgs !== '*' && principal.orgs.length === 1) return principal.orgs[0]!
  return unassignedOrg
}
