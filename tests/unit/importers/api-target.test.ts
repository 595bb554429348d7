// The importers' `--to URL` target against a small stand-in server: the roster first, as a JSON
// array, then the event lines as NDJSON, and the server's counts in the answer.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiTarget } from '../../../importers/write.ts'
import type { RosterPerson } from '../../../schemas/roster.ts'

let server: Server | null = null
afterEach(() => server?.close())

interface Seen {
  method: string
  url: string
  type: string
  body: string
}

async function standIn(): Promise<{ seen: Seen[]; url: string }> {
  const seen: Seen[] = []
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      type: String(req.headers['content-type']),
      body,
    })
    res.writeHead(req.method === 'PUT' ? 200 : 202, { 'content-type': 'application/json' })
    const lines = body.split('\n').filter((l) => l !== '').length
    res.end(
      JSON.stringify(req.method === 'PUT' ? { people: 2, rejected: 0 } : { accepted: lines, rejected: 0 }),
    )
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return { seen, url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/` }
}

describe('the API target of the importers', () => {
  it('sends the roster as a JSON array, then the lines, and reports what the server accepted', async () => {
    const { seen, url } = await standIn()
    const target = new ApiTarget({ url, token: 'tok', org: 'imp', gzip: false })
    expect(target.describe).toBe(`${url.replace(/\/$/, '')}/v1/events`)
    const person = (id: string, department?: string): RosterPerson => ({
      id,
      department,
      site: undefined,
      manager: undefined,
      hired_at: undefined,
      left_at: undefined,
    })
    const roster = [person('u1', 'Sales, West'), person('u2')]
    await target.write({ roster })
    await target.write({ lines: ['{"id":"a"}', '{"id":"b"}'] })
    expect(await target.finish()).toEqual({ accepted: 2, rejected: 0 })
    expect(seen.map((s) => [s.method, s.url, s.type])).toEqual([
      ['PUT', '/v1/orgs/imp/roster', 'application/json'],
      ['POST', '/v1/events', 'application/x-ndjson'],
    ])
    expect(JSON.parse(seen[0]!.body)).toEqual([{ id: 'u1', department: 'Sales, West' }, { id: 'u2' }])
    expect(seen[1]!.body).toBe('{"id":"a"}\n{"id":"b"}\n')
  })
})
