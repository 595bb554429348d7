// Erasure of one person of an org (GDPR art. 17): table-driven. Every table that can hold a person
// id is listed once in `erasureRules`, with the column and what to do: delete the row, or blank
// the reference. A table added later with person ids must be registered here; the erasure test
// searches every String column of every table of the database, so a forgotten one fails it.
import { randomUUID } from 'node:crypto'
import type { ClickHouseClient } from '@clickhouse/client'
import { rollupDefinitions } from '../analytics/rollup-definitions.ts'
import { rollupFeedSql } from '../analytics/rollup-rebuild.ts'
import type { RollupTable } from '../analytics/rollups.ts'
import { withWritesHeld } from '../ingest/event-writer.ts'
import { unassignedOrg } from '../ingest/rejected-store.ts'

export interface ErasureRule {
  table: string
  column: string
  /** `delete` removes the row; `blank` sets the column to ''. */
  action: 'delete' | 'blank'
  /** `equals`: the column is the id; `token`: free text (raw input, reasons) naming the id. */
  match: 'equals' | 'token'
}

export const erasureRules: readonly ErasureRule[] = [
  { table: 'events', column: 'actor', action: 'delete', match: 'equals' },
  { table: 'events', column: 'target', action: 'blank', match: 'equals' },
  { table: 'roster', column: 'person_id', action: 'delete', match: 'equals' },
  { table: 'roster', column: 'manager', action: 'blank', match: 'equals' },
  { table: 'rejected_events', column: 'raw', action: 'delete', match: 'token' },
  { table: 'rejected_events', column: 'reason', action: 'delete', match: 'token' },
  // Every rollup with a person column (rollup-definitions.ts): its rows of the person are
  // deleted, a target (the social copy) is blanked as in the events.
  ...rollupDefinitions.flatMap((d) =>
    d.personColumns.map(
      (column): ErasureRule => ({
        table: d.table,
        column,
        action: column === 'target' ? 'blank' : 'delete',
        match: 'equals',
      }),
    ),
  ),
]

/**
 * Rollups with no person column that still count the person's events: `rollup_event_counts`
 * (counts per local day). The days of the person's events are recomputed from the events once
 * theirs are gone, so they no longer count them.
 */
const rebuiltRollups: readonly { table: RollupTable; column: string }[] = rollupDefinitions
  .filter((d) => d.personColumns.length === 0)
  .map((d) => ({ table: d.table, column: 'events' }))

/** Tables recomputed without the person rather than searched for them. */
export const erasureRebuiltTables = rebuiltRollups.map((r) => r.table)

// Tables that hold no person id and so are not searched: api_tokens, org_settings,
// schema_migrations, audit_log, rejected_dropped (counts of what the rejected store's cap
// deleted), rollup_definitions, org_calendar, event_writer_marks, and event_keys: the identity
// (org, source, id) of every stored event, kept after an erasure on purpose, so that a platform
// re-sending the erased person's old events cannot bring them back.

export interface ErasureReceipt {
  receipt_id: string
  org: string
  /** The forms of the id searched: as sent, and its pseudonym. */
  ids_searched: number
  erased_at: string
  /** `rebuild`: rows recomputed without the person (rows = days rebuilt). */
  tables: { table: string; column: string; action: 'delete' | 'blank' | 'rebuild'; rows: number }[]
  /** Rows deleted or blanked (days rebuilt are not rows of the person). */
  total_rows: number
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')
}

/** The WHERE clause of a rule, binding {org}, {id0}, {id1}…, and for `token` {re0}, {re1}…. */
function whereOf(rule: ErasureRule, idCount: number): string {
  const names = Array.from({ length: idCount }, (_, i) => i)
  const person =
    rule.match === 'equals'
      ? `${rule.column} IN (${names.map((i) => `{id${i}:String}`).join(', ')})`
      : `(${names.map((i) => `match(${rule.column}, {re${i}:String})`).join(' OR ')})`
  // Refusals the sender could not file under an org sit in _unassigned; they name the org in raw.
  const org =
    rule.table === 'rejected_events'
      ? `(org = {org:String} OR (org = {unassigned:String} AND position(raw, {org:String}) > 0))`
      : 'org = {org:String}'
  return `${org} AND ${person}`
}

/**
 * Erases a person of an org in every registered table and answers a receipt counting what was
 * removed or blanked. Mutations run with mutations_sync = 2: when the receipt is sent, the rows
 * are gone from the table's parts, not merely hidden.
 */
export async function erasePerson(
  client: ClickHouseClient,
  org: string,
  ids: readonly string[],
  now = new Date(),
): Promise<ErasureReceipt> {
  const forms = [...new Set(ids.filter((id) => id !== ''))]
  const params: Record<string, string> = { org, unassigned: unassignedOrg }
  forms.forEach((id, i) => {
    params[`id${i}`] = id
    // A whole token: not preceded or followed by a character that ids are made of.
    params[`re${i}`] = `(^|[^A-Za-z0-9_.@+-])${escapeRegex(id)}($|[^A-Za-z0-9_.@+-])`
  })
  const tables: ErasureReceipt['tables'] = []
  const activeDays = await client.query({
    query: `SELECT DISTINCT toString(day) AS day FROM events
            WHERE org = {org:String} AND actor IN (${forms.map((_, i) => `{id${i}:String}`).join(', ')})`,
    query_params: params,
    format: 'JSONEachRow',
  })
  const days = (await activeDays.json<{ day: string }>()).map((r) => r.day)
  for (const rule of erasureRules) {
    const where = whereOf(rule, forms.length)
    const counted = await client.query({
      query: `SELECT count() AS n FROM ${rule.table} WHERE ${where}`,
      query_params: params,
      format: 'JSONEachRow',
    })
    const rows = Number((await counted.json<{ n: string }>())[0]?.n ?? 0)
    if (rows > 0) {
      const mutation =
        rule.action === 'delete'
          ? `ALTER TABLE ${rule.table} DELETE WHERE ${where}`
          : `ALTER TABLE ${rule.table} UPDATE ${rule.column} = '' WHERE ${where}`
      await client.command({
        query: mutation,
        query_params: params,
        clickhouse_settings: { mutations_sync: '2' },
      })
    }
    tables.push({ table: rule.table, column: rule.column, action: rule.action, rows })
  }
  for (const { table, column } of rebuiltRollups) {
    if (days.length > 0) {
      const dayParams = { org, days }
      // The process's writes wait meanwhile: an event of those days stored between the delete and
      // the refill would be counted twice.
      await withWritesHeld(client, async () => {
        await client.command({
          query: `ALTER TABLE ${table} DELETE WHERE org = {org:String} AND day IN {days:Array(Date)}`,
          query_params: dayParams,
          clickhouse_settings: { mutations_sync: '2' },
        })
        await client.command({
          query: rollupFeedSql(table, `org = {org:String} AND day IN {days:Array(Date)}`),
          query_params: dayParams,
        })
      })
    }
    tables.push({ table, column, action: 'rebuild', rows: days.length })
  }
  return {
    receipt_id: randomUUID(),
    org,
    ids_searched: forms.length,
    erased_at: now.toISOString(),
    tables,
    total_rows: tables.reduce((sum, t) => sum + (t.action === 'rebuild' ? 0 : t.rows), 0),
  }
}
