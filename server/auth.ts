// Bearer-token authentication and the role and org checks of every route, as the access table
// (server/access.ts) says. A route without a line in the table cannot be registered.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { canAccessOrg, type Principal } from '../schemas/auth.ts'
import { type AccessRule, accessRuleOf, routeKey } from './access.ts'
import { HttpError } from './errors.ts'
import type { TokenStore } from './tokens.ts'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
}

/** The rule of a route as fastify registers it (HEAD answers as its GET). */
export function ruleOfRoute(method: string, url: string): AccessRule | undefined {
  return accessRuleOf(method === 'HEAD' ? 'GET' : method, url)
}

/** Throws for a route that the table does not name: the app then refuses to start. */
export function assertRouteHasRule(method: string, url: string): void {
  if (!ruleOfRoute(method, url)) {
    throw new Error(`${routeKey(method, url)} has no line in the access table (server/access.ts)`)
  }
}

export function installAuth(app: FastifyInstance, tokens: TokenStore): void {
  app.decorateRequest('principal', null)
  app.addHook('onRequest', async (request, reply) => {
    const url = request.routeOptions.url
    if (url === undefined) return // no such route: the 404 handler answers
    const rule = ruleOfRoute(request.method, url)
    if (!rule) throw new HttpError(403, 'this route has no access rule') // unreachable: see onRoute
    if (rule.roles === 'public') return
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
    if (rule.org === 'path') {
      const org = (request.params as { org?: string } | undefined)?.org
      // An org outside the token's set does not exist, as far as this token can tell.
      if (org !== undefined && !canAccessOrg(principal, org)) throw new HttpError(404, `no org ${org}`)
    }
    if (!rule.roles.includes(principal.role)) {
      throw new HttpError(403, `a ${principal.role} token may not call this route`)
    }
    if (rule.org === 'all-orgs' && principal.orgs !== '*') {
      throw new HttpError(403, 'this route spans every org: it needs a token for all orgs (*)')
    }
    request.principal = principal
  })
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpError(401, 'not authenticated')
  return request.principal
}
