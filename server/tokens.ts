// Bearer tokens: `imp_<id>_<secret>`. Only a SHA-256 of the secret is stored; the token itself is
// shown once, at creation. The admin token comes from IMPLICATION_ADMIN_TOKEN or is generated
// on first start and kept under DATA_DIR.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { ClickHouseClient } from '@clickhouse/client'
import { canAccessOrgs, type Principal, type Role, type TokenRequest } from '../schemas/auth.ts'
import { toClickHouseTime } from '../schemas/event.ts'

// A revocation is seen at once by the process that made it (it drops its cache entry) and within
// this delay by other API processes.
const cacheMs = 1_000

export interface TokenInfo {
  token_id: string
  role: Role
  orgs: string[]
  source: string
  label: string
  created_at: string
  revoked_at: string | null
}

interface TokenRow extends TokenInfo {
  secret_hash: string
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

function sameSecret(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

export class TokenStore {
  private readonly cache = new Map<string, { row: TokenRow | null; at: number }>()
  private readonly adminHash: Buffer

  constructor(
    private readonly client: ClickHouseClient,
    adminToken: string,
  ) {
    this.adminHash = sha256(adminToken)
  }

  async create(request: TokenRequest, now = new Date()): Promise<{ token: string; info: TokenInfo }> {
    const id = randomBytes(6).toString('hex')
    const secret = randomBytes(24).toString('base64url')
    const info: TokenInfo = {
      token_id: id,
      role: request.role,
      orgs: request.orgs,
      source: request.source,
      label: request.label,
      created_at: now.toISOString(),
      revoked_at: null,
    }
    await this.write({ ...info, secret_hash: sha256(secret).toString('hex') }, now.getTime())
    return { token: `imp_${id}_${secret}`, info }
  }

  /** Every token, or, given a caller, those whose orgs all lie inside the caller's. */
  async list(within?: Principal): Promise<TokenInfo[]> {
    const rows = await this.read('')
    return rows
      .filter((row) => !within || canAccessOrgs(within, row.orgs))
      .map(({ secret_hash: _s, ...info }) => info)
  }

  /**
   * Returns false when no such token exists, or, given a caller, when the token reaches an org
   * outside the caller's (to that caller it does not exist).
   */
  async revoke(tokenId: string, within?: Principal, now = new Date()): Promise<boolean> {
    const [row] = await this.read(tokenId)
    if (!row) return false
    if (within && !canAccessOrgs(within, row.orgs)) return false
    if (!row.revoked_at) await this.write({ ...row, revoked_at: now.toISOString() }, now.getTime())
    this.cache.delete(tokenId)
    return true
  }

  /** The principal a presented bearer token stands for, or null. */
  async authenticate(presented: string): Promise<Principal | null> {
    if (sameSecret(sha256(presented), this.adminHash)) {
      return { tokenId: 'admin', role: 'admin', orgs: '*', source: 'default' }
    }
    const match = /^imp_([0-9a-f]{12})_([A-Za-z0-9_-]{32})$/.exec(presented)
    if (!match) return null
    const [, id, secret] = match as unknown as [string, string, string]
    const row = await this.cached(id)
    if (!row || row.revoked_at) return null
    if (!sameSecret(sha256(secret), Buffer.from(row.secret_hash, 'hex'))) return null
    return { tokenId: id, role: row.role, orgs: row.orgs.includes('*') ? '*' : row.orgs, source: row.source }
  }

  private async cached(id: string): Promise<TokenRow | null> {
    const hit = this.cache.get(id)
    if (hit && Date.now() - hit.at < cacheMs) return hit.row
    const [row] = await this.read(id)
    this.cache.set(id, { row: row ?? null, at: Date.now() })
    return row ?? null
  }

  private async read(id: string): Promise<TokenRow[]> {
    const result = await this.client.query({
      query: `SELECT token_id, secret_hash, role, orgs, source, label, created_at, revoked_at
              FROM api_tokens FINAL
              WHERE {id:String} = '' OR token_id = {id:String}
              ORDER BY created_at`,
      query_params: { id },
      format: 'JSONEachRow',
    })
    const iso = (t: string | null) => (t ? `${t.replace(' ', 'T')}Z` : null)
    return (await result.json<TokenRow>()).map((r) => ({
      ...r,
      created_at: iso(r.created_at) ?? '',
      revoked_at: iso(r.revoked_at),
    }))
  }

  private async write(row: TokenRow, version: number): Promise<void> {
    await this.client.insert({
      table: 'api_tokens',
      format: 'JSONEachRow',
      values: [
        {
          ...row,
          created_at: toClickHouseTime(Date.parse(row.created_at)),
          revoked_at: row.revoked_at ? toClickHouseTime(Date.parse(row.revoked_at)) : null,
          version,
        },
      ],
    })
  }
}

export interface AdminToken {
  token: string
  /** True when this start made the token up: nothing is on disk until `keep()`. */
  generated: boolean
  /** DATA_DIR/admin-token, where a generated token is kept (null when configured). */
  file: string | null
  /**
   * Writes a generated token to its file (a no-op otherwise). Called once the server listens, so
   * that a start that fails (a port in use) leaves no token behind that nobody was shown.
   * Returns false when another process wrote a token there in the meantime (this one stays valid
   * for this process only).
   */
  keep(): boolean
}

/**
 * The admin token: the configured one, else the one kept by an earlier start, else a new one
 * (`generated: true`): the caller shows it, then keeps it (`keep()`) once the server is up.
 */
export function resolveAdminToken(configured: string | undefined, dataDir: string): AdminToken {
  if (configured) return { token: configured, generated: false, file: null, keep: () => true }
  const file = path.resolve(dataDir, 'admin-token')
  if (existsSync(file)) {
    return { token: readFileSync(file, 'utf8').trim(), generated: false, file, keep: () => true }
  }
  const token = `imp_admin_${randomBytes(24).toString('base64url')}`
  const keep = () => {
    mkdirSync(dataDir, { recursive: true })
    try {
      writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' })
      return true
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw err
    }
  }
  return { token, generated: true, file, keep }
}
