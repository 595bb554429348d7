// Events per minute, live: the ingest status polled every few seconds; the rate between two
// samples is the growth of the stored-event count over the time between them.
import type { IngestStatus } from '../api/types.ts'

export interface Sample {
  at: number
  stored: number
  rejected: number
}

export interface RatePoint {
  at: number
  perMinute: number
  rejectedPerMinute: number
}

/** Rates between consecutive samples; a count that went down (store reset) counts as 0. */
export function ratesOf(samples: readonly Sample[]): RatePoint[] {
  const points: RatePoint[] = []
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!
    const b = samples[i]!
    const minutes = (b.at - a.at) / 60_000
    if (minutes <= 0) continue
    points.push({
      at: b.at,
      perMinute: Math.max(0, b.stored - a.stored) / minutes,
      rejectedPerMinute: Math.max(0, b.rejected - a.rejected) / minutes,
    })
  }
  return points
}

export class IngestMonitor {
  status = $state.raw<IngestStatus | null>(null)
  samples = $state.raw<Sample[]>([])
  error = $state<Error | null>(null)
  rates = $derived(ratesOf(this.samples))

  constructor(
    private readonly fetchStatus: () => Promise<IngestStatus>,
    private readonly now: () => number = () => Date.now(),
    private readonly keep = 60,
  ) {}

  async poll(): Promise<void> {
    try {
      const status = await this.fetchStatus()
      this.status = status
      this.error = null
      this.samples = [
        ...this.samples,
        { at: this.now(), stored: status.stored_events, rejected: status.rejected_events },
      ].slice(-this.keep)
    } catch (err) {
      this.error = err as Error
    }
  }

  /** Polls now, again soon after (a first rate to show), then every `everyMs`; returns how to stop. */
  start(everyMs: number, firstGapMs = Math.min(1_500, everyMs)): () => void {
    void this.poll()
    let timer: ReturnType<typeof setInterval> | undefined
    const soon = setTimeout(() => {
      void this.poll()
      timer = setInterval(() => void this.poll(), everyMs)
    }, firstGapMs)
    return () => {
      clearTimeout(soon)
      clearInterval(timer)
    }
  }

  reset(): void {
    this.samples = []
    this.status = null
  }
}
