// Assembles the fastify app: external plugins, then ours, then routes; one error handler.
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifySchema,
} from 'fastify'
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import { z } from 'zod'
import { exportRoutes } from '../analytics/exports/routes.ts'
import { metricRegistry } from '../analytics/metrics/index.ts'
import { analyticsRoutes } from '../analytics/routes.ts'
import { importRoutes } from '../importers/routes.ts'
// privacy
import { IngestPseudonymiser } from '../ingest/pseudonymise.ts'
import { ingestRoutes } from '../ingest/routes.ts'
import type { EventSink } from '../ingest/sink.ts'
import { canAccessOrg, canAccessOrgs, tokenRequestSchema } from '../schemas/auth.ts'
import type { Config } from '../schemas/config.ts'
import { AuditLog, installAudit } from './audit.ts'
import { assertRouteHasRule, installAuth, principalOf, ruleOfRoute } from './auth.ts'
import { type CalendarLog, calendarSettleMs, startCalendarChange } from './calendar-change.ts'
import type { Store } from './clickhouse.ts'
import {
  documentErrorAnswers,
  HttpError,
  installErrorHandler,
  type OpenApiOperation,
  type RouteErrorTraits,
} from './errors.ts'
import {
  installHardening,
  logRedaction,
  rawRequestBodies,
  slowClientServerOptions,
  withQueryLimits,
} from './hardening.ts'
import { landingPage } from './landing-page.ts'
import { installObservability, type Observability } from './observability.ts'
import { privacyRoutes } from './privacy-routes.ts'
import { pseudonymiser, resolvePseudonymKey } from './pseudonyms.ts'
import { applyRetention, startRetentionSweeps } from './retention.ts'
import type { Role } from './runtime.ts'
import type { TokenStore } from './tokens.ts'

/** `PUT /v1/orgs/:org/roster` as the OpenAPI document names it: `PUT /v1/orgs/{org}/roster`. */
const openApiKey = (routeKey: string) => routeKey.replace(/:(\w+)/g, '{$1}')

/** A route as registered: method, URL pattern, and whether its calls are audited. */
export interface RegisteredRoute {
  method: string
  url: string
  audit: 'read' | 'export' | undefined
}

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: readonly RegisteredRoute[]
  }
}

export interface AppParts {
  config: Config
  /** A worker process serves health only; the API roles serve the API. */
  role: Role
  store: Store
  sink: EventSink
  tokens: TokenStore
  /** Extra readiness checks (the Kafka worker, when this process runs one). */
  readinessChecks?: Array<() => Promise<string | null>>
  /** The process logger (pino); false for none. */
  logger?: FastifyBaseLogger | false
  /** The built dashboard (vite's output); default: dashboard/dist beside the sources. */
  dashboardDir?: string
  /** GET /metrics and the counters behind it (every role serves it). */
  observability?: Observability
}

/** dashboard/dist, from server/ under tsx or from dist/server/ once compiled. */
export function defaultDashboardDir(): string {
  const candidates = ['../dashboard/dist', '../../dashboard/dist'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  )
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? candidates[0]!
}

export async function buildApp(parts: AppParts): Promise<FastifyInstance> {
  const { config, store, sink, tokens } = parts
  const app = Fastify({
    ...(parts.logger === false
      ? { logger: false }
      : parts.logger
        ? // A child, so that the redaction applies to the app's lines and not the caller's own.
          { loggerInstance: parts.logger.child({}, logRedaction) }
        : { logger: { level: config.LOG_LEVEL, ...logRedaction } }),
    bodyLimit: config.MAX_BODY_BYTES,
    // Slow clients: header, request, idle and keep-alive deadlines (HTTP_*_TIMEOUT_MS).
    ...slowClientServerOptions(config),
    genReqId: () => randomUUID(),
    requestIdHeader: 'x-request-id',
    // Path parameters are bounded by their own schemas (a person id up to 256 characters, which
    // percent-encoded may take 12 bytes each), answered 400 with the field; the router's own
    // limit (default 100) would answer a bare 414 first.
    routerOptions: { maxParamLength: 4096 },
  }).withTypeProvider<ZodTypeProvider>()

  // Every route the app serves. A route without a line in the access table (server/access.ts)
  // throws here, so the app does not start; the access-control test runs every one of them.
  const registeredRoutes: RegisteredRoute[] = []
  app.decorate('registeredRoutes', registeredRoutes)
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue
      assertRouteHasRule(method, route.url)
      registeredRoutes.push({
        method,
        url: route.url,
        audit: route.config?.audit,
      })
    }
  })

  const rawBodies = new Map(
    Object.entries(rawRequestBodies).map(([route, body]) => [openApiKey(route), body]),
  )
  // What each documented route may answer besides its successes (its access rule, parameters,
  // body, engine limits), for the OpenAPI document: every route gets it, new ones included.
  const errorTraits = new Map<string, RouteErrorTraits>()
  app.addHook('onRoute', (route) => {
    const schema = route.schema as (FastifySchema & { hide?: boolean; tags?: readonly string[] }) | undefined
    if (!schema || schema.hide) return
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue
      const rule = ruleOfRoute(method, route.url)
      const tags = schema.tags ?? []
      errorTraits.set(openApiKey(`${method} ${route.url}`), {
        authenticated: rule !== undefined && rule.roles !== 'public',
        params: schema.params !== undefined,
        querystring: schema.querystring !== undefined,
        body: schema.body !== undefined || `${method} ${route.url}` in rawRequestBodies,
        queryLimits: tags.some((tag) => tag === 'metrics' || tag === 'exports' || tag === 'settings'),
        sink: method === 'POST' && route.url === '/v1/events',
        rateLimited: config.RATE_LIMIT_PER_MINUTE > 0 || config.RATE_LIMIT_INGEST_PER_MINUTE > 0,
      })
    }
  })

  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  installErrorHandler(app)
  await installHardening(app, config)

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Implication API',
        version: '1',
        description: 'Adoption and Return-on-Implication analytics for enterprise collaboration platforms.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    // The document says all that the server answers: error statuses with their body, bodies
    // required where the route needs one, and the raw bodies of ingest and imports.
    transformObject: (documents) => {
      const document = ('openapiObject' in documents ? documents.openapiObject : documents.swaggerObject) as {
        paths?: Record<string, Record<string, OpenApiOperation>>
      }
      for (const [pathKey, operations] of Object.entries(document.paths ?? {})) {
        for (const [method, operation] of Object.entries(operations)) {
          const key = `${method.toUpperCase()} ${pathKey}`
          const raw = rawBodies.get(key)
          if (raw) operation.requestBody = { required: true, ...raw }
          else if (operation.requestBody) operation.requestBody.required = true
          const traits = errorTraits.get(key)
          if (traits) documentErrorAnswers(operation, traits)
        }
      }
      return document
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })

  installAuth(app, tokens)
  if (parts.observability) installObservability(app, parts.observability)

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }))
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const checks = [
      async () => {
        const ping = await store.client.ping()
        return ping.success ? null : `clickhouse: ${ping.error?.message ?? 'unreachable'}`
      },
      () => sink.readiness(),
      ...(parts.readinessChecks ?? []),
    ]
    const failures = (
      await Promise.all(checks.map((check) => check().catch((err: Error) => `check failed: ${err.message}`)))
    ).filter((f): f is string => f !== null)
    if (failures.length > 0) return reply.code(503).send({ status: 'unavailable', failures })
    return { status: 'ready', store: store.kind, sink: sink.name }
  })

  if (parts.role !== 'worker') await app.register(apiRoutes, parts)

  return app
}

/** Everything but health: ingest, admin and the landing page. */
async function apiRoutes(scope: FastifyInstance, parts: AppParts): Promise<void> {
  const app = scope.withTypeProvider<ZodTypeProvider>()
  const { config, store, sink, tokens } = parts
  // --- privacy: audit hook, pseudonymisation at ingest, retention sweeps, routes ---
  const pseudonymKey = resolvePseudonymKey(config.IMPLICATION_PSEUDONYM_KEY, config.DATA_DIR)
  const ingestPseudonymiser = new IngestPseudonymiser(store.client, pseudonymKey)
  const audit = new AuditLog(store.client, (err) =>
    app.log.warn({ err: err.message }, 'audit log write failed'),
  )
  installAudit(app, audit)
  const retention = startRetentionSweeps(store.client, (err) =>
    app.log.warn({ err: err.message }, 'retention sweep failed'),
  )
  app.addHook('onClose', async () => {
    retention.stop()
    await audit.close()
  })
  await app.register(privacyRoutes, { client: store.client, audit, pseudonymiser: ingestPseudonymiser })
  // --- end privacy ---
  // Readers' queries run under the engine limits of QUERY_MAX_* (inserts and migrations do not).
  const readerClient = withQueryLimits(store.client, {
    maxExecutionSeconds: config.QUERY_MAX_EXECUTION_SECONDS,
    maxMemoryBytes: config.QUERY_MAX_MEMORY_BYTES,
  })
  // Time-zone changes log their steps and their end (server/calendar-change.ts).
  const calendarLog: CalendarLog = (level, message, fields) => app.log[level](fields ?? {}, message)
  await app.register(analyticsRoutes, {
    client: readerClient,
    metrics: metricRegistry,
    pseudonymise: pseudonymiser(pseudonymKey),
    roleOf: (request) => principalOf(request).role,
    source: config.IMPLICATION_METRICS_SOURCE, // rollups or raw scan
    onSettingsChanged: async (org, settings) => {
      ingestPseudonymiser.forget(org)
      await applyRetention(store.client, org, settings.retention_months)
      // In the background (the answer does not wait; the runtime's close stops it): a no-op
      // unless the calendar is not ready in the zone.
      startCalendarChange(store.client, org, settings.time_zone, calendarLog, calendarSettleMs(store))
    },
  })
  await app.register(exportRoutes, { client: readerClient, roleOf: (request) => principalOf(request).role })
  await app.register(ingestRoutes, {
    client: store.client,
    sink,
    maxBodyBytes: config.MAX_BODY_BYTES,
    maxEventsPerRequest: config.MAX_EVENTS_PER_REQUEST,
    principalOf,
    pseudonymiser: ingestPseudonymiser,
  })
  // History imports: uploads of platform exports, with their own body size limit.
  await app.register(importRoutes, {
    client: store.client,
    maxBytes: config.IMPORT_MAX_BYTES,
    pseudonymiser: ingestPseudonymiser,
  })

  const tokenInfo = z.object({
    token_id: z.string(),
    role: z.string(),
    orgs: z.array(z.string()),
    source: z.string(),
    label: z.string(),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
  })
  app.post(
    '/v1/admin/tokens',
    {
      schema: {
        summary: 'Create a token; the token itself is shown in this answer only',
        tags: ['admin'],
        body: tokenRequestSchema,
        response: { 201: z.object({ token: z.string(), info: tokenInfo }) },
      },
    },
    async (request, reply) => {
      // An admin bound to some orgs makes tokens for those orgs only: never `*`, never another's.
      const caller = principalOf(request)
      if (!canAccessOrgs(caller, request.body.orgs)) {
        const outside = request.body.orgs.filter((org) => org === '*' || !canAccessOrg(caller, org))
        throw new HttpError(
          403,
          `orgs: this token may make tokens only for its own orgs (${[caller.orgs].flat().join(', ')}); ${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} outside`,
        )
      }
      return reply.code(201).send(await tokens.create(request.body))
    },
  )
  app.get(
    '/v1/admin/tokens',
    {
      schema: {
        summary: 'List the tokens whose orgs all lie inside the caller’s (never their secrets)',
        tags: ['admin'],
        response: { 200: z.object({ tokens: z.array(tokenInfo) }) },
      },
    },
    async (request) => ({ tokens: await tokens.list(principalOf(request)) }),
  )
  app.delete(
    '/v1/admin/tokens/:id',
    {
      schema: {
        summary: 'Revoke a token whose orgs all lie inside the caller’s',
        tags: ['admin'],
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 204: z.null().describe('Revoked: no body') },
      },
    },
    async (request, reply) => {
      if (!(await tokens.revoke(request.params.id, principalOf(request)))) {
        throw new HttpError(404, `no token ${request.params.id}`)
      }
      return reply.code(204).send(null)
    },
  )

  const dashboardDir = parts.dashboardDir ?? defaultDashboardDir()
  if (existsSync(path.join(dashboardDir, 'index.html'))) {
    await app.register(dashboardRoutes, { root: dashboardDir })
  } else {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(landingPage(`http://${config.HOST}:${config.PORT}`)),
    )
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** Paths that belong to the API: a miss there is a JSON 404, never the dashboard's page. */
const apiPrefixes = ['/v1/', '/docs', '/healthz', '/readyz', '/metrics']

/**
 * The built dashboard: hashed assets under /assets with a year-long immutable cache, other files
 * as they are, and index.html (never cached) for every other GET so that client-side routes such
 * as /adoption or /communities/wiki load the app.
 */
async function dashboardRoutes(app: FastifyInstance, options: { root: string }): Promise<void> {
  await app.register(fastifyStatic, { root: options.root, serve: false })
  const sendIndex = (reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false })

  app.get('/', { schema: { hide: true } }, async (_request, reply) => sendIndex(reply))
  app.get('/assets/*', { schema: { hide: true } }, async (request, reply) => {
    const file = (request.params as { '*': string })['*']
    if (!existsSync(path.join(options.root, 'assets', file))) return reply.callNotFound()
    return reply.sendFile(`assets/${file}`, { maxAge: '365d', immutable: true })
  })
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const urlPath = request.url.split('?')[0]!
    if (apiPrefixes.some((prefix) => urlPath === prefix.replace(/\/$/, '') || urlPath.startsWith(prefix))) {
      return reply.callNotFound()
    }
    const file = path.normalize(safeDecode(urlPath)).replace(/^[/\\]+/, '')
    // A real file of the build (favicon…) is served as it is; any other path is a page of the app.
    if (file && !file.startsWith('..') && existsSync(path.join(options.root, file)) && path.extname(file)) {
      return reply.sendFile(file, { maxAge: '1h' })
    }
    return sendIndex(reply)
  })
}
