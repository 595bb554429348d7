// The HTTP side of the benchmark: concurrent keep-alive POSTs of prepared NDJSON bodies, and the
// ingest status of an org.
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { z } from 'zod'

export interface PostResult {
  status: number
  body: string
}

/** A keep-alive HTTP client bound to one server and bearer token. */
export class HttpClient {
  private readonly agent: http.Agent
  private readonly base: URL

  constructor(
    url: string,
    private readonly token: string,
    sockets: number,
  ) {
    this.base = new URL(url)
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets })
  }

  request(method: 'GET' | 'POST', path: string, body?: Buffer): Promise<PostResult> {
    return new Promise<PostResult>((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = { authorization: `Bearer ${this.token}` }
      if (body) {
        headers['content-type'] = 'application/x-ndjson'
        headers['content-length'] = body.length
      }
      const req = http.request(
        { host: this.base.hostname, port: this.base.port, path, method, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          )
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  }

  close(): void {
    this.agent.destroy()
  }
}

const statusSchema = z.object({ stored_events: z.number(), rejected_events: z.number() })
export type IngestStatus = z.infer<typeof statusSchema>

export async function ingestStatus(client: HttpClient, org: string): Promise<IngestStatus> {
  const res = await client.request('GET', `/v1/orgs/${org}/ingest/status`)
  if (res.status !== 200) throw new Error(`ingest status of ${org}: HTTP ${res.status} ${res.body}`)
  return statusSchema.parse(JSON.parse(res.body))
}

const acceptedSchema = z.object({ accepted: z.number(), rejected: z.number() })

export interface LoadResult {
  /** Events the server accepted (202) over the run. */
  accepted: number
  rejected: number
  /** Requests answered other than 202 and sent again (e.g. 503 while the buffer was full). */
  retries: number
  startedAt: number
  /** When the last 202 arrived (performance.now() clock). */
  endedAt: number
}

export interface LoadOptions {
  concurrency: number
  onProgress?: (accepted: number) => void
}

/** Sends every body once (retrying refusals), `concurrency` requests in flight, until the last 202. */
export async function sendBodies(
  client: HttpClient,
  bodies: Buffer[],
  options: LoadOptions,
): Promise<LoadResult> {
  const result: LoadResult = {
    accepted: 0,
    rejected: 0,
    retries: 0,
    startedAt: performance.now(),
    endedAt: 0,
  }
  let next = 0
  const worker = async () => {
    for (let i = next++; i < bodies.length; i = next++) {
      const accepted = await postUntilAccepted(client, bodies[i]!, result)
      result.accepted += accepted.accepted
      result.rejected += accepted.rejected
      options.onProgress?.(result.accepted)
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  result.endedAt = performance.now()
  return result
}

const maxRetries = 50

async function postUntilAccepted(
  client: HttpClient,
  body: Buffer,
  result: LoadResult,
): Promise<z.infer<typeof acceptedSchema>> {
  for (let attempt = 0; ; attempt++) {
    const res = await client.request('POST', '/v1/events', body)
    if (res.status === 202) return acceptedSchema.parse(JSON.parse(res.body))
    if (attempt >= maxRetries || (res.status !== 503 && res.status !== 429)) {
      throw new Error(`POST /v1/events: HTTP ${res.status} ${res.body.slice(0, 500)}`)
    }
    result.retries++
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

export interface StoredWait {
  /** When the poll that saw every event answered (performance.now() clock). */
  at: number
  stored: number
  /** How many status polls were made, and how long they took (they load the server too). */
  polls: number
  meanPollMs: number
  maxPollMs: number
}

/** Polls the org's stored count every `everyMs` until it reaches `total`; resolves with the time. */
export async function waitUntilStored(
  client: HttpClient,
  org: string,
  total: number,
  options: { everyMs: number; stallMs: number; onProgress?: (stored: number) => void },
): Promise<StoredWait> {
  let last = -1
  let lastChange = performance.now()
  const pollTimes: number[] = []
  for (;;) {
    const asked = performance.now()
    const { stored_events: stored } = await ingestStatus(client, org)
    const at = performance.now()
    pollTimes.push(at - asked)
    if (stored >= total) {
      const meanPollMs = pollTimes.reduce((sum, t) => sum + t, 0) / pollTimes.length
      return { at, stored, polls: pollTimes.length, meanPollMs, maxPollMs: Math.max(...pollTimes) }
    }
    if (stored !== last) {
      last = stored
      lastChange = at
      options.onProgress?.(stored)
    } else if (at - lastChange > options.stallMs) {
      throw new Error(`${org}: stored count stuck at ${stored} of ${total} for ${options.stallMs / 1000}s`)
    }
    await new Promise((resolve) => setTimeout(resolve, options.everyMs))
  }
}
