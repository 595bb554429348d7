import { describe, expect, it } from 'vitest'
import {
  formatCurrency,
  formatDate,
  formatDateTime,
  formatNumber,
  formatPercent,
  formatPeriod,
  interpolate,
  pickLocale,
} from '../../../dashboard/src/lib/format.ts'
import { en } from '../../../dashboard/src/lib/i18n/en.ts'
import { fr } from '../../../dashboard/src/lib/i18n/fr.ts'
import { I18n, messages } from '../../../dashboard/src/lib/state/i18n.svelte.ts'
import { MemoryStore } from '../../../dashboard/src/lib/state/session.svelte.ts'

// Intl writes a narrow no-break space before % and in French thousands; compare on plain spaces.
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ')

describe('messages', () => {
  it('French and English have the same keys, none empty', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort())
    for (const [key, text] of [...Object.entries(en), ...Object.entries(fr)]) {
      expect(text.trim(), key).not.toBe('')
    }
  })

  it('French and English use the same placeholders in each message', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(fr[key]), key).toEqual(placeholders(en[key]))
    }
  })

  it('every page, segment, tier and index component has a label in both languages', () => {
    const needed = [
      ...[
        'overview',
        'adoption',
        'engagement',
        'communities',
        'features',
        'collaboration',
        'hr',
        'data',
        'settings',
      ].map((p) => `nav.${p}`),
      ...['innovators', 'early_adopters', 'early_majority', 'late_majority', 'laggards', 'non_adopters'].map(
        (s) => `segment.${s}`,
      ),
      ...['creators', 'contributors', 'lurkers', 'inactive'].map((t) => `tier.${t}`),
      ...['adoption', 'depth', 'stickiness', 'reach', 'responsiveness'].map((c) => `index.${c}`),
    ]
    for (const key of needed) {
      expect(Object.hasOwn(messages.en, key), key).toBe(true)
      expect(Object.hasOwn(messages.fr, key), key).toBe(true)
    }
  })
})

describe('locale', () => {
  it('takes the first browser language it speaks, else English', () => {
    expect(pickLocale(['fr-CA', 'en-US'])).toBe('fr')
    expect(pickLocale(['de-DE', 'en-GB', 'fr'])).toBe('en')
    expect(pickLocale(['de-DE', 'fr'])).toBe('fr')
    expect(pickLocale([])).toBe('en')
  })

  it('remembers a switch and prefers it to the browser', () => {
    const store = new MemoryStore()
    const i18n = new I18n(store, ['en-US'], pickLocale)
    expect(i18n.t('nav.overview')).toBe('Overview')
    i18n.set('fr')
    expect(i18n.t('nav.overview')).toBe('Vue d’ensemble')
    expect(i18n.t('kpi.adoptionSub', { adopters: '3', workforce: '4' })).toBe('3 personnes sur 4')
    expect(new I18n(store, ['en-US'], pickLocale).locale).toBe('fr')
  })
})

describe('formatting', () => {
  it('writes numbers, percentages and money as each locale does', () => {
    expect(formatNumber('en', 1234567.891)).toBe('1,234,568')
    expect(plain(formatNumber('fr', 1234567.891))).toBe('1 234 568')
    expect(formatNumber('en', 0.456, 2)).toBe('0.46')
    expect(formatNumber('fr', 0.456, 2)).toBe('0,46')
    expect(formatPercent('en', 0.617)).toBe('61.7%')
    expect(plain(formatPercent('fr', 0.617))).toBe('61,7 %')
    expect(formatCurrency('en', 1234.5, 'EUR')).toBe('€1,235')
    expect(plain(formatCurrency('fr', 1234.5, 'EUR'))).toBe('1 235 €')
    expect(formatNumber('en', null)).toBe('—')
    expect(formatPercent('fr', undefined)).toBe('—')
  })

  it('writes days and periods as each locale does, whatever the reader’s time zone', () => {
    expect(formatDate('en', '2025-03-03')).toBe('3 Mar 2025')
    expect(formatDate('fr', '2025-03-03')).toBe('3 mars 2025')
    expect(formatPeriod('en', '2025-03-01', 'month')).toBe('Mar 2025')
    expect(formatPeriod('fr', '2025-03-01', 'month')).toBe('mars 2025')
    expect(formatPeriod('en', '2025-03-03', 'week')).toBe('3 Mar')
    expect(formatPeriod('en', '2025-03-03', 'week', true)).toBe('3 Mar 25')
    expect(formatDate('en', null)).toBe('—')
    // ClickHouse's UTC times and ISO times both read as instants.
    expect(formatDateTime('en', '2025-03-03 09:00:00')).toBe(formatDateTime('en', '2025-03-03T09:00:00Z'))
  })

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}')
  })
})
