// Per-org settings (schema: schemas/api/settings.ts), stored in ClickHouse (org_settings), one
// version per change, the highest current.
import type { ClickHouseClient } from '@clickhouse/client'
import { type OrgSettings, orgSettingsSchema } from '../schemas/api/settings.ts'
import { toClickHouseTime } from '../schemas/event.ts'

export const defaultSettings: OrgSettings = orgSettingsSchema.parse({})

export class SettingsStore {
  constructor(private readonly client: ClickHouseClient) {}

  async get(org: string): Promise<OrgSettings> {
    const result = await this.client.query({
      query: `SELECT settings FROM org_settings WHERE org = {org:String} ORDER BY version DESC LIMIT 1`,
      query_params: { org },
      format: 'JSONEachRow',
    })
    const [row] = await result.json<{ settings: string }>()
    // Stored settings are re-read through the schema so that fields added later get defaults.
    return row ? orgSettingsSchema.parse(JSON.parse(row.settings)) : defaultSettings
  }

  async put(org: string, settings: OrgSettings, now = new Date()): Promise<void> {
    await this.client.insert({
      table: 'org_settings',
      format: 'JSONEachRow',
      values: [
        {
          org,
          settings: JSON.stringify(settings),
          updated_at: toClickHouseTime(now.getTime()),
          version: now.getTime(),
        },
      ],
    })
  }
}
