// Pseudonymisation at ingest (org setting `pseudonymise_ids`): every person id an event or a
// roster row carries is replaced, before it reaches Kafka or the store, by HMAC-SHA256 under a
// per-org key. The per-org key is HMAC(master, "org:" + org); the master key lives outside the
// event store (IMPLICATION_PSEUDONYM_KEY, or a key file under DATA_DIR). Roster ids go through
// the same function, so events and roster still join.
//
// Where it must be called: every path that writes events or roster rows with ids as the
// platform sent them — the HTTP routes (done here), the importers, and the simulator's
// direct-to-store path. Call `pseudonymiseEvents` / `pseudonymiseRoster` just before the write.
import { createHmac } from 'node:crypto'
import type { ClickHouseClient } from '@clickhouse/client'
import type { StoredEvent } from '../schemas/event.ts'
import type { RosterPerson } from '../schemas/roster.ts'

/** The person-id fields of EVENTS.md: events (actor, target) and roster rows (id, manager). */
export const eventPersonFields = ['actor', 'target'] as const satisfies readonly (keyof StoredEvent)[]
export const rosterPersonFields = ['id', 'manager'] as const satisfies readonly (keyof RosterPerson)[]

/** The key of one org, derived from the master key: knowing it reveals nothing of other orgs. */
export function orgPseudonymKey(masterKey: string, org: string): Buffer {
  return createHmac('sha256', masterKey).update(`org:${org}`).digest()
}

/** The pseudonym of a person id: `ps_` and 32 hex digits (128 bits of HMAC-SHA256). Empty stays empty. */
export function pseudonymOf(orgKey: Buffer, id: string): string {
  if (id === '') return id
  return `ps_${createHmac('sha256', orgKey).update(id).digest('hex').slice(0, 32)}`
}

/** The one function that rewrites person ids: a copy of `record` with `fields` pseudonymised. */
export function pseudonymiseRecord<T extends object>(
  record: T,
  fields: readonly (keyof T)[],
  orgKey: Buffer,
): T {
  const copy = { ...record }
  for (const field of fields) {
    const value = copy[field]
    if (typeof value === 'string') (copy as Record<keyof T, unknown>)[field] = pseudonymOf(orgKey, value)
  }
  return copy
}

/** Which orgs pseudonymise, read from org_settings (cached briefly: ingest is hot). */
export class IngestPseudonymiser {
  private readonly cache = new Map<string, { on: boolean; at: number }>()
  private readonly keys = new Map<string, Buffer>()

  constructor(
    private readonly client: ClickHouseClient,
    private readonly masterKey: string,
    private readonly cacheMs = 1_000,
  ) {}

  keyOf(org: string): Buffer {
    let key = this.keys.get(org)
    if (!key) {
      key = orgPseudonymKey(this.masterKey, org)
      this.keys.set(org, key)
    }
    return key
  }

  /** The pseudonym a raw id of an org gets (whether or not the org pseudonymises). */
  personId(org: string, id: string): string {
    return pseudonymOf(this.keyOf(org), id)
  }

  /** Forget the cached setting of an org (called when its settings change). */
  forget(org: string): void {
    this.cache.delete(org)
  }

  async enabled(org: string): Promise<boolean> {
    const hit = this.cache.get(org)
    if (hit && Date.now() - hit.at < this.cacheMs) return hit.on
    const result = await this.client.query({
      query: `SELECT JSONExtractBool(settings, 'pseudonymise_ids') AS on FROM org_settings
              WHERE org = {org:String} ORDER BY version DESC LIMIT 1`,
      query_params: { org },
      format: 'JSONEachRow',
    })
    const [row] = await result.json<{ on: boolean | number }>()
    const on = Boolean(row?.on)
    this.cache.set(org, { on, at: Date.now() })
    return on
  }
}

/** Events with the person ids of pseudonymising orgs replaced; the others as they are. */
export async function pseudonymiseEvents(
  pseudonymiser: IngestPseudonymiser | undefined,
  events: readonly StoredEvent[],
): Promise<readonly StoredEvent[]> {
  if (!pseudonymiser || events.length === 0) return events
  const orgs = [...new Set(events.map((e) => e.org))]
  const on = new Set<string>()
  for (const org of orgs) if (await pseudonymiser.enabled(org)) on.add(org)
  if (on.size === 0) return events
  return events.map((e) =>
    on.has(e.org) ? pseudonymiseRecord(e, eventPersonFields, pseudonymiser.keyOf(e.org)) : e,
  )
}

/** Roster rows with their person ids replaced when the org pseudonymises. */
export async function pseudonymiseRoster(
  pseudonymiser: IngestPseudonymiser | undefined,
  org: string,
  people: readonly RosterPerson[],
): Promise<readonly RosterPerson[]> {
  if (!pseudonymiser || !(await pseudonymiser.enabled(org))) return people
  const key = pseudonymiser.keyOf(org)
  return people.map((p) => pseudonymiseRecord(p, rosterPersonFields, key))
}
