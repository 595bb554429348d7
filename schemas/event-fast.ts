// The fast path of the event judgement: a hand-written check of the common event shape that
// builds the stored event without zod. It only ever says "accepted, and here is the event" or
// "not sure": anything it does not accept goes to `judgeEvent` (zod), which accepts or refuses
// with its readable messages. So the fast path may decline valid events, never accept an invalid
// one, and what it accepts is stored exactly as `judgeEvent` would store it (property-tested).
import { isWellFormedText, maxFutureSkewMs, orgPattern, type StoredEvent } from './event.ts'
import { customTypePattern, eventCatalogue, features, levels } from './event-catalogue.ts'

export interface FastJudgeContext {
  /** Server time of the request, in ms. */
  nowMs: number
  defaultSource: string
  /** `received_at` of every event of the request, already in ClickHouse text form. */
  receivedAt: string
}

const knownKeys = new Set([
  'id',
  'type',
  'time',
  'org',
  'actor',
  'feature',
  'level',
  'space',
  'object',
  'parent',
  'target',
  'count',
  'source',
  'props',
])
const featureSet: ReadonlySet<string> = new Set(features)
const levelSet: ReadonlySet<string> = new Set(levels)
const maxPropBytes = 1024
const maxPropKeys = 32

type Entry = { readonly feature: string; readonly level: string }
const catalogue = eventCatalogue as Readonly<Record<string, Entry>>

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype

const optionalText = (v: unknown, max: number): v is string | undefined =>
  v === undefined || (typeof v === 'string' && v.length <= max && isWellFormedText(v))

/** Accepts an event the contract surely accepts, normalised for storage; null when unsure. */
export function judgeEventFast(value: unknown, ctx: FastJudgeContext): StoredEvent | null {
  if (!isPlainObject(value)) return null
  for (const key in value) if (!knownKeys.has(key)) return null
  const { id, type, time, org, actor, feature, level, space, object, parent, target, count, source, props } =
    value
  if (typeof id !== 'string' || id.length < 1 || id.length > 128 || !isWellFormedText(id)) return null
  if (typeof org !== 'string' || !orgPattern.test(org)) return null
  if (typeof actor !== 'string' || actor.length < 1 || actor.length > 256 || !isWellFormedText(actor))
    return null
  if (feature !== undefined && !(typeof feature === 'string' && featureSet.has(feature))) return null
  if (level !== undefined && !(typeof level === 'string' && levelSet.has(level))) return null
  if (!optionalText(space, 256) || !optionalText(object, 256)) return null
  if (!optionalText(parent, 256) || !optionalText(target, 256)) return null
  if (source !== undefined && !(typeof source === 'string' && source.length >= 1 && optionalText(source, 64)))
    return null
  if (count !== undefined && !(Number.isInteger(count) && (count as number) >= 1 && (count as number) <= 1e6))
    return null
  if (typeof type !== 'string' || typeof time !== 'string') return null

  let storedFeature: string
  let storedLevel: string
  const entry = Object.hasOwn(catalogue, type) ? catalogue[type] : undefined
  if (entry) {
    if (entry.feature === 'given') {
      if (feature === undefined) return null
      storedFeature = feature
    } else {
      if (feature !== undefined && feature !== entry.feature) return null
      storedFeature = entry.feature
    }
    if (level !== undefined && level !== entry.level) return null
    storedLevel = entry.level
  } else {
    if (feature === undefined || level === undefined || !customTypePattern.test(type)) return null
    storedFeature = feature
    storedLevel = level
  }

  const storedTime = utcTimeFast(time, ctx.nowMs + maxFutureSkewMs)
  if (storedTime === null) return null
  let storedProps = '{}'
  if (props !== undefined) {
    if (!propsFast(props)) return null
    storedProps = JSON.stringify(props)
  }
  return {
    org,
    source: source ?? ctx.defaultSource,
    id,
    type,
    feature: storedFeature as StoredEvent['feature'],
    level: storedLevel as StoredEvent['level'],
    time: storedTime,
    actor,
    space: space ?? '',
    object: object ?? '',
    parent: parent ?? '',
    target: target ?? '',
    count: (count as number | undefined) ?? 1,
    props: storedProps,
    received_at: ctx.receivedAt,
  }
}

function propsFast(props: unknown): boolean {
  if (!isPlainObject(props)) return false
  let keys = 0
  for (const key in props) {
    if (++keys > maxPropKeys || key.length > 64 || key === '__proto__' || !isWellFormedText(key)) return false
    const v = props[key]
    if (typeof v === 'string') {
      // At most 3 UTF-8 bytes per UTF-16 unit: short strings need no byte count.
      if (v.length * 3 > maxPropBytes && Buffer.byteLength(v) > maxPropBytes) return false
      if (!isWellFormedText(v)) return false
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return false
    } else if (typeof v !== 'boolean') return false
  }
  return true
}

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const zero = 48

/** Two or four decimal digits at `at`, or -1. */
function digits(s: string, at: number, n: 2 | 4): number {
  let v = 0
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - zero
    if (d < 0 || d > 9) return -1
    v = v * 10 + d
  }
  return v
}

/**
 * `YYYY-MM-DDThh:mm:ss[.fff…]Z` (UTC, the common form) from 1970 on and not after `latestMs`, as
 * ClickHouse DateTime64(3) text, without Date objects; null for any other form (offsets, leap
 * seconds, 24:00, impossible dates...), which the zod path judges.
 */
export function utcTimeFast(time: string, latestMs: number): string | null {
  const len = time.length
  if (len < 20 || len > 30 || time.charCodeAt(len - 1) !== 90 /* Z */) return null
  const sep = time[10]
  if (time[4] !== '-' || time[7] !== '-' || (sep !== 'T' && sep !== ' ')) return null
  if (time[13] !== ':' || time[16] !== ':') return null
  const y = digits(time, 0, 4)
  const mo = digits(time, 5, 2)
  const d = digits(time, 8, 2)
  const h = digits(time, 11, 2)
  const mi = digits(time, 14, 2)
  const s = digits(time, 17, 2)
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
    return null
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
  if (d > daysInMonth[mo - 1]! + (leap ? 1 : 0)) return null
  let fraction = '000'
  if (len > 20) {
    // `.` then 1 to 9 digits before the Z; milliseconds are the first three, as Date.parse takes them.
    if (time[19] !== '.' || len === 21 || len > 30) return null
    for (let i = 20; i < len - 1; i++) {
      const c = time.charCodeAt(i) - zero
      if (c < 0 || c > 9) return null
    }
    fraction = len >= 24 ? time.slice(20, 23) : time.slice(20, len - 1).padEnd(3, '0')
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, s, Number(fraction))
  if (ms > latestMs) return null
  return `${time.slice(0, 10)} ${time.slice(11, 19)}.${fraction}`
}
