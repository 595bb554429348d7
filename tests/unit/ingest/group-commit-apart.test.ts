// Group commit when the shared write fails: each caller's rows are written apart, so one
// caller's rows the store will not take fail that caller alone.
import { describe, expect, it } from 'vitest'
import { GroupCommitter } from '../../../ingest/group-commit.ts'

/** A store that refuses any write holding a negative number, and keeps what it took. */
function pickyStore() {
  const stored: number[] = []
  const attempts: number[][] = []
  const write = async (rows: number[]) => {
    attempts.push([...rows])
    if (rows.some((r) => r < 0)) throw new Error('Code: 27. DB::Exception: cannot parse input')
    stored.push(...rows)
  }
  return { stored, attempts, write }
}

describe('GroupCommitter, a failed shared write', () => {
  it('fails only the caller whose rows the store refuses; the others are stored', async () => {
    const store = pickyStore()
    const committer = new GroupCommitter<number>(store.write, {
      flushRows: 1000,
      flushMs: 20,
      maxBufferedRows: 10_000,
    })
    const results = await Promise.allSettled([
      committer.submit([1, 2]),
      committer.submit([3, -1, 4]),
      committer.submit([5]),
      committer.submit([6, 7]),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled'])
    expect(store.stored.sort((a, b) => a - b)).toEqual([1, 2, 5, 6, 7])
    // The four requests shared one write first: the refusal came from the store, not a split up front.
    expect(store.attempts[0]!.sort((a, b) => a - b)).toEqual([-1, 1, 2, 3, 4, 5, 6, 7])
    expect(committer.stats.apart).toBe(1)
  })

  it('keeps batching afterwards, and a later write shares again', async () => {
    const store = pickyStore()
    const committer = new GroupCommitter<number>(store.write, {
      flushRows: 1000,
      flushMs: 10,
      maxBufferedRows: 10_000,
    })
    await Promise.allSettled([committer.submit([-5]), committer.submit([10])])
    const before = store.attempts.length
    await Promise.all([committer.submit([11]), committer.submit([12])])
    expect(store.attempts.length - before).toBe(1)
    expect(store.stored.sort((a, b) => a - b)).toEqual([10, 11, 12])
  })

  it('a caller alone in a failed write is failed without a second attempt', async () => {
    const store = pickyStore()
    const committer = new GroupCommitter<number>(store.write, {
      flushRows: 1,
      flushMs: 10,
      maxBufferedRows: 100,
    })
    await expect(committer.submit([-1])).rejects.toThrow(/DB::Exception/)
    expect(store.attempts).toEqual([[-1]])
  })
})
