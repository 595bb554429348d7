// The French public holidays (jours fériés, Code du travail L3133-1), Easter computed: what the
// org setting `holidays: "FR"` means, and the calendar the simulated company lives by. Plain
// date arithmetic, no zod: the analytics, the simulator and the dashboard may all read it.

/** Easter Sunday of a Gregorian year, YYYY-MM-DD (the anonymous "Meeus/Jones/Butcher" computus). */
export function easterDate(year: number): string {
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
  return `${yearText(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** A year as the four digits of a date (year 20 is 0020). */
const yearText = (year: number) => String(year).padStart(4, '0')

const dayMs = 86_400_000
const plusDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * dayMs).toISOString().slice(0, 10)

/** The eleven French public holidays of a year (metropolitan France, without Alsace-Moselle's two extra days), in date order. */
export function frenchPublicHolidayDates(year: number): { date: string; name: string }[] {
  const fixed = (md: string) => `${yearText(year)}-${md}`
  const easter = easterDate(year)
  return [
    { date: fixed('01-01'), name: "Jour de l'an" },
    { date: plusDays(easter, 1), name: 'Lundi de Pâques' },
    { date: fixed('05-01'), name: 'Fête du Travail' },
    { date: fixed('05-08'), name: 'Victoire 1945' },
    { date: plusDays(easter, 39), name: 'Ascension' },
    { date: plusDays(easter, 50), name: 'Lundi de Pentecôte' },
    { date: fixed('07-14'), name: 'Fête nationale' },
    { date: fixed('08-15'), name: 'Assomption' },
    { date: fixed('11-01'), name: 'Toussaint' },
    { date: fixed('11-11'), name: 'Armistice 1918' },
    { date: fixed('12-25'), name: 'Noël' },
  ].sort((x, y) => (x.date < y.date ? -1 : 1))
}
