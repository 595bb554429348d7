// The API output against a small stand-in server: batches, gzip, the roster first, and retries
// on 503 honouring Retry-After.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiError, retryAfterMs } from '../../../api-client/client.ts'
import { ApiOutput } from '../../../simulation/api-output.ts'
import { parseSimulationOptions } from '../../../simulation/options.ts'
import { runSimulation } from '../../../simulation/simulate.ts'

interface Seen {
  method: string
  url: string
  type: string
  encoding: string
  lines: number
  auth: string
}

let server: Server | null = null
afterEach(() => server?.close())

async function standIn(
  answer: (seen: Seen, n: number) => { status: number; headers?: Record<string, string> },
) {
  const seen: Seen[] = []
  server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    let body = Buffer.concat(chunks)
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body)
    const text = body.toString('utf8')
    const s: Seen = {
      method: req.method ?? '',
      url: req.url ?? '',
      type: String(req.headers['content-type']),
      encoding: String(req.headers['content-encoding'] ?? ''),
      lines: text.split('\n').filter((l) => l !== '').length,
      auth: String(req.headers.authorization),
    }
    seen.push(s)
    const { status, headers } = answer(s, seen.length)
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(
      JSON.stringify(
        s.method === 'PUT' ? { people: s.lines - 1, rejected: 0 } : { accepted: s.lines, rejected: 0 },
      ),
    )
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return { seen, url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/` }
}

const options = parseSimulationOptions({ org: 'api', employees: 40, months: 3, seed: 4, end: '2026-02-01' })

describe('the API output', () => {
  it('sends the roster, then NDJSON batches, gzipped, retrying 503 after Retry-After', async () => {
    const { seen, url } = await standIn((s, n) =>
      s.method === 'POST' && n === 3 ? { status: 503, headers: { 'retry-after': '0' } } : { status: 202 },
    )
    const sleeps: number[] = []
    const output = new ApiOutput(
      {
        url,
        token: 'tok',
        org: 'api',
        gzip: true,
        batchLines: 1_000,
        sleep: async (ms) => void sleeps.push(ms),
      },
      null,
    )
    const { summary } = await runSimulation(options, { output })
    expect(seen[0]).toMatchObject({
      method: 'PUT',
      url: '/v1/orgs/api/roster',
      type: 'text/csv',
      auth: 'Bearer tok',
    })
    const posts = seen.filter((s) => s.method === 'POST')
    expect(
      posts.every(
        (s) => s.url === '/v1/events' && s.type === 'application/x-ndjson' && s.encoding === 'gzip',
      ),
    ).toBe(true)
    expect(posts.filter((s) => s.lines === 1_000).length).toBeGreaterThanOrEqual(3)
    expect(posts.every((s) => s.lines <= 1_000)).toBe(true)
    // The refused request (the third one) was sent again as it was.
    expect(seen[3]!.lines).toBe(seen[2]!.lines)
    expect(sleeps).toEqual([0])
    // The refused request was sent again: every line reached the server once more than needed.
    expect(posts.reduce((sum, s) => sum + s.lines, 0)).toBe(summary.events + 1_000)
    expect(summary.accepted).toBe(summary.events)
    expect(summary.rejected).toBe(0)
  })

  it('stops with the answer when the server refuses for good', async () => {
    const { url } = await standIn((s) => (s.method === 'POST' ? { status: 401 } : { status: 200 }))
    const output = new ApiOutput({ url, token: 'bad', org: 'api', gzip: false }, null)
    await expect(runSimulation(options, { output })).rejects.toThrow(ApiError)
  })

  it('reads Retry-After in seconds or as a date', () => {
    expect(retryAfterMs('3')).toBe(3000)
    expect(retryAfterMs(null)).toBe(1000)
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000)
    expect(retryAfterMs('soon')).toBe(1000)
  })
})
