import { describe, expect, it } from 'vitest'
import {
  addMonths,
  dateOf,
  dayOf,
  easterSunday,
  frenchPublicHolidays,
  isoWeekStart,
  parisOffsetHours,
  WorkCalendar,
  weekdayOf,
} from '../../../simulation/calendar.ts'

describe('the French working calendar', () => {
  it('computes Easter', () => {
    expect(dateOf(easterSunday(2024))).toBe('2024-03-31')
    expect(dateOf(easterSunday(2025))).toBe('2025-04-20')
    expect(dateOf(easterSunday(2026))).toBe('2026-04-05')
    expect(dateOf(easterSunday(2038))).toBe('2038-04-25')
  })

  it('lists the eleven public holidays, movable ones included', () => {
    expect(frenchPublicHolidays(2025).map((h) => dateOf(h.day))).toEqual([
      '2025-01-01',
      '2025-04-21',
      '2025-05-01',
      '2025-05-08',
      '2025-05-29',
      '2025-06-09',
      '2025-07-14',
      '2025-08-15',
      '2025-11-01',
      '2025-11-11',
      '2025-12-25',
    ])
    const names = frenchPublicHolidays(2026).map((h) => `${dateOf(h.day)} ${h.name}`)
    expect(names).toContain('2026-04-06 Lundi de Pâques')
    expect(names).toContain('2026-05-14 Ascension')
    expect(names).toContain('2026-05-25 Lundi de Pentecôte')
  })

  it('knows working days, weekdays, ISO weeks and month arithmetic', () => {
    const calendar = new WorkCalendar(dayOf('2025-01-01'), dayOf('2026-01-01'))
    expect(calendar.isWorkingDay(dayOf('2025-05-29'))).toBe(false)
    expect(calendar.isWorkingDay(dayOf('2025-05-30'))).toBe(true)
    expect(calendar.isWorkingDay(dayOf('2025-05-31'))).toBe(false)
    expect(weekdayOf(dayOf('2025-05-26'))).toBe(0)
    expect(dateOf(isoWeekStart(dayOf('2025-06-01')))).toBe('2025-05-26')
    expect(dateOf(addMonths(dayOf('2026-11-27'), -18))).toBe('2025-05-27')
    expect(dateOf(addMonths(dayOf('2025-03-31'), -1))).toBe('2025-02-28')
  })

  it('puts Paris on summer time between the last Sundays of March and October', () => {
    expect(parisOffsetHours(dayOf('2025-03-29'))).toBe(1)
    expect(parisOffsetHours(dayOf('2025-03-30'))).toBe(2)
    expect(parisOffsetHours(dayOf('2025-10-25'))).toBe(2)
    expect(parisOffsetHours(dayOf('2025-10-26'))).toBe(1)
    const calendar = new WorkCalendar(dayOf('2025-01-01'), dayOf('2026-01-01'))
    expect(new Date(calendar.parisTime(dayOf('2025-07-01'), 9)).toISOString()).toBe(
      '2025-07-01T07:00:00.000Z',
    )
    expect(new Date(calendar.parisTime(dayOf('2025-12-01'), 9.5)).toISOString()).toBe(
      '2025-12-01T08:30:00.000Z',
    )
  })
})
