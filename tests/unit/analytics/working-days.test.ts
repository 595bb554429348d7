// The org calendar's working days: Easter and the French public holidays, checked against the
// published dates, and the working-day test with holidays, `none`, lists and closures.
import { describe, expect, it } from 'vitest'
import { frenchHolidays, workingDayTest } from '../../../analytics/working-days.ts'
import { easterDate } from '../../../schemas/french-holidays.ts'

describe('easterDate', () => {
  it('gives the published dates, early and late ones included', () => {
    expect(easterDate(2008)).toBe('2008-03-23')
    expect(easterDate(2024)).toBe('2024-03-31')
    expect(easterDate(2025)).toBe('2025-04-20')
    expect(easterDate(2026)).toBe('2026-04-05')
    expect(easterDate(2038)).toBe('2038-04-25')
    // Years before 1000 keep four digits, as dates do (a query may ask for year 20).
    expect(easterDate(20)).toMatch(/^0020-0[34]-\d\d$/)
  })
})

describe('frenchHolidays', () => {
  it('lists the 11 public holidays of 2025, the moving ones from Easter (20 April)', () => {
    expect(frenchHolidays(2025)).toEqual([
      '2025-01-01',
      '2025-04-21', // Easter Monday
      '2025-05-01',
      '2025-05-08',
      '2025-05-29', // Ascension: Easter + 39
      '2025-06-09', // Whit Monday: Easter + 50
      '2025-07-14',
      '2025-08-15',
      '2025-11-01',
      '2025-11-11',
      '2025-12-25',
    ])
  })
})

describe('workingDayTest', () => {
  it('leaves out weekends, holidays and closures', () => {
    const fr = workingDayTest({ holidays: 'FR', closures: ['2025-11-12'] })
    expect(fr('2025-11-10')).toBe(true) // Monday
    expect(fr('2025-11-11')).toBe(false) // Armistice
    expect(fr('2025-11-12')).toBe(false) // closed
    expect(fr('2025-11-15')).toBe(false) // Saturday
    const none = workingDayTest({ holidays: 'none', closures: [] })
    expect(none('2025-11-11')).toBe(true)
    // Any year the API takes, year 20 included.
    expect(fr('0020-01-01')).toBe(false)
    const own = workingDayTest({ holidays: ['2025-11-13'], closures: [] })
    expect([own('2025-11-11'), own('2025-11-13')]).toEqual([true, false])
  })
})
