// Which index should let the writer drop an event already stored, before its insert:
// `npx tsx bench/key-index.ts [--keys 10000000] [--lookups 5000] [--runs 5]`.
// In a fresh embedded store, stores `--keys` event identities (org, source, id) twice: in a
// table shaped like `events` (ReplacingMergeTree ordered by (org, source, id)) and in an
// EmbeddedRocksDB key–value table keyed by the identity. Then, per run, it looks up one writer
// batch of `--lookups` identities (about 5/6 stored, 1/6 new, drawn at random) each way, and times
// the key insert that would follow the batch (the sorted table then gets the same rows, untimed).
// It prints the median and worst of each reading, each lookup's ratio to the fastest, and checks
// that the lookups agree on how many identities are stored.
import { parseArgs } from 'node:util'
import type { ClickHouseClient } from '@clickhouse/client'
import { parseConfig } from '../schemas/config.ts'
import { createStore } from '../server/clickhouse.ts'
import { makeTempDir, removeTempDir } from './children.ts'
import { median } from './stats.ts'

/** The identity of key number `n`, as SQL over `number` (the same in both tables). */
const sourceSql = "if(number % 3 = 0, 'slack', 'wiki')"
const idSql = "concat('ev-', toString(cityHash64(number)))"

interface Reading {
  label: string
  ms: number[]
  found: number[]
}

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now()
  const value = await f()
  return { ms: performance.now() - started, value }
}

async function countOf(
  client: ClickHouseClient,
  query: string,
  params: Record<string, unknown>,
): Promise<number> {
  const result = await client.query({ query, query_params: params, format: 'JSONEachRow' })
  const [row] = await result.json<{ n: string | number }>()
  return Number(row?.n ?? 0)
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      keys: { type: 'string', default: '10000000' },
      lookups: { type: 'string', default: '5000' },
      runs: { type: 'string', default: '5' },
    },
  })
  const keys = Number(values.keys)
  const lookups = Number(values.lookups)
  const runs = Number(values.runs)
  if (!Number.isInteger(keys) || keys < 10_000) throw new Error('--keys: a whole number ≥ 10000')
  if (!Number.isInteger(lookups) || lookups < 1) throw new Error('--lookups: a positive whole number')
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs: a positive whole number')
  const dir = makeTempDir('implication-key-index-')
  const store = await createStore(parseConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }))
  const client = store.client
  try {
    await client.command({
      query: `CREATE TABLE ids (org LowCardinality(String), source LowCardinality(String), id String)
              ENGINE = ReplacingMergeTree ORDER BY (org, source, id)`,
    })
    await client.command({
      query: 'CREATE TABLE id_index (k String, v UInt8) ENGINE = EmbeddedRocksDB PRIMARY KEY k',
    })
    const fillSorted = await timed(() =>
      client.command({
        query: `INSERT INTO ids SELECT 'acme', ${sourceSql}, ${idSql} FROM numbers(${keys})`,
      }),
    )
    const fillIndex = await timed(() =>
      client.command({
        query: `INSERT INTO id_index SELECT concat('acme', char(0), ${sourceSql}, char(0), ${idSql}), 1 FROM numbers(${keys})`,
      }),
    )
    process.stderr.write(
      `stored ${keys.toLocaleString('en')} identities: sorted table ${Math.round(fillSorted.ms)} ms, key–value index ${Math.round(fillIndex.ms)} ms\n`,
    )

    const lookupReadings: Reading[] = [
      { label: 'sorted table, (source, id) IN batch', ms: [], found: [] },
      { label: 'sorted table, id IN batch', ms: [], found: [] },
      { label: 'EmbeddedRocksDB, key IN batch', ms: [], found: [] },
    ]
    const insertReading: Reading = { label: 'EmbeddedRocksDB, insert the batch keys', ms: [], found: [] }
    for (let run = 0; run < runs; run++) {
      // Numbers up to 1.2 × keys: about a sixth of the batch is new.
      const numbers = Array.from({ length: lookups }, () => Math.floor(Math.random() * keys * 1.2))
      const batch = await client.query({
        query: `SELECT groupArray(${sourceSql}) AS sources, groupArray(${idSql}) AS ids
                FROM (SELECT arrayJoin({n:Array(UInt64)}) AS number)`,
        query_params: { n: numbers },
        format: 'JSONEachRow',
      })
      const [{ sources, ids } = { sources: [], ids: [] }] = await batch.json<{
        sources: string[]
        ids: string[]
      }>()
      const composite = ids.map((id, i) => `acme\u0000${sources[i]}\u0000${id}`)
      const batchPairs = 'SELECT arrayJoin(arrayZip({s:Array(String)}, {i:Array(String)})) AS x'
      const lookupQueries: [string, Record<string, unknown>][] = [
        [
          `SELECT uniqExact(source, id) AS n FROM ids WHERE org = 'acme' AND (source, id) IN (SELECT x.1, x.2 FROM (${batchPairs}))`,
          { s: sources, i: ids },
        ],
        [
          `SELECT uniqExact(source, id) AS n FROM ids WHERE org = 'acme' AND id IN {i:Array(String)}`,
          { i: ids },
        ],
        ['SELECT count() AS n FROM id_index WHERE k IN {k:Array(String)}', { k: composite }],
      ]
      for (const [i, [query, params]] of lookupQueries.entries()) {
        const { ms, value } = await timed(() => countOf(client, query, params))
        lookupReadings[i]!.ms.push(ms)
        lookupReadings[i]!.found.push(value)
      }
      const found = lookupReadings.map((r) => r.found.at(-1))
      if (new Set(found).size > 1)
        throw new Error(`the lookups disagree on run ${run + 1}: ${found.join(', ')} stored`)
      const recorded = await timed(() =>
        client.command({
          query: 'INSERT INTO id_index SELECT arrayJoin({k:Array(String)}), 1',
          query_params: { k: composite },
        }),
      )
      insertReading.ms.push(recorded.ms)
      // The sorted table gets the same identities (untimed), so both hold the same next run.
      await client.command({
        query: `INSERT INTO ids SELECT 'acme', x.1, x.2 FROM (${batchPairs})`,
        query_params: { s: sources, i: ids },
      })
    }
    const best = Math.min(...lookupReadings.map((r) => median(r.ms)))
    console.log(
      `\n${lookups.toLocaleString('en')} identities per batch among ${keys.toLocaleString('en')} stored, ${runs} runs (${Math.round(median(lookupReadings[0]!.found))} of them stored, median)`,
    )
    console.log(`${'reading'.padEnd(42)} ${'median'.padStart(9)} ${'worst'.padStart(9)}  ratio`)
    const line = (r: Reading, ratio: string) =>
      `${r.label.padEnd(42)} ${`${Math.round(median(r.ms))} ms`.padStart(9)} ${`${Math.round(Math.max(...r.ms))} ms`.padStart(9)}  ${ratio}`
    for (const r of lookupReadings) console.log(line(r, `${(median(r.ms) / best).toFixed(2)} × fastest`))
    console.log(line(insertReading, ''))
  } finally {
    await store.close()
    removeTempDir(dir)
  }
}

await main()
