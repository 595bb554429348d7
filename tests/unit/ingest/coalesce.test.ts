// Coalesced reads with a stand-in read: one run at a time, no answer older than the question.
import { describe, expect, it } from 'vitest'
import { CoalescedReads } from '../../../ingest/coalesce.ts'

function controlledRead() {
  const runs: { key: string; finish(value: number): void; fail(err: Error): void }[] = []
  const read = (key: string) =>
    new Promise<number>((resolve, reject) => runs.push({ key, finish: resolve, fail: reject }))
  return { runs, read }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('CoalescedReads', () => {
  it('shares the next run between callers that arrive during a run, never the run in progress', async () => {
    const { runs, read } = controlledRead()
    const reads = new CoalescedReads(read)
    const first = reads.get('acme')
    const second = reads.get('acme')
    const third = reads.get('acme')
    expect(runs).toHaveLength(1)
    runs[0]!.finish(1)
    expect(await first).toBe(1)
    await tick()
    // The two later callers asked while run 1 was going: they get run 2, started after it.
    expect(runs).toHaveLength(2)
    runs[1]!.finish(2)
    expect(await Promise.all([second, third])).toEqual([2, 2])
    const fourth = reads.get('acme')
    expect(runs).toHaveLength(3)
    runs[2]!.finish(3)
    expect(await fourth).toBe(3)
  })

  it('keeps keys apart and carries on after a failed run', async () => {
    const { runs, read } = controlledRead()
    const reads = new CoalescedReads(read)
    const a = reads.get('a')
    const b = reads.get('b')
    const a2 = reads.get('a')
    expect(runs.map((r) => r.key)).toEqual(['a', 'b'])
    runs[0]!.fail(new Error('store down'))
    await expect(a).rejects.toThrow('store down')
    await tick()
    expect(runs.map((r) => r.key)).toEqual(['a', 'b', 'a'])
    runs[2]!.finish(5)
    runs[1]!.finish(7)
    expect(await Promise.all([a2, b])).toEqual([5, 7])
  })
})
