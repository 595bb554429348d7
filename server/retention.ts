// Retention (org setting `retention_months`, default 25): each event row carries its org's
// retention in `retention_months` and the events table has a TTL of time + retention_months
// (migration 005), so ClickHouse drops old events in its merges. A TTL cannot look another
// table up, so rows arrive unstamped (0, never expiring) and are stamped here: by an hourly
// sweep, one mutation for every org, and when an org's retention changes (its stamped rows).
// A new event is recent by nature, so the hour it may wait changes nothing unless it is a
// backfill older than the retention, which the next sweep stamps and the next merge drops.
// The rollups have no TTL: the same sweep deletes their rows older than the retention.
import type { ClickHouseClient } from '@clickhouse/client'
import { rollupDefinitions } from '../analytics/rollup-definitions.ts'

/** The tables stamped with a retention and dropped by TTL: the events and their social copy (009). */
export const retainedTables = ['events', 'rollup_social_events'] as const

export const defaultRetentionMonths = 25

/**
 * The rollups, which carry no TTL: the sweep deletes an org's rows of the days (or UTC months)
 * that lie wholly before its retention, so that no per-person row outlives the events it was
 * made from, and rollup answers stay those of the events that are left. A month that straddles
 * the limit is kept until it has wholly passed: at most one month longer than the events.
 */
export const prunedRollups = rollupDefinitions.flatMap((d) =>
  d.period === 'ttl' ? [] : [{ table: d.table, period: d.period }],
)

/**
 * The writer's keys of events older than the retention (ingest/event-writer.ts) go too: such an
 * event, were it re-sent, would be stored and then dropped by the TTL. The key starts with the org.
 */
const keyOrg = 'substring(key, 1, position(key, char(0)) - 1)'

/** The current retention of every org that set one (settings are JSON in org_settings). */
export async function orgRetentions(client: ClickHouseClient): Promise<{ org: string; months: number }[]> {
  const result = await client.query({
    query: `SELECT org, months FROM (
              SELECT org, JSONExtractUInt(argMax(settings, version), 'retention_months') AS months
              FROM org_settings GROUP BY org
            ) WHERE months != 0`,
    format: 'JSONEachRow',
  })
  return (await result.json<{ org: string; months: number }>()).map((r) => ({
    ...r,
    months: Number(r.months),
  }))
}

/**
 * Stamps every event whose stamp is not its org's retention (unstamped rows first of all), in one
 * mutation. `sync` waits until it is done (tests, the CLI); answers the orgs with a setting.
 */
export async function sweepRetention(client: ClickHouseClient, sync = false): Promise<number> {
  const orgs = await orgRetentions(client)
  const months = `transform(toString(org), {orgs:Array(String)}, {months:Array(UInt16)}, toUInt16({def:UInt16}))`
  for (const table of retainedTables) {
    await client.command({
      query: `ALTER TABLE ${table} UPDATE retention_months = ${months} WHERE retention_months != ${months}`,
      query_params: {
        orgs: orgs.map((o) => o.org),
        months: orgs.map((o) => o.months),
        def: defaultRetentionMonths,
      },
      clickhouse_settings: sync ? { mutations_sync: '2' } : {},
    })
  }
  await pruneRollups(client, orgs, sync)
  return orgs.length
}

/** Deletes the rollup rows of periods wholly older than their org's retention (see prunedRollups). */
async function pruneRollups(
  client: ClickHouseClient,
  orgs: readonly { org: string; months: number }[],
  sync: boolean,
): Promise<void> {
  const limit = `toDate(addMonths(now('UTC'), -toInt32(transform(toString(org), {orgs:Array(String)}, {months:Array(UInt16)}, toUInt16({def:UInt16})))), 'UTC')`
  const params = {
    orgs: orgs.map((o) => o.org),
    months: orgs.map((o) => o.months),
    def: defaultRetentionMonths,
  }
  const pruned = [
    ...prunedRollups.map(({ table, period }) => ({
      table,
      old: period === 'day' ? `day < ${limit}` : `addMonths(month, 1) <= ${limit}`,
    })),
    { table: 'event_keys', old: `toDate(time, 'UTC') < ${limit.replaceAll('toString(org)', keyOrg)}` },
  ]
  for (const { table, old } of pruned) {
    // A mutation only when there is something to delete: the hourly sweep stays a cheap read.
    const found = await client.query({
      query: `SELECT count() AS n FROM ${table} WHERE ${old}`,
      query_params: params,
      format: 'JSONEachRow',
    })
    const [row] = await found.json<{ n: string }>()
    if (Number(row?.n ?? 0) === 0) continue
    await client.command({
      query: `ALTER TABLE ${table} DELETE WHERE ${old}`,
      query_params: params,
      clickhouse_settings: sync ? { mutations_sync: '2' } : {},
    })
  }
}

/**
 * An org's retention changed: restamps its already stamped events (the sweep does the rest) and
 * deletes the rollup rows older than the new retention.
 */
export async function applyRetention(
  client: ClickHouseClient,
  org: string,
  months: number,
  sync = false,
): Promise<void> {
  for (const table of retainedTables) {
    await client.command({
      query: `ALTER TABLE ${table} UPDATE retention_months = {months:UInt16}
              WHERE org = {org:String} AND retention_months != 0 AND retention_months != {months:UInt16}`,
      query_params: { org, months },
      clickhouse_settings: sync ? { mutations_sync: '2' } : {},
    })
  }
  await pruneRollups(client, await orgRetentions(client), sync)
}

/** Runs the sweep every `everyMs` (default an hour); stop() ends it. Errors go to `onError`. */
export function startRetentionSweeps(
  client: ClickHouseClient,
  onError: (err: Error) => void,
  everyMs = 3_600_000,
): { stop(): void } {
  const timer = setInterval(() => {
    sweepRetention(client).catch(onError)
  }, everyMs)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
