// A small progress bar on stderr: share done, simulated date, events so far, rate and time left.
// Silent for runs under a second; on a terminal it redraws one line, elsewhere it prints a line
// every few seconds.

export interface ProgressState {
  /** Days simulated so far, of `total`. */
  done: number
  total: number
  events: number
  /** The simulated date reached, `YYYY-MM-DD`. */
  date: string
  /** What `events` counts (default `events`). */
  unit?: string
}

export type ProgressListener = (state: ProgressState) => void

export interface ProgressStream {
  write(text: string): boolean
  isTTY?: boolean
  columns?: number
}

const barWidth = 24

function groupThousands(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  return m < 60
    ? `${m} min ${String(s % 60).padStart(2, '0')} s`
    : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`
}

/** One line: `demo [██████░░░░]  48% 2025-06-14 · 1,234,567 events · 85,000 events/s · 21 s left`. */
export function formatProgress(label: string, state: ProgressState, elapsedMs: number): string {
  const share = state.total > 0 ? Math.min(1, state.done / state.total) : 1
  const filled = Math.round(share * barWidth)
  const bar = `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`
  const rate = elapsedMs > 0 ? (state.events / elapsedMs) * 1000 : 0
  const left = share > 0 ? (elapsedMs * (1 - share)) / share : Number.NaN
  const pct = `${Math.floor(share * 100)}%`.padStart(4)
  const eta = Number.isFinite(left) ? `${formatDuration(left)} left` : '…'
  const unit = state.unit ?? 'events'
  return `${label} [${bar}] ${pct} ${state.date} · ${groupThousands(state.events)} ${unit} · ${groupThousands(rate)} ${unit}/s · ${eta}`
}

export class ProgressBar {
  private readonly startedAt: number
  private lastDrawAt = Number.NEGATIVE_INFINITY
  private drawn = false
  private last: ProgressState | null = null

  constructor(
    private readonly label: string,
    private readonly stream: ProgressStream,
    private readonly now: () => number = () => performance.now(),
    /** Nothing is shown before this much time has passed. */
    private readonly delayMs = 1000,
  ) {
    this.startedAt = now()
  }

  readonly update: ProgressListener = (state) => {
    this.last = state
    const t = this.now()
    if (t - this.startedAt < this.delayMs) return
    const every = this.stream.isTTY ? 100 : 5000
    if (t - this.lastDrawAt < every) return
    this.lastDrawAt = t
    this.draw(state, t)
  }

  /** Draws the final state when anything was drawn, and ends the line. */
  finish(): void {
    if (!this.drawn || !this.last) return
    this.draw(this.last, this.now())
    if (this.stream.isTTY) this.stream.write('\n')
  }

  private draw(state: ProgressState, t: number): void {
    const line = formatProgress(this.label, state, t - this.startedAt)
    if (this.stream.isTTY) {
      const width = this.stream.columns ?? 120
      this.stream.write(`\r${line.slice(0, width - 1).padEnd(Math.min(width - 1, line.length))}\x1b[K`)
    } else this.stream.write(`${line}\n`)
    this.drawn = true
  }
}
