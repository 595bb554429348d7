// Retention (org setting `retention_months`, default 25): each event row carries its org's
// retention in `retention_months` and the events table has TTL time + retention_months
// (migration 005), so ClickHouse drops old events in its merges. A TTL cannot look another
// table up, so the column is stamped here: when an org's retention changes, and by an hourly
// sweep for rows that arrived since with the default. A new event is recent by nature, so the
// hour it may carry the default changes nothing unless it is a backfill older than the
// retention, which the next sweep stamps and the next merge drops.
import type { ClickHouseClient } from '@clickhouse/client'

export const defaultRetentionMonths = 25

/** Stamps the org's retention on its events (an asynchronous mutation unless `sync`). */
export async function applyRetention(
  client: ClickHouseClient,
  org: string,
  months: number,
  sync = false,
): Promise<void> {
  await client.command({
    query: `ALTER TABLE events UPDATE retention_months = {months:UInt16}
            WHERE org = {org:String} AND retention_months != {months:UInt16}`,
    query_params: { org, months },
    clickhouse_settings: sync ? { mutations_sync: '2' } : {},
  })
}

/** Every org whose current retention is not the default, with it. */
export async function customRetentions(client: ClickHouseClient): Promise<{ org: string; months: number }[]> {
  const result = await client.query({
    query: `SELECT org, months FROM (
              SELECT org, JSONExtractUInt(argMax(settings, version), 'retention_months') AS months
              FROM org_settings GROUP BY org
            ) WHERE months != 0 AND months != {def:UInt16}`,
    query_params: { def: defaultRetentionMonths },
    format: 'JSONEachRow',
  })
  return (await result.json<{ org: string; months: number }>()).map((r) => ({
    ...r,
    months: Number(r.months),
  }))
}

/** One sweep: stamps every org with a custom retention; answers how many orgs it touched. */
export async function sweepRetention(client: ClickHouseClient, sync = false): Promise<number> {
  const orgs = await customRetentions(client)
  for (const { org, months } of orgs) await applyRetention(client, org, months, sync)
  return orgs.length
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
