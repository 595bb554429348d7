// Privacy routes: the processing register (what is collected, why, for how long, who sees what,
// with which thresholds), erasure of a person, and the audit log for admins.
import type { ClickHouseClient } from '@clickhouse/client'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { csvCell } from '../analytics/exports/csv-cells.ts'
import { SettingsStore } from '../analytics/settings.ts'
import { type IngestPseudonymiser, pseudonymOf } from '../ingest/pseudonymise.ts'
import { type ProcessingRegister, processingRegisterResponse } from '../schemas/api/privacy.ts'
import type { OrgSettings } from '../schemas/api/settings.ts'
import { orgSchema } from '../schemas/event.ts'
import { eventCatalogue } from '../schemas/event-catalogue.ts'
import type { AuditLog, AuditRow } from './audit.ts'
import { erasePerson, erasureRebuiltTables, erasureRules } from './erasure.ts'
import { HttpError } from './errors.ts'

export interface PrivacyRoutesOptions {
  client: ClickHouseClient
  audit: AuditLog
  pseudonymiser: IngestPseudonymiser
}

const auditColumns = [
  'at',
  'org',
  'token_id',
  'role',
  'action',
  'report',
  'method',
  'route',
  'filters',
  'status',
  'request_id',
] as const satisfies readonly (keyof AuditRow)[]

/** The register of an org, from its real settings and the event catalogue. */
export function processingRegister(org: string, settings: OrgSettings, now = new Date()): ProcessingRegister {
  const k = settings.min_group_size
  const personList = settings.named_lists_for_community_managers
    ? 'per-person lists (champions, adopters by segment) with names'
    : 'per-person lists pseudonymous'
  return {
    org,
    generated_at: now.toISOString(),
    purposes: [
      {
        purpose: 'Measure adoption of the collaboration platform (who adopts, how fast, which features)',
        data: ['activity events', 'workforce roster'],
      },
      {
        purpose: 'Steer communities and collaboration across departments and sites',
        data: ['activity events', 'workforce roster'],
      },
      {
        purpose: 'Estimate the return on the platform (time saved, emails avoided) in aggregate',
        data: ['activity events', 'org settings'],
      },
      {
        purpose: 'Security and accountability of access to these analytics',
        data: ['audit log', 'api tokens'],
      },
    ],
    legal_basis:
      'Legitimate interest of the employer (GDPR art. 6(1)(f)), after information and consultation of the ' +
      'works council; no individual performance evaluation is made from these data.',
    data_collected: [
      {
        category: 'activity events',
        fields: [
          'actor',
          'target',
          'type',
          'feature',
          'level',
          'time',
          'space',
          'object',
          'parent',
          'count',
          'props',
        ],
        source: 'the collaboration platform (POST /v1/events)',
        kept: `${settings.retention_months} months after the event, then dropped`,
      },
      {
        category: 'workforce roster',
        fields: ['id', 'department', 'site', 'manager', 'hired_at', 'left_at'],
        source: 'HR upload (PUT /v1/orgs/:org/roster)',
        kept: 'each upload is a snapshot kept until erased',
      },
      {
        category: 'refused input',
        fields: ['raw input as sent', 'reason'],
        source: 'input the API refused, kept so the sender can fix and resend it',
        kept: 'until erased, or until newer refusals take the org past its cap (REJECTED_MAX_ROWS_PER_ORG, REJECTED_MAX_BYTES_PER_ORG): the oldest go first',
      },
      {
        category: 'audit log',
        fields: ['token id', 'role', 'org', 'report', 'filters', 'time', 'status'],
        source: 'every read and export of a report',
        kept: 'append-only',
      },
    ],
    event_types: Object.entries(eventCatalogue).map(([type, entry]) => ({
      type,
      feature: entry.feature === 'given' ? 'named by the sender' : entry.feature,
      level: entry.level,
    })),
    retention: {
      events_months: settings.retention_months,
      mechanism: 'ClickHouse TTL on the event time: rows older than the retention are dropped in merges',
    },
    pseudonymisation: {
      ids_pseudonymised_at_ingest: settings.pseudonymise_ids,
      method:
        'actor, target, roster id and manager replaced by HMAC-SHA256 under a per-org key derived from a ' +
        'master key kept outside the event store',
      named_lists_for_community_managers: settings.named_lists_for_community_managers,
    },
    thresholds: {
      min_group_size: k,
      complementary_suppression: true,
      filters_below_threshold_withheld: true,
      applies_to: ['JSON', 'Arrow', 'CSV', 'exports'],
      exempt_roles: ['admin'],
    },
    roles: [
      {
        role: 'admin',
        sees: 'everything, small groups included (flagged); manages tokens, erasure, audit log',
      },
      {
        role: 'exec',
        sees: `aggregates; breakdown groups under ${k} people withheld; ${personList.replace(' with names', ' pseudonymous')}`,
      },
      {
        role: 'community_manager',
        sees: `aggregates; groups under ${k} people withheld; ${personList}`,
      },
      {
        role: 'hr',
        sees: `aggregates and exports; groups under ${k} people withheld; per-person lists pseudonymous; can request erasure`,
      },
      { role: 'ingest', sees: 'nothing: sends events and rosters, reads its ingest status and refusals' },
      { role: 'metrics', sees: 'nothing of any org: reads the process counters at GET /metrics' },
    ],
    rights: {
      erasure:
        'DELETE /v1/orgs/:org/people/:id (admin, hr) removes the person everywhere and returns a receipt',
      erased_tables: [...new Set(erasureRules.map((r) => r.table)), ...erasureRebuiltTables],
    },
    audit:
      'every read and export is logged (who, org, report, filters, time); admins query it at GET /v1/admin/audit',
  }
}

export async function privacyRoutes(scope: FastifyInstance, options: PrivacyRoutesOptions): Promise<void> {
  const app = scope.withTypeProvider<ZodTypeProvider>()
  const settingsStore = new SettingsStore(options.client)

  app.get(
    '/v1/orgs/:org/privacy',
    {
      schema: {
        summary: 'The processing register: what is collected, why, how long, who sees what, thresholds',
        tags: ['privacy'],
        params: z.object({ org: orgSchema }),
        response: { 200: processingRegisterResponse },
      },
    },
    async (request) => processingRegister(request.params.org, await settingsStore.get(request.params.org)),
  )

  app.delete(
    '/v1/orgs/:org/people/:id',
    {
      schema: {
        summary:
          'Erase a person: their events (as actor), their references (as target), roster rows and refusals',
        tags: ['privacy'],
        params: z.object({ org: orgSchema, id: z.string().min(1).max(256) }),
        response: {
          200: z.object({
            receipt_id: z.string(),
            org: z.string(),
            ids_searched: z.number(),
            erased_at: z.string(),
            tables: z.array(
              z.object({ table: z.string(), column: z.string(), action: z.string(), rows: z.number() }),
            ),
            total_rows: z.number(),
          }),
        },
      },
    },
    async (request) => {
      const { org, id } = request.params
      // The id as sent and its pseudonym: the org may have pseudonymised at some point.
      const ids = [id, pseudonymOf(options.pseudonymiser.keyOf(org), id)]
      return erasePerson(options.client, org, ids)
    },
  )

  app.get(
    '/v1/admin/audit',
    {
      schema: {
        summary:
          'The audit log (newest first, the entries of the token’s orgs; page with next_cursor); CSV with Accept: text/csv or format=csv',
        tags: ['admin'],
        querystring: z.strictObject({
          org: orgSchema.optional(),
          from: z.iso.date().optional().describe('first day, inclusive (UTC)'),
          to: z.iso.date().optional().describe('last day, exclusive (UTC)'),
          limit: z.coerce.number().int().min(1).max(100_000).default(1_000),
          cursor: z
            .string()
            .max(2_000)
            .optional()
            .describe('next_cursor of the previous page (CSV: its x-next-cursor header)'),
          format: z.enum(['json', 'csv']).optional(),
        }),
      },
    },
    async (request, reply) => {
      const { org, from, to, limit, cursor, format } = request.query
      // An admin bound to some orgs reads the entries of those orgs only; an org outside them
      // does not exist as far as its token can tell (as on the /v1/orgs/:org routes).
      const scope = request.principal?.orgs ?? []
      if (org && scope !== '*' && !scope.includes(org)) throw new HttpError(404, `no org ${org}`)
      await options.audit.flush()
      const page = await options.audit.query({
        limit,
        ...(org ? { org } : {}),
        ...(scope === '*' ? {} : { orgs: scope }),
        ...(from ? { from: `${from} 00:00:00` } : {}),
        ...(to ? { to: `${to} 00:00:00` } : {}),
        ...(cursor === undefined ? {} : { cursor }),
      })
      if (!page) {
        throw new HttpError(
          400,
          'cursor: not a cursor of this log (pass next_cursor as it was answered)',
          'cursor',
        )
      }
      const rows = page.rows
      const csv =
        format === 'csv' || (format === undefined && String(request.headers.accept).includes('text/csv'))
      if (!csv) return { audit: rows, next_cursor: page.nextCursor }
      if (page.nextCursor) reply.header('x-next-cursor', page.nextCursor)
      const lines = [
        auditColumns.join(','),
        ...rows.map((r) => auditColumns.map((c) => csvCell(r[c])).join(',')),
      ]
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit${org ? `-${org}` : ''}.csv"`)
        .send(`${lines.join('\n')}\n`)
    },
  )
}
