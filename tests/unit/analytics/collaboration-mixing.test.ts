// The yardsticks of the cross-department share (METRICS.md "Collaboration across silos") on
// interactions small enough to work out by hand.
import { describe, expect, it } from 'vitest'
import { mixingOf } from '../../../analytics/metrics/collaboration.ts'

const cell = (from: string, to: string, interactions: number) => ({
  period: '2025-03-03',
  from_department: from,
  to_department: to,
  interactions,
})

describe('mixingOf', () => {
  it('reads 1 when people mix at random', () => {
    // Two departments, one interaction each way and one inside each: a = t = 1/2 for both;
    // expected 1 − (1/4 + 1/4) = 0.5, observed 2/4 = 0.5.
    expect(mixingOf([cell('a', 'a', 1), cell('a', 'b', 1), cell('b', 'a', 1), cell('b', 'b', 1)])).toEqual({
      expected_cross_share: 0.5,
      mixing: 1,
      ei_index: 0,
    })
  })

  it('reads below 1 for silos: most interactions stay inside although departments are even', () => {
    // a→a 4, b→b 4, a→b 1, b→a 1: a = t = 1/2 each, expected 0.5; observed 2/10 = 0.2;
    // mixing 0.4; E-I (2 − 8) / 10 = −0.6.
    expect(mixingOf([cell('a', 'a', 4), cell('b', 'b', 4), cell('a', 'b', 1), cell('b', 'a', 1)])).toEqual({
      expected_cross_share: 0.5,
      mixing: 0.4,
      ei_index: -0.6,
    })
  })

  it('has no yardstick when nothing can cross, and nothing without interactions', () => {
    // One department: expected 1 − 1·1 = 0, so no mixing ratio; E-I −1 (all inside).
    expect(mixingOf([cell('a', 'a', 3)])).toEqual({ expected_cross_share: 0, mixing: null, ei_index: -1 })
    expect(mixingOf([])).toEqual({ expected_cross_share: null, mixing: null, ei_index: null })
  })
})
