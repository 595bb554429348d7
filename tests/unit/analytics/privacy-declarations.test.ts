// Every metric that can break down declares its breakdown to the privacy layer, and one that
// does not cannot break down (no database needed: an admin query without filters).
import type { ClickHouseClient } from '@clickhouse/client'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { type MetricContext, registerMetric } from '../../../analytics/metric.ts'
import { metricRegistry } from '../../../analytics/metrics/index.ts'
import { resolveQuery } from '../../../analytics/query.ts'
import { defaultSettings } from '../../../analytics/settings.ts'
import { metricCatalogue } from '../../../schemas/api/catalogue.ts'
import { metricQuerySchema } from '../../../schemas/api/query.ts'

const adminContext = (params: Record<string, string>): MetricContext => ({
  client: {} as ClickHouseClient,
  query: resolveQuery('acme', metricQuerySchema.parse(params), 'UTC'),
  settings: defaultSettings,
  now: new Date('2025-05-01T00:00:00Z'),
  personLabel: (actor) => actor,
  role: 'admin',
})

describe('group tables', () => {
  it('are declared by every metric that offers a breakdown', () => {
    const undeclared = metricRegistry
      .filter((m) => metricCatalogue[m.name].breakdowns.length > 0 && !m.groupKinds.includes('breakdown'))
      .map((m) => m.name)
    expect(undeclared).toEqual([])
    // And the tables of groups that are not breakdowns.
    const kinds = Object.fromEntries(metricRegistry.map((m) => [m.name, m.groupKinds]))
    expect(kinds.retention).toContain('cohort')
    expect(kinds.collaboration).toContain('department-pair')
    expect(kinds.communities).toContain('space')
  })

  const groups = z.object({ groups: z.array(z.object({ group: z.string(), n: z.number().nullable() })) })
  const compute = async () => ({ groups: [{ group: 'legal', n: 1 }] })

  it('are required to break down: a metric that declares none fails instead of publishing', async () => {
    const careless = registerMetric({
      name: 'adoption',
      summary: 'a metric that forgot its groups',
      response: groups,
      compute,
      tables: (r) => ({ groups: r.groups }),
    })
    await expect(
      careless.run(adminContext({ from: '2025-03-01', to: '2025-04-01', by: 'department' })),
    ).rejects.toThrow(/declares no breakdown table/)
    // Without `by` it answers: it has no groups to publish.
    await expect(careless.run(adminContext({ from: '2025-03-01', to: '2025-04-01' }))).resolves.toBeDefined()
  })

  it('flag every declared row, for the admin too (who sees it unwithheld)', async () => {
    const careful = registerMetric({
      name: 'adoption',
      summary: 'a metric that declares its groups',
      response: groups,
      compute,
      tables: (r) => ({ groups: r.groups }),
      groups: [{ kind: 'breakdown', rows: (r) => r.groups }],
    })
    const { json, tables } = await careful.run(
      adminContext({ from: '2025-03-01', to: '2025-04-01', by: 'department' }),
    )
    expect(json).toEqual({ groups: [{ group: 'legal', n: 1, suppressed: false }] })
    expect(tables.groups).toEqual([{ group: 'legal', n: 1, suppressed: false }])
  })
})
