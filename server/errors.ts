// The one error handler: 4xx carry the real message and the field; 5xx are logged with their
// context and answered with a generic message and the request id.
import type { FastifyError, FastifyInstance } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { BodyError } from '../ingest/parse-body.ts'
import { SinkUnavailableError } from '../ingest/sink.ts'
import { queryLimitAnswer } from './hardening.ts'

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
      const field = issue ? issue.instancePath.replace(/^\//, '').replaceAll('/', '.') : ''
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
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  }
  return texts[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error')
}
