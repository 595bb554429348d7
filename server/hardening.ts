// What the API does to protect itself and its callers: a rate limit per token, security headers,
// CORS only for configured origins, a body limit on every route, deadlines for slow clients
// (headers, body rate, whole request, idle sockets), and engine limits on every analytics and
// export query. Installed before any route, so that it covers all of them.
import type { ServerOptions } from 'node:http'
import { Socket } from 'node:net'
import type { ClickHouseClient } from '@clickhouse/client'
import cors from '@fastify/cors'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { stdSerializers } from 'pino'
import type { Config } from '../schemas/config.ts'

/** Routes that take bulk data: their limit is MAX_BODY_BYTES; every other route's is API_BODY_LIMIT_BYTES. */
const bulkRoutes = new Set(['POST /v1/events', 'PUT /v1/orgs/:org/roster'])

/**
 * The bodies of the routes that take them raw (parsed by the route: refused events are kept as
 * sent, gzip is undone there), for the OpenAPI document: fastify has no body schema to show.
 * Each says what the route accepts, so that what the document admits, the route takes.
 */
export const rawRequestBodies: Readonly<
  Record<string, { description: string; content: Record<string, unknown> }>
> = {
  'POST /v1/events': {
    description:
      'Events: one JSON event or an array of them, NDJSON (one per line) or CloudEvents; gzip with ' +
      'Content-Encoding. Each event is judged on its own: a refused event is answered in `errors` ' +
      'and kept in the rejected store, the others are kept (202). Arrays and objects nest 32 deep at most.',
    content: {
      'application/json': { schema: {} },
      'application/x-ndjson': { schema: { type: 'string', pattern: '\\S' } },
      'application/cloudevents+json': { schema: {} },
      'application/cloudevents-batch+json': { schema: { type: 'array', items: {} } },
    },
  },
  'PUT /v1/orgs/:org/roster': {
    description:
      'The roster: CSV (comma or semicolon) whose header names an `id` column, or a JSON array of ' +
      'people; each bad line is answered in `errors`, the others replace the roster.',
    content: {
      'text/csv': { schema: { type: 'string', minLength: 1 } },
      'application/json': { schema: { type: 'array', items: {} } },
    },
  },
  'POST /v1/orgs/:org/imports/:source': {
    description: 'The export as exported by the platform: a zip archive, or for `csv` one CSV file.',
    content: {
      'application/zip': { schema: { type: 'string', format: 'binary', minLength: 1 } },
      'text/csv': { schema: { type: 'string', minLength: 1 } },
    },
  },
}

/** Probes answer whatever the load: a limiter must never make a healthy process look dead. */
const unlimitedPaths = new Set(['/healthz', '/readyz'])

/**
 * The dashboard is a built bundle served from this origin: scripts and styles from 'self' only
 * (ECharts and Svelte set inline style attributes, hence 'unsafe-inline' for styles, never for
 * scripts); fetches go to this origin; downloads are blob: URLs; nobody may frame it.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

export const securityHeaders: Record<string, string> = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
}

function rateLimitFor(config: Config, request: FastifyRequest): number {
  const role = request.principal?.role
  return role === 'ingest' || role === 'admin'
    ? config.RATE_LIMIT_INGEST_PER_MINUTE
    : config.RATE_LIMIT_PER_MINUTE
}

/**
 * Query parameters whose name looks like a credential (token, access_token, api_key, key,
 * secret, password, authorization, session, signature…): their value never reaches a log line.
 * A token in the URL is refused (401) but would otherwise be written to the log with the URL.
 */
const credentialParam =
  /^(?:[^=&]*?)(?:token|key|secret|passw(?:or)?d|pwd|auth|credential|session|signature|sig)(?:[^=&]*)$/i
const redacted = '[REDACTED]'

/** A URL, or any text holding one, with the values of credential-like parameters replaced. */
export function redactCredentials(text: string): string {
  return text.replace(/([?&;])([^=&;?#\s]+)=([^&;#\s'"]*)/g, (whole, sep: string, name: string) => {
    let decoded = name
    try {
      decoded = decodeURIComponent(name)
    } catch {}
    return credentialParam.test(decoded) ? `${sep}${name}=${redacted}` : whole
  })
}

/**
 * Logger options for every log line of the app: the request serializer logs the URL with its
 * credentials redacted and no headers; errors have their message and stack redacted the same way;
 * and, should anything log headers, the authorization and cookie headers are censored.
 */
export const logRedaction = {
  serializers: {
    req(request: FastifyRequest) {
      return {
        method: request.method,
        url: typeof request.url === 'string' ? redactCredentials(request.url) : undefined,
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
        // No headers: the Authorization header and cookies are never logged.
      }
    },
    err(error: Error) {
      // Many log lines pass an error's message as `err`: a string is logged, redacted, as it is.
      if (typeof error !== 'object' || error === null) {
        return redactCredentials(String(error)) as unknown as ReturnType<typeof stdSerializers.err>
      }
      const serialized = stdSerializers.err(error)
      serialized.message = redactCredentials(String(serialized.message ?? ''))
      serialized.stack = redactCredentials(String(serialized.stack ?? ''))
      return serialized
    },
  },
  redact: {
    paths: [
      'authorization',
      'headers.authorization',
      'headers.cookie',
      'req.headers.authorization',
      'req.headers.cookie',
      'request.headers.authorization',
      'request.headers.cookie',
      'res.headers["set-cookie"]',
    ],
    censor: redacted,
  },
}

/**
 * The fastify options that bound slow clients (HTTP_*_TIMEOUT_MS): headers, whole request,
 * socket idleness and keep-alive idleness. Node checks the header and request deadlines on a
 * timer; once a second keeps the bound close to the configured figure (Node's default, 30 s,
 * let a header trickle live 60 + 30 s).
 */
export function slowClientServerOptions(config: Config): {
  connectionTimeout: number
  keepAliveTimeout: number
  requestTimeout: number
  http: ServerOptions
} {
  const requestTimeout = config.HTTP_REQUEST_TIMEOUT_MS
  // Node refuses a header deadline beyond the whole request's.
  const headersTimeout = Math.min(config.HTTP_HEADERS_TIMEOUT_MS, requestTimeout)
  return {
    connectionTimeout: config.HTTP_IDLE_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout,
    http: {
      headersTimeout,
      requestTimeout,
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(headersTimeout / 2))),
    },
  }
}

const requestTimeoutBody = JSON.stringify({
  error: 'Request Timeout',
  message: 'the request body arrived too slowly; the connection is closed',
})
const requestTimeoutAnswer = Buffer.from(
  'HTTP/1.1 408 Request Timeout\r\n' +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(requestTimeoutBody)}\r\n` +
    'Connection: close\r\n\r\n' +
    requestTimeoutBody,
)

/**
 * The body rate check: once HTTP_BODY_GRACE_MS has passed, a body still coming in must have
 * averaged HTTP_BODY_MIN_BYTES_PER_SECOND since then, else 408 and the socket is closed. It
 * reads the socket's byte count only, so that the body parser keeps the stream to itself, and it
 * runs whatever the route answers (a 401 does not let a trickle hold its socket).
 */
function watchBodyRate(request: FastifyRequest, reply: FastifyReply, config: Config): void {
  const minRate = config.HTTP_BODY_MIN_BYTES_PER_SECOND
  const raw = request.raw
  if (minRate === 0 || raw.complete) return
  const length = raw.headers['content-length']
  if (raw.headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) return
  const socket = raw.socket
  // Only a real connection has a rate: fastify's inject (tests, in-process calls) has a stand-in.
  if (!(socket instanceof Socket)) return
  const startBytes = socket.bytesRead
  const started = Date.now()
  const grace = config.HTTP_BODY_GRACE_MS
  const timer = setInterval(
    () => {
      if (raw.complete || socket.destroyed) return clearInterval(timer)
      const late = Date.now() - started - grace
      if (late <= 0 || socket.bytesRead - startBytes >= (minRate * late) / 1000) return
      clearInterval(timer)
      request.log.warn(
        { received: socket.bytesRead - startBytes, seconds: Math.round((Date.now() - started) / 1000) },
        'request body too slow: connection closed',
      )
      if (reply.raw.headersSent) socket.destroy()
      else socket.write(requestTimeoutAnswer, () => socket.destroy())
    },
    Math.min(1000, grace),
  )
  timer.unref()
  raw.once('close', () => clearInterval(timer))
}

export async function installHardening(app: FastifyInstance, config: Config): Promise<void> {
  app.addHook('onRequest', async (request, reply) => watchBodyRate(request, reply, config))

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    if (route.bodyLimit !== undefined) return
    const bulk = methods.some((m) => bulkRoutes.has(`${m} ${route.url}`))
    route.bodyLimit = bulk ? config.MAX_BODY_BYTES : config.API_BODY_LIMIT_BYTES
  })

  app.addHook('onSend', async (request, reply, payload) => {
    for (const [name, value] of Object.entries(securityHeaders)) {
      // swagger-ui (/docs) runs an inline bootstrap script: it keeps its own page policy.
      if (name === 'content-security-policy' && request.url.startsWith('/docs')) continue
      if (!reply.hasHeader(name)) reply.header(name, value)
    }
    return payload
  })

  if (config.CORS_ORIGINS) {
    await app.register(cors, {
      origin: config.CORS_ORIGINS.split(','),
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'content-encoding', 'accept', 'x-request-id'],
      exposedHeaders: ['content-disposition', 'retry-after', 'x-request-id', 'x-export-rows'],
      maxAge: 600,
    })
  }

  if (config.RATE_LIMIT_PER_MINUTE > 0 || config.RATE_LIMIT_INGEST_PER_MINUTE > 0) {
    await app.register(rateLimit, {
      global: true,
      // After authentication (onRequest), so that the key is the token and the limit its role's.
      hook: 'preHandler',
      timeWindow: 60_000,
      keyGenerator: (request) =>
        request.principal ? `token:${request.principal.tokenId}` : `address:${request.ip}`,
      max: (request) => rateLimitFor(config, request) || Number.MAX_SAFE_INTEGER,
      allowList: (request) =>
        unlimitedPaths.has(request.url.split('?')[0]!) || rateLimitFor(config, request) === 0,
      errorResponseBuilder: (_request, context) =>
        Object.assign(
          new Error(`rate limit of ${context.max} requests per minute reached; retry in ${context.after}`),
          {
            statusCode: 429,
          },
        ),
    })
  }
}

export interface QueryLimits {
  maxExecutionSeconds: number
  maxMemoryBytes: number
}

type WithSettings = { clickhouse_settings?: Record<string, unknown> }

/**
 * The same client, with engine limits added to every query and exec (the caller's own settings
 * win for other keys). The store's client is left as it is: inserts and migrations are not
 * requests of a reader.
 */
export function withQueryLimits(client: ClickHouseClient, limits: QueryLimits): ClickHouseClient {
  // Aggregations and sorts that outgrow half the memory allowed spill to disk rather than fail:
  // a large range answers slower instead of 503 (the 100M-event benchmark).
  const spillAt = String(Math.floor(limits.maxMemoryBytes / 2))
  const settings = {
    max_execution_time: limits.maxExecutionSeconds,
    max_memory_usage: String(limits.maxMemoryBytes),
    max_bytes_before_external_group_by: spillAt,
    max_bytes_before_external_sort: spillAt,
  }
  const limited = <P extends WithSettings>(params: P): P => ({
    ...params,
    clickhouse_settings: { ...params.clickhouse_settings, ...settings },
  })
  const wrapper = Object.create(client) as ClickHouseClient
  wrapper.query = ((params: WithSettings) =>
    client.query(limited(params) as never)) as ClickHouseClient['query']
  wrapper.exec = ((params: WithSettings) => client.exec(limited(params) as never)) as ClickHouseClient['exec']
  return wrapper
}

/** Engine errors that mean "this request asked too much", with the answer they get. */
export function queryLimitAnswer(error: unknown): { status: 503 | 504; message: string } | null {
  const type = (error as { type?: unknown } | null)?.type
  if (type === 'TIMEOUT_EXCEEDED' || type === 'TOO_SLOW') {
    return { status: 504, message: 'the query took longer than allowed; narrow the range or the filters' }
  }
  if (type === 'MEMORY_LIMIT_EXCEEDED' || type === 'MEMORY_LIMIT_EXCEEDED_FOR_QUERY') {
    return {
      status: 503,
      message: 'the query needed more memory than allowed; narrow the range or the filters',
    }
  }
  return null
}
