// HTTP routes of the analytics side: one route per metric (JSON, CSV or Arrow by Accept), and
// the org settings.
import type { ClickHouseClient } from '@clickhouse/client'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { metricNames } from '../schemas/api/catalogue.ts'
import { metricQuerySchemaFor } from '../schemas/api/query.ts'
import { type OrgSettings, orgSettingsSchema } from '../schemas/api/settings.ts'
import { orgSchema } from '../schemas/event.ts'
import { readCalendar } from './calendar.ts'
import type { MetricSource, RegisteredMetric } from './metric.ts'
import { suppressionExemptRole } from './privacy/layer.ts'
import { QueryError, resolveQuery } from './query.ts'
import { SettingsStore } from './settings.ts'
import { toArrowStream, toCsv } from './tabular.ts'

export interface AnalyticsRoutesOptions {
  client: ClickHouseClient
  metrics: readonly RegisteredMetric[]
  /** Pseudonyms of per-person lists (HMAC under a key kept outside the event store). */
  pseudonymise(org: string, actor: string): string
  /** The caller's role, for named lists. */
  roleOf(request: FastifyRequest): string
  now?: () => Date
  /** Told after an org's settings were replaced (retention, pseudonymisation caches). */
  onSettingsChanged?(org: string, settings: OrgSettings): Promise<void> | void
  /** Rollups (default) or a raw scan of the events. */
  source?: MetricSource
}

const arrowType = 'application/vnd.apache.arrow.stream'
/** The settings an exec may change: the return assumptions and the index weights. */
const execFields = new Set(['roi', 'index_weights'])
/** A setting the caller's role may not change: 403, naming the field. */
class SettingsAccessError extends Error {
  readonly statusCode = 403
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
  }
}
const sentFields = new WeakMap<FastifyRequest, Set<string>>()
function sentFieldsOf(request: FastifyRequest): Set<string> {
  return sentFields.get(request) ?? new Set()
}
const orgParams = z.object({ org: orgSchema })

export async function analyticsRoutes(
  scope: FastifyInstance,
  options: AnalyticsRoutesOptions,
): Promise<void> {
  const app = scope.withTypeProvider<ZodTypeProvider>()
  const settingsStore = new SettingsStore(options.client)
  const now = options.now ?? (() => new Date())

  for (const metric of options.metrics) {
    app.get(
      `/v1/orgs/:org/metrics/${metric.name}`,
      {
        config: { audit: 'read' },
        schema: {
          summary: metric.summary,
          tags: ['metrics'],
          params: orgParams,
          querystring: metricQuerySchemaFor(metric),
          response: { 200: metric.response },
        },
      },
      async (request, reply) => {
        const { org } = request.params
        const [settings, calendar] = await Promise.all([
          settingsStore.get(org),
          readCalendar(options.client, org),
        ])
        const query = resolveQuery(org, request.query, settings.time_zone, now())
        if (query.by && !metric.breakdowns.includes(query.by)) {
          throw new QueryError(
            'by',
            metric.breakdowns.length > 0
              ? `${metric.name} breaks down by ${metric.breakdowns.join(', ')}, not ${query.by}`
              : `${metric.name} has no breakdown`,
          )
        }
        const role = options.roleOf(request)
        const named =
          role === 'admin' || (role === 'community_manager' && settings.named_lists_for_community_managers)
        const personLabel = named
          ? (actor: string) => actor
          : (actor: string) => options.pseudonymise(org, actor)
        const ctx = {
          client: options.client,
          query,
          settings,
          now: now(),
          personLabel,
          role,
          source: options.source ?? 'rollup',
          // Whether the rollups' days are this query's (analytics/tables.ts).
          calendar,
        }
        // Admins see small groups; the header says so (everyone else gets them withheld).
        reply.header(
          'x-implication-small-groups',
          role === suppressionExemptRole ? 'shown-to-admin' : `withheld-below-${settings.min_group_size}`,
        )
        const { json, tables } = await metric.run(ctx)
        const accept = String(request.headers.accept ?? '')
        const wantsArrow = accept.includes(arrowType)
        if (!wantsArrow && !accept.includes('text/csv')) return json

        const names = Object.keys(tables)
        const name = request.query.table ?? names[0]!
        const rows = tables[name]
        if (!rows) throw new QueryError('table', `${metric.name} has the tables ${names.join(', ')}`)
        const file = `${org}-${metric.name}-${name}-${query.range.from}-${query.range.to}`
        if (wantsArrow) {
          return reply
            .type(arrowType)
            .header('content-disposition', `inline; filename="${file}.arrows"`)
            .send(Buffer.from(toArrowStream(rows)))
        }
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${file}.csv"`)
          .send(toCsv(rows))
      },
    )
  }

  app.get(
    '/v1/orgs/:org/metrics/:name',
    {
      schema: { hide: true, params: z.object({ org: orgSchema, name: z.string() }) },
    },
    async (request, reply) =>
      reply.code(404).send({
        error: 'Not Found',
        message: `no metric ${request.params.name}; metrics: ${metricNames.join(', ')}`,
      }),
  )

  app.get(
    '/v1/orgs/:org/settings',
    {
      schema: {
        summary: 'Org settings: time zone, minimum group size, ROI assumptions, index weights',
        tags: ['settings'],
        params: orgParams,
        response: { 200: orgSettingsSchema },
      },
    },
    async (request) => settingsStore.get(request.params.org),
  )

  app.put(
    '/v1/orgs/:org/settings',
    {
      schema: {
        summary: 'Replace the org settings (missing fields take their defaults)',
        tags: ['settings'],
        params: orgParams,
        body: orgSettingsSchema,
        response: { 200: orgSettingsSchema },
      },
      // The top-level fields the client sent, before defaults fill the others in.
      preValidation: async (request) => {
        const body = request.body
        sentFields.set(
          request,
          new Set(body && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : []),
        )
      },
    },
    async (request) => {
      const { org } = request.params
      let settings = request.body
      if (options.roleOf(request) !== 'admin') {
        // An exec sets the return assumptions and the index weights, nothing else: the privacy
        // settings (group size, named lists, pseudonyms, retention) and the calendar are the
        // admin's. A field the exec leaves out keeps its current value; one it sends must be
        // the current value, else the whole change is refused, naming the fields.
        const current = await settingsStore.get(org)
        const sent = sentFieldsOf(request)
        const refused = Object.keys(current).filter(
          (field) =>
            !execFields.has(field) &&
            sent.has(field) &&
            JSON.stringify(settings[field as keyof OrgSettings]) !==
              JSON.stringify(current[field as keyof OrgSettings]),
        )
        if (refused.length > 0) {
          throw new SettingsAccessError(
            refused[0]!,
            `${refused.join(', ')}: only an admin may change ${refused.length === 1 ? 'this setting' : 'these settings'}; a ${options.roleOf(request)} token may change roi and index_weights`,
          )
        }
        settings = { ...current, roi: settings.roi, index_weights: settings.index_weights }
      }
      await settingsStore.put(org, settings)
      await options.onSettingsChanged?.(org, settings)
      return settings
    },
  )
}
