// Which rows each query reads (no database needed): a rollup's stored rows when the decider
// (analytics/tables.ts) lets it answer, else the same rows computed from the events. Every query
// has one SQL; what changes is the table expression `rollupRows` puts in it.
import type { ClickHouseClient } from '@clickhouse/client'
import { describe, expect, it } from 'vitest'
import type { MetricContext, MetricSource } from '../../../analytics/metric.ts'
import { dailyActivesSql } from '../../../analytics/metrics/active-users.ts'
import { interactionsSql } from '../../../analytics/metrics/collaboration.ts'
import { communityCountsSql, spaceActivitySql } from '../../../analytics/metrics/communities.ts'
import { emailsSql } from '../../../analytics/metrics/email.ts'
import { featureEventsSql, featureUsageSql } from '../../../analytics/metrics/features.ts'
import { lifecycleSql } from '../../../analytics/metrics/lifecycle.ts'
import { retentionSql } from '../../../analytics/metrics/retention.ts'
import { monthlyActionsSql } from '../../../analytics/metrics/roi-return.ts'
import { rangeActivitySql } from '../../../analytics/metrics/summary.ts'
import { resolveQuery } from '../../../analytics/query.ts'
import { questionOutcomesSql } from '../../../analytics/questions.ts'
import { defaultSettings } from '../../../analytics/settings.ts'
import { metricQuerySchema } from '../../../schemas/api/query.ts'

function contextWith(
  params: Record<string, string>,
  timeZone = 'UTC',
  source: MetricSource = 'rollup',
  calendar = { zone: 'UTC', ready: true },
): MetricContext {
  return {
    client: {} as ClickHouseClient,
    query: resolveQuery(
      'acme',
      metricQuerySchema.parse({ from: '2025-03-03', to: '2025-04-07', ...params }),
      timeZone,
    ),
    settings: defaultSettings,
    now: new Date('2025-05-01T00:00:00Z'),
    personLabel: (actor) => actor,
    source,
    calendar,
  }
}

/** A Paris org whose stored calendar is ready in Paris. */
const paris = (params: Record<string, string> = {}) =>
  contextWith(params, 'Europe/Paris', 'rollup', { zone: 'Europe/Paris', ready: true })

/** The stored rows of `table` are read. */
const stored = (sql: string, table: string) => new RegExp(`FROM ${table}\\b`).test(sql)
/** Some rows are computed from the raw events. */
const computed = (sql: string) => /FROM events\b/.test(sql)

/** The cases in which no rollup may answer: the raw path, a calendar being rebuilt, another zone. */
const neverStored = (params: Record<string, string> = {}) => [
  contextWith(params, 'UTC', 'raw'),
  contextWith(params, 'UTC', 'rollup', { zone: 'UTC', ready: false }),
  contextWith(params, 'Europe/Paris', 'rollup', { zone: 'UTC', ready: true }),
]

const countQueries: Record<string, (ctx: MetricContext) => string> = {
  featureEventsSql,
  emailsSql,
  monthlyActionsSql,
  rangeActivitySql,
  communityCountsSql,
}

describe('the event-count rollup (keeps feature and space, no person)', () => {
  it.each(Object.entries(countQueries))("%s reads its stored rows in the org's own zone", (_, build) => {
    for (const ctx of [contextWith({}), paris()]) {
      const sql = build(ctx)
      expect(stored(sql, 'rollup_event_counts')).toBe(true)
      expect(computed(sql)).toBe(false)
    }
  })

  it.each(Object.entries(countQueries))('%s computes them from the events otherwise', (_, build) => {
    for (const ctx of [...neverStored(), contextWith({ department: 'Sales' }), paris({ site: 'Lyon' })]) {
      const sql = build(ctx)
      expect(stored(sql, 'rollup_event_counts')).toBe(false)
      expect(computed(sql)).toBe(true)
    }
  })

  it("serves a feature or space filter from the stored rows; an email breakdown reads the senders' events", () => {
    expect(
      stored(featureEventsSql(contextWith({ feature: 'wiki', space: 's1' })), 'rollup_event_counts'),
    ).toBe(true)
    const byDepartment = emailsSql(contextWith({ by: 'department' }))
    expect(computed(byDepartment)).toBe(true)
    expect(byDepartment).not.toContain('FINAL')
  })
})

describe('rollup_actor_month for lifecycle, retention and DAU/WAU/MAU (keeps the person)', () => {
  const readers: Record<string, (ctx: MetricContext) => string> = {
    lifecycleSql,
    retentionSql: (ctx) => retentionSql('roster', ctx, 'week'),
    dailyActivesSql,
  }
  it.each(Object.entries(readers))('%s reads its stored rows, with a department filter too', (_, build) => {
    for (const ctx of [
      contextWith({}),
      contextWith({ department: 'Sales' }),
      paris({ department: 'Sales' }),
    ]) {
      const sql = build(ctx)
      expect(stored(sql, 'rollup_actor_month')).toBe(true)
      expect(computed(sql)).toBe(false)
    }
  })

  it.each(Object.entries(readers))(
    '%s computes them for a feature filter or when no rollup may answer',
    (_, build) => {
      for (const ctx of [...neverStored(), contextWith({ feature: 'wiki' })]) {
        expect(stored(build(ctx), 'rollup_actor_month')).toBe(false)
        expect(computed(build(ctx))).toBe(true)
      }
    },
  )

  it("lifecycle by feature reads the feature days; by space the events (no rollup keeps a person's days in a space)", () => {
    expect(stored(lifecycleSql(contextWith({ by: 'feature' })), 'rollup_actor_feature_month')).toBe(true)
    expect(computed(lifecycleSql(contextWith({ by: 'space' })))).toBe(true)
    expect(stored(lifecycleSql(contextWith({ by: 'department' })), 'rollup_actor_month')).toBe(true)
  })
})

describe('rollup_social_events for questions and interactions (time-valued, keeps every column)', () => {
  const readers: Record<string, (ctx: MetricContext) => string> = { interactionsSql, questionOutcomesSql }
  it.each(Object.entries(readers))('%s reads its stored rows whatever the zone and filters', (_, build) => {
    for (const ctx of [
      contextWith({}),
      contextWith({}, 'Europe/Paris'),
      contextWith({ department: 'Sales', space: 's1' }),
    ]) {
      const sql = build(ctx)
      expect(stored(sql, 'rollup_social_events')).toBe(true)
      expect(computed(sql)).toBe(false)
    }
  })

  it.each(Object.entries(readers))('%s computes them from the events on the raw path', (_, build) => {
    const sql = build(contextWith({}, 'UTC', 'raw'))
    expect(stored(sql, 'rollup_social_events')).toBe(false)
    expect(computed(sql)).toBe(true)
  })
})

describe('the per-month rollups of communities and feature usage', () => {
  it.each([['spaceActivitySql', spaceActivitySql]])(
    "%s reads rollup_space_actor_month in the org's zone, department too; computed otherwise",
    (_, build) => {
      for (const ctx of [contextWith({}), paris(), contextWith({ department: 'Sales' })])
        expect(stored(build(ctx), 'rollup_space_actor_month')).toBe(true)
      for (const ctx of neverStored()) expect(stored(build(ctx), 'rollup_space_actor_month')).toBe(false)
    },
  )

  it('feature usage reads rollup_actor_feature_month without a space filter', () => {
    for (const ctx of [contextWith({}), contextWith({ department: 'Sales' }), paris()]) {
      expect(stored(featureUsageSql('roster', ctx), 'rollup_actor_feature_month')).toBe(true)
    }
    for (const ctx of [...neverStored(), contextWith({ space: 'ops' })]) {
      expect(stored(featureUsageSql('roster', ctx), 'rollup_actor_feature_month')).toBe(false)
    }
  })
})
