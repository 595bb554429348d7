// The org calendar's working days (METRICS.md "Common ground"): Monday to Friday, minus the
// org's public holidays (`holidays`: the 11 French ones by default, Easter computed; `none`; or a
// list of dates) and its closures. Days are the org's local days, YYYY-MM-DD.
import type { OrgSettings } from '../schemas/api/settings.ts'
import { frenchPublicHolidayDates } from '../schemas/french-holidays.ts'

/** The 11 French public holidays of a year (schemas/french-holidays.ts), as dates. */
export function frenchHolidays(year: number): string[] {
  return frenchPublicHolidayDates(year).map((h) => h.date)
}

/** The org's holidays of a year. */
export function holidaysOf(settings: Pick<OrgSettings, 'holidays'>, year: number): string[] {
  const { holidays } = settings
  if (holidays === 'none') return []
  if (holidays === 'FR') return frenchHolidays(year)
  return holidays.filter((d) => d.startsWith(`${String(year).padStart(4, '0')}-`))
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
