// Applies the numbered DDL migrations once each, recording them in schema_migrations.
import type { ClickHouseClient } from '@clickhouse/client'
import { toClickHouseTime } from '../schemas/event.ts'
import { loadMigrations } from '../schemas/migrations.ts'

export interface MigrationReport {
  applied: string[]
  alreadyApplied: number
}

export async function migrate(client: ClickHouseClient): Promise<MigrationReport> {
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
  const report: MigrationReport = { applied: [], alreadyApplied: 0 }
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
  return report
}
