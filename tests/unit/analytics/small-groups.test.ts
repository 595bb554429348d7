// Withholding small breakdown groups (METRICS.md "Privacy rules that change numbers").
import { describe, expect, it } from 'vitest'
import { withheldGroups } from '../../../analytics/small-groups.ts'

const sized = (entries: Record<string, number>) =>
  Object.entries(entries).map(([group, size]) => ({ group, size }))

describe('withheldGroups', () => {
  it('withholds nothing when every group reaches k', () => {
    expect(withheldGroups(sized({ a: 5, b: 9 }), 5)).toEqual(new Set())
  })

  it('withholds every group under k; two or more need no company', () => {
    expect(withheldGroups(sized({ a: 4, b: 2, c: 30 }), 5)).toEqual(new Set(['a', 'b']))
  })

  it('withholds the next smallest group beside a lone small one, so the total cannot give it away', () => {
    // c (3) alone would be total − a − b; the smallest other group, b (6 before a's 7), goes too.
    expect(withheldGroups(sized({ a: 7, b: 6, c: 3, d: 40 }), 5)).toEqual(new Set(['c', 'b']))
    // Equal sizes: the first by name.
    expect(withheldGroups(sized({ y: 8, x: 8, s: 1 }), 5)).toEqual(new Set(['s', 'x']))
  })

  it('has no second group to withhold when there is only one', () => {
    expect(withheldGroups(sized({ only: 2 }), 5)).toEqual(new Set(['only']))
  })

  it('withholds nothing from an admin, and everything as usual for any other role or none', () => {
    const groups = sized({ a: 7, b: 6, c: 3 })
    expect(withheldGroups(groups, 5, 'admin')).toEqual(new Set())
    expect(withheldGroups(groups, 5, 'exec')).toEqual(new Set(['c', 'b']))
    expect(withheldGroups(groups, 5)).toEqual(new Set(['c', 'b']))
  })
})
