// The activity event contract v1 (EVENTS.md) as a zod schema, and the judgement of one event:
// accepted (normalised for storage) or refused with the field path and a readable message.
import { z } from 'zod'
import {
  customTypePattern,
  eventCatalogue,
  type Feature,
  features,
  isCatalogueType,
  type Level,
  levels,
} from './event-catalogue.ts'

export const orgPattern = /^[a-z0-9][a-z0-9_-]{0,63}$/
const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/

export const maxEventBytes = 16 * 1024
export const maxFutureSkewMs = 5 * 60 * 1000
const maxPropBytes = 1024

export const orgSchema = z.string().regex(orgPattern, 'must match ^[a-z0-9][a-z0-9_-]{0,63}$')

/**
 * A JS string may hold a lone UTF-16 surrogate (JSON's `"\ud800"`), which is no Unicode text: the
 * store refuses a high one and mangles a low one. Every text field is checked for them.
 */
export function isWellFormedText(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed()
}

/** The text with every lone surrogate replaced by U+FFFD, for text that must be stored anyway. */
export function toWellFormedText(s: string): string {
  return (s as unknown as { toWellFormed(): string }).toWellFormed()
}

/**
 * The first `max` code points of `s` (the unit the contract's length limits count in), so a
 * surrogate pair is never cut in two.
 */
export function cutText(s: string, max: number): string {
  if (s.length <= max) return s
  let units = 0
  for (let points = 0; points < max && units < s.length; points++) {
    const c = s.charCodeAt(units)
    const pair = c >= 0xd800 && c <= 0xdbff && units + 1 < s.length
    const next = s.charCodeAt(units + 1)
    units += pair && next >= 0xdc00 && next <= 0xdfff ? 2 : 1
  }
  return s.slice(0, units)
}

export const notUnicodeMessage = 'holds a lone UTF-16 surrogate (not valid Unicode text)'

const text = () => z.string().refine(isWellFormedText, notUnicodeMessage)

const propValue = z.union([
  text().refine((s) => Buffer.byteLength(s) <= maxPropBytes, 'must be at most 1 KiB'),
  z.number().finite(),
  z.boolean(),
])

export const eventSchema = z.strictObject({
  id: text().min(1).max(128),
  type: text().refine(
    (t) => isCatalogueType(t) || customTypePattern.test(t),
    'unknown event type (use a type of the catalogue or x.<vendor>.<name>)',
  ),
  time: z.string().regex(rfc3339, 'must be an RFC 3339 date-time with an offset, e.g. 2025-03-01T09:30:00Z'),
  org: orgSchema,
  actor: text().min(1).max(256),
  feature: z.enum(features).optional(),
  level: z.enum(levels).optional(),
  space: text().max(256).optional(),
  object: text().max(256).optional(),
  parent: text().max(256).optional(),
  target: text().max(256).optional(),
  count: z.number().int().min(1).max(1_000_000).optional(),
  source: text().min(1).max(64).optional(),
  props: z
    .record(text().max(64), propValue)
    .refine((p) => Object.keys(p).length <= 32, 'at most 32 keys')
    .optional(),
})
export type ActivityEvent = z.infer<typeof eventSchema>

/** One event as the store keeps it: every optional field resolved, times in UTC. */
export interface StoredEvent {
  org: string
  source: string
  id: string
  type: string
  feature: Feature
  level: Level
  /** `YYYY-MM-DD hh:mm:ss.sss`, UTC (ClickHouse DateTime64(3) text form). */
  time: string
  actor: string
  space: string
  object: string
  parent: string
  target: string
  count: number
  /** JSON text of `props`, `{}` when absent. */
  props: string
  received_at: string
}

export interface EventRefusal {
  /** Dotted path of the field at fault, `''` for the event as a whole. */
  path: string
  message: string
}

export type Judgement = { ok: true; event: StoredEvent } | { ok: false; id?: string; refusal: EventRefusal }

export interface JudgeContext {
  now: Date
  /** Source given to events that do not name one (the ingest token's source). */
  defaultSource: string
  /** `now` as ClickHouse text, when the caller formatted it once for a whole batch. */
  receivedAt?: string
}

export function toClickHouseTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
}

function refuse(value: unknown, path: string, message: string): Judgement {
  const id =
    value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string'
      ? cutText((value as { id: string }).id, 128)
      : undefined
  return id === undefined
    ? { ok: false, refusal: { path, message } }
    : { ok: false, id, refusal: { path, message } }
}

function firstIssue(error: z.ZodError): EventRefusal {
  const issue = error.issues[0]
  if (!issue) return { path: '', message: 'invalid event' }
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.join(', ')
    return { path: issue.keys[0] ?? '', message: `unknown field ${keys} (put extra data in props)` }
  }
  const path = issue.path.map(String).join('.')
  if (issue.code === 'invalid_key') {
    return { path, message: `invalid key: ${issue.issues[0]?.message ?? 'invalid'}` }
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return { path, message: 'required' }
  return { path, message: issue.message }
}

/** Date.parse rolls 2025-02-30 over to March; a calendar check refuses such dates. */
function isCalendarDate(time: string): boolean {
  const [y, m, d] = time.slice(0, 10).split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

/** Judges one parsed event on its own: contract, catalogue consistency and time sanity. */
export function judgeEvent(value: unknown, ctx: JudgeContext): Judgement {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return refuse(value, '', 'an event must be a JSON object')
  }
  const parsed = eventSchema.safeParse(value)
  if (!parsed.success) {
    const refusal = firstIssue(parsed.error)
    return refuse(value, refusal.path, refusal.message)
  }
  const e = parsed.data

  let feature: Feature
  let level: Level
  if (isCatalogueType(e.type)) {
    const entry = eventCatalogue[e.type]
    if (entry.feature === 'given') {
      if (!e.feature) return refuse(value, 'feature', `required for type ${e.type}`)
      feature = e.feature
    } else {
      if (e.feature && e.feature !== entry.feature) {
        return refuse(
          value,
          'feature',
          `type ${e.type} belongs to feature ${entry.feature}, not ${e.feature}`,
        )
      }
      feature = entry.feature
    }
    if (e.level && e.level !== entry.level) {
      return refuse(value, 'level', `type ${e.type} has level ${entry.level}, not ${e.level}`)
    }
    level = entry.level
  } else {
    if (!e.feature) return refuse(value, 'feature', 'required for custom types')
    if (!e.level) return refuse(value, 'level', 'required for custom types')
    feature = e.feature
    level = e.level
  }

  const timeMs = Date.parse(e.time.replace(' ', 'T'))
  if (Number.isNaN(timeMs) || !isCalendarDate(e.time)) return refuse(value, 'time', 'not a valid date-time')
  if (timeMs < Date.UTC(1970, 0, 1)) return refuse(value, 'time', 'before 1970-01-01')
  if (timeMs > ctx.now.getTime() + maxFutureSkewMs) {
    return refuse(value, 'time', 'more than 5 minutes in the future')
  }

  return {
    ok: true,
    event: {
      org: e.org,
      source: e.source ?? ctx.defaultSource,
      id: e.id,
      type: e.type,
      feature,
      level,
      time: toClickHouseTime(timeMs),
      actor: e.actor,
      space: e.space ?? '',
      object: e.object ?? '',
      parent: e.parent ?? '',
      target: e.target ?? '',
      count: e.count ?? 1,
      props: e.props ? JSON.stringify(e.props) : '{}',
      received_at: ctx.receivedAt ?? toClickHouseTime(ctx.now.getTime()),
    },
  }
}

const clickHouseTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/)

/** A normalised event as it travels on the queue; checked again by the worker before storing. */
export const storedEventSchema = z.strictObject({
  org: orgSchema,
  source: text().min(1).max(64),
  id: text().min(1).max(128),
  type: text().min(1).max(128),
  feature: z.enum(features),
  level: z.enum(levels),
  time: clickHouseTime,
  actor: text().min(1).max(256),
  space: text().max(256),
  object: text().max(256),
  parent: text().max(256),
  target: text().max(256),
  count: z.number().int().min(1).max(1_000_000),
  props: text(),
  received_at: clickHouseTime,
}) satisfies z.ZodType<StoredEvent>
