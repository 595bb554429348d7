// Group commit with a stand-in write function: the batching logic alone.
import { describe, expect, it, vi } from 'vitest'
import { GroupCommitter } from '../../../ingest/group-commit.ts'
import { SinkUnavailableError } from '../../../ingest/sink.ts'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('GroupCommitter', () => {
  it('shares one write between concurrent callers, settling each after the write', async () => {
    const writes: number[][] = []
    const committer = new GroupCommitter<number>(
      async (rows) => {
        writes.push(rows)
      },
      { flushRows: 1000, flushMs: 20, maxBufferedRows: 10_000 },
    )
    let settled = 0
    const calls = [[1, 2], [3], [4, 5, 6]].map((rows) => committer.submit(rows).then(() => settled++))
    expect(settled).toBe(0)
    await Promise.all(calls)
    expect(writes).toEqual([[1, 2, 3, 4, 5, 6]])
  })

  it('flushes at the size limit without waiting for the timer', async () => {
    const writes: number[][] = []
    const committer = new GroupCommitter<number>(
      async (rows) => {
        writes.push(rows)
      },
      { flushRows: 3, flushMs: 60_000, maxBufferedRows: 100 },
    )
    await committer.submit([1, 2, 3])
    expect(writes).toEqual([[1, 2, 3]])
  })

  it('runs one write at a time and batches what arrives meanwhile', async () => {
    const writes: number[][] = []
    let active = 0
    let maxActive = 0
    const committer = new GroupCommitter<number>(
      async (rows) => {
        active++
        maxActive = Math.max(maxActive, active)
        await sleep(30)
        writes.push(rows)
        active--
      },
      { flushRows: 2, flushMs: 5, maxBufferedRows: 100 },
    )
    await Promise.all([
      committer.submit([1, 2]),
      sleep(5).then(() => committer.submit([3])),
      sleep(10).then(() => committer.submit([4])),
    ])
    expect(maxActive).toBe(1)
    expect(writes).toEqual([
      [1, 2],
      [3, 4],
    ])
  })

  it('refuses at once when the bounded buffer is full, and accepts again once it drained', async () => {
    let release: () => void = () => {}
    const committer = new GroupCommitter<number>(() => new Promise<void>((r) => (release = r)), {
      flushRows: 2,
      flushMs: 5,
      maxBufferedRows: 4,
    })
    const first = committer.submit([1, 2, 3])
    await expect(committer.submit([4, 5])).rejects.toBeInstanceOf(SinkUnavailableError)
    await sleep(10)
    release()
    await first
    const next = committer.submit([6])
    await sleep(10)
    release()
    await expect(next).resolves.toBeUndefined()
  })

  it('rejects every caller of a failed write', async () => {
    const committer = new GroupCommitter<number>(
      async () => {
        throw new Error('disk full')
      },
      { flushRows: 10, flushMs: 5, maxBufferedRows: 100 },
    )
    const results = await Promise.allSettled([committer.submit([1]), committer.submit([2])])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
  })
})

describe('GroupCommitter after a long write', () => {
  it('flushes a batch that waited its flushMs during the write as soon as the write ends', async () => {
    vi.useFakeTimers()
    try {
      const t0 = Date.now()
      const starts: number[] = []
      const committer = new GroupCommitter<number>(
        async () => {
          starts.push(Date.now() - t0)
          await new Promise((r) => setTimeout(r, 100))
        },
        { flushRows: 1000, flushMs: 50, maxBufferedRows: 100 },
      )
      // Row 1 is flushed at 50 ms; its write lasts until 150 ms. Row 2 arrives at 60 ms, so it is due
      // at 110 ms, during the write: it must go out when the write ends (150 ms), not 50 ms later.
      const first = committer.submit([1])
      await vi.advanceTimersByTimeAsync(60)
      const second = committer.submit([2])
      await vi.advanceTimersByTimeAsync(300)
      await Promise.all([first, second])
      expect(starts).toEqual([50, 150])
    } finally {
      vi.useRealTimers()
    }
  })

  it('still waits out the rest of flushMs for rows that arrived just before the write ended', async () => {
    vi.useFakeTimers()
    try {
      const t0 = Date.now()
      const starts: number[] = []
      const committer = new GroupCommitter<number>(
        async () => {
          starts.push(Date.now() - t0)
          await new Promise((r) => setTimeout(r, 100))
        },
        { flushRows: 1000, flushMs: 50, maxBufferedRows: 100 },
      )
      // Row 2 arrives at 140 ms, 10 ms before the write of row 1 ends: it is due at 190 ms.
      const first = committer.submit([1])
      await vi.advanceTimersByTimeAsync(140)
      const second = committer.submit([2])
      await vi.advanceTimersByTimeAsync(300)
      await Promise.all([first, second])
      expect(starts).toEqual([50, 190])
    } finally {
      vi.useRealTimers()
    }
  })
})
