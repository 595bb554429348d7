// Kafka visibility latency: small requests sent at a steady pace; each one's 202 is matched with
// the first ingest-status poll whose stored count includes it.
import { performance } from 'node:perf_hooks'
import { type HttpClient, ingestStatus } from './http-load.ts'
import { percentile } from './stats.ts'

export interface VisibilityOptions {
  org: string
  requests: number
  eventsPerRequest: number
  everyMs: number
  pollMs: number
  nowMs: number
  timeoutMs: number
}

export interface VisibilityResult {
  samples: number[]
  p50: number
  p99: number
  max: number
}

/**
 * One actor for every event: its events share a partition, so they are stored in the order they
 * were sent and "stored count ≥ events sent up to request k" means request k is visible.
 */
function visibilityBody(org: string, request: number, events: number, nowMs: number): Buffer {
  const lines = Array.from({ length: events }, (_, j) =>
    JSON.stringify({
      id: `vis-${nowMs}-${request}-${j}`,
      type: 'content.viewed',
      feature: 'wiki',
      time: new Date(nowMs - 3_600_000 + request * 1_000 + j).toISOString(),
      org,
      actor: 'vis-user',
      space: 'space-vis',
      object: `obj-${request}`,
    }),
  )
  return Buffer.from(`${lines.join('\n')}\n`)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls the org's stored count and notes when each request's events were first all there. */
async function pollVisibility(
  client: HttpClient,
  options: VisibilityOptions,
  visibleAt: number[],
  stopped: () => boolean,
): Promise<void> {
  const deadline = performance.now() + options.timeoutMs
  let next = 0
  while (next < options.requests && !stopped()) {
    const { stored_events: stored } = await ingestStatus(client, options.org)
    const at = performance.now()
    while (next < options.requests && stored >= (next + 1) * options.eventsPerRequest) visibleAt[next++] = at
    if (next >= options.requests) return
    if (at > deadline) throw new Error(`visibility: only ${stored} events of ${options.org} stored in time`)
    await sleep(options.pollMs)
  }
}

/** Sends request k at start + k × everyMs, without waiting for the previous one, noting each 202. */
async function sendPaced(client: HttpClient, options: VisibilityOptions, ackedAt: number[]): Promise<void> {
  const bodies = Array.from({ length: options.requests }, (_, k) =>
    visibilityBody(options.org, k, options.eventsPerRequest, options.nowMs),
  )
  const start = performance.now()
  // Each send settles to its error (or null), so none rejects unobserved while later ones wait.
  const sends: Promise<Error | null>[] = []
  for (let k = 0; k < options.requests; k++) {
    const wait = start + k * options.everyMs - performance.now()
    if (wait > 0) await sleep(wait)
    sends.push(
      client.request('POST', '/v1/events', bodies[k]).then(
        (res) => {
          if (res.status !== 202) return new Error(`visibility request ${k}: HTTP ${res.status} ${res.body}`)
          ackedAt[k] = performance.now()
          return null
        },
        (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
      ),
    )
  }
  const failure = (await Promise.all(sends)).find((e) => e !== null)
  if (failure) throw failure
}

export async function measureVisibility(
  sender: HttpClient,
  poller: HttpClient,
  options: VisibilityOptions,
): Promise<VisibilityResult> {
  const ackedAt: number[] = []
  const visibleAt: number[] = []
  let failed = false
  const polling = pollVisibility(poller, options, visibleAt, () => failed)
  polling.catch(() => undefined) // observed below; this keeps an early failure from being unhandled
  try {
    await sendPaced(sender, options, ackedAt)
  } catch (err) {
    failed = true
    await polling.catch(() => undefined)
    throw err
  }
  await polling
  // A batch can be stored before its 202 reaches the client: that counts as visible at once.
  const samples = ackedAt.map((acked, k) => Math.max(0, visibleAt[k]! - acked))
  return {
    samples,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: Math.max(...samples),
  }
}
