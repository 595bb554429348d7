// Which insert format is cheapest, and what the block size and the writer cost:
// `npx tsx bench/insert-format.ts [--events 100000] [--repeats 3] [--blocks 5000,20000,100000]`.
// In a fresh embedded store (a temporary data directory migrated with the project's migrations,
// every materialized view attached), inserts the same benchmark events as the server stores them
// in each text format the client and chDB take, at each block size, and prints events/s (the
// encoding in JS included: it is part of what an insert costs) and the ratio to JSONEachRow. The
// formats are run in rounds, interleaved, so that a neighbour's load falls on all of them alike;
// the figure is the median of the rounds. The tables are emptied before each insert.
//
// Binary formats (RowBinary, Native, Arrow) are probed, not timed: the embedded connection turns
// an insert body into a UTF-8 string before handing it to the engine (chdb/connection `exec` and
// `insert`), and its raw insert takes text formats only, so bytes that are not UTF-8 do not arrive.
//
// Also timed per block size: the writer's own work per event (writeEvents minus the bare insert of
// the same events: the key lookup in event_keys, the mark, the recording of the keys).
import { performance } from 'node:perf_hooks'
import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import type { ClickHouseClient } from '@clickhouse/client'
import { rollupDefinitions } from '../analytics/rollup-definitions.ts'
import { encodeEventRows, eventColumns, insertEvents } from '../ingest/event-store.ts'
import { writeEvents } from '../ingest/event-writer.ts'
import { localCalendar } from '../ingest/org-calendar.ts'
import { parseConfig } from '../schemas/config.ts'
import { type StoredEvent, toClickHouseTime } from '../schemas/event.ts'
import { createStore } from '../server/clickhouse.ts'
import { migrate } from '../server/migrate.ts'
import { makeTempDir, removeTempDir } from './children.ts'
import { storedEvents } from './raw-insert.ts'
import { median } from './stats.ts'

const columns = [...eventColumns, 'inserted_at', 'day', 'minute'] as const
const columnList = columns.join(', ')

type Row = (string | number)[]

function rowOf(e: StoredEvent, insertedAt: string): Row {
  const { day, minute } = localCalendar('UTC', Date.parse(`${e.time.replace(' ', 'T')}Z`))
  return [
    e.org,
    e.source,
    e.id,
    e.type,
    e.feature,
    e.level,
    e.time,
    e.actor,
    e.space,
    e.object,
    e.parent,
    e.target,
    e.count,
    e.props,
    e.received_at,
    insertedAt,
    day,
    minute,
  ]
}

// TabSeparated escaping: backslash, tab, line feed, carriage return and NUL escaped.
const tsvSpecial = /[\\\t\n\r\0]/g
const tsvEscapes: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\0': '\\0',
}
const tsv = (v: string | number) =>
  typeof v === 'number' ? String(v) : v.replace(tsvSpecial, (c) => tsvEscapes[c]!)
const csv = (v: string | number) => (typeof v === 'number' ? String(v) : `"${v.replaceAll('"', '""')}"`)

/** A text format of one line per event, its cells written by `cell` and joined by `separator`. */
const delimited =
  (cell: (v: string | number) => string, separator: string) =>
  (events: readonly StoredEvent[], insertedAt: string): string => {
    let body = ''
    for (const e of events) body += `${rowOf(e, insertedAt).map(cell).join(separator)}\n`
    return body
  }

interface Format {
  name: string
  format: string
  encode(events: readonly StoredEvent[], insertedAt: string): string
  /** Embedded-only: chDB's raw insert (the Buffer handed to the engine, no SQL string built). */
  raw?: boolean
}

const formats: Format[] = [
  {
    name: 'JSONEachRow',
    format: 'JSONEachRow',
    encode(events, insertedAt) {
      let body = ''
      for (const e of events) {
        const r = rowOf(e, insertedAt)
        const o: Record<string, string | number> = {}
        for (let i = 0; i < columns.length; i++) o[columns[i]!] = r[i]!
        body += `${JSON.stringify(o)}\n`
      }
      return body
    },
  },
  {
    name: 'JSONCompactEachRow (today)',
    format: 'JSONCompactEachRow',
    encode: (events, insertedAt) => encodeEventRows(events, { insertedAt }),
  },
  { name: 'TabSeparated', format: 'TabSeparated', encode: delimited(tsv, '\t') },
  { name: 'CSV', format: 'CSV', encode: delimited(csv, ',') },
  {
    name: 'JSONCompactEachRow, chDB raw',
    format: 'JSONCompactEachRow',
    raw: true,
    encode: (events, insertedAt) => encodeEventRows(events, { insertedAt }),
  },
  {
    name: 'TabSeparated, chDB raw',
    format: 'TabSeparated',
    raw: true,
    encode(events, insertedAt) {
      let body = ''
      for (const e of events) body += `${rowOf(e, insertedAt).map(tsv).join('\t')}\n`
      return body
    },
  },
]

interface RawSession {
  insert(params: {
    table: string
    values: Buffer
    format: string
    columns: readonly string[]
    settings?: Record<string, string | number>
  }): Promise<unknown>
}

async function insertBody(client: ClickHouseClient, raw: RawSession, f: Format, body: string): Promise<void> {
  if (f.raw) {
    await raw.insert({
      table: 'events',
      values: Buffer.from(body),
      format: f.format,
      columns,
      settings: { insert_deduplication_token: '', insert_deduplicate: 1 },
    })
    return
  }
  const result = await client.exec({
    query: `INSERT INTO events (${columnList}) FORMAT ${f.format}`,
    values: Readable.from([body], { objectMode: false }),
    clickhouse_settings: { insert_deduplication_token: '', insert_deduplicate: 1 },
  })
  await finished(result.stream.resume())
}

const tables = ['events', ...rollupDefinitions.map((d) => d.table), 'event_keys']

async function emptyTables(client: ClickHouseClient): Promise<void> {
  for (const table of tables) await client.command({ query: `TRUNCATE TABLE ${table}` })
}

async function countEvents(client: ClickHouseClient): Promise<number> {
  const result = await client.query({ query: 'SELECT count() AS n FROM events', format: 'JSONEachRow' })
  const [row] = await result.json<{ n: string }>()
  return Number(row?.n ?? 0)
}

/** Whether a RowBinary body reaches the engine intact (a UInt32 of 200: one byte that is not UTF-8). */
async function probeBinary(client: ClickHouseClient): Promise<string> {
  await client.command({ query: 'CREATE TABLE IF NOT EXISTS bench_probe (x UInt32) ENGINE = Memory' })
  try {
    const body = Buffer.from([200, 0, 0, 0])
    const result = await client.exec({
      query: 'INSERT INTO bench_probe FORMAT RowBinary',
      values: Readable.from([body], { objectMode: false }),
    })
    await finished(result.stream.resume())
    const read = await client.query({ query: 'SELECT x FROM bench_probe', format: 'JSONCompactEachRow' })
    const got = (await read.json<[number]>()).map((r) => Number(r[0]))
    return got.length === 1 && got[0] === 200 ? 'intact' : `arrived as ${JSON.stringify(got)} (sent [200])`
  } catch (error) {
    return `refused: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 120)}`
  } finally {
    await client.command({ query: 'DROP TABLE IF EXISTS bench_probe' })
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '100000' },
      repeats: { type: 'string', default: '3' },
      blocks: { type: 'string', default: '5000,20000,100000' },
    },
  })
  const count = Number(values.events)
  const repeats = Number(values.repeats)
  const blocks = values.blocks.split(',').map(Number)
  if (!Number.isInteger(count) || count < 1000) throw new Error('--events: a whole number ≥ 1000')
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error('--repeats: a positive whole number')
  if (blocks.some((b) => !Number.isInteger(b) || b < 1)) throw new Error('--blocks: positive whole numbers')
  const dir = makeTempDir('implication-insert-format-')
  const store = await createStore(parseConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }))
  // A second session on the same directory, for chDB's raw insert (embedded only).
  const { createChdbConnection } = await import('chdb/connection')
  const connection = createChdbConnection({ path: `${dir}/clickhouse` })
  const raw = (connection as unknown as { chdb: { rawInsert: RawSession['insert'] } }).chdb
  const rawSession: RawSession = { insert: (p) => raw.rawInsert(p) }
  const progress = (line: string) => process.stderr.write(`\r\x1b[K${line}`)
  try {
    await migrate(store.client)
    const client = store.client
    const events = storedEvents({ org: 'fmt', count, idPrefix: 'f', seed: 5, nowMs: Date.now() }, new Date())
    const binary = await probeBinary(client)
    let stampMs = Date.UTC(2030, 0, 1)
    // Distinct per insert, so that no block is ever the copy of an earlier one (deduplication).
    const nextStamp = () => {
      stampMs += 1
      return toClickHouseTime(stampMs)
    }

    const rates = new Map<string, number[]>()
    const cpuUs = new Map<string, number[]>()
    const encodeUs = new Map<string, number[]>()
    const writerWallUs = new Map<string, number[]>()
    const writerCpuUs = new Map<string, number[]>()
    const push = (m: Map<string, number[]>, k: string, v: number) => m.set(k, [...(m.get(k) ?? []), v])
    const cpuNow = () => {
      const { user, system } = process.cpuUsage()
      return user + system
    }
    /** Encodes and inserts every event in blocks; wall ms, CPU µs of the process, encoding ms. */
    const pass = async (block: number, insert: (batch: StoredEvent[]) => Promise<number>) => {
      await emptyTables(client)
      let ms = 0
      let cpu = 0
      let enc = 0
      for (let at = 0; at < events.length; at += block) {
        const batch = events.slice(at, at + block)
        const started = performance.now()
        const cpu0 = cpuNow()
        enc += await insert(batch)
        cpu += cpuNow() - cpu0
        ms += performance.now() - started
      }
      return { ms, cpu, enc }
    }
    const totalSteps = (repeats + 1) * blocks.length * (formats.length + 1)
    let step = 0
    for (let round = 0; round <= repeats; round++) {
      const timed = round > 0 // round 0 warms up (JIT, the engine's first parts)
      for (const block of blocks) {
        // The order rotates from round to round: no format always follows the same one.
        const order = formats.map((_, i) => formats[(i + round) % formats.length]!)
        for (const f of order) {
          progress(
            `round ${round}/${repeats} ${block.toLocaleString('en')}-row blocks ${f.name} (${++step}/${totalSteps})`,
          )
          const { ms, cpu, enc } = await pass(block, async (batch) => {
            const started = performance.now()
            const body = f.encode(batch, nextStamp())
            const encoded = performance.now() - started
            await insertBody(client, rawSession, f, body)
            return encoded
          })
          const stored = await countEvents(client)
          if (stored !== events.length)
            throw new Error(`${f.name}: ${stored} of ${events.length} events stored`)
          if (timed) {
            push(rates, `${f.name}|${block}`, events.length / (ms / 1000))
            push(cpuUs, `${f.name}|${block}`, cpu / events.length)
            push(encodeUs, `${f.name}|${block}`, (enc * 1000) / events.length)
          }
        }
        // The writer: writeEvents against insertEvents alone, same events, same block size.
        progress(
          `round ${round}/${repeats} ${block.toLocaleString('en')}-row blocks writer (${++step}/${totalSteps})`,
        )
        const bare = await pass(block, async (batch) => {
          await insertEvents(client, batch, { insertedAt: nextStamp() })
          return 0
        })
        const written = await pass(block, async (batch) => {
          await writeEvents(client, batch, { writer: 'bench' })
          return 0
        })
        if (timed) {
          push(writerWallUs, String(block), ((written.ms - bare.ms) * 1000) / count)
          push(writerCpuUs, String(block), (written.cpu - bare.cpu) / count)
        }
      }
    }
    progress('')
    process.stderr.write('\n')

    const cell = (v: number, base: number, digits: number) =>
      `${v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }).padStart(9)}  ${(v / base).toFixed(2).padStart(5)} ×`.padStart(
        22,
      )
    const table = (title: string, unit: string, m: Map<string, number[]>, digits: number) => {
      console.log(`\n${title}`)
      console.log(
        `${'format'.padEnd(30)} ${blocks.map((b) => `${b.toLocaleString('en')} rows`.padStart(22)).join(' ')}`,
      )
      console.log(`${''.padEnd(30)} ${blocks.map(() => `${unit}  × JSONEachRow`.padStart(22)).join(' ')}`)
      for (const f of formats) {
        const cells = blocks.map((b) =>
          cell(median(m.get(`${f.name}|${b}`)!), median(m.get(`JSONEachRow|${b}`)!), digits),
        )
        console.log(`${f.name.padEnd(30)} ${cells.join(' ')}`)
      }
    }
    console.log(
      `${count.toLocaleString('en')} events into events with its ${rollupDefinitions.length} materialized views, median of ${repeats} rounds (embedded chDB)`,
    )
    console.log(`RowBinary body through client.exec: ${binary}`)
    table('insert rate, wall clock (encoding included)', 'events/s', rates, 0)
    table("CPU of the process per event (JS and the engine's threads), µs", 'µs', cpuUs, 1)
    table('of which encoding in JS, µs/event', 'µs', encodeUs, 2)
    console.log(`\nwriter's own work (writeEvents − insertEvents), µs/event`)
    for (const [name, m] of [
      ['wall clock', writerWallUs],
      ['CPU', writerCpuUs],
    ] as const) {
      console.log(
        `${name.padEnd(30)} ${blocks
          .map((b) =>
            median(m.get(String(b))!)
              .toFixed(1)
              .padStart(22),
          )
          .join(' ')}`,
      )
    }
  } finally {
    await connection.close()
    await store.close()
    removeTempDir(dir)
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
