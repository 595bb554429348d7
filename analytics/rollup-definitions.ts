// Each rollup defined once: its table and the one SELECT that feeds it from the events. The
// materialized view, the backfill of a new or changed rollup and `implication rollups rebuild`
// are all made from that SELECT (`feedSql`), so they cannot drift apart.
//
// Since the writer stores each event once (ingest/event-writer.ts), a rollup may hold plain sums:
// the view sees every event exactly once. Days are the org's local days: the `day` column the
// writer stamps in the zone of the org's calendar (migration 015, analytics/tables.ts decides
// when a rollup may answer). Person-id columns are named here for the erasure (server/erasure.ts)
// and each rollup's period for the retention (server/retention.ts).
import { createHash } from 'node:crypto'
import type { ClickHouseClient } from '@clickhouse/client'

export interface RollupDefinition {
  table: string
  /** The columns and engine, after `CREATE TABLE IF NOT EXISTS <table>`. */
  shape: string
  /**
   * The SELECT from `events` (columns in the table's order) restricted to `where`; the view uses
   * `where` = `1`. Its aggregates must give the same table whether the events arrive in one block
   * or many (max, min, OR, sums of a stored-once event), since views see blocks.
   */
  feed(where: string, from?: string): string
  /** Which column keys the retention's pruning: a day, or the first day of a month. */
  period: 'day' | 'month' | 'ttl'
  /** Columns holding a person id: an erasure deletes their rows. None: it recomputes the days. */
  personColumns: readonly string[]
  /** Keyed on the local `day` (or its month): a change of the org's time zone rebuilds it. */
  calendar: boolean
  /**
   * The columns its rows keep of the events that the query filters select on: `actor` (the
   * department and site filters select people), `feature`, `space`.
   */
  keeps: readonly ('actor' | 'feature' | 'space')[]
}

const level = (min: number) => `CAST(level, 'Int8') >= ${min}`

/** Which events `rollup_social_events` holds. */
export const socialEventPredicate = "target != '' OR parent != '' OR type = 'question.asked'"

export const rollupDefinitions = [
  {
    // Per (org, local day, actor): the highest level reached that day and the first / first
    // engaged (react or above, NULL when none) / last event times.
    table: 'rollup_actor_day',
    shape: `(
      org            LowCardinality(String),
      day            Date,
      actor          String,
      max_level      SimpleAggregateFunction(max, Int8),
      first_time     SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
      first_engaged  SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
      last_time      SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
    )
    ENGINE = AggregatingMergeTree
    PARTITION BY toYYYYMM(day)
    ORDER BY (org, day, actor)`,
    feed: (where: string, from = 'events') => `SELECT org, day, actor,
        max(CAST(level, 'Int8')) AS max_level, min(time) AS first_time,
        minIfOrNull(time, ${level(2)}) AS first_engaged, max(time) AS last_time
      FROM ${from} WHERE ${where} GROUP BY org, day, actor`,
    period: 'day',
    personColumns: ['actor'],
    calendar: true,
    keeps: ['actor'],
  },
  {
    // Per (org, local month, actor, feature, space): first and first engaged times (adoption,
    // the actor-based workforce). Time-valued, so exact in any zone.
    table: 'rollup_actor_firsts',
    shape: `(
      org            LowCardinality(String),
      month          Date,
      actor          String,
      feature        LowCardinality(String),
      space          String,
      first_time     SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
      first_engaged  SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC')))
    )
    ENGINE = AggregatingMergeTree
    ORDER BY (org, actor, feature, space, month)`,
    feed: (
      where: string,
      from = 'events',
    ) => `SELECT org, toStartOfMonth(day) AS month, actor, feature, space,
        min(time) AS first_time, minIfOrNull(time, ${level(2)}) AS first_engaged
      FROM ${from} WHERE ${where} GROUP BY org, month, actor, feature, space`,
    period: 'month',
    personColumns: ['actor'],
    calendar: true,
    keeps: ['actor', 'feature', 'space'],
  },
  {
    // Per (org, local day, type, feature, level, space, count): how many events. The sum of the
    // events' `count` field over a group is sum(events * count). No person id: an erasure
    // recomputes the person's days from the events left.
    table: 'rollup_event_counts',
    shape: `(
      org      LowCardinality(String),
      day      Date,
      type     LowCardinality(String),
      feature  LowCardinality(String),
      level    Enum8('none' = 0, 'view' = 1, 'react' = 2, 'contribute' = 3, 'create' = 4),
      space    String,
      count    UInt32,
      events   UInt64
    )
    ENGINE = SummingMergeTree(events)
    PARTITION BY toYYYYMM(day)
    ORDER BY (org, day, type, feature, level, space, count)`,
    feed: (
      where: string,
      from = 'events',
    ) => `SELECT org, day, type, feature, level, space, count, count() AS events
      FROM ${from} WHERE ${where} GROUP BY org, day, type, feature, level, space, count`,
    period: 'day',
    personColumns: [],
    calendar: true,
    keeps: ['feature', 'space'],
  },
  {
    // A copy of every event with a target or a parent and of every question: the social metrics
    // read it instead of the whole table. Same key and TTL as the events.
    table: 'rollup_social_events',
    shape: `(
      org              LowCardinality(String),
      source           LowCardinality(String),
      id               String,
      type             LowCardinality(String),
      feature          LowCardinality(String),
      level            Enum8('none' = 0, 'view' = 1, 'react' = 2, 'contribute' = 3, 'create' = 4),
      time             DateTime64(3, 'UTC'),
      actor            String,
      space            String,
      object           String,
      parent           String,
      target           String,
      count            UInt32,
      received_at      DateTime64(3, 'UTC'),
      retention_months UInt16 DEFAULT 0
    )
    ENGINE = ReplacingMergeTree(received_at)
    ORDER BY (org, source, id)
    TTL if(retention_months = 0, toDateTime('2106-01-01 00:00:00', 'UTC'), addMonths(toDateTime(time), retention_months))`,
    feed: (
      where: string,
      from = 'events',
    ) => `SELECT org, source, id, type, feature, level, time, actor, space, object,
        parent, target, count, received_at, retention_months
      FROM ${from} WHERE (${where}) AND (${socialEventPredicate})`,
    period: 'ttl',
    personColumns: ['actor', 'target'],
    calendar: false,
    keeps: ['actor', 'feature', 'space'],
  },
  {
    // Per (org, local month, space, actor): last active, last joined-or-created, last left.
    table: 'rollup_space_actor_month',
    shape: `(
      org          LowCardinality(String),
      month        Date,
      space        String,
      actor        String,
      last_active  SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
      last_in      SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
      last_left    SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
    )
    ENGINE = AggregatingMergeTree
    PARTITION BY toYear(month)
    ORDER BY (org, month, space, actor)`,
    feed: (where: string, from = 'events') => `SELECT org, toStartOfMonth(day) AS month, space, actor,
        maxIf(time, ${level(1)}) AS last_active,
        maxIf(time, type = 'group.joined' OR level = 'create') AS last_in,
        maxIf(time, type = 'group.left') AS last_left
      FROM ${from} WHERE (${where}) AND space != '' GROUP BY org, month, space, actor`,
    period: 'month',
    personColumns: ['actor'],
    calendar: true,
    keeps: ['actor', 'space'],
  },
  {
    // Per (org, local month, actor, feature): bit sets of the month's days (bit d-1 for day d)
    // with a view-or-above and with a react-or-above event.
    table: 'rollup_actor_feature_month',
    shape: `(
      org           LowCardinality(String),
      month         Date,
      actor         String,
      feature       LowCardinality(String),
      days          SimpleAggregateFunction(groupBitOr, UInt32),
      engaged_days  SimpleAggregateFunction(groupBitOr, UInt32)
    )
    ENGINE = AggregatingMergeTree
    PARTITION BY toYear(month)
    ORDER BY (org, month, feature, actor)`,
    feed: (where: string, from = 'events') => `SELECT org, toStartOfMonth(day) AS month, actor, feature,
        groupBitOr(bitShiftLeft(toUInt32(1), toDayOfMonth(day) - 1)) AS days,
        groupBitOrIf(bitShiftLeft(toUInt32(1), toDayOfMonth(day) - 1), ${level(2)}) AS engaged_days
      FROM ${from} WHERE (${where}) AND ${level(1)} GROUP BY org, month, actor, feature`,
    period: 'month',
    personColumns: ['actor'],
    calendar: true,
    keeps: ['actor', 'feature'],
  },
  {
    // Per (org, local month, actor): bit sets of the month's days (bit d-1 for day d) with a
    // view-or-above and with a react-or-above event. About 1/20 of the rows of rollup_actor_day
    // (a person active on 20 days of a month is one row, not 20): the active-people metrics over
    // long ranges read these.
    table: 'rollup_actor_month',
    shape: `(
      org           LowCardinality(String),
      month         Date,
      actor         String,
      days          SimpleAggregateFunction(groupBitOr, UInt32),
      engaged_days  SimpleAggregateFunction(groupBitOr, UInt32)
    )
    ENGINE = AggregatingMergeTree
    PARTITION BY toYear(month)
    ORDER BY (org, month, actor)`,
    feed: (where: string, from = 'events') => `SELECT org, toStartOfMonth(day) AS month, actor,
        groupBitOr(bitShiftLeft(toUInt32(1), toDayOfMonth(day) - 1)) AS days,
        groupBitOrIf(bitShiftLeft(toUInt32(1), toDayOfMonth(day) - 1), ${level(2)}) AS engaged_days
      FROM ${from} WHERE (${where}) AND ${level(1)} GROUP BY org, month, actor`,
    period: 'month',
    personColumns: ['actor'],
    calendar: true,
    keeps: ['actor'],
  },
] as const satisfies readonly RollupDefinition[]

export type RollupTable = (typeof rollupDefinitions)[number]['table']

/** The rollups a change of the org's calendar rebuilds. */
export const calendarRollups: readonly RollupTable[] = rollupDefinitions
  .filter((d) => d.calendar)
  .map((d) => d.table)

export function rollupDefinition(table: RollupTable): RollupDefinition {
  return rollupDefinitions.find((d) => d.table === table)!
}

/** The INSERT recomputing `table` from the events matching `where` (parameters bound by the caller). */
export function feedSql(table: RollupTable, where: string): string {
  return `INSERT INTO ${table} ${rollupDefinition(table).feed(where)}`
}

const viewOf = (table: string) => `${table}_mv`

/** What is recorded of a definition: a change of its table or its feed rebuilds it. */
function checksumOf(definition: RollupDefinition): string {
  return createHash('sha256')
    .update(`${definition.shape}\n${definition.feed('1')}`)
    .digest('hex')
    .slice(0, 16)
}

export interface RollupSyncReport {
  /** Rollups created or re-created, each then backfilled from every stored event. */
  created: string[]
}

/**
 * Makes the store's rollups those defined above (run by the migrations, after the SQL files): a
 * rollup missing or whose recorded checksum differs is dropped with its view, created again and
 * backfilled from the events (`backfill`, given the table). A rollup table made by an older SQL
 * migration with no record is taken as it is and recorded. Runs before the writers of the process
 * start, so the backfill and the view never both see an event.
 */
export async function syncRollups(
  client: ClickHouseClient,
  backfill: (table: RollupTable) => Promise<void>,
): Promise<RollupSyncReport> {
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS rollup_definitions
      (table String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = ReplacingMergeTree(applied_at) ORDER BY table`,
  })
  const recorded = new Map<string, string>()
  const records = await client.query({
    query: 'SELECT table, argMax(checksum, applied_at) AS checksum FROM rollup_definitions GROUP BY table',
    format: 'JSONEachRow',
  })
  for (const row of await records.json<{ table: string; checksum: string }>())
    recorded.set(row.table, row.checksum)
  const existing = await client.query({
    query: 'SELECT name FROM system.tables WHERE database = currentDatabase()',
    format: 'JSONEachRow',
  })
  const tables = new Set((await existing.json<{ name: string }>()).map((r) => r.name))

  const report: RollupSyncReport = { created: [] }
  for (const definition of rollupDefinitions) {
    const checksum = checksumOf(definition)
    const known = recorded.get(definition.table)
    const present = tables.has(definition.table) && tables.has(viewOf(definition.table))
    if (known === checksum && present) continue
    if (known === undefined && present) {
      await record(client, definition.table, checksum)
      continue
    }
    await client.command({ query: `DROP VIEW IF EXISTS ${viewOf(definition.table)}` })
    await client.command({ query: `DROP TABLE IF EXISTS ${definition.table}` })
    await client.command({ query: `CREATE TABLE ${definition.table} ${definition.shape}` })
    await client.command({
      query: `CREATE MATERIALIZED VIEW ${viewOf(definition.table)} TO ${definition.table} AS ${definition.feed('1')}`,
    })
    await backfill(definition.table)
    await record(client, definition.table, checksum)
    report.created.push(definition.table)
  }
  return report
}

async function record(client: ClickHouseClient, table: string, checksum: string): Promise<void> {
  await client.insert({
    table: 'rollup_definitions',
    format: 'JSONEachRow',
    values: [{ table, checksum }],
  })
}
