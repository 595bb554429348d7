// Bearer-token authentication and the per-route role and org checks. Each route declares the
// roles that may call it in `config.roles`; a route without roles is public.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { canAccessOrg, type Principal, type Role } from '../schemas/auth.ts'
import { HttpError } from './errors.ts'
import type { TokenStore } from './tokens.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    roles?: readonly Role[]
  }
  interface FastifyRequest {
    principal: Principal | null
  }
}

export function installAuth(app: FastifyInstance, tokens: TokenStore): void {
  app.decorateRequest('principal', null)
  app.addHook('onRequest', async (request, reply) => {
    const roles = request.routeOptions.config.roles
    if (!roles) return
    const header = request.headers.authorization ?? ''
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
    const principal = bearer ? await tokens.authenticate(bearer) : null
    if (!principal) {
      reply.header('WWW-Authenticate', 'Bearer realm="implication"')
      throw new HttpError(
        401,
        bearer ? 'invalid or revoked token' : 'missing bearer token (Authorization: Bearer <token>)',
      )
    }
    const org = (request.params as { org?: string } | undefined)?.org
    // An org outside the token's set does not exist, as far as this token can tell.
    if (org !== undefined && !canAccessOrg(principal, org)) throw new HttpError(404, `no org ${org}`)
    if (!roles.includes(principal.role)) {
      throw new HttpError(403, `a ${principal.role} token may not call this route`)
    }
    request.principal = principal
  })
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpError(401, 'not authenticated')
  return request.principal
}
