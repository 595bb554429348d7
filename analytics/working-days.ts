// The org calendar's working days (METRICS.md "Common ground"): Monday to Friday, minus the
// org's public holidays (`holidays`: the 11 French ones by default, Easter computed; `none`; or a
// list of dates) and its closures. Days are the org's local days, YYYY-MM-DD.
import type { OrgSettings } from '../schemas/api/settings.ts'
import { addDays } from './query.ts'

/** Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** The 11 French public holidays of a year (jours fériés, Code du travail L3133-1). */
export function frenchHolidays(year: number): string[] {
  const easter = easterSunday(year)
  const fixed = ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'].map(
    (md) => `${year}-${md}`,
  )
  // Easter Monday, Ascension (Easter + 39) and Whit Monday (Easter + 50).
  const moving = [1, 39, 50].map((n) => addDays(easter, n))
  return [...fixed, ...moving].sort()
}

/** The org's holidays of a year. */
export function holidaysOf(settings: Pick<OrgSettings, 'holidays'>, year: number): string[] {
  const { holidays } = settings
  if (holidays === 'none') return []
  if (holidays === 'FR') return frenchHolidays(year)
  return holidays.filter((d) => d.startsWith(`${year}-`))
}

/** A predicate for the org's working days, with each year's holidays computed once. */
export function workingDayTest(
  settings: Pick<OrgSettings, 'holidays' | 'closures'>,
): (day: string) => boolean {
  const byYear = new Map<number, Set<string>>()
  const closures = new Set(settings.closures)
  return (day) => {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay()
    if (weekday === 0 || weekday === 6 || closures.has(day)) return false
    const year = Number(day.slice(0, 4))
    let holidays = byYear.get(year)
    if (!holidays) {
      holidays = new Set(holidaysOf(settings, year))
      byYear.set(year, holidays)
    }
    return !holidays.has(day)
  }
}
