// The ClickHouse DDL migrations: numbered SQL files next to this module, applied in order.

import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'

export interface Migration {
  version: number
  name: string
  statements: string[]
  checksum: string
}

const migrationsDir = new URL('./migrations/', import.meta.url)

/** Splits a SQL file into statements; comments are dropped, `;` ends a statement. */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

export function loadMigrations(): Migration[] {
  return readdirSync(migrationsDir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const statements = splitStatements(readFileSync(new URL(file, migrationsDir), 'utf8'))
      return {
        version: Number(file.slice(0, 3)),
        name: file.replace(/\.sql$/, ''),
        statements,
        // Of the statements only: a comment may be reworded without changing what was applied.
        checksum: createHash('sha256').update(statements.join(';\n')).digest('hex').slice(0, 16),
      }
    })
}
