// Business time: the working hours of working days in the org's zone. Every expected value is
// worked out by hand in the comments (CET = UTC+1, CEST = UTC+2, IST = UTC+5:30).
import { describe, expect, it } from 'vitest'
import {
  businessCalendar,
  businessMinutes,
  localDay,
  oneBusinessDayLater,
  wallInstant,
} from '../../../analytics/business-time.ts'

const at = (iso: string) => Date.parse(iso)
const paris = businessCalendar({
  time_zone: 'Europe/Paris',
  holidays: 'FR',
  closures: [],
  working_hours: { start: '09:00', end: '18:00' },
})

describe('wall times in a zone', () => {
  it('turns a local wall time into its instant, either side of a change of the clocks', () => {
    expect(wallInstant('Europe/Paris', '2025-03-28', 17 * 60)).toBe(at('2025-03-28T16:00:00Z')) // CET
    expect(wallInstant('Europe/Paris', '2025-03-31', 9 * 60)).toBe(at('2025-03-31T07:00:00Z')) // CEST
    expect(wallInstant('Asia/Kolkata', '2025-03-07', 9 * 60)).toBe(at('2025-03-07T03:30:00Z'))
    expect(wallInstant('UTC', '2025-03-07', 0)).toBe(at('2025-03-07T00:00:00Z'))
  })

  it('gives the local day of an instant', () => {
    expect(localDay('Europe/Paris', at('2025-03-09T23:30:00Z'))).toBe('2025-03-10')
    expect(localDay('Asia/Kolkata', at('2025-03-07T18:29:00Z'))).toBe('2025-03-07') // 23:59 IST
    expect(localDay('Asia/Kolkata', at('2025-03-07T18:30:00Z'))).toBe('2025-03-08')
  })
})

describe('businessMinutes', () => {
  it('counts Friday 17:00 to Monday 09:30 as 90 minutes (60 on Friday, 30 on Monday)', () => {
    // Friday 7 November 2025 17:00 CET = 16:00Z; Monday 10 November 09:30 CET = 08:30Z.
    expect(businessMinutes(paris, at('2025-11-07T16:00:00Z'), at('2025-11-10T08:30:00Z'))).toBe(90)
  })

  it('skips a French holiday: from Tuesday 11 November 10:00 to Wednesday 10:00 is 60 minutes', () => {
    // 11 November is a holiday: nothing counts until Wednesday 09:00 CET.
    expect(businessMinutes(paris, at('2025-11-11T09:00:00Z'), at('2025-11-12T09:00:00Z'))).toBe(60)
  })

  it('counts real minutes across the switch to summer time', () => {
    // Friday 28 March 2025 17:00 CET (16:00Z) to Monday 31 March 09:30 CEST (07:30Z): 60 + 30.
    expect(businessMinutes(paris, at('2025-03-28T16:00:00Z'), at('2025-03-31T07:30:00Z'))).toBe(90)
  })

  it('counts nothing outside the hours, and 0 when the end is not after the start', () => {
    // Saturday 8 November all day.
    expect(businessMinutes(paris, at('2025-11-08T08:00:00Z'), at('2025-11-08T20:00:00Z'))).toBe(0)
    // Monday 10 November 18:30 to 20:00 CET.
    expect(businessMinutes(paris, at('2025-11-10T17:30:00Z'), at('2025-11-10T19:00:00Z'))).toBe(0)
    expect(businessMinutes(paris, at('2025-11-10T10:00:00Z'), at('2025-11-10T09:00:00Z'))).toBe(0)
  })

  it('counts a whole working week as 5 × 540 minutes', () => {
    // Monday 17 November 00:00 CET to Monday 24 November 00:00 CET: no holiday that week.
    expect(businessMinutes(paris, at('2025-11-16T23:00:00Z'), at('2025-11-23T23:00:00Z'))).toBe(2700)
  })

  it('skips the closures', () => {
    const closed = businessCalendar({
      time_zone: 'UTC',
      holidays: 'none',
      closures: ['2025-06-06'],
      working_hours: { start: '09:00', end: '18:00' },
    })
    // Thursday 5 June 17:00 to Monday 9 June 10:00 UTC; Friday 6 June closed: 60 + 60.
    expect(businessMinutes(closed, at('2025-06-05T17:00:00Z'), at('2025-06-09T10:00:00Z'))).toBe(120)
  })
})

describe('oneBusinessDayLater', () => {
  it('Friday 17:00 → Monday 17:00 (60 minutes on Friday, 480 on Monday)', () => {
    expect(oneBusinessDayLater(paris, at('2025-11-07T16:00:00Z'))).toBe(at('2025-11-10T16:00:00Z'))
  })

  it('Monday 12:00 before a holiday → Wednesday 12:00 (360 on Monday, 180 on Wednesday)', () => {
    expect(oneBusinessDayLater(paris, at('2025-11-10T11:00:00Z'))).toBe(at('2025-11-12T11:00:00Z'))
  })

  it('asked on a holiday (Tuesday 11 November 10:00) → Wednesday 18:00, one full day', () => {
    expect(oneBusinessDayLater(paris, at('2025-11-11T09:00:00Z'))).toBe(at('2025-11-12T17:00:00Z'))
  })

  it('asked before the hours starts the count at the start of the hours', () => {
    // Wednesday 12 November 07:00 CET → the day's hours, 09:00 to 18:00.
    expect(oneBusinessDayLater(paris, at('2025-11-12T06:00:00Z'))).toBe(at('2025-11-12T17:00:00Z'))
  })

  it('in Asia/Kolkata: Friday 16:00 IST → Monday 16:00 IST', () => {
    const kolkata = businessCalendar({
      time_zone: 'Asia/Kolkata',
      holidays: 'none',
      closures: [],
      working_hours: { start: '09:00', end: '18:00' },
    })
    // Friday 7 March 2025 16:00 IST = 10:30Z: 120 minutes on Friday, 420 on Monday from 09:00.
    expect(oneBusinessDayLater(kolkata, at('2025-03-07T10:30:00Z'))).toBe(at('2025-03-10T10:30:00Z'))
    // Friday 16:00 IST to Monday 10:00 IST (04:30Z): 120 + 60.
    expect(businessMinutes(kolkata, at('2025-03-07T10:30:00Z'), at('2025-03-10T04:30:00Z'))).toBe(180)
  })

  it('with short hours, 08:30–12:00 (210 minutes): Thursday 11:00 → Friday 11:00', () => {
    const mornings = businessCalendar({
      time_zone: 'UTC',
      holidays: 'none',
      closures: [],
      working_hours: { start: '08:30', end: '12:00' },
    })
    // 60 minutes on Thursday 5 June 2025, then 150 from Friday 08:30.
    expect(oneBusinessDayLater(mornings, at('2025-06-05T11:00:00Z'))).toBe(at('2025-06-06T11:00:00Z'))
  })

  it('never comes when no day is a working day', () => {
    const days: string[] = []
    for (let d = Date.parse('2025-06-01'); d < Date.parse('2036-01-01'); d += 86_400_000)
      days.push(new Date(d).toISOString().slice(0, 10))
    const closed = businessCalendar({
      time_zone: 'UTC',
      holidays: 'none',
      closures: days,
      working_hours: { start: '09:00', end: '18:00' },
    })
    expect(oneBusinessDayLater(closed, at('2025-06-05T11:00:00Z'))).toBe(Number.POSITIVE_INFINITY)
  })
})
