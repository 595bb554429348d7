// HTTP routes of the ingest side: events, roster, ingest status and the rejected store.
import { promisify } from 'node:util'
import { gunzip } from 'node:zlib'
import type { ClickHouseClient } from '@clickhouse/client'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  eventsAnswerResponse,
  ingestStatusResponse,
  rejectedPageResponse,
  rosterAnswerResponse,
} from '../schemas/api/ingest.ts'
import type { Principal } from '../schemas/auth.ts'
import { storeUnavailable } from './direct-sink.ts'
import { ingestStatus } from './event-store.ts'
import { GroupCommitter } from './group-commit.ts'
import { judgeBatch } from './judge-batch.ts'
import {
  BodyError,
  bodyFormatOf,
  isBinaryCloudEvent,
  parseBinaryCloudEvent,
  parseBody,
} from './parse-body.ts'
import { type IngestPseudonymiser, pseudonymiseEvents, pseudonymiseRoster } from './pseudonymise.ts'
import { RejectedStore, type Rejection } from './rejected-store.ts'
import {
  parseRosterCsv,
  parseRosterJson,
  type RosterParse,
  RosterRefusal,
  saveRosterSnapshot,
} from './roster.ts'
import { type EventSink, SinkUnavailableError } from './sink.ts'

const gunzipAsync = promisify(gunzip)

export interface IngestRoutesOptions {
  client: ClickHouseClient
  sink: EventSink
  maxBodyBytes: number
  maxEventsPerRequest: number
  principalOf(request: FastifyRequest): Principal
  /** Counts what was accepted and refused, for /metrics. */
  onIngested?(accepted: number, refused: number): void
  /** Replaces person ids of orgs that pseudonymise, before the sink (so before Kafka). */
  pseudonymiser?: IngestPseudonymiser
}

const orgParams = z.object({ org: z.string().regex(/^(_unassigned|[a-z0-9][a-z0-9_-]{0,63})$/) })

export async function ingestRoutes(app: FastifyInstance, options: IngestRoutesOptions): Promise<void> {
  const { client, sink } = options
  const rejectedStore = new RejectedStore(client)
  // Concurrent requests share their rejected-store writes as they share event writes (one insert
  // at a time, a failed one retried per request): one part per write, not per request.
  const refusals = new GroupCommitter<Rejection>((rows) => rejectedStore.keep(rows), {
    flushRows: 5_000,
    flushMs: 5,
    maxBufferedRows: 100_000,
  })
  app.addHook('onClose', () => refusals.close())
  const typed = app.withTypeProvider<ZodTypeProvider>()

  // Bodies are taken raw: refused events must be kept exactly as sent, and gzip is undone here.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.maxBodyBytes }, (_req, body, done) =>
    done(null, body),
  )

  async function bodyText(request: FastifyRequest, emptyAllowed = false): Promise<string> {
    const body = request.body
    if (!Buffer.isBuffer(body) || body.length === 0) {
      if (emptyAllowed) return ''
      throw new BodyError(400, 'the request body is empty')
    }
    const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase()
    if (encoding === 'identity') return body.toString('utf8')
    if (encoding !== 'gzip' && encoding !== 'x-gzip') {
      throw new BodyError(415, `Content-Encoding ${encoding} is not supported (use gzip)`)
    }
    try {
      const plain = await gunzipAsync(body, { maxOutputLength: options.maxBodyBytes })
      return plain.toString('utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new BodyError(413, `decompressed body larger than ${options.maxBodyBytes} bytes`)
      }
      throw new BodyError(400, `body is not valid gzip: ${(err as Error).message}`)
    }
  }

  typed.post(
    '/v1/events',
    {
      schema: {
        summary: 'Send activity events (JSON, NDJSON, CloudEvents; optionally gzip)',
        tags: ['ingest'],
        response: {
          202: eventsAnswerResponse,
        },
      },
    },
    async (request, reply) => {
      // Binary-mode CloudEvents: attributes in ce-* headers, the body is the data, of any
      // Content-Type (what is not JSON is refused as the event, kept in the rejected store).
      const binary = isBinaryCloudEvent(request.headers)
      const format = binary ? undefined : bodyFormatOf(request.headers['content-type'])
      if (!binary && !format)
        throw new BodyError(415, `Content-Type ${request.headers['content-type']} is not supported`)
      const text = await bodyText(request, binary)
      if (Buffer.byteLength(text) > options.maxBodyBytes) {
        throw new BodyError(413, `body larger than ${options.maxBodyBytes} bytes`)
      }
      const items = format
        ? parseBody(text, format, options.maxEventsPerRequest)
        : parseBinaryCloudEvent(request.headers, text)
      const judged = judgeBatch(items, {
        principal: options.principalOf(request),
        now: new Date(),
        requestId: String(request.id),
        channel: 'http',
      })
      const events = await pseudonymiseEvents(options.pseudonymiser, judged.accepted)
      // Refusals are stored first: a 202 must never hide a refused event that was not kept. A store
      // failure is answered 503 with a generic message; the engine's own words go to the log.
      try {
        await Promise.all([refusals.submit(judged.rejections), sink.write(events)])
      } catch (err) {
        const unavailable = err instanceof SinkUnavailableError ? err : storeUnavailable(err)
        if (unavailable.cause !== undefined)
          request.log.error({ err: unavailable.cause }, 'ingest write failed: the event store refused it')
        throw unavailable
      }
      options.onIngested?.(judged.accepted.length, judged.rejections.length)
      return reply.code(202).send({
        accepted: judged.accepted.length,
        rejected: judged.errors.length,
        errors: judged.errors,
      })
    },
  )

  typed.put(
    '/v1/orgs/:org/roster',
    {
      schema: {
        summary: 'Replace the workforce roster (CSV with , or ; separators, or a JSON array)',
        tags: ['ingest'],
        params: orgParams,
        response: {
          200: rosterAnswerResponse,
        },
      },
    },
    async (request, reply) => {
      const { org } = request.params
      const text = await bodyText(request)
      const mime = String(request.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase()
      let parsed: RosterParse
      try {
        if (mime === 'application/json') parsed = parseRosterJson(text)
        else if (mime === 'text/csv' || mime === 'application/csv' || mime === 'text/plain')
          parsed = parseRosterCsv(text)
        else throw new BodyError(415, 'send the roster as text/csv or application/json')
      } catch (err) {
        // A roster that cannot be read whole is refused whole: the previous roster stays in
        // effect, and the body is kept, as sent, in the rejected store with the reason.
        if (err instanceof RosterRefusal) {
          await rejectedStore.keep([
            {
              org,
              channel: 'http',
              requestId: String(request.id),
              index: err.line,
              eventId: undefined,
              path: '',
              reason: err.message,
              raw: text,
            },
          ])
        }
        throw err
      }
      const rejections: Rejection[] = parsed.errors.map((e) => ({
        org,
        channel: 'http',
        requestId: String(request.id),
        index: e.line,
        eventId: undefined,
        path: e.path,
        reason: `roster line ${e.line}: ${e.path ? `${e.path}: ` : ''}${e.message}`,
        raw: e.raw,
      }))
      await rejectedStore.keep(rejections)
      if (parsed.people.length > 0)
        await saveRosterSnapshot(
          client,
          org,
          await pseudonymiseRoster(options.pseudonymiser, org, parsed.people),
        )
      return reply.send({
        people: parsed.people.length,
        rejected: parsed.errors.length,
        errors: parsed.errors.map(({ line, path, message }) => ({ line, path, message })),
        ignored_columns: parsed.ignoredColumns,
      })
    },
  )

  typed.get(
    '/v1/orgs/:org/ingest/status',
    {
      schema: {
        summary: 'Stored and refused event counts, last event and last reception times',
        tags: ['ingest'],
        params: orgParams,
        response: {
          200: ingestStatusResponse,
        },
      },
    },
    async (request) => ingestStatus(client, request.params.org),
  )

  typed.get(
    '/v1/orgs/:org/rejected',
    {
      schema: {
        summary:
          'The rejected store: refused input verbatim, with its reason (newest first; page with next_cursor)',
        tags: ['ingest'],
        params: orgParams,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(10_000).default(100),
          cursor: z
            .string()
            .max(2_000)
            .optional()
            .describe('next_cursor of the previous page: the page after it, every row exactly once'),
          // A real UTC time only (not 2025-02-30T25:00:00Z, which would reach the engine as NaN).
          before: z.iso
            .datetime({ error: 'must be a UTC time like 2025-01-31T12:00:00Z' })
            .optional()
            .describe('only refusals received before this time (a filter, not a page boundary)'),
        }),
        response: {
          200: rejectedPageResponse,
        },
      },
    },
    async (request) => {
      const { limit, cursor, before } = request.query
      return rejectedStore.list(request.params.org, {
        limit,
        cursor,
        beforeMs: before === undefined ? undefined : Date.parse(before),
      })
    },
  )
}
