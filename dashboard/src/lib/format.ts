// Numbers and dates as each locale writes them (Intl), for labels, tooltips and tables.
export const locales = ['en', 'fr'] as const
export type Locale = (typeof locales)[number]

const intlLocale: Record<Locale, string> = { en: 'en-GB', fr: 'fr-FR' }

/** The first of the browser's languages we speak, else English. */
export function pickLocale(languages: readonly string[]): Locale {
  for (const language of languages) {
    const base = language.toLowerCase().split('-')[0]
    if ((locales as readonly string[]).includes(base ?? '')) return base as Locale
  }
  return 'en'
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>()
function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n${locale}${JSON.stringify(options)}`
  let format = cache.get(key) as Intl.NumberFormat | undefined
  if (!format) {
    format = new Intl.NumberFormat(intlLocale[locale], options)
    cache.set(key, format)
  }
  return format
}
function dateFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d${locale}${JSON.stringify(options)}`
  let format = cache.get(key) as Intl.DateTimeFormat | undefined
  if (!format) {
    format = new Intl.DateTimeFormat(intlLocale[locale], options)
    cache.set(key, format)
  }
  return format
}

const dash = '—'

export function formatNumber(locale: Locale, value: number | null | undefined, maxDigits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return dash
  return numberFormat(locale, { maximumFractionDigits: maxDigits }).format(value)
}

/** A ratio in [0, 1] as a percentage. */
export function formatPercent(locale: Locale, ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return dash
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: digits }).format(ratio)
}

export function formatCurrency(
  locale: Locale,
  value: number | null | undefined,
  currency: string,
  compact = false,
): string {
  if (value === null || value === undefined || Number.isNaN(value)) return dash
  return numberFormat(locale, {
    style: 'currency',
    currency,
    maximumFractionDigits: compact ? 1 : 0,
    ...(compact ? { notation: 'compact' } : {}),
  }).format(value)
}

export function formatCompact(locale: Locale, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return dash
  return numberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value)
}

function utcDate(iso: string): Date {
  return new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso)
}

/** A calendar day `YYYY-MM-DD`: "3 Mar 2025", "3 mars 2025". */
export function formatDate(locale: Locale, iso: string | null | undefined): string {
  if (!iso) return dash
  const date = utcDate(iso)
  if (Number.isNaN(date.getTime())) return iso
  return dateFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date)
}

/** A period label by its interval: a day, a week (its Monday), a month ("Mar 2025"). */
export function formatPeriod(
  locale: Locale,
  iso: string,
  interval: 'day' | 'week' | 'month',
  withYear = false,
): string {
  const date = utcDate(iso)
  if (Number.isNaN(date.getTime())) return iso
  if (interval === 'month') {
    return dateFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date)
  }
  return dateFormat(locale, {
    day: 'numeric',
    month: 'short',
    ...(withYear ? { year: '2-digit' } : {}),
    timeZone: 'UTC',
  }).format(date)
}

/** An instant (ISO time, or ClickHouse's `YYYY-MM-DD hh:mm:ss` in UTC) in the reader's zone. */
export function formatDateTime(locale: Locale, time: string | null | undefined): string {
  if (!time) return dash
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(time) ? `${time.replace(' ', 'T')}Z` : time
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return time
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(date)
}

/** Replaces `{name}` placeholders. */
export function interpolate(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : whole,
  )
}
