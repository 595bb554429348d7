// `npx tsx bench/import.ts [--channels 20] [--days 365] [--per-day 15]`: the Slack importer on a
// generated workspace export (a zip built in memory): zip reading, parsing, judging, and writing
// into a fresh embedded store, each timed; then the same export again (everything already there).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { zipSync } from 'fflate'
import { readZip } from '../importers/files.ts'
import { runImport } from '../importers/run.ts'
import { parseSlackExport } from '../importers/slack.ts'
import { StoreTarget } from '../importers/write.ts'
import { createStore } from '../server/clickhouse.ts'
import { migrate } from '../server/migrate.ts'

const { values } = parseArgs({
  options: {
    channels: { type: 'string', default: '20' },
    days: { type: 'string', default: '365' },
    'per-day': { type: 'string', default: '15' },
  },
})
const channels = Number(values.channels)
const days = Number(values.days)
const perDay = Number(values['per-day'])
const people = 500

// A small deterministic generator (LCG), so two runs import the same export.
let seed = 42
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
  return seed / 2 ** 31
}
const user = () => `U${String(Math.floor(rand() * people)).padStart(5, '0')}`

const enc = new TextEncoder()
const entries: Record<string, Uint8Array> = {}
entries['users.json'] = enc.encode(
  JSON.stringify(
    Array.from({ length: people }, (_, i) => ({ id: `U${String(i).padStart(5, '0')}`, name: `u${i}` })),
  ),
)
const start = Date.UTC(2024, 0, 1) / 1000
entries['channels.json'] = enc.encode(
  JSON.stringify(
    Array.from({ length: channels }, (_, c) => ({
      id: `C${c}`,
      name: `ch-${c}`,
      created: start,
      creator: user(),
    })),
  ),
)
let messages = 0
for (let c = 0; c < channels; c++) {
  for (let d = 0; d < days; d++) {
    const list = []
    let lastTop = ''
    for (let i = 0; i < perDay; i++) {
      const ts = `${start + d * 86_400 + i * 300 + c}.000100`
      const reply = lastTop !== '' && rand() < 0.4
      list.push({
        type: 'message',
        user: user(),
        text: rand() < 0.2 ? `hello <@${user()}>` : 'hello',
        ts,
        ...(reply ? { thread_ts: lastTop } : {}),
        ...(rand() < 0.3 ? { reactions: [{ name: 'thumbsup', users: [user(), user()], count: 2 }] } : {}),
      })
      if (!reply) lastTop = ts
      messages++
    }
    const day = new Date((start + d * 86_400) * 1000).toISOString().slice(0, 10)
    entries[`ch-${c}/${day}.json`] = enc.encode(JSON.stringify(list, null, 4))
  }
}
const zip = zipSync(entries, { level: 1 })

const dataDir = mkdtempSync(path.join(tmpdir(), 'implication-bench-import-'))
const store = await createStore({ DATA_DIR: dataDir, CLICKHOUSE_URL: undefined })
try {
  await migrate(store.client)
  const t0 = performance.now()
  const files = readZip(zip)
  const t1 = performance.now()
  const parse = parseSlackExport(files, 'bench')
  const t2 = performance.now()
  const summary = await runImport(parse, {
    org: 'bench',
    target: new StoreTarget(store.client, 'bench', store.describe),
  })
  const t3 = performance.now()
  const again = await runImport(parseSlackExport(readZip(zip), 'bench'), {
    org: 'bench',
    target: new StoreTarget(store.client, 'bench', store.describe),
  })
  const t4 = performance.now()
  const counted = await (
    await store.client.query({
      query: "SELECT count() AS n FROM events FINAL WHERE org = 'bench'",
      format: 'JSONEachRow',
    })
  ).json<{ n: string }>()
  const report = {
    zip_bytes: zip.length,
    messages,
    events: summary.events,
    read_zip_ms: Math.round(t1 - t0),
    parse_ms: Math.round(t2 - t1),
    judge_and_write_ms: Math.round(t3 - t2),
    events_per_second_end_to_end: Math.round(summary.events / ((t3 - t0) / 1000)),
    second_import_ms: Math.round(t4 - t3),
    second_import_events: again.events,
    stored_after_two_imports: Number(counted[0]?.n),
  }
  console.log(JSON.stringify(report, null, 2))
} finally {
  await store.close()
  rmSync(dataDir, { recursive: true, force: true })
}
