// Group commit: concurrent callers share one write. A batch is flushed when it reaches
// `flushRows` or `flushMs` after its first row, whichever comes first; one write runs at a
// time; every caller's promise settles with the write that carried its rows. The buffer is
// bounded: beyond `maxBufferedRows` (waiting plus in flight), callers are refused at once.
// A shared write that fails is retried apart, each caller's rows on their own: one caller's bad
// rows (or a transient failure) then fail only that caller, never the others of the write.
import { SinkUnavailableError } from './sink.ts'

export interface GroupCommitOptions {
  flushRows: number
  flushMs: number
  maxBufferedRows: number
}

interface Waiter<T> {
  rows: readonly T[]
  resolve(): void
  reject(err: unknown): void
}

interface Batch<T> {
  rows: T[]
  waiters: Waiter<T>[]
}

export class GroupCommitter<T> {
  private pending: Batch<T> = { rows: [], waiters: [] }
  /** When the first row of the pending batch arrived (Date.now()): it is due `flushMs` later. */
  private pendingSince = 0
  private inFlightRows = 0
  private writing: Promise<void> | null = null
  private timer: NodeJS.Timeout | null = null
  private closed = false
  /** `batches` counts the writes that succeeded, `apart` the failed shared writes retried apart. */
  readonly stats = { batches: 0, rows: 0, refused: 0, apart: 0 }

  constructor(
    private readonly writeBatch: (rows: T[]) => Promise<void>,
    private readonly options: GroupCommitOptions,
  ) {}

  get bufferedRows(): number {
    return this.pending.rows.length + this.inFlightRows
  }

  submit(rows: readonly T[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve()
    if (this.closed) return Promise.reject(new SinkUnavailableError('the writer is shutting down', 5))
    if (this.bufferedRows + rows.length > this.options.maxBufferedRows) {
      this.stats.refused += rows.length
      return Promise.reject(new SinkUnavailableError('ingest buffer full, retry shortly', 1))
    }
    const done = new Promise<void>((resolve, reject) => this.pending.waiters.push({ rows, resolve, reject }))
    if (this.pending.rows.length === 0) this.pendingSince = Date.now()
    for (const row of rows) this.pending.rows.push(row)
    if (this.pending.rows.length >= this.options.flushRows) this.flushSoon(0)
    else this.flushSoon(this.options.flushMs)
    return done
  }

  /** Writes whatever is pending and waits for every write to finish. */
  async drain(): Promise<void> {
    while (this.pending.rows.length > 0 || this.writing) {
      if (this.writing) await this.writing.catch(() => undefined)
      else await this.flush()
    }
  }

  async close(): Promise<void> {
    this.closed = true
    await this.drain()
  }

  /** Writes the batch; settles every waiter; never throws. */
  private async commit(batch: Batch<T>): Promise<void> {
    try {
      await this.writeBatch(batch.rows)
      this.stats.batches++
      this.stats.rows += batch.rows.length
      for (const w of batch.waiters) w.resolve()
      return
    } catch (err) {
      if (batch.waiters.length === 1) {
        batch.waiters[0]!.reject(err)
        return
      }
    }
    // Each caller's rows on their own, one write at a time still. An insert is all or nothing at
    // these sizes; were a row of the failed write stored anyway, writing it again is harmless
    // (the events table keeps one row per event id).
    this.stats.apart++
    for (const w of batch.waiters) {
      try {
        await this.writeBatch(w.rows.slice())
        this.stats.batches++
        this.stats.rows += w.rows.length
        w.resolve()
      } catch (err) {
        w.reject(err)
      }
    }
  }

  private flushSoon(delayMs: number): void {
    if (delayMs === 0) {
      if (this.timer) clearTimeout(this.timer)
      this.timer = null
      void this.flush()
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null
        void this.flush()
      }, delayMs)
    }
  }

  private async flush(): Promise<void> {
    // One write at a time: rows arriving meanwhile form the next batch, flushed when it ends.
    if (this.writing || this.pending.rows.length === 0) return
    const batch = this.pending
    this.pending = { rows: [], waiters: [] }
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    this.inFlightRows = batch.rows.length
    this.writing = this.commit(batch)
    try {
      await this.writing
    } finally {
      this.inFlightRows = 0
      this.writing = null
    }
    // Rows that came during the write may be due already (their timer fired while it ran): they
    // go now; the others wait only what is left of their `flushMs`.
    if (this.pending.rows.length >= this.options.flushRows) this.flushSoon(0)
    else if (this.pending.rows.length > 0) {
      this.flushSoon(Math.max(0, this.pendingSince + this.options.flushMs - Date.now()))
    }
  }
}
