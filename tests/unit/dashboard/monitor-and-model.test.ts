import { describe, expect, it } from 'vitest'
import type { IngestStatus, OrgSettings } from '../../../dashboard/src/lib/api/types.ts'
import { bassShare, bassShareAt, periodIndexOf, periodsAfter } from '../../../dashboard/src/lib/bass.ts'
import { IngestMonitor, ratesOf } from '../../../dashboard/src/lib/state/ingest-monitor.svelte.ts'
import { SettingsDraft, validateSettings } from '../../../dashboard/src/lib/state/settings-form.svelte.ts'

describe('events per minute', () => {
  it('is the growth of the stored count over the time between two readings', () => {
    expect(
      ratesOf([
        { at: 0, stored: 100, rejected: 0 },
        { at: 30_000, stored: 400, rejected: 2 },
        { at: 90_000, stored: 400, rejected: 2 },
        { at: 120_000, stored: 10, rejected: 0 },
      ]),
    ).toEqual([
      { at: 30_000, perMinute: 600, rejectedPerMinute: 4 },
      { at: 90_000, perMinute: 0, rejectedPerMinute: 0 },
      { at: 120_000, perMinute: 0, rejectedPerMinute: 0 },
    ])
  })

  it('polls the status, keeps a bounded history and keeps the last good reading on a failure', async () => {
    let stored = 0
    let clock = 0
    let fail = false
    const monitor = new IngestMonitor(
      async (): Promise<IngestStatus> => {
        if (fail) throw new Error('down')
        stored += 60
        return {
          stored_events: stored,
          rejected_events: 0,
          rejected_dropped: 0,
          rejected_cap: { rows: 100_000, bytes: 256 * 1024 * 1024 },
          last_event_time: null,
          last_received_at: null,
          calendar: { zone: 'UTC', ready: true },
        }
      },
      () => (clock += 60_000),
      3,
    )
    for (let i = 0; i < 4; i++) await monitor.poll()
    expect(monitor.samples.map((s) => s.stored)).toEqual([120, 180, 240])
    expect(monitor.rates.map((r) => r.perMinute)).toEqual([60, 60])
    fail = true
    await monitor.poll()
    expect(monitor.error?.message).toBe('down')
    expect(monitor.status?.stored_events).toBe(240)
  })
})

describe('Bass model drawing', () => {
  const fit = { p: 0.01, q: 0.3, m: 0.8, start: '2025-01-06' }

  it('follows m·F(t): 0 at the start, towards m later', () => {
    expect(bassShare(fit, 0)).toBe(0)
    expect(bassShare(fit, 400)).toBeCloseTo(0.8, 6)
    const t = 10
    const e = Math.exp(-(0.31 * t))
    expect(bassShare(fit, t)).toBeCloseTo((0.8 * (1 - e)) / (1 + 30 * e), 12)
    expect(bassShareAt(fit, '2025-03-17')).toBeCloseTo(bassShare(fit, 10)!, 12)
    expect(bassShare({ ...fit, p: null }, 3)).toBeNull()
    expect(bassShareAt({ ...fit, start: null }, '2025-03-17')).toBeNull()
  })

  it('extends the periods to a forecast day and finds the period of a day', () => {
    expect(periodsAfter('2025-01-27', 'week', '2025-02-12', 10)).toEqual(['2025-02-03', '2025-02-10'])
    expect(periodsAfter('2025-01-01', 'month', '2026-01-01', 3)).toEqual([
      '2025-02-01',
      '2025-03-01',
      '2025-04-01',
    ])
    expect(periodIndexOf(['2025-01-06', '2025-01-13', '2025-01-20'], '2025-01-15')).toBe(1)
    expect(periodIndexOf(['2025-01-06'], '2024-12-31')).toBe(-1)
  })
})

describe('settings draft', () => {
  const settings: OrgSettings = {
    time_zone: 'Europe/Paris',
    holidays: 'FR',
    closures: [],
    working_hours: { start: '09:00', end: '18:00' },
    launched_at: null,
    min_group_size: 5,
    named_lists_for_community_managers: false,
    pseudonymise_ids: false,
    retention_months: 25,
    roi: {
      hourly_cost: 45,
      currency: 'EUR',
      minutes_saved: { react: 0.5, contribute: 3, create: 10 },
      minutes_per_email: 2,
      baseline_emails_per_week: null,
      licence_per_seat_month: 6,
      community_management_month: 4000,
    },
    index_weights: { adoption: 1, depth: 1, stickiness: 1, reach: 1, responsiveness: 1 },
  }

  it('names the fields that cannot be sent', () => {
    expect(validateSettings(settings)).toEqual([])
    const bad = structuredClone(settings)
    bad.min_group_size = 2
    bad.roi.currency = 'eu'
    bad.roi.hourly_cost = -1
    bad.index_weights = { adoption: 0, depth: 0, stickiness: 0, reach: 0, responsiveness: 0 }
    expect(validateSettings(bad).map((p) => p.field)).toEqual([
      'roi.hourly_cost',
      'index_weights',
      'roi.currency',
      'min_group_size',
    ])
  })

  it('sends a plain copy and keeps the server’s refusal', async () => {
    const draft = new SettingsDraft()
    draft.load(settings)
    draft.value!.roi.hourly_cost = 50
    let sent: OrgSettings | undefined
    expect(await draft.save(async (s) => (sent = s))).toBe(true)
    expect(sent?.roi.hourly_cost).toBe(50)
    expect(settings.roi.hourly_cost).toBe(45)
    expect(draft.saved).toBe(true)
    const refused = await draft.save(async () => {
      throw Object.assign(new Error('body.time_zone: not an IANA time zone'), { field: 'time_zone' })
    })
    expect(refused).toBe(false)
    expect(draft.serverError).toEqual({
      message: 'body.time_zone: not an IANA time zone',
      field: 'time_zone',
    })
  })
})
