// METRICS.md "Privacy rules that change numbers", for groups outside the roster grid (spaces,
// cohorts): groups of fewer than k people are withheld, and when only one would be, a second one
// too, so that it cannot be recovered by subtracting the others from the total. Roster groups
// (departments, sites, their cells) follow the org's grid instead (analytics/privacy/grid.ts);
// analytics/privacy/layer.ts applies both.

export interface SizedGroup {
  group: string
  size: number
}

const suppressionExemptRole = 'admin'

/**
 * The names of the groups to withhold, with k the org's `min_group_size`. `role` is the caller's;
 * an admin gets none withheld. Without a role the rule applies (the safe default).
 */
export function withheldGroups(groups: readonly SizedGroup[], k: number, role?: string): Set<string> {
  if (role === suppressionExemptRole) return new Set()
  const withheld = new Set(groups.filter((g) => g.size < k).map((g) => g.group))
  if (withheld.size === 1 && groups.length > 1) {
    const [smallest] = groups
      .filter((g) => !withheld.has(g.group))
      .sort((a, b) => a.size - b.size || (a.group < b.group ? -1 : 1))
    if (smallest) withheld.add(smallest.group)
  }
  return withheld
}

/** A filter selecting fewer than k people: the whole answer is withheld (HTTP 403). */
export class WithheldError extends Error {
  readonly statusCode = 403
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`)
  }
}
