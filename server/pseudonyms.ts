// Pseudonyms for per-person lists: HMAC-SHA256 of the person id under a key kept outside the
// event store (IMPLICATION_PSEUDONYM_KEY, or a key generated once under DATA_DIR).
import { createHmac, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

export function resolvePseudonymKey(configured: string | undefined, dataDir: string): string {
  if (configured) return configured
  const file = path.resolve(dataDir, 'pseudonym-key')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dataDir, { recursive: true })
  const key = randomBytes(32).toString('base64url')
  writeFileSync(file, `${key}\n`, { mode: 0o600 })
  return key
}

/** A stable, non-reversible label for a person of an org: `p-` and 16 hex digits. */
export function pseudonymiser(key: string): (org: string, actor: string) => string {
  return (org, actor) =>
    `p-${createHmac('sha256', key).update(`${org}\u0000${actor}`).digest('hex').slice(0, 16)}`
}
