// Who is calling: the principal a bearer token stands for, and what it may reach.
import { z } from 'zod'
import { orgPattern } from './event.ts'

// `metrics` reads the Prometheus counters at GET /metrics and nothing else.
export const roles = ['admin', 'exec', 'community_manager', 'hr', 'ingest', 'metrics'] as const
export type Role = (typeof roles)[number]

export interface Principal {
  tokenId: string
  role: Role
  /** The orgs this token may touch; `'*'` for all. */
  orgs: readonly string[] | '*'
  /** Source given to events that name none. */
  source: string
}

export function canAccessOrg(principal: Principal, org: string): boolean {
  return principal.orgs === '*' || principal.orgs.includes(org)
}

/** True when every org of `orgs` is one the principal may touch (`*` only for an all-orgs one). */
export function canAccessOrgs(principal: Principal, orgs: readonly string[] | '*'): boolean {
  if (principal.orgs === '*') return true
  if (orgs === '*' || orgs.includes('*')) return false
  return orgs.every((org) => canAccessOrg(principal, org))
}

export const tokenRequestSchema = z.strictObject({
  role: z.enum(roles),
  orgs: z.array(z.union([z.literal('*'), z.string().regex(orgPattern, 'not a valid org name')])).min(1),
  source: z.string().min(1).max(64).default('default'),
  label: z.string().max(200).default(''),
})
export type TokenRequest = z.infer<typeof tokenRequestSchema>
