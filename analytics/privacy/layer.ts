// The privacy layer (METRICS.md "Privacy rules that change numbers"): every metric answer goes
// through it, whatever it is served as (JSON, CSV, Arrow, the dashboard). A metric declares its
// group tables — which rows of its answer are groups of people, and of which kind — and the
// layer withholds them for every role but admin:
//  - `breakdown` rows (the groups of `by`): department and site groups follow the org's withheld
//    grid (grid.ts), decided once on the current roster, cut by the query's filters; spaces (for
//    roles other than community managers) and features need k people who ever acted there,
//    with a complementary one beside a lone withheld group.
//  - `space` rows (a list of spaces): k members, as above.
//  - `cohort` rows: k people in the cohort, with a complementary one.
//  - `department-pair` rows (a department × department matrix): withheld when either department
//    is withheld under the query's filters.
// It also refuses (403, naming the filter) a filter whose people are a withheld group.
// A withheld row keeps the fields that name it; every other field becomes null, and it says
// `suppressed: true`.
import type { Breakdown } from '../../schemas/api/catalogue.ts'
import type { MetricContext } from '../context.ts'
import { runQuery } from '../run.ts'
import { WithheldError, withheldGroups } from '../small-groups.ts'
import { baseParams, inWorkforceOn, latestRoster } from '../sql.ts'
import { actorFirstsRows } from '../workforce.ts'
import { cellKey, decideWithheld, type GridCell, type WithheldGrid } from './grid.ts'

/** A row of an answer that is a group: an object inside the answer, blanked in place. */
export type GroupRow = Record<string, unknown>

export interface GroupTable<R> {
  /** What its rows are groups of. */
  kind: 'breakdown' | 'space' | 'cohort' | 'department-pair'
  /** The group rows, as objects inside the answer (several rows may name one group). */
  rows(answer: R): GroupRow[]
  /** The fields that name a row, kept when it is withheld (default: `group`). */
  keys?: readonly string[]
  /** The group a row belongs to (default: its `group`, or `space` for spaces). */
  group?(row: GroupRow): string
  /** `cohort`: the number of people in the row's group. (Spaces are sized by the layer: the
   * people who ever acted there.) */
  population?(row: GroupRow): number
  /** `department-pair`: the two departments of a row. */
  pair?(row: GroupRow): [string, string]
}

/** The role that sees every group, flagged by the route. */
export const suppressionExemptRole = 'admin'
/** Community managers run the spaces: spaces are no groups for them (roster groups still are). */
const spaceExemptRoles = new Set(['admin', 'community_manager'])

/**
 * The withheld grid of the answer's family: the org's (the current roster's workforce per
 * department × site, and the actors missing from the roster as one cell ('', '')), or, under a
 * space filter, the space's (its members per cell), since a space's answers are another measure.
 */
export async function familyGrid(ctx: MetricContext): Promise<WithheldGrid> {
  const k = ctx.settings.min_group_size
  const space = ctx.query.filters.space
  const params = { ...baseParams(ctx.query), today: ctx.now.toISOString().slice(0, 10), space: space ?? '' }
  const { roster, outside } =
    space === undefined ? await orgCells(ctx, params) : await spaceCells(ctx, params)
  // Some figures count the actors missing from the roster (active people), others leave them out
  // (the workforce, adopters): the decision must hold for both. It is made first without them,
  // then extended to the grid with their cell ('', '').
  const key = JSON.stringify([k, outside, roster.map((c) => [c.department, c.site, c.size]).sort()])
  const known = decisions.get(key)
  if (known) return known
  const withoutOutsiders = decideWithheld(roster, k)
  const blank = roster.find((c) => c.department === '' && c.site === '')
  const withOutsiders = blank
    ? roster.map((c) => (c === blank ? { ...c, size: c.size + outside } : c))
    : [...roster, { department: '', site: '', size: outside }]
  const decided = outside === 0 ? withoutOutsiders : decideWithheld(withOutsiders, k, withoutOutsiders)
  // The same grid gives the same decision: kept for the next answers (the grid's queries still
  // run every time, so a new roster or a new actor is never missed).
  decisions.set(key, decided)
  if (decisions.size > 64) decisions.delete(decisions.keys().next().value!)
  return decided
}

/** Decisions by their grid (a few dozen orgs' and spaces' grids at most). */
const decisions = new Map<string, WithheldGrid>()

/** The current roster's workforce per department × site (cells of people who all left hold 0),
 * and the number of actors missing from the roster. */
async function orgCells(
  ctx: MetricContext,
  params: Record<string, string>,
): Promise<{ roster: GridCell[]; outside: number }> {
  const [roster, [unknown]] = await Promise.all([
    runQuery<{ department: string; site: string; size: number }>(
      ctx.client,
      `SELECT department, site, countIf(${inWorkforceOn('{today:Date}')}) AS size
       FROM ${latestRoster} GROUP BY department, site`,
      params,
    ),
    runQuery<{ n: number }>(
      ctx.client,
      `SELECT uniqExact(actor) AS n FROM ${actorFirstsRows(ctx, {})}
       WHERE actor NOT IN (SELECT person_id FROM ${latestRoster})`,
      params,
    ),
  ])
  return {
    roster: roster.map((r) => ({ department: r.department, site: r.site, size: Number(r.size) })),
    outside: Number(unknown?.n ?? 0),
  }
}

/** The people who ever acted in the space, per department × site of the current roster, and
 * those of them missing from the roster. */
async function spaceCells(
  ctx: MetricContext,
  params: Record<string, string>,
): Promise<{ roster: GridCell[]; outside: number }> {
  const rows = await runQuery<{ department: string; site: string; on_roster: number; size: number }>(
    ctx.client,
    `SELECT r.department AS department, r.site AS site, r.person_id != '' AS on_roster, uniqExact(f.actor) AS size
     FROM ${actorFirstsRows(ctx, { space: params.space! })} AS f
     LEFT JOIN ${latestRoster} AS r ON r.person_id = f.actor
     GROUP BY department, site, on_roster`,
    params,
  )
  return {
    roster: rows
      .filter((r) => Number(r.on_roster) === 1)
      .map((r) => ({ department: r.department, site: r.site, size: Number(r.size) })),
    outside: rows.filter((r) => Number(r.on_roster) !== 1).reduce((sum, r) => sum + Number(r.size), 0),
  }
}

/** Whether the people of a department and/or site (undefined: any) are a withheld group. */
export function rosterGroupWithheld(grid: WithheldGrid, department?: string, site?: string): boolean {
  if (department !== undefined && grid.departments.has(department)) return true
  if (site !== undefined && grid.sites.has(site)) return true
  if (department !== undefined && site !== undefined) return grid.cells.has(cellKey(department, site))
  return false
}

/** The number of people a department and/or site selects in the grid. */
function rosterGroupSize(grid: WithheldGrid, department?: string, site?: string): number {
  return grid.grid
    .filter(
      (c) =>
        (department === undefined || c.department === department) && (site === undefined || c.site === site),
    )
    .reduce((sum, c) => sum + c.size, 0)
}

/**
 * Refuses a query whose filters select a withheld group: a withheld department, site or cell of
 * the family grid, or (for roles other than community managers) a space of fewer than k members.
 * A filter that selects nobody is no group (a typo reads as zeros).
 */
export async function assertFilters(
  ctx: MetricContext,
  grid?: WithheldGrid,
): Promise<WithheldGrid | undefined> {
  if (ctx.role === suppressionExemptRole) return undefined
  const { department, site, space } = ctx.query.filters
  if (department === undefined && site === undefined && space === undefined) return grid
  const k = ctx.settings.min_group_size
  const family = grid ?? (await familyGrid(ctx))
  if (space !== undefined && !spaceExemptRoles.has(ctx.role ?? '')) {
    const members = rosterGroupSize(family)
    if (members > 0 && members < k) {
      throw new WithheldError(
        'space',
        `withheld: fewer than ${k} people (min_group_size) are members of this space`,
      )
    }
  }
  if (department === undefined && site === undefined) return family
  if (rosterGroupSize(family, department, site) === 0) return family
  if (department !== undefined && family.departments.has(department)) {
    throw new WithheldError(
      'department',
      `withheld: ${department} has fewer than ${k} people (min_group_size), or is withheld beside a group that has`,
    )
  }
  if (site !== undefined && family.sites.has(site)) {
    throw new WithheldError(
      'site',
      `withheld: ${site} has fewer than ${k} people (min_group_size), or is withheld beside a group that has`,
    )
  }
  // Left to refuse: a withheld cell, when both filters are set (the whole department or site was
  // refused above).
  if (rosterGroupWithheld(family, department, site)) {
    throw new WithheldError(
      'site',
      `withheld: department and site together select fewer than ${k} people, or a cell withheld beside one that does`,
    )
  }
  return family
}

/**
 * Withholds the groups of an answer, in place, as its group tables declare. `grid` is the
 * family grid when already loaded (assertFilters). Throws when the query asks for a breakdown the
 * metric declares no table for: such a metric could publish groups nobody checked.
 */
export async function withholdGroups<R>(
  ctx: MetricContext,
  tables: readonly GroupTable<R>[],
  answer: R,
  grid?: WithheldGrid,
): Promise<void> {
  const by = ctx.query.by
  if (by !== undefined && !tables.some((t) => t.kind === 'breakdown')) {
    throw new Error(`${String(by)}: this metric declares no breakdown table, so it cannot break down`)
  }
  for (const table of tables) {
    const rows = table.rows(answer)
    const keys = new Set(table.keys ?? ['group'])
    const groupOf = table.group ?? ((row: GroupRow) => String(row.group ?? row.space ?? ''))
    const hidden = await hiddenGroups(ctx, table, rows, groupOf, by, grid)
    for (const row of rows) {
      const withheld = hidden(row)
      if (withheld) for (const field of Object.keys(row)) if (!keys.has(field)) row[field] = null
      row.suppressed = withheld
    }
  }
}

async function hiddenGroups<R>(
  ctx: MetricContext,
  table: GroupTable<R>,
  rows: readonly GroupRow[],
  groupOf: (row: GroupRow) => string,
  by: Breakdown | undefined,
  loaded: WithheldGrid | undefined,
): Promise<(row: GroupRow) => boolean> {
  const none = () => false
  if (ctx.role === suppressionExemptRole) return none
  const k = ctx.settings.min_group_size
  const { department, site } = ctx.query.filters
  const grid = async () => loaded ?? (await familyGrid(ctx))
  switch (table.kind) {
    case 'breakdown': {
      if (by === 'department' || by === 'site') {
        const g = await grid()
        return (row) => {
          const group = groupOf(row)
          return by === 'department'
            ? rosterGroupWithheld(g, group, site) ||
                (department !== undefined && rosterGroupWithheld(g, department, site))
            : rosterGroupWithheld(g, department, group) ||
                (site !== undefined && rosterGroupWithheld(g, department, site))
        }
      }
      // Spaces and features: the people who ever acted there (among those the filters select).
      if (by === 'space' && spaceExemptRoles.has(ctx.role ?? '')) return none
      const members = await groupMembers(ctx, by === 'space' ? 'space' : 'feature')
      return bySizes(rows, groupOf, (group) => members.get(group) ?? 0, k)
    }
    case 'space': {
      if (spaceExemptRoles.has(ctx.role ?? '')) return none
      // The people who ever acted in the space, as the space filter counts them.
      const members = await groupMembers(ctx, 'space')
      return bySizes(rows, groupOf, (group) => members.get(group) ?? 0, k)
    }
    case 'cohort': {
      const population = table.population
      if (!population) throw new Error('a cohort table declares its people (population)')
      return bySizes(rows, groupOf, sizeFromRows(rows, groupOf, population), k)
    }
    case 'department-pair': {
      const pair = table.pair
      if (!pair) throw new Error('a department-pair table declares its departments (pair)')
      const g = await grid()
      return (row) => {
        // The filters narrow the actors' side (the first department), not the targets'.
        const [from, to] = pair(row)
        return rosterGroupWithheld(g, from, site) || rosterGroupWithheld(g, to)
      }
    }
  }
}

function sizeFromRows(
  rows: readonly GroupRow[],
  groupOf: (row: GroupRow) => string,
  population: (row: GroupRow) => number,
): (group: string) => number {
  const sizes = new Map<string, number>()
  for (const row of rows) sizes.set(groupOf(row), Math.max(sizes.get(groupOf(row)) ?? 0, population(row)))
  return (group) => sizes.get(group) ?? 0
}

/** Groups of fewer than k people withheld, and a second one beside a lone one. */
function bySizes(
  rows: readonly GroupRow[],
  groupOf: (row: GroupRow) => string,
  size: (group: string) => number,
  k: number,
): (row: GroupRow) => boolean {
  const groups = [...new Set(rows.map(groupOf))].map((group) => ({ group, size: size(group) }))
  const withheld = withheldGroups(groups, k)
  return (row) => withheld.has(groupOf(row))
}

/** Distinct people who ever acted in each space (or feature), among the people the query's
 * filters select. */
async function groupMembers(ctx: MetricContext, column: 'space' | 'feature'): Promise<Map<string, number>> {
  const { department, site } = ctx.query.filters
  const people = [
    department !== undefined ? 'department = {department:String}' : '',
    site !== undefined ? 'site = {site:String}' : '',
  ].filter(Boolean)
  const rows = await runQuery<{ grp: string; n: number }>(
    ctx.client,
    `SELECT ${column} AS grp, uniqExact(actor) AS n FROM ${actorFirstsRows(ctx, {})}
     ${people.length > 0 ? `WHERE actor IN (SELECT person_id FROM ${latestRoster} WHERE ${people.join(' AND ')})` : ''}
     GROUP BY grp`,
    { ...baseParams(ctx.query), department: department ?? '', site: site ?? '' },
  )
  return new Map(rows.map((r) => [r.grp, Number(r.n)]))
}
