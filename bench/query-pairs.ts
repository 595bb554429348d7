// The queries ported to the rollups, timed one at a time: `npx tsx bench/query-pairs.ts
// [--dataset 1m] [--runs 7]`. Each query runs on the rollups and on the raw scan in turn, after a
// warm-up round, with nothing else sent meanwhile; prints the medians, their ratio and whether the
// two answers are identical. Opens the cached dataset in this process (no server may hold it).
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { readCalendar } from '../analytics/calendar.ts'
import type { MetricContext, MetricSource } from '../analytics/metric.ts'
import { dailyActivesSql } from '../analytics/metrics/active-users.ts'
import { interactionsSql } from '../analytics/metrics/collaboration.ts'
import { communityCountsSql } from '../analytics/metrics/communities.ts'
import { emailsSql } from '../analytics/metrics/email.ts'
import { featureEventsSql } from '../analytics/metrics/features.ts'
import { lifecycleSql } from '../analytics/metrics/lifecycle.ts'
import { retentionSql } from '../analytics/metrics/retention.ts'
import { monthlyActionsSql } from '../analytics/metrics/roi-return.ts'
import { rangeActivitySql } from '../analytics/metrics/summary.ts'
import { previousPeriod } from '../analytics/period-arithmetic.ts'
import { addDays, periodsOf, resolveQuery } from '../analytics/query.ts'
import { questionOutcomesSql } from '../analytics/questions.ts'
import { runQuery } from '../analytics/run.ts'
import { SettingsStore } from '../analytics/settings.ts'
import { baseParams } from '../analytics/sql.ts'
import { platformFeatures } from '../schemas/api/catalogue.ts'
import { metricQuerySchema } from '../schemas/api/query.ts'
import { parseConfig } from '../schemas/config.ts'
import { createStore } from '../server/clickhouse.ts'
import { benchOrg, datasetSpecs, ensureDataset } from './datasets.ts'
import { defaultQuery } from './metric-latency.ts'

const queries: Record<string, (ctx: MetricContext) => string> = {
  'features: events per feature': featureEventsSql,
  'email: emails per period': emailsSql,
  'roi: monthly actions': monthlyActionsSql,
  'summary: range activity': rangeActivitySql,
  'summary: community counts': communityCountsSql,
  'active-users: DAU/WAU/MAU': dailyActivesSql,
  lifecycle: lifecycleSql,
  retention: (ctx) => retentionSql('roster', ctx, 'week'),
  'collaboration: interactions': interactionsSql,
  'questions and first replies': questionOutcomesSql,
}

const { values } = parseArgs({
  options: { dataset: { type: 'string', default: '1m' }, runs: { type: 'string', default: '7' } },
})
const spec = datasetSpecs.find((d) => d.name === values.dataset)
if (!spec) throw new Error(`--dataset: one of ${datasetSpecs.map((d) => d.name).join(', ')}`)
const runs = Number(values.runs)
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs: a positive whole number')
const dataset = await ensureDataset(spec, (l) => process.stderr.write(`${l}\n`))
const store = await createStore(parseConfig({ DATA_DIR: dataset.dir, LOG_LEVEL: 'silent' }))
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
try {
  const settings = await new SettingsStore(store.client).get(benchOrg)
  const params = metricQuerySchema.parse(Object.fromEntries(new URLSearchParams(defaultQuery(dataset))))
  const now = new Date(`${spec.end}T00:00:00Z`)
  const calendar = await readCalendar(store.client, benchOrg)
  const contextOf = (source: MetricSource): MetricContext => ({
    client: store.client,
    query: resolveQuery(benchOrg, params, settings.time_zone, now),
    settings,
    now,
    personLabel: (a) => a,
    source,
    calendar,
  })
  const { query } = contextOf('raw')
  const start = periodsOf(query.range, query.interval)[0]!.period
  const bound = {
    ...baseParams(query),
    features: platformFeatures,
    last: addDays(query.range.to, -1),
    recent_from: addDays(query.range.to, -28),
    start,
    previous: previousPeriod(start, query.interval),
  }
  console.log(`dataset ${spec.name}, ${runs} runs each, load average before: ${loadAverage()}`)
  for (const [name, build] of Object.entries(queries)) {
    const times: Record<MetricSource, number[]> = { rollup: [], raw: [] }
    const answers: Record<MetricSource, string> = { rollup: '', raw: '' }
    for (let round = 0; round <= runs; round++) {
      for (const source of ['rollup', 'raw'] as const) {
        const t0 = performance.now()
        const rows = await runQuery<object>(store.client, build(contextOf(source)), bound)
        if (round > 0) times[source].push(performance.now() - t0)
        answers[source] = JSON.stringify(rows.map((r) => JSON.stringify(r)).sort()) // order aside
      }
    }
    const rollup = median(times.rollup)
    const raw = median(times.raw)
    console.log(
      `${name.padEnd(30)} rollup p50 ${rollup.toFixed(0).padStart(5)} ms   raw p50 ${raw.toFixed(0).padStart(5)} ms   raw/rollup ${(raw / rollup).toFixed(2)}×   same answer: ${answers.rollup === answers.raw}`,
    )
  }
  console.log(`load average after: ${loadAverage()}`)
} finally {
  await store.close()
}
