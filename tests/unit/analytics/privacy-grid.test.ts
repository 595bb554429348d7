// The withheld grid (analytics/privacy/grid.ts) on grids worked out by hand, and on random grids
// checked by the tests' own exact rank test (tests/helpers/span.ts).
import { describe, expect, it } from 'vitest'
import { cellKey, decideWithheld, type GridCell } from '../../../analytics/privacy/grid.ts'
import { Span } from '../../helpers/span.ts'

const cells = (sizes: Record<string, number>): GridCell[] =>
  Object.entries(sizes).map(([key, size]) => {
    const [department, site] = key.split('@') as [string, string]
    return { department, site, size }
  })

const keys = (...names: string[]) =>
  new Set(
    names.map((n) => {
      const [d, s] = n.split('@') as [string, string]
      return cellKey(d, s)
    }),
  )

describe('decideWithheld on grids worked out by hand', () => {
  it('withholds nothing when every cell, row and column holds k people', () => {
    const w = decideWithheld(cells({ 'a@x': 5, 'a@y': 6, 'b@x': 7, 'b@y': 5 }), 5)
    expect([...w.cells]).toEqual([])
    expect([...w.departments]).toEqual([])
    expect([...w.sites]).toEqual([])
  })

  it('closes the one small cell of a 3 × 3 grid with the smallest cycle of four cells', () => {
    // Every cell 10 but a@x = 2. Row a's withheld people (2) are under k: its smallest published
    // cell a@y joins (a@y before a@z by name); column x likewise takes b@x. Then a@x is still
    // row a − column y; neither a near cell (a@z, c@x) nor a whole row or column takes it out
    // of the span, but b@y does: a@x, a@y, b@y, b@x are a cycle, and a cell on a cycle of the
    // withheld cells cannot be isolated from row and column totals.
    const grid = cells({
      'a@x': 2,
      'a@y': 10,
      'a@z': 10,
      'b@x': 10,
      'b@y': 10,
      'b@z': 10,
      'c@x': 10,
      'c@y': 10,
      'c@z': 10,
    })
    const w = decideWithheld(grid, 5)
    expect(w.cells).toEqual(keys('a@x', 'a@y', 'b@x', 'b@y'))
    expect([...w.departments]).toEqual([])
    expect([...w.sites]).toEqual([])
  })

  it('withholds every department when a site total minus a department would give a small cell away', () => {
    // sales@paris 6, tech@lyon 5, legal@paris 1, legal@lyon 1 (tests/integration/privacy).
    // legal (2) is withheld as a department. paris − sales = legal@paris and lyon − tech =
    // legal@lyon, so sales and tech must go too; with the three departments withheld, paris and
    // lyon (7 and 6 people) stay published: their cells cannot be told apart from them.
    const w = decideWithheld(
      cells({ 'sales@paris': 6, 'tech@lyon': 5, 'legal@paris': 1, 'legal@lyon': 1 }),
      5,
    )
    expect(w.cells).toEqual(keys('sales@paris', 'tech@lyon', 'legal@paris', 'legal@lyon'))
    expect(w.departments).toEqual(new Set(['legal', 'sales', 'tech']))
    expect(w.sites).toEqual(new Set())
  })

  it('gives the same answer whatever the order of the cells', () => {
    const grid = cells({ 'a@x': 2, 'a@y': 9, 'b@x': 8, 'b@y': 1, 'c@x': 12, 'c@y': 3, 'c@z': 7 })
    const one = decideWithheld(grid, 5)
    const other = decideWithheld([...grid].reverse(), 5)
    expect(other.cells).toEqual(one.cells)
    expect(other.departments).toEqual(one.departments)
    expect(other.sites).toEqual(one.sites)
  })
})

/** A seeded generator (Park–Miller), so that a failure repeats. */
function generator(seed: number) {
  let s = seed
  return () => {
    s = (s * 48_271) % 2_147_483_647
    return s / 2_147_483_647
  }
}

describe('decideWithheld on random grids, checked by an exact rank test', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`leaves no small cell, department or site in the span of what it publishes (seed ${seed})`, () => {
      const random = generator(seed)
      const departments = 3 + Math.floor(random() * 8)
      const sites = 2 + Math.floor(random() * 6)
      const k = 3 + Math.floor(random() * 4)
      const grid: GridCell[] = []
      for (let d = 0; d < departments; d++) {
        for (let s = 0; s < sites; s++) {
          // Many small cells, some empty ones left out, a few large ones.
          const size = Math.floor(random() ** 2.5 * 30)
          if (size > 0) grid.push({ department: `d${d}`, site: `s${s}`, size })
        }
      }
      const w = decideWithheld(grid, k)
      const index = new Map(grid.map((c, i) => [cellKey(c.department, c.site), i]))
      const rowOf = (d: string) => grid.flatMap((c, i) => (c.department === d ? [i] : []))
      const columnOf = (s: string) => grid.flatMap((c, i) => (c.site === s ? [i] : []))
      const rows = [...new Set(grid.map((c) => c.department))]
      const columns = [...new Set(grid.map((c) => c.site))]
      const people = (ids: number[]) => ids.reduce((sum, i) => sum + grid[i]!.size, 0)

      // What any role but admin can obtain: the org total, the published cells, departments, sites.
      const span = new Span(grid.length)
      span.add(grid.map((_, i) => i))
      grid.forEach((c, i) => {
        if (!w.cells.has(cellKey(c.department, c.site))) span.add([i])
      })
      for (const d of rows) if (!w.departments.has(d)) span.add(rowOf(d))
      for (const s of columns) if (!w.sites.has(s)) span.add(columnOf(s))

      for (const c of grid) {
        if (c.size < k) {
          expect(w.cells.has(cellKey(c.department, c.site))).toBe(true)
          expect(span.contains([index.get(cellKey(c.department, c.site))!])).toBe(false)
        }
      }
      for (const d of rows) {
        if (people(rowOf(d)) < k) expect(span.contains(rowOf(d))).toBe(false)
      }
      for (const s of columns) {
        if (people(columnOf(s)) < k) expect(span.contains(columnOf(s))).toBe(false)
      }
      // In every published department and site, the withheld cells hold no one or k people.
      const heldIn = (ids: number[]) =>
        people(ids.filter((i) => w.cells.has(cellKey(grid[i]!.department, grid[i]!.site))))
      for (const d of rows)
        if (!w.departments.has(d)) expect(heldIn(rowOf(d)) === 0 || heldIn(rowOf(d)) >= k).toBe(true)
      for (const s of columns)
        if (!w.sites.has(s)) expect(heldIn(columnOf(s)) === 0 || heldIn(columnOf(s)) >= k).toBe(true)
    })
  }
})
