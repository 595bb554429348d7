// Group commit with a stand-in write function: the batching logic alone.
import { describe, expect, it } from 'vitest'
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
