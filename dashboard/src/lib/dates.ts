// Calendar arithmetic on `YYYY-MM-DD` strings (UTC days, no time zone surprises).
const dayMs = 86_400_000

export const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/

export function isIsoDate(text: string): boolean {
  if (!isoDatePattern.test(text)) return false
  const t = Date.parse(`${text}T00:00:00Z`)
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(text)
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10)
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs)
}

/** Today in the browser's own calendar. */
export function localToday(now = new Date()): string {
  const y = now.getFullYear()
  const m = String(now.getMonth() + 1).padStart(2, '0')
  const d = String(now.getDate()).padStart(2, '0')
  return `${y}-${m}-${d}`
}
