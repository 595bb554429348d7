// The org's local calendar of an event, computed by the writer: the day and the minute of the day
// in the zone the org's stored calendar is in (table org_calendar, migration 015). ClickHouse
// takes a time zone only as a constant, so a materialized view cannot cut days per org; the
// writer does it in JS, from a cache of each zone's UTC offset per quarter hour (every offset in
// use since 1970 is a multiple of 15 minutes, and changes on a quarter hour of UTC).
import type { ClickHouseClient } from '@clickhouse/client'

const quarterMs = 15 * 60_000
const dayMs = 86_400_000

/** Minutes east of UTC of `zone` at the instant, from Intl (slow: cached per quarter hour below). */
function offsetMinutesAt(zone: string, ms: number): number {
  let format = formats.get(zone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
    formats.set(zone, format)
  }
  const parts: Record<string, number> = {}
  for (const p of format.formatToParts(new Date(ms)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value)
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!)
  return Math.round((local - Math.floor(ms / 60_000) * 60_000) / 60_000)
}
const formats = new Map<string, Intl.DateTimeFormat>()
const offsets = new Map<string, Map<number, number>>()

/** The day (YYYY-MM-DD) and minute of the day (0–1439) of the UTC instant `ms` in `zone`. */
export function localCalendar(zone: string, ms: number): { day: string; minute: number } {
  let offset = 0
  if (zone !== 'UTC') {
    let zoneOffsets = offsets.get(zone)
    if (!zoneOffsets) {
      zoneOffsets = new Map()
      offsets.set(zone, zoneOffsets)
    }
    const quarter = Math.floor(ms / quarterMs)
    let known = zoneOffsets.get(quarter)
    if (known === undefined) {
      known = offsetMinutesAt(zone, quarter * quarterMs)
      zoneOffsets.set(quarter, known)
    }
    offset = known
  }
  const local = ms + offset * 60_000
  const dayStart = Math.floor(local / dayMs) * dayMs
  return {
    day: new Date(dayStart).toISOString().slice(0, 10),
    minute: Math.floor((local - dayStart) / 60_000),
  }
}

/** How long a writer trusts the zones it read: a zone change waits this long before restamping. */
export const zoneCacheMs = 5_000

/**
 * The zone of each org's calendar, as the writers read it: `org_calendar` (no row: UTC), re-read
 * at most every `zoneCacheMs`, or at once after `invalidate()` (the settings route of the same
 * process calls it when a zone changes).
 */
export class OrgZones {
  private zones = new Map<string, string>()
  private readAt = Number.NEGATIVE_INFINITY
  private reading: Promise<void> | null = null

  constructor(private readonly client: ClickHouseClient) {}

  invalidate(): void {
    this.readAt = Number.NEGATIVE_INFINITY
  }

  /** A lookup of the orgs' zones, fresh within `zoneCacheMs`. */
  async current(): Promise<(org: string) => string> {
    if (Date.now() - this.readAt >= zoneCacheMs) {
      this.reading ??= this.read().finally(() => {
        this.reading = null
      })
      await this.reading
    }
    const zones = this.zones
    return (org) => zones.get(org) ?? 'UTC'
  }

  private async read(): Promise<void> {
    const startedAt = Date.now()
    const result = await this.client.query({
      query: 'SELECT org, argMax(zone, version) AS zone FROM org_calendar GROUP BY org',
      format: 'JSONEachRow',
    })
    const zones = new Map<string, string>()
    for (const row of await result.json<{ org: string; zone: string }>()) zones.set(row.org, row.zone)
    this.zones = zones
    this.readAt = startedAt
  }
}

const shared = new WeakMap<ClickHouseClient, OrgZones>()

/** The zones cache of a store, one per client in the process. */
export function orgZones(client: ClickHouseClient): OrgZones {
  let zones = shared.get(client)
  if (!zones) {
    zones = new OrgZones(client)
    shared.set(client, zones)
  }
  return zones
}
