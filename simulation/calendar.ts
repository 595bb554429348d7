// The French working calendar the simulated company lives by: days as integers (days since
// 1970-01-01, UTC), weekdays, public holidays (Easter computed), Paris local time.
import { easterDate, frenchPublicHolidayDates } from '../schemas/french-holidays.ts'

export const dayMs = 86_400_000
export const hourMs = 3_600_000
export const minuteMs = 60_000

/** Day number of a `YYYY-MM-DD` date. */
export function dayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return Math.floor(Date.UTC(y, m - 1, d) / dayMs)
}

/** `YYYY-MM-DD` of a day number. */
export function dateOf(day: number): string {
  return new Date(day * dayMs).toISOString().slice(0, 10)
}

/** 0 = Monday … 6 = Sunday (ISO). Day 0 (1970-01-01) was a Thursday. */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7
}

/** The Monday of the ISO week holding `day`. */
export function isoWeekStart(day: number): number {
  return day - weekdayOf(day)
}

export function isWeekend(day: number): boolean {
  return weekdayOf(day) >= 5
}

/** The same day-of-month `months` calendar months later (negative: earlier), clamped to the month's end. */
export function addMonths(day: number, months: number): number {
  const date = new Date(day * dayMs)
  const y = date.getUTCFullYear()
  const m = date.getUTCMonth() + months
  const d = date.getUTCDate()
  const lastOfMonth = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return Math.floor(Date.UTC(y, m, Math.min(d, lastOfMonth)) / dayMs)
}

/** Easter Sunday of a Gregorian year, as a day number (schemas/french-holidays.ts). */
export function easterSunday(year: number): number {
  return dayOf(easterDate(year))
}

export interface Holiday {
  day: number
  name: string
}

/** The eleven French public holidays (metropolitan France, without Alsace-Moselle's two extra days). */
export function frenchPublicHolidays(year: number): Holiday[] {
  return frenchPublicHolidayDates(year).map((h) => ({ day: dayOf(h.date), name: h.name }))
}

export function yearOf(day: number): number {
  return new Date(day * dayMs).getUTCFullYear()
}

/** Month 0–11 of a day. */
export function monthOf(day: number): number {
  return new Date(day * dayMs).getUTCMonth()
}

/** The last Sunday of a month (0–11): where European summer time starts and ends. */
function lastSunday(year: number, month: number): number {
  const last = Math.floor(Date.UTC(year, month + 1, 0) / dayMs)
  return last - ((weekdayOf(last) + 1) % 7)
}

/** Hours Paris is ahead of UTC on a day: +2 in summer time (last Sunday of March to last of October). */
export function parisOffsetHours(day: number): number {
  const year = yearOf(day)
  return day >= lastSunday(year, 2) && day < lastSunday(year, 9) ? 2 : 1
}

/** The working calendar of one simulated period: holidays looked up in O(1). */
export class WorkCalendar {
  private readonly holidays = new Set<number>()
  /** Paris offsets of the period's days, looked up rather than recomputed per event. */
  private readonly offsets: Int8Array

  constructor(
    readonly startDay: number,
    /** Exclusive. */
    readonly endDay: number,
  ) {
    for (let year = yearOf(startDay) - 1; year <= yearOf(endDay) + 1; year++) {
      for (const h of frenchPublicHolidays(year)) this.holidays.add(h.day)
    }
    this.offsets = new Int8Array(endDay - startDay + 1)
    for (let d = startDay; d <= endDay; d++) this.offsets[d - startDay] = parisOffsetHours(d)
  }

  get days(): number {
    return this.endDay - this.startDay
  }

  isHoliday(day: number): boolean {
    return this.holidays.has(day)
  }

  /** Monday to Friday and not a public holiday. */
  isWorkingDay(day: number): boolean {
    return !isWeekend(day) && !this.holidays.has(day)
  }

  /** UTC milliseconds of a Paris wall-clock time (hours, fractional) on a day. */
  parisTime(day: number, hours: number): number {
    return day * dayMs + (hours - this.parisOffset(day)) * hourMs
  }

  parisOffset(day: number): number {
    const offset = day - this.startDay
    return offset >= 0 && offset < this.offsets.length ? this.offsets[offset]! : parisOffsetHours(day)
  }
}
