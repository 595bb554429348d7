// Applies the numbered DDL migrations once each, recording them in schema_migrations, then makes
// the rollups those of their definitions (analytics/rollup-definitions.ts): a new or changed
// rollup is created with its view and backfilled from the events.
import type { ClickHouseClient } from '@clickhouse/client'
import { syncRollups } from '../analytics/rollup-definitions.ts'
import { rebuildRollups } from '../analytics/rollup-rebuild.ts'
import { toClickHouseTime } from '../schemas/event.ts'
import { loadMigrations } from '../schemas/migrations.ts'

export interface MigrationReport {
  applied: string[]
  alreadyApplied: number
  /** Rollups created (or re-created) from their definitions and backfilled. */
  rollupsCreated: string[]
}

export interface MigrateOptions {
  /** Told of each rollup backfilled, month by month (the server logs it; it can take minutes). */
  onBackfill?: (table: string, progress: { done: number; total: number }) => void
}

export async function migrate(
  client: ClickHouseClient,
  options: MigrateOptions = {},
): Promise<MigrationReport> {
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS schema_migrations
      (version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC'))
      ENGINE = ReplacingMergeTree ORDER BY version`,
  })
  const done = await client.query({
    query: 'SELECT version FROM schema_migrations FINAL',
    format: 'JSONEachRow',
  })
  const appliedVersions = new Set((await done.json<{ version: number }>()).map((r) => Number(r.version)))
  const report: MigrationReport = { applied: [], alreadyApplied: 0, rollupsCreated: [] }
  for (const migration of loadMigrations()) {
    if (appliedVersions.has(migration.version)) {
      report.alreadyApplied++
      continue
    }
    // Every statement is idempotent (IF NOT EXISTS), so two processes racing here do no harm.
    for (const statement of migration.statements) await client.command({ query: statement })
    await client.insert({
      table: 'schema_migrations',
      format: 'JSONEachRow',
      values: [
        {
          version: migration.version,
          name: migration.name,
          checksum: migration.checksum,
          applied_at: toClickHouseTime(Date.now()),
        },
      ],
    })
    report.applied.push(migration.name)
  }
  const rollups = await syncRollups(client, async (table) => {
    await rebuildRollups(client, {
      tables: [table],
      onProgress: (p) => options.onBackfill?.(table, { done: p.done, total: p.total }),
    })
  })
  report.rollupsCreated = rollups.created
  return report
}
