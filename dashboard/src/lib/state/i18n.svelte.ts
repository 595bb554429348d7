// The reader's language (French or English: the browser's first, switchable, remembered) and every
// formatter bound to it, so that a template writes `i18n.t('nav.overview')` or `i18n.pct(0.42)`.
import {
  formatCompact,
  formatCurrency,
  formatDate,
  formatDateTime,
  formatNumber,
  formatPercent,
  formatPeriod,
  interpolate,
  type Locale,
  locales,
} from '../format.ts'
import { en, type MessageKey } from '../i18n/en.ts'
import { fr } from '../i18n/fr.ts'
import type { KeyValueStore } from './session.svelte.ts'

export const messages: Record<Locale, Record<MessageKey, string>> = { en, fr }

const storageKey = 'implication.locale'

export class I18n {
  locale = $state<Locale>('en')

  constructor(
    private readonly storage: KeyValueStore,
    browserLanguages: readonly string[],
    pick: (languages: readonly string[]) => Locale,
  ) {
    const saved = storage.getItem(storageKey)
    this.locale = (locales as readonly string[]).includes(saved ?? '')
      ? (saved as Locale)
      : pick(browserLanguages)
  }

  set(locale: Locale): void {
    this.locale = locale
    this.storage.setItem(storageKey, locale)
  }

  t = (key: MessageKey, vars?: Record<string, string | number>): string =>
    interpolate(messages[this.locale][key] ?? messages.en[key] ?? key, vars)

  /** A message key that is only known at run time (a segment name from the API…). */
  has = (key: string): key is MessageKey => Object.hasOwn(messages.en, key)

  num = (value: number | null | undefined, digits = 0): string => formatNumber(this.locale, value, digits)
  pct = (ratio: number | null | undefined, digits = 1): string => formatPercent(this.locale, ratio, digits)
  money = (value: number | null | undefined, currency: string, compact = false): string =>
    formatCurrency(this.locale, value, currency, compact)
  compact = (value: number | null | undefined): string => formatCompact(this.locale, value)
  date = (iso: string | null | undefined): string => formatDate(this.locale, iso)
  period = (iso: string, interval: 'day' | 'week' | 'month', withYear = false): string =>
    formatPeriod(this.locale, iso, interval, withYear)
  dateTime = (time: string | null | undefined): string => formatDateTime(this.locale, time)
}
