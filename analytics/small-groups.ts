// METRICS.md "Privacy rules that change numbers": breakdown groups of fewer than k people are
// withheld, and when only one would be, a second one too, so that it cannot be recovered by
// subtracting the others from the total.

export interface SizedGroup {
  group: string
  size: number
}

/** The names of the groups to withhold, with k the org's `min_group_size`. */
export function withheldGroups(groups: readonly SizedGroup[], k: number): Set<string> {
  const withheld = new Set(groups.filter((g) => g.size < k).map((g) => g.group))
  if (withheld.size === 1 && groups.length > 1) {
    const [smallest] = groups
      .filter((g) => !withheld.has(g.group))
      .sort((a, b) => a.size - b.size || (a.group < b.group ? -1 : 1))
    if (smallest) withheld.add(smallest.group)
  }
  return withheld
}
