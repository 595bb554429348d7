// Where an import goes. Straight into the store: every write of the importers passes through
// `writeImported` (one place for whatever must happen to rows before they are stored, e.g.
// pseudonymisation), with the store functions the API itself uses. Or through the public API of
// a running server (`--to URL`): the API client, roster first, then NDJSON batches with 503/429
// retries.
import type { ClickHouseClient } from '@clickhouse/client'
import { ApiClient } from '../api-client/client.ts'
import { writeEvents } from '../ingest/event-writer.ts'
import { type IngestPseudonymiser, pseudonymiseEvents, pseudonymiseRoster } from '../ingest/pseudonymise.ts'
import { RejectedStore, type Rejection } from '../ingest/rejected-store.ts'
import { saveRosterSnapshot } from '../ingest/roster.ts'
import type { StoredEvent } from '../schemas/event.ts'
import type { RosterPerson } from '../schemas/roster.ts'

export interface ImportBatch {
  events?: readonly StoredEvent[]
  /** The matching wire events, NDJSON (the API path sends these). */
  lines?: readonly string[]
  roster?: readonly RosterPerson[]
  rejections?: readonly Rejection[]
}

export interface ImportTarget {
  readonly describe: string
  write(batch: ImportBatch): Promise<void>
  /** What the server answered, for the API path. */
  finish(): Promise<{ accepted?: number; rejected?: number }>
}

/**
 * The single door of the importers into the store. Person ids of an org that pseudonymises are
 * replaced here, as the API does before its sink (refused rows stay as sent, as with the API).
 */
export async function writeImported(
  client: ClickHouseClient,
  org: string,
  batch: ImportBatch,
  pseudonymiser?: IngestPseudonymiser,
): Promise<void> {
  if (batch.rejections && batch.rejections.length > 0) await new RejectedStore(client).keep(batch.rejections)
  if (batch.roster && batch.roster.length > 0) {
    await saveRosterSnapshot(client, org, [...(await pseudonymiseRoster(pseudonymiser, org, batch.roster))])
  }
  if (batch.events && batch.events.length > 0) {
    await writeEvents(client, await pseudonymiseEvents(pseudonymiser, batch.events), { writer: 'import' })
  }
}

export class StoreTarget implements ImportTarget {
  constructor(
    private readonly client: ClickHouseClient,
    private readonly org: string,
    readonly describe: string,
    private readonly pseudonymiser?: IngestPseudonymiser,
  ) {}

  write(batch: ImportBatch): Promise<void> {
    return writeImported(this.client, this.org, batch, this.pseudonymiser)
  }

  async finish(): Promise<{ accepted?: number; rejected?: number }> {
    return {}
  }
}

/**
 * Through `POST /v1/events` and `PUT /v1/orgs/:org/roster`. Refused rows stay with the command
 * (listed with their file and line): the API takes events, not the rows that failed to be one.
 */
export class ApiTarget implements ImportTarget {
  private readonly client: ApiClient
  readonly describe: string

  constructor(options: { url: string; token: string; org: string; gzip?: boolean }) {
    this.client = new ApiClient({
      url: options.url,
      token: options.token,
      org: options.org,
      gzip: options.gzip ?? true,
    })
    this.describe = this.client.destination
  }

  async write(batch: ImportBatch): Promise<void> {
    // The roster as a JSON array: the people are already judged, nothing needs quoting.
    if (batch.roster && batch.roster.length > 0)
      await this.client.putRoster(JSON.stringify(batch.roster), 'application/json')
    if (batch.lines && batch.lines.length > 0) await this.client.writeLines(batch.lines)
  }

  async finish(): Promise<{ accepted?: number; rejected?: number }> {
    const { accepted, rejected } = await this.client.finish()
    return { accepted, rejected }
  }
}
