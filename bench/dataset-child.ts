// Child process entry (bench/prepared.ts spawns it) on a metric benchmark dataset's store:
//   --action migrate   pending migrations, and the backfill of new or changed rollups, with progress
//   --action prepare   the copy of the UTC org in another zone (--zone-org, --zone), the baseline
//                      table (bench/org-copy.ts), the department filter, then the baseline query
//                      timed like the endpoints (--warm-up, then --runs)
// Progress on stderr; one RESULT line on stdout.
import { parseArgs } from 'node:util'
import { runQuery } from '../analytics/run.ts'
import { type Config, parseConfig } from '../schemas/config.ts'
import { createStore } from '../server/clickhouse.ts'
import { withQueryLimits } from '../server/hardening.ts'
import { migrate } from '../server/migrate.ts'
import { ProgressBar } from '../terminal/progress.ts'
import { benchQuerySeconds } from './metric-latency.ts'
import {
  baselineTable,
  copyOrgEvents,
  copyRoster,
  ensureBaselineTable,
  setZone,
  typicalDepartment,
  waitForMerges,
} from './org-copy.ts'
import { type Prepared, resultPrefix } from './prepared.ts'
import { percentile } from './stats.ts'

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    action: { type: 'string' },
    org: { type: 'string' },
    'zone-org': { type: 'string' },
    zone: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    runs: { type: 'string', default: '20' },
    'warm-up': { type: 'string', default: '2' },
  },
})
const log = (line: string) => process.stderr.write(`${line}\n`)

/** The baseline: every distinct person over the range, read from the bare table, nothing else. */
const inRange = `org = {org:String} AND time >= toDateTime64({from:String}, 3, 'UTC') AND time < toDateTime64({to:String}, 3, 'UTC')`
export const baselineSql = `SELECT uniqExact(actor) AS people FROM ${baselineTable} WHERE ${inRange}`

async function migrateAction(client: Parameters<typeof migrate>[0]): Promise<string> {
  const bars = new Map<string, ProgressBar>()
  const report = await migrate(client, {
    onBackfill: (table, p) => {
      let bar = bars.get(table)
      if (!bar) {
        bar = new ProgressBar(`backfill ${table}`, process.stderr)
        bars.set(table, bar)
      }
      bar.update({ done: p.done, total: p.total, events: p.done, date: '', unit: 'months' })
    },
  })
  for (const bar of bars.values()) bar.finish()
  const parts = [
    report.applied.length > 0 ? `applied ${report.applied.join(', ')}` : 'migrations up to date',
    ...(report.rollupsCreated.length > 0
      ? [`rollups made and backfilled: ${report.rollupsCreated.join(', ')}`]
      : []),
  ]
  return parts.join('; ')
}

async function prepareAction(client: Parameters<typeof migrate>[0], config: Config): Promise<Prepared> {
  const org = values.org ?? ''
  const from = values.from ?? ''
  const to = values.to ?? ''
  const runs = Number(values.runs)
  const warmUp = Number(values['warm-up'])
  if (!org || !/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to))
    throw new Error('prepare needs --org, --from YYYY-MM-DD and --to YYYY-MM-DD')
  const [counted] = await runQuery<{ n: number }>(
    client,
    'SELECT count() AS n FROM events WHERE org = {org:String}',
    { org },
  )
  const events = counted?.n ?? 0
  let zoneOrg: Prepared['zoneOrg'] = null
  if (values['zone-org'] && values.zone) {
    const target = values['zone-org']
    const zone = values.zone
    const copy = await copyOrgEvents(client, org, target, zone, log)
    const people = await copyRoster(client, org, target)
    if (people > 0) log(`copied the roster of ${org} into ${target}: ${people.toLocaleString('en')} rows`)
    const wrote = await setZone(client, org, target, zone)
    if (wrote.length > 0) log(`${target}: wrote ${wrote.join(' and ')}`)
    zoneOrg = { org: target, zone, events: copy.events, copied: copy.copied, wrote }
  }
  await ensureBaselineTable(client, org, log)
  const department = await typicalDepartment(client, org)
  const mergesSettled = await waitForMerges(client, log)

  // Under the same engine limits as the servers' reader queries (server/app.ts).
  const reader = withQueryLimits(client, {
    maxExecutionSeconds: benchQuerySeconds,
    maxMemoryBytes: config.QUERY_MAX_MEMORY_BYTES,
  })
  const params = { org, from, to }
  const [inTable] = await runQuery<{ rows: number }>(
    client,
    `SELECT count() AS rows FROM ${baselineTable} WHERE ${inRange}`,
    params,
  )
  const times: number[] = []
  const answer = { people: 0, rows: Number(inTable?.rows ?? 0) }
  for (let i = 0; i < warmUp + runs; i++) {
    const t0 = performance.now()
    const [row] = await runQuery<{ people: number }>(reader, baselineSql, params)
    const ms = performance.now() - t0
    if (i >= warmUp) times.push(ms)
    answer.people = Number(row?.people ?? 0)
  }
  log(
    `baseline (${baselineTable}, ${answer.rows.toLocaleString('en')} rows in the range): p50 ${Math.round(percentile(times, 50))} ms, p95 ${Math.round(percentile(times, 95))} ms`,
  )
  return {
    events,
    zoneOrg,
    department,
    baseline: {
      // As run, the bound values written in.
      sql: baselineSql
        .replace('{org:String}', `'${org}'`)
        .replace('{from:String}', `'${from}'`)
        .replace('{to:String}', `'${to}'`),
      table: baselineTable,
      rows: answer.rows,
      people: answer.people,
      p50_ms: percentile(times, 50),
      p95_ms: percentile(times, 95),
      runs: times.length,
    },
    mergesSettled,
  }
}

async function main(): Promise<void> {
  if (!values['data-dir']) throw new Error('--data-dir is required')
  // The environment the servers under test get too (their query limits), on this dataset.
  const config = parseConfig({ ...process.env, DATA_DIR: values['data-dir'], LOG_LEVEL: 'silent' })
  const store = await createStore(config)
  try {
    let result: unknown
    if (values.action === 'migrate') result = await migrateAction(store.client)
    else if (values.action === 'prepare') result = await prepareAction(store.client, config)
    else throw new Error(`--action: migrate or prepare, not "${values.action}"`)
    process.stdout.write(`${resultPrefix}${JSON.stringify(result)}\n`)
  } finally {
    await store.close()
  }
}

main().catch((err: unknown) => {
  log(`dataset child: ${(err as Error).stack ?? String(err)}`)
  process.exitCode = 1
})
