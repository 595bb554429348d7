// The org's stored calendar (table org_calendar, migration 015): the zone its events' `day` and
// `minute` (and the rollups keyed on them) are cut in, and whether they are done being rebuilt
// into it. The rollups answer only when it is ready in the query's zone (tables.ts); a time-zone
// change (server/calendar-change.ts) records the new zone, restamps the events with the functions
// here, rebuilds the rollups and marks the calendar ready.
import type { ClickHouseClient } from '@clickhouse/client'
import { timeZoneNames } from '../schemas/api/settings.ts'
import type { OrgCalendar } from './context.ts'
import { runQuery } from './run.ts'

/** No row in org_calendar: the events were stamped in UTC by default (migration 015). */
export const defaultCalendar: OrgCalendar = { zone: 'UTC', ready: true }

export async function readCalendar(client: ClickHouseClient, org: string): Promise<OrgCalendar> {
  const [row] = await runQuery<{ zone: string; ready: number }>(
    client,
    `SELECT argMax(zone, version) AS zone, argMax(ready, version) AS ready
     FROM org_calendar WHERE org = {org:String} GROUP BY org`,
    { org },
  )
  return row ? { zone: row.zone, ready: Number(row.ready) === 1 } : { ...defaultCalendar }
}

/** Every org with a row in org_calendar, and its current calendar. */
export async function readCalendars(client: ClickHouseClient): Promise<Map<string, OrgCalendar>> {
  const rows = await runQuery<{ org: string; zone: string; ready: number }>(
    client,
    `SELECT org, argMax(zone, version) AS zone, argMax(ready, version) AS ready
     FROM org_calendar GROUP BY org`,
    {},
  )
  return new Map(rows.map((r) => [r.org, { zone: r.zone, ready: Number(r.ready) === 1 }]))
}

let lastVersion = 0

/**
 * Records the org's calendar. The version is the clock in microseconds, above every version
 * stored for the org (another process's clock may be ahead) and strictly increasing in this
 * process, so the latest write wins.
 */
export async function recordCalendar(
  client: ClickHouseClient,
  org: string,
  zone: string,
  ready: boolean,
): Promise<void> {
  const [stored] = await runQuery<{ version: number }>(
    client,
    'SELECT max(version) AS version FROM org_calendar WHERE org = {org:String}',
    { org },
  )
  lastVersion = Math.max(Date.now() * 1000, Number(stored?.version ?? 0) + 1, lastVersion + 1)
  await client.command({
    query: `INSERT INTO org_calendar (org, zone, ready, version)
            VALUES ({org:String}, {zone:String}, {ready:UInt8}, {version:UInt64})`,
    query_params: { org, zone, ready: ready ? 1 : 0, version: lastVersion },
  })
}

const knownZones: ReadonlySet<string> = new Set(timeZoneNames)

/**
 * The zone as a SQL string literal. ClickHouse takes a time zone only as a constant, so it cannot
 * be a bound parameter: only the IANA names of the settings schema are let through, and those
 * hold nothing but letters, digits, `_`, `+`, `-` and `/`.
 */
export function zoneLiteral(zone: string): string {
  if (!knownZones.has(zone) || !/^[A-Za-z0-9_+\-/]+$/.test(zone)) {
    throw new Error(`"${zone}" is not an IANA time zone name (e.g. Europe/Paris)`)
  }
  return `'${zone}'`
}

/** The events of `{org}` whose stored day or minute is not their time's in the zone. */
function mismatchIn(zone: string): string {
  const z = zoneLiteral(zone)
  return `org = {org:String}
    AND (day != toDate(time, ${z}) OR minute != toUInt16(toHour(time, ${z}) * 60 + toMinute(time, ${z})))`
}

/** Sets every event's day and minute to those of its time in `zone`; waits until it is done. */
export async function restampEvents(client: ClickHouseClient, org: string, zone: string): Promise<void> {
  const z = zoneLiteral(zone)
  await client.command({
    query: `ALTER TABLE events
            UPDATE day = toDate(time, ${z}), minute = toUInt16(toHour(time, ${z}) * 60 + toMinute(time, ${z}))
            WHERE ${mismatchIn(zone)}`,
    query_params: { org },
    clickhouse_settings: { mutations_sync: '2' },
  })
}

/** How many of the org's stored event rows have a day or minute other than their time's in `zone`. */
export async function mismatchedEvents(client: ClickHouseClient, org: string, zone: string): Promise<number> {
  const [row] = await runQuery<{ n: number }>(
    client,
    `SELECT count() AS n FROM events WHERE ${mismatchIn(zone)}`,
    { org },
  )
  return Number(row?.n ?? 0)
}
