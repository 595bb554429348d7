// The SQL of adoption, participation, features and influence binds every value of the request as
// a parameter: the text of a filter never appears in the query (no database needed).
import type { ClickHouseClient } from '@clickhouse/client'
import { describe, expect, it } from 'vitest'
import { personFactsSql } from '../../../analytics/adoption-facts.ts'
import type { MetricContext } from '../../../analytics/metric.ts'
import { orgFactsSql } from '../../../analytics/metrics/adoption.ts'
import { featureEventsSql, featureUsageSql } from '../../../analytics/metrics/features.ts'
import { influencePairsSql } from '../../../analytics/metrics/influence.ts'
import { participationSql } from '../../../analytics/metrics/participation.ts'
import { resolveQuery } from '../../../analytics/query.ts'
import { defaultSettings } from '../../../analytics/settings.ts'
import { metricQuerySchema } from '../../../schemas/api/query.ts'

const hostile = "x' OR 1=1 --"

function contextWith(params: Record<string, string>): MetricContext {
  return {
    // Building SQL never touches the client.
    client: {} as ClickHouseClient,
    query: resolveQuery('acme', metricQuerySchema.parse(params), 'Europe/Paris'),
    settings: defaultSettings,
    now: new Date('2025-05-01T00:00:00Z'),
    personLabel: (actor) => actor,
  }
}

const ctx = contextWith({
  from: '2025-03-03',
  to: '2025-04-07',
  department: hostile,
  site: hostile,
  space: hostile,
  feature: 'wiki',
  by: 'site',
})

const builders: Record<string, string> = {
  personFactsSql: personFactsSql('roster', ctx),
  orgFactsSql: orgFactsSql(ctx, 'roster'),
  participationSql: participationSql('roster', ctx),
  participationSpaceSql: participationSql('roster', { ...ctx, query: { ...ctx.query, by: 'space' } }),
  featureUsageSql: featureUsageSql('roster', ctx),
  featureEventsSql: featureEventsSql(ctx),
  influencePairsSql: influencePairsSql('roster', ctx),
}

describe('metric SQL', () => {
  it.each(Object.entries(builders))('%s binds values instead of pasting them', (_, sql) => {
    for (const value of [hostile, 'acme', 'Europe/Paris', '2025-03-03', '2025-04-07', "'wiki'"]) {
      expect(sql).not.toContain(value)
    }
    expect(sql).toContain('{org:String}')
  })

  it('applies each filter the query carries', () => {
    expect(builders.personFactsSql).toContain('department = {department:String}')
    expect(builders.orgFactsSql).toContain('space = {space:String}')
    expect(builders.influencePairsSql).toContain('feature = {feature:String}')
    // by=site groups by the roster's site column, from the closed map of breakdown columns.
    expect(builders.participationSql).toContain('ifNull(r.site')
  })

  it('never reads through FINAL: the writer stores each event once', () => {
    for (const [name, sql] of Object.entries(builders)) expect(sql, name).not.toContain('FINAL')
  })
})
