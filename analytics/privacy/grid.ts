// METRICS.md "Privacy rules that change numbers": which cells of an org's department × site grid
// are withheld, decided once for every answer, so that no answer can be combined with others to
// isolate one.
//
// What every role but admin may obtain about the grid, whatever it asks (`by` × filters), is a
// sum over a set of cells: the whole org, a department (a row), a site (a column), or a
// department × site cell (a department filter broken down by site, or both filters). The answers
// of one family (the same measure and range) can be added and subtracted, so what a caller can
// learn is the linear span of the published sets. The decision below withholds cells, and whole
// rows and columns, until
//  - every cell, row and column of fewer than k people is withheld;
//  - no withheld cell, row or column lies in the span of the published ones (a rank test, with
//    the published cells, rows, columns and the org total as the spanning vectors);
//  - in every published row and column, the withheld cells hold no people or at least k together
//    (their sum is the row minus its published cells, so it is published in effect).
// Modulo the published cells every published vector is its restriction to the withheld cells, so
// the span is tested in the space of the withheld cells only: a few dozen coordinates.

export interface GridCell {
  department: string
  site: string
  /** The cell's population: workforce members of the current roster (or, for a space, members). */
  size: number
}

export interface WithheldGrid {
  readonly k: number
  /** The cells withheld (keys from `cellKey`). */
  readonly cells: ReadonlySet<string>
  /** Departments (rows) withheld as a whole: fewer than k people, or withheld beside one. */
  readonly departments: ReadonlySet<string>
  /** Sites (columns) withheld as a whole. */
  readonly sites: ReadonlySet<string>
  /** Every cell of the grid with its population. */
  readonly grid: readonly GridCell[]
}

export function cellKey(department: string, site: string): string {
  return `${department}\u0000${site}`
}

type Node = { kind: 'department' | 'site'; name: string }
const nodeKey = (n: Node) => `${n.kind}\u0001${n.name}`
function nodeOf(key: string): Node {
  const [kind, name] = key.split('\u0001') as [Node['kind'], string]
  return { kind, name }
}

type Move = { cell: GridCell } | { node: Node }

/** Whether `target` lies in the span of `vectors` (sparse vectors over string coordinates). */
export function inSpan(
  vectors: readonly ReadonlyMap<string, number>[],
  target: ReadonlyMap<string, number>,
): boolean {
  const basis = echelonBasis(vectors)
  return reduce(basis, target).size === 0
}

interface Pivoted {
  pivot: string
  vector: Map<string, number>
}

const tolerance = 1e-9

/** `target -= factor × source`, in place, dropping the coordinates that reach zero. */
function subtract(target: Map<string, number>, factor: number, source: ReadonlyMap<string, number>): void {
  for (const [coordinate, value] of source) {
    const next = (target.get(coordinate) ?? 0) - factor * value
    if (Math.abs(next) < tolerance) target.delete(coordinate)
    else target.set(coordinate, next)
  }
}

function reduce(basis: readonly Pivoted[], vector: ReadonlyMap<string, number>): Map<string, number> {
  const v = new Map(vector)
  for (const { pivot, vector: b } of basis) {
    const factor = v.get(pivot)
    if (factor !== undefined) subtract(v, factor, b)
  }
  return v
}

function echelonBasis(vectors: readonly ReadonlyMap<string, number>[]): Pivoted[] {
  const basis: Pivoted[] = []
  for (const vector of vectors) {
    const v = reduce(basis, vector)
    if (v.size === 0) continue
    const [pivot, value] = [...v.entries()].reduce((a, b) => (Math.abs(b[1]) > Math.abs(a[1]) ? b : a))
    for (const [coordinate, x] of v) v.set(coordinate, x / value)
    // Keep the basis reduced on the new pivot, so that one pass reduces any vector.
    for (const other of basis) {
      const factor = other.vector.get(pivot)
      if (factor !== undefined) subtract(other.vector, factor, v)
    }
    basis.push({ pivot, vector: v })
  }
  return basis
}

class Decision {
  readonly cells = new Set<string>()
  readonly nodes = new Set<string>()
  readonly byKey = new Map<string, GridCell>()
  readonly rows = new Map<string, GridCell[]>()
  readonly columns = new Map<string, GridCell[]>()

  constructor(
    readonly grid: readonly GridCell[],
    readonly k: number,
  ) {
    for (const cell of grid) {
      this.byKey.set(cellKey(cell.department, cell.site), cell)
      this.rows.set(cell.department, [...(this.rows.get(cell.department) ?? []), cell])
      this.columns.set(cell.site, [...(this.columns.get(cell.site) ?? []), cell])
    }
  }

  members(node: Node): GridCell[] {
    return (node.kind === 'department' ? this.rows.get(node.name) : this.columns.get(node.name)) ?? []
  }

  size(node: Node): number {
    return this.members(node).reduce((sum, c) => sum + c.size, 0)
  }

  allNodes(): Node[] {
    return [
      ...[...this.rows.keys()].map((name): Node => ({ kind: 'department', name })),
      ...[...this.columns.keys()].map((name): Node => ({ kind: 'site', name })),
    ]
  }

  /** A node's vector restricted to the withheld cells. */
  star(node: Node): Map<string, number> {
    const v = new Map<string, number>()
    for (const c of this.members(node)) {
      const key = cellKey(c.department, c.site)
      if (this.cells.has(key)) v.set(key, 1)
    }
    return v
  }

  published(): Map<string, number>[] {
    const total = new Map<string, number>([...this.cells].map((key) => [key, 1]))
    return [
      total,
      ...this.allNodes()
        .filter((n) => !this.nodes.has(nodeKey(n)))
        .map((n) => this.star(n)),
    ]
  }

  /** The withheld cells, rows and columns: each with its vector restricted to the withheld cells
   * (a function: the vector grows as more cells are withheld) and the cells near it. */
  targets(): { vector: () => Map<string, number>; near: GridCell[] }[] {
    const targets = [...this.cells].sort().map((key) => {
      const cell = this.byKey.get(key)!
      return {
        vector: () => new Map([[key, 1]]),
        near: [...(this.rows.get(cell.department) ?? []), ...(this.columns.get(cell.site) ?? [])],
      }
    })
    for (const key of [...this.nodes].sort()) {
      const node = nodeOf(key)
      const near = this.members(node).flatMap((c) => [
        ...(this.rows.get(c.department) ?? []),
        ...(this.columns.get(c.site) ?? []),
      ])
      // A row withheld beside another whose cells are all published has nothing left to hide.
      if (this.star(node).size > 0) targets.push({ vector: () => this.star(node), near })
    }
    return targets
  }

  apply(move: Move): void {
    if ('cell' in move) this.cells.add(cellKey(move.cell.department, move.cell.site))
    else this.nodes.add(nodeKey(move.node))
  }

  undo(move: Move): void {
    if ('cell' in move) this.cells.delete(cellKey(move.cell.department, move.cell.site))
    else this.nodes.delete(nodeKey(move.node))
  }

  withholdCell(cell: GridCell): void {
    this.cells.add(cellKey(cell.department, cell.site))
  }

  isWithheld(cell: GridCell): boolean {
    return this.cells.has(cellKey(cell.department, cell.site))
  }
}

const bySize = (a: GridCell, b: GridCell) =>
  a.size - b.size || (cellKey(a.department, a.site) < cellKey(b.department, b.site) ? -1 : 1)

/**
 * The withheld cells, rows and columns of a grid for threshold `k`. Deterministic: the same grid
 * gives the same answer, whatever the order of its cells. `from`: a decision to extend (what it
 * withholds stays withheld), for a grid that is the same but for one cell's size.
 */
export function decideWithheld(grid: readonly GridCell[], k: number, from?: WithheldGrid): WithheldGrid {
  const d = new Decision(grid, k)
  for (const key of from?.cells ?? []) if (d.byKey.has(key)) d.cells.add(key)
  for (const name of from?.departments ?? [])
    if (d.rows.has(name)) d.nodes.add(nodeKey({ kind: 'department', name }))
  for (const name of from?.sites ?? []) if (d.columns.has(name)) d.nodes.add(nodeKey({ kind: 'site', name }))
  for (const cell of grid) if (cell.size < k) d.withholdCell(cell)
  for (const node of d.allNodes()) if (d.size(node) < k) d.nodes.add(nodeKey(node))

  // Each round withholds one more cell, row or column, so the loop ends.
  for (let round = 0; round <= grid.length + d.allNodes().length; round++) {
    const published = d.allNodes().filter((n) => !d.nodes.has(nodeKey(n)))
    // A published row or column whose withheld cells hold a few people: their sum is published
    // in effect (the row minus its published cells); withhold its smallest published cell too.
    const thin = published.find((n) => {
      const held = d.members(n).filter((c) => d.isWithheld(c))
      const people = held.reduce((s, c) => s + c.size, 0)
      return held.length > 0 && people < k && d.members(n).some((c) => !d.isWithheld(c))
    })
    if (thin) {
      d.withholdCell(
        d
          .members(thin)
          .filter((c) => !d.isWithheld(c))
          .sort(bySize)[0]!,
      )
      continue
    }
    const basis = echelonBasis(d.published())
    const exposed = d.targets().find((t) => reduce(basis, t.vector()).size === 0)
    if (!exposed) break
    // The cheapest move that takes it out of the span: a published cell near it (its row and
    // column, or the rows and columns of its cells), a published row or column (the smallest
    // first), then any published cell.
    const near = [...new Set(exposed.near)].filter((c) => !d.isWithheld(c)).sort(bySize)
    const nodes = published.sort((a, b) => d.size(a) - d.size(b) || (nodeKey(a) < nodeKey(b) ? -1 : 1))
    const far = grid.filter((c) => !d.isWithheld(c) && !near.includes(c)).sort(bySize)
    const moves: Move[] = [
      ...near.map((cell) => ({ cell })),
      ...nodes.map((node) => ({ node })),
      ...far.map((cell) => ({ cell })),
    ]
    if (moves.length === 0) break
    const fixing = moves.find((move) => {
      d.apply(move)
      const still = inSpan(d.published(), exposed.vector())
      d.undo(move)
      return !still
    })
    d.apply(fixing ?? moves[0]!)
  }
  const names = (kind: Node['kind']) =>
    new Set(
      [...d.nodes]
        .map(nodeOf)
        .filter((n) => n.kind === kind)
        .map((n) => n.name),
    )
  return { k, cells: d.cells, departments: names('department'), sites: names('site'), grid }
}
