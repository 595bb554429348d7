// GET /v1/orgs/:org/exports/:report — a report as a download (CSV, XLSX, Parquet, Arrow, JSON).
import type { ClickHouseClient } from '@clickhouse/client'
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { exportQuerySchema, exportReports } from '../../schemas/api/exports.ts'
import { orgSchema } from '../../schemas/event.ts'
import { resolveQuery } from '../query.ts'
import { SettingsStore } from '../settings.ts'
import { runExport } from './export.ts'

export interface ExportRoutesOptions {
  client: ClickHouseClient
  roleOf(request: FastifyRequest): string
  now?: () => Date
}

// `audit` is read by the audit hook (the export is logged); kept out of a literal so that this
// file does not depend on who declares the key.
const routeConfig = { audit: 'export' } as const

export async function exportRoutes(scope: FastifyInstance, options: ExportRoutesOptions): Promise<void> {
  const app = scope.withTypeProvider<ZodTypeProvider>()
  const settingsStore = new SettingsStore(options.client)
  const now = options.now ?? (() => new Date())

  app.get(
    '/v1/orgs/:org/exports/:report',
    {
      config: routeConfig as FastifyContextConfig,
      schema: {
        summary:
          'An HR report as a download: engagement by month and department or site (small groups withheld but for admin)',
        tags: ['exports'],
        params: z.object({ org: orgSchema, report: z.enum(exportReports) }),
        querystring: exportQuerySchema,
      },
    },
    async (request, reply) => {
      const { org, report } = request.params
      const q = request.query
      const settings = await settingsStore.get(org)
      const query = resolveQuery(
        org,
        { from: q.from, to: q.to, interval: 'month' },
        settings.time_zone,
        now(),
      )
      const file = await runExport({
        client: options.client,
        org,
        report,
        format: q.format,
        range: query.range,
        timeZone: settings.time_zone,
        settings,
        role: options.roleOf(request),
        delimiter: q.sep === 'semicolon' || q.sep === ';' ? ';' : ',',
        ...(q.by ? { dimension: q.by } : {}),
        now: now(),
      })
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('x-export-rows', String(file.rows))
        .header('x-small-groups-withheld', String(file.suppressed))
        .send(file.body)
    },
  )
}
