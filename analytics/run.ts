// Run: one query with bound parameters, rows back as typed objects.
import type { ClickHouseClient } from '@clickhouse/client'

export async function runQuery<T>(
  client: ClickHouseClient,
  query: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const result = await client.query({
    query,
    query_params: params,
    format: 'JSONEachRow',
    // 64-bit integers come back as numbers: counts here never approach 2^53.
    clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
  })
  return result.json<T>()
}

export async function hasRoster(client: ClickHouseClient, org: string): Promise<boolean> {
  const rows = await runQuery<{ n: number }>(
    client,
    'SELECT count() AS n FROM roster WHERE org = {org:String}',
    { org },
  )
  return (rows[0]?.n ?? 0) > 0
}
