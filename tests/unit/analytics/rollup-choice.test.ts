// Which table each ported query reads: the count rollup for UTC orgs without a people
// filter, rollup_actor_day where the day rollups apply, else the events (no database needed).
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
  }
}

const countQueries: Record<string, (ctx: MetricContext) => string> = {
  featureEventsSql,
  emailsSql,
  monthlyActionsSql,
  rangeActivitySql,
  communityCountsSql,
}

describe('the event-count rollup', () => {
  it.each(Object.entries(countQueries))('%s reads it for a UTC org without people filters', (_, build) => {
    const sql = build(contextWith({}))
    expect(sql).toContain('rollup_event_counts')
    expect(sql).not.toContain('FROM events')
  })

  it.each(Object.entries(countQueries))('%s reads the events otherwise', (_, build) => {
    for (const ctx of [
      contextWith({}, 'Europe/Paris'),
      contextWith({ department: 'Sales' }),
      contextWith({ site: 'Lyon' }),
      contextWith({}, 'UTC', 'raw'),
    ]) {
      expect(build(ctx)).not.toContain('rollup_event_counts')
    }
  })

  it('serves a feature or space filter (it keeps both columns) but not an email breakdown', () => {
    expect(featureEventsSql(contextWith({ feature: 'wiki', space: 's1' }))).toContain('rollup_event_counts')
    expect(emailsSql(contextWith({ by: 'department' }))).toContain('events FINAL')
  })
})

describe('rollup_actor_day for lifecycle, retention and DAU/WAU/MAU', () => {
  const readers: Record<string, (ctx: MetricContext) => string> = {
    lifecycleSql,
    retentionSql: (ctx) => retentionSql('roster', ctx, 'week'),
    dailyActivesSql,
  }
  it.each(Object.entries(readers))('%s reads it where the day rollups apply', (_, build) => {
    expect(build(contextWith({}))).toContain('rollup_actor_day')
    expect(build(contextWith({ department: 'Sales' }))).toContain('rollup_actor_day')
    expect(build(contextWith({}, 'Europe/Paris'))).not.toContain('rollup_actor_day')
    expect(build(contextWith({ feature: 'wiki' }))).not.toContain('rollup_actor_day')
  })

  it('lifecycle by feature or space reads the events (the rollup keeps neither)', () => {
    expect(lifecycleSql(contextWith({ by: 'feature' }))).not.toContain('rollup_actor_day')
    expect(lifecycleSql(contextWith({ by: 'department' }))).toContain('rollup_actor_day')
  })
})

describe('rollup_social_events for questions and interactions', () => {
  const readers: Record<string, (ctx: MetricContext) => string> = { interactionsSql, questionOutcomesSql }
  it.each(Object.entries(readers))('%s reads it whatever the time zone and filters', (_, build) => {
    for (const ctx of [
      contextWith({}),
      contextWith({}, 'Europe/Paris'),
      contextWith({ department: 'Sales', space: 's1' }),
    ]) {
      const sql = build(ctx)
      expect(sql).toContain('rollup_social_events')
      expect(sql).not.toMatch(/FROM events\b/)
    }
  })

  it.each(Object.entries(readers))('%s reads the events on the raw path', (_, build) => {
    const sql = build(contextWith({}, 'UTC', 'raw'))
    expect(sql).not.toContain('rollup_social_events')
    expect(sql).toMatch(/FROM events\b/)
  })
})

describe('the per-month rollups of communities and feature usage', () => {
  it('communities reads rollup_space_actor_month for a UTC org, the events only from the end month', () => {
    const sql = spaceActivitySql(contextWith({}))
    expect(sql).toContain('rollup_space_actor_month')
    expect(sql).toContain('month < toStartOfMonth')
    for (const ctx of [contextWith({}, 'Europe/Paris'), contextWith({}, 'UTC', 'raw')]) {
      expect(spaceActivitySql(ctx)).not.toContain('rollup_space_actor_month')
    }
  })

  it('feature usage reads rollup_actor_feature_month for a UTC org without a space filter', () => {
    expect(featureUsageSql('roster', contextWith({}))).toContain('rollup_actor_feature_month')
    expect(featureUsageSql('roster', contextWith({ department: 'Sales' }))).toContain(
      'rollup_actor_feature_month',
    )
    for (const ctx of [
      contextWith({}, 'Europe/Paris'),
      contextWith({ space: 'ops' }),
      contextWith({}, 'UTC', 'raw'),
    ]) {
      expect(featureUsageSql('roster', ctx)).not.toContain('rollup_actor_feature_month')
    }
  })
})
