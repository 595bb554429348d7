// Kafka may be down when a process starts: the API must still start (and answer 503 on ingest,
// /readyz 503) and the worker must join its group once Kafka is back. One try in the foreground,
// then retries in the background with backoff until it works or the process stops.

export interface Retrier {
  /** Resolves once the action succeeded (never rejects). */
  readonly ready: Promise<void>
  stop(): void
}

export async function startOrKeepTrying(
  what: string,
  action: () => Promise<void>,
  log: (message: string, fields: Record<string, unknown>) => void,
  options: { firstDelayMs?: number; maxDelayMs?: number } = {},
): Promise<Retrier> {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  const first = await action().then(
    () => null,
    (err: Error) => err,
  )
  if (!first) return { ready: Promise.resolve(), stop() {} }
  log(`${what} failed; retrying in the background`, { error: first.message })
  const ready = new Promise<void>((resolve) => {
    let delayMs = options.firstDelayMs ?? 1_000
    const attempt = () => {
      if (stopped) return
      action().then(
        () => {
          log(`${what} succeeded after retries`, {})
          resolve()
        },
        (err: Error) => {
          if (stopped) return
          log(`${what} failed; retrying`, { error: err.message, delayMs })
          timer = setTimeout(attempt, delayMs)
          delayMs = Math.min(delayMs * 2, options.maxDelayMs ?? 10_000)
        },
      )
    }
    timer = setTimeout(attempt, delayMs)
  })
  return {
    ready,
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}
