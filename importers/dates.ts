// Times of the exports, turned into RFC 3339 UTC: Slack epoch seconds, Viva Engage
// `2024-03-05 14:30:05 UTC`, ISO with or without offset, French `dd/mm/yyyy HH:MM[:SS]`.
// A time without a zone is read in the org's time zone (IANA name, default Europe/Paris).

export const defaultImportTimeZone = 'Europe/Paris'

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** Offset of the zone from UTC at an instant, in ms (Paris in summer: +7,200,000). */
function offsetAt(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatterOf(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  )
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  )
  return asUtc - (ms - (ms % 1000))
}

export function isTimeZone(name: string): boolean {
  try {
    formatterOf(name)
    return true
  } catch {
    return false
  }
}

/**
 * The UTC instant of a wall-clock time in a zone. A time in the hour skipped when clocks go
 * forward is read with the offset before the change (02:30 on a spring-forward night in Paris is
 * 03:30 summer time); a time of the hour met twice in autumn is its first occurrence.
 */
export function zonedToUtcMs(
  wall: { y: number; m: number; d: number; h: number; mi: number; s: number },
  timeZone: string,
): number {
  const asUtc = Date.UTC(wall.y, wall.m - 1, wall.d, wall.h, wall.mi, wall.s)
  const before = offsetAt(asUtc - 86_400_000, timeZone)
  const after = offsetAt(asUtc + 86_400_000, timeZone)
  const valid = [asUtc - before, asUtc - after].filter((t) => offsetAt(t, timeZone) === asUtc - t)
  return valid.length > 0 ? Math.min(...valid) : asUtc - before
}

function validWall(y: number, m: number, d: number, h: number, mi: number, s: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d))
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === m - 1 &&
    date.getUTCDate() === d &&
    h < 24 &&
    mi < 60 &&
    s < 60
  )
}

const iso =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i
const french = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$/

/**
 * Reads a date-time of an export: ISO 8601 (with `Z`, `UTC` or an offset, or none: then in
 * `timeZone`), or French `dd/mm/yyyy[ HH:MM[:SS]]` (always in `timeZone`). Null when unreadable.
 */
export function parseExportTime(text: string, timeZone: string): number | null {
  const t = text.trim()
  let m = iso.exec(t)
  if (m) {
    const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ]
    if (!validWall(y, mo, d, h, mi, s)) return null
    const ms = m[7] ? Math.round(Number(m[7]) * 1000) : 0
    const zone = m[8]?.toUpperCase()
    if (zone === undefined) return zonedToUtcMs({ y, m: mo, d, h, mi, s }, timeZone) + ms
    const base = Date.UTC(y, mo - 1, d, h, mi, s) + ms
    if (zone === 'Z' || zone === 'UTC' || zone === 'GMT') return base
    const sign = zone.startsWith('-') ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    return base - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000
  }
  m = french.exec(t)
  if (m) {
    const [d, mo, y, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ]
    if (!validWall(y, mo, d, h, mi, s)) return null
    return zonedToUtcMs({ y, m: mo, d, h, mi, s }, timeZone)
  }
  return null
}

/** Slack `ts` ("1712345678.000100", epoch seconds, UTC) to ms; null when not a timestamp. */
export function slackTsMs(ts: unknown): number | null {
  if (typeof ts !== 'string' && typeof ts !== 'number') return null
  const n = Number(ts)
  return Number.isFinite(n) && n > 0 ? Math.round(n * 1000) : null
}

/** RFC 3339 UTC with milliseconds: `2024-03-05T13:30:05.000Z`. */
export function wireTimeOf(ms: number): string {
  return new Date(ms).toISOString()
}

/** `YYYY-MM-DD` of an instant in UTC. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}
