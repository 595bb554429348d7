import { describe, expect, it } from 'vitest'
import { formatDuration, formatProgress, ProgressBar } from '../../../terminal/progress.ts'

function fakeStream(isTTY: boolean) {
  const writes: string[] = []
  return { writes, stream: { isTTY, columns: 200, write: (text: string) => writes.push(text) > 0 } }
}

describe('progress', () => {
  it('formats share, date, events, rate and time left', () => {
    const line = formatProgress(
      'simulate demo',
      { done: 25, total: 100, events: 500_000, date: '2025-09-01' },
      10_000,
    )
    expect(line).toBe(
      'simulate demo [██████░░░░░░░░░░░░░░░░░░]  25% 2025-09-01 · 500,000 events · 50,000 events/s · 30 s left',
    )
    expect(formatDuration(125_000)).toBe('2 min 05 s')
    expect(formatDuration(3_725_000)).toBe('1 h 02 min')
  })

  it('stays silent for a run under a second, then redraws one line on a terminal', () => {
    let now = 0
    const { writes, stream } = fakeStream(true)
    const bar = new ProgressBar('sim', stream, () => now)
    now = 500
    bar.update({ done: 1, total: 10, events: 10, date: '2025-01-01' })
    expect(writes).toEqual([])
    now = 1500
    bar.update({ done: 2, total: 10, events: 20, date: '2025-01-02' })
    now = 1550
    bar.update({ done: 3, total: 10, events: 30, date: '2025-01-03' })
    expect(writes).toHaveLength(1)
    expect(writes[0]).toMatch(/^\r.*20% 2025-01-02/)
    now = 3000
    bar.finish()
    expect(writes.at(-2)).toMatch(/30% 2025-01-03/)
    expect(writes.at(-1)).toBe('\n')
  })

  it('prints a line now and then when stderr is not a terminal, and nothing for a quick run', () => {
    let now = 0
    const { writes, stream } = fakeStream(false)
    const bar = new ProgressBar('sim', stream, () => now)
    for (now = 0; now <= 12_000; now += 100)
      bar.update({ done: now, total: 12_000, events: now, date: '2025-01-01' })
    expect(writes.length).toBeGreaterThanOrEqual(2)
    expect(writes.length).toBeLessThanOrEqual(4)
    for (const w of writes) expect(w.endsWith('\n')).toBe(true)
    const quick = fakeStream(false)
    const quickBar = new ProgressBar('sim', quick.stream, () => 10)
    quickBar.update({ done: 1, total: 1, events: 1, date: '2025-01-01' })
    quickBar.finish()
    expect(quick.writes).toEqual([])
  })
})
