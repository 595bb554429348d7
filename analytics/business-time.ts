// Business time (METRICS.md "Communities", replies to questions): the time that counts is the
// org's working hours (`working_hours`, in its `time_zone`) of its working days (Monday to Friday
// minus holidays and closures, analytics/working-days.ts). Pure: no engine, no clock.
//
// - `businessMinutes(cal, a, b)`: the minutes of [a, b) that fall inside the working hours of a
//   working day, in the org's zone (a day whose hours straddle a change of the clocks counts its
//   real minutes).
// - `oneBusinessDayLater(cal, a)`: the first instant at which one full working day's worth of
//   business minutes (end − start of the working hours) has passed since `a`. Asked at Friday
//   17:00 with hours 09:00–18:00: 60 minutes on Friday, 480 on Monday, so Monday 17:00.
import type { OrgSettings } from '../schemas/api/settings.ts'
import { workingDayTest } from './working-days.ts'

export interface BusinessCalendar {
  timeZone: string
  /** Minutes after local midnight at which the working hours start and end (start < end). */
  start: number
  end: number
  isWorkingDay(day: string): boolean
}

/** The org's working hours, HH:MM (settings `working_hours`). */
export interface WorkingHours {
  start: string
  end: string
}

const minuteMs = 60_000
const dayMs = 86_400_000
/** How far the walk over the days goes before giving up (no working day in ten years). */
const maxDays = 3_660

/** Minutes after midnight of an HH:MM. */
const clockMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))

/** The org's business calendar from its settings. */
export function businessCalendar(
  settings: Pick<OrgSettings, 'time_zone' | 'holidays' | 'closures'> & { working_hours: WorkingHours },
): BusinessCalendar {
  return {
    timeZone: settings.time_zone,
    start: clockMinutes(settings.working_hours.start),
    end: clockMinutes(settings.working_hours.end),
    isWorkingDay: workingDayTest(settings),
  }
}

const formats = new Map<string, Intl.DateTimeFormat>()

/** Milliseconds east of UTC of `zone` at the instant `ms`. */
function offsetAt(zone: string, ms: number): number {
  if (zone === 'UTC') return 0
  let format = formats.get(zone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formats.set(zone, format)
  }
  const p: Record<string, number> = {}
  for (const part of format.formatToParts(new Date(ms)))
    if (part.type !== 'literal') p[part.type] = Number(part.value)
  const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!)
  return local - Math.floor(ms / 1000) * 1000
}

/** The local day (YYYY-MM-DD) of the instant in the zone. */
export function localDay(zone: string, ms: number): string {
  return new Date(ms + offsetAt(zone, ms)).toISOString().slice(0, 10)
}

/** The instant of a local wall time (day, minutes after midnight) in the zone. */
export function wallInstant(zone: string, day: string, minutes: number): number {
  const wall = Date.parse(`${day}T00:00:00Z`) + minutes * minuteMs
  const first = wall - offsetAt(zone, wall)
  return wall - offsetAt(zone, first)
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + dayMs).toISOString().slice(0, 10)

const hoursCache = new WeakMap<BusinessCalendar, Map<string, [number, number] | null>>()

/** The working hours of a local day as instants, or null when it is not a working day (kept per
 * calendar: the questions of a range walk over the same days). */
function hoursOf(cal: BusinessCalendar, day: string): [number, number] | null {
  let days = hoursCache.get(cal)
  if (!days) {
    days = new Map()
    hoursCache.set(cal, days)
  }
  let hours = days.get(day)
  if (hours === undefined) {
    hours = cal.isWorkingDay(day)
      ? [wallInstant(cal.timeZone, day, cal.start), wallInstant(cal.timeZone, day, cal.end)]
      : null
    days.set(day, hours)
  }
  return hours
}

/** Business minutes between the instants `a` and `b` (ms); 0 when `b` is not after `a`. */
export function businessMinutes(cal: BusinessCalendar, a: number, b: number): number {
  if (!(b > a)) return 0
  let total = 0
  let day = localDay(cal.timeZone, a)
  const last = localDay(cal.timeZone, b)
  for (let i = 0; i <= maxDays * 10; i++) {
    const hours = hoursOf(cal, day)
    if (hours) total += Math.max(0, Math.min(b, hours[1]) - Math.max(a, hours[0]))
    if (day >= last) break
    day = nextDay(day)
  }
  return total / minuteMs
}

/**
 * The instant one business day after `a`: where one working day's length of business minutes
 * has passed. Infinity when no working day comes within ten years (every day a closure).
 */
export function oneBusinessDayLater(cal: BusinessCalendar, a: number): number {
  let need = (cal.end - cal.start) * minuteMs
  let day = localDay(cal.timeZone, a)
  for (let i = 0; i < maxDays; i++) {
    const hours = hoursOf(cal, day)
    if (hours) {
      const from = Math.max(a, hours[0])
      const available = hours[1] - from
      if (available > 0) {
        if (available >= need) return from + need
        need -= available
      }
    }
    day = nextDay(day)
  }
  return Number.POSITIVE_INFINITY
}
