// A client of the public API of a running Implication, as a platform would use it: the roster with
// `PUT /v1/orgs/:org/roster`, then event lines with `POST /v1/events` as NDJSON in batches of 5,000
// (gzip optional), one request in flight while the next is built, retrying 503/429 after
// Retry-After. The simulator's `--to URL` output and the importers' `--to URL` both send through it.
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'

const gzipAsync = promisify(gzip)

export interface ApiClientOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:8080`. */
  url: string
  token: string
  org: string
  gzip: boolean
  batchLines?: number
  /** Attempts per request on 503/429 and connection errors before giving up. */
  maxAttempts?: number
  /** Waits between attempts; replaceable in tests. */
  sleep?: (ms: number) => Promise<void>
}

export class ApiError extends Error {
  override name = 'ApiError'
}

/** What was sent, and what the server answered. */
export interface ApiReport {
  /** The events endpoint, for the summary. */
  destination: string
  /** Event lines sent. */
  lines: number
  accepted: number
  rejected: number
}

interface EventsAnswer {
  accepted: number
  rejected: number
}

export class ApiClient {
  private pending: string[] = []
  private inFlight: Promise<void> = Promise.resolve()
  private failure: unknown = null
  private lines = 0
  private accepted = 0
  private rejected = 0
  private readonly batchLines: number
  private readonly maxAttempts: number
  private readonly sleep: (ms: number) => Promise<void>
  private readonly base: string

  constructor(private readonly options: ApiClientOptions) {
    this.base = options.url.replace(/\/+$/, '')
    this.batchLines = options.batchLines ?? 5_000
    this.maxAttempts = options.maxAttempts ?? 30
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
  }

  /** The events endpoint the lines go to. */
  get destination(): string {
    return `${this.base}/v1/events`
  }

  /** Replaces the org's roster (CSV or a JSON array); a roster refused in part is an error. */
  async putRoster(body: string, contentType: 'text/csv' | 'application/json' = 'text/csv'): Promise<void> {
    const res = await this.request(`/v1/orgs/${encodeURIComponent(this.options.org)}/roster`, {
      method: 'PUT',
      contentType,
      body,
    })
    const answer = (await res.json()) as { people?: number; rejected?: number }
    if (answer.rejected) throw new ApiError(`the roster was partly refused: ${JSON.stringify(answer)}`)
  }

  /** NDJSON event lines, sent in batches as they fill up. */
  async writeLines(lines: readonly string[]): Promise<void> {
    for (const line of lines) this.pending.push(line)
    while (this.pending.length >= this.batchLines) await this.send(this.pending.splice(0, this.batchLines))
  }

  /** Sends what is left and waits for every answer. */
  async finish(): Promise<ApiReport> {
    while (this.pending.length > 0) await this.send(this.pending.splice(0, this.batchLines))
    await this.settle()
    return {
      destination: this.destination,
      lines: this.lines,
      accepted: this.accepted,
      rejected: this.rejected,
    }
  }

  /** Waits for the previous request, then starts this one without waiting for it. */
  private async send(lines: string[]): Promise<void> {
    await this.settle()
    this.lines += lines.length
    const body = `${lines.join('\n')}\n`
    // The failure is kept and thrown by the next send or by finish: never an unhandled rejection.
    this.inFlight = this.postEvents(body).catch((err: unknown) => {
      this.failure = err
    })
  }

  private async settle(): Promise<void> {
    await this.inFlight
    if (this.failure) throw this.failure
  }

  private async postEvents(text: string): Promise<void> {
    const body = this.options.gzip ? await gzipAsync(text) : text
    const res = await this.request('/v1/events', {
      method: 'POST',
      contentType: 'application/x-ndjson',
      body,
      gzip: this.options.gzip,
    })
    const answer = (await res.json()) as EventsAnswer
    this.accepted += answer.accepted
    this.rejected += answer.rejected
  }

  private async request(
    pathname: string,
    init: { method: string; contentType: string; body: string | Buffer; gzip?: boolean },
  ): Promise<Response> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.token}`,
      'content-type': init.contentType,
    }
    if (init.gzip) headers['content-encoding'] = 'gzip'
    for (let attempt = 1; ; attempt++) {
      let res: Response
      try {
        res = await fetch(`${this.base}${pathname}`, { method: init.method, headers, body: init.body })
      } catch (err) {
        if (attempt >= this.maxAttempts) {
          throw new ApiError(
            `${init.method} ${pathname}: ${(err as Error).message} (after ${attempt} attempts)`,
          )
        }
        await this.sleep(Math.min(10_000, 250 * 2 ** Math.min(attempt, 6)))
        continue
      }
      if (res.ok) return res
      if ((res.status === 503 || res.status === 429) && attempt < this.maxAttempts) {
        await res.arrayBuffer()
        await this.sleep(retryAfterMs(res.headers.get('retry-after')))
        continue
      }
      const text = await res.text()
      throw new ApiError(`${init.method} ${pathname} answered ${res.status}: ${text.slice(0, 500)}`)
    }
  }
}

/** `Retry-After` in seconds or as an HTTP date; one second when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 1000
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(120_000, seconds * 1000)
  const date = Date.parse(header)
  return Number.isNaN(date) ? 1000 : Math.min(120_000, Math.max(0, date - now))
}
