// The one error handler: 4xx carry the real message and the field; 5xx are logged with their
// context and answered with a generic message and the request id.
import type { FastifyError, FastifyInstance } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { BodyError } from '../ingest/parse-body.ts'
import { SinkUnavailableError } from '../ingest/sink.ts'
import { queryLimitAnswer } from './hardening.ts'

/** The body of every error answer (4xx and 5xx): what went wrong, and the field when one did. */
export const errorBodySchema = z.looseObject({
  error: z.string().describe('the HTTP status text'),
  message: z.string().describe('what went wrong, for a person to read'),
  field: z.string().optional().describe('the parameter or body field at fault'),
  request_id: z.string().optional().describe('on a 5xx: the id to quote when reporting it'),
})

/** What a route can be answered besides its own successes, for its OpenAPI responses. */
export interface RouteErrorTraits {
  /** Needs a bearer token (401 without one, 403 for a role or org scope it lacks). */
  authenticated: boolean
  /** Has path parameters (400 when malformed, 404 when not found or not the token's org). */
  params: boolean
  /** Has a query string schema (400). */
  querystring: boolean
  /** Takes a request body (400, 408 too slow, 413 too large, 415 unsupported type). */
  body: boolean
  /** Runs engine queries under the QUERY_MAX_* limits (503 memory, 504 time). */
  queryLimits: boolean
  /** Writes through the event sink, which may refuse for a while (503 with Retry-After). */
  sink: boolean
  /** The rate limit is on. */
  rateLimited: boolean
}

const errorDescriptions: Record<number, string> = {
  400: 'Bad Request: a parameter or the body is invalid (the message and `field` say which)',
  401: 'Unauthorized: no bearer token, or an invalid or revoked one',
  403: "Forbidden: the token's role or org scope does not allow this",
  404: "Not Found: no such resource, or an org outside the token's orgs",
  408: 'Request Timeout: the request or its body arrived too slowly; the connection is closed',
  413: 'Payload Too Large: the body is over the limit of this route',
  414: 'URI Too Long: a path parameter is over the router limit',
  415: 'Unsupported Media Type: Content-Type or Content-Encoding not accepted here',
  429: 'Too Many Requests: the rate limit of the token is reached (see Retry-After)',
  503: 'Service Unavailable: the store or the sink is unavailable, or the query needed more memory than allowed (see Retry-After)',
  504: 'Gateway Timeout: the query took longer than allowed; narrow the range or the filters',
}

/** The error statuses a route may answer, with their descriptions. */
export function errorStatusesOf(traits: RouteErrorTraits): Map<number, string> {
  const statuses = new Set<number>()
  if (traits.authenticated) for (const s of [401, 403]) statuses.add(s)
  if (traits.params) for (const s of [400, 404, 414]) statuses.add(s)
  if (traits.querystring) statuses.add(400)
  if (traits.body) for (const s of [400, 408, 413, 415]) statuses.add(s)
  if (traits.queryLimits) for (const s of [503, 504]) statuses.add(s)
  if (traits.sink) statuses.add(503)
  if (traits.rateLimited) statuses.add(429)
  return new Map([...statuses].sort().map((status) => [status, errorDescriptions[status]!]))
}

const { $schema: _, ...errorBodyJsonSchema } = z.toJSONSchema(errorBodySchema) as Record<string, unknown>

export type OpenApiOperation = {
  responses?: Record<string, unknown>
  requestBody?: { required?: boolean } & Record<string, unknown>
}

/**
 * Adds to an OpenAPI operation the error answers its route may give, each with the error body;
 * the answers the route documents itself are kept as they are.
 */
export function documentErrorAnswers(operation: OpenApiOperation, traits: RouteErrorTraits): void {
  const responses = operation.responses ?? {}
  for (const [status, description] of errorStatusesOf(traits)) {
    responses[status] ??= { description, content: { 'application/json': { schema: errorBodyJsonSchema } } }
  }
  operation.responses = responses
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
  ) {
    super(message)
  }
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issue = error.validation[0]
      const where = error.validationContext ?? 'request'
      // A parameter the route does not take (a filter or breakdown a metric does not offer) is
      // named as the field, like any other bad parameter.
      const unknownKey =
        issue?.keyword === 'unrecognized_keys' ? (issue.params as { keys?: unknown[] }).keys?.[0] : undefined
      const path = issue ? issue.instancePath.replace(/^\//, '').replaceAll('/', '.') : ''
      const field = typeof unknownKey === 'string' ? (path ? `${path}.${unknownKey}` : unknownKey) : path
      const message = issue?.message ?? 'invalid request'
      return reply.code(400).send({
        error: 'Bad Request',
        message: `${where}${field ? `.${field}` : ''}: ${message}`,
        field: field || undefined,
      })
    }
    if (error instanceof SinkUnavailableError) {
      reply.header('Retry-After', String(error.retryAfterSeconds))
      request.log.warn({ err: error.message }, 'ingest refused: sink unavailable')
      return reply.code(503).send({ error: 'Service Unavailable', message: error.message })
    }
    if (error instanceof BodyError || error instanceof HttpError) {
      return reply.code(error.statusCode).send({
        error: statusText(error.statusCode),
        message: error.message,
        ...(error instanceof HttpError && error.field ? { field: error.field } : {}),
      })
    }
    // A query over the engine limits (QUERY_MAX_*): the caller asked too much, not a crash.
    const limit = queryLimitAnswer(error)
    if (limit) {
      request.log.warn({ err: error.message }, 'query over its engine limits')
      if (limit.status === 503) reply.header('Retry-After', '60')
      return reply.code(limit.status).send({ error: statusText(limit.status), message: limit.message })
    }
    const status = error.statusCode ?? 500
    if (status < 500) {
      const field = (error as { field?: unknown }).field
      return reply.code(status).send({
        error: statusText(status),
        message: error.message,
        ...(typeof field === 'string' ? { field } : {}),
      })
    }
    request.log.error({ err: error }, 'request failed')
    return reply
      .code(status)
      .send({ error: statusText(status), message: 'internal error', request_id: String(request.id) })
  })

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: 'Not Found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  )
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    408: 'Request Timeout',
    413: 'Payload Too Large',
    414: 'URI Too Long',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  }
  return texts[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error')
}
