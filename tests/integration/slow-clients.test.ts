// Slow clients on a real listening server: hundreds of connections trickling their headers or
// their bodies must neither stop other callers from sending events and reading metrics, nor keep
// their sockets longer than the configured deadlines (HTTP_HEADERS_TIMEOUT_MS, the body rate).
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminToken, countStored, ndjson, startTestApp, type TestApp } from '../helpers/app.ts'
import { validEvents } from '../helpers/events.ts'

const headersTimeoutMs = 2000
const bodyGraceMs = 2000
const minBodyRate = 1024
// Node checks deadlines on a timer (here every second), and a loaded machine adds its own delay.
const slack = 3000

let t: TestApp
let port: number

beforeAll(async () => {
  t = await startTestApp({
    HTTP_HEADERS_TIMEOUT_MS: String(headersTimeoutMs),
    HTTP_BODY_GRACE_MS: String(bodyGraceMs),
    HTTP_BODY_MIN_BYTES_PER_SECOND: String(minBodyRate),
  })
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  port = (t.app.server.address() as { port: number }).port
})
afterAll(() => t?.close())

interface Trickler {
  opened: number
  /** When the server closed the connection (ms after open), or null while open. */
  closedAfter: number | null
  received: string
  socket: Socket
}

/** A connection that sends `head` and then `drip` bytes every 500 ms (10 bytes/s). */
function trickle(head: string, drip: string): Trickler {
  const socket = connect(port, '127.0.0.1')
  const t: Trickler = { opened: Date.now(), closedAfter: null, received: '', socket }
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    t.received += chunk
  })
  socket.on('error', () => {})
  socket.on('close', () => {
    t.closedAfter = Date.now() - t.opened
    clearInterval(timer)
  })
  socket.write(head)
  const timer = setInterval(() => {
    if (!socket.destroyed && socket.writable) socket.write(drip)
  }, 500)
  return t
}

const statusOf = (t: Trickler) => /^HTTP\/1\.1 (\d{3})/.exec(t.received)?.[1] ?? 'closed'

async function waitUntil(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 100))
}

describe('slow clients', () => {
  it('closes 200 trickling connections within the deadlines while others ingest and read', async () => {
    // Headers that never end: one header value growing by 5 bytes every 500 ms.
    const headerTricklers = Array.from({ length: 100 }, () =>
      trickle('POST /v1/events HTTP/1.1\r\nHost: localhost\r\nX-Slow: ', 'aaaaa'),
    )
    // Bodies announced as 100 kB and sent at 10 bytes/s: half with a valid token, half without
    // (a 401 must not leave the socket to the trickle either).
    const bodyTricklers = Array.from({ length: 100 }, (_, i) =>
      trickle(
        'POST /v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-ndjson\r\n' +
          `${i % 2 === 0 ? `Authorization: Bearer ${adminToken}\r\n` : ''}Content-Length: 100000\r\n\r\n`,
        '{"a":1}\n\n\n',
      ),
    )
    // A connection that sends nothing at all.
    const silent = trickle('', '')
    const all = [...headerTricklers, ...bodyTricklers, silent]
    await new Promise((r) => setTimeout(r, 500))

    // Meanwhile the API serves others: events are accepted and stored, metrics answer.
    const base = `http://127.0.0.1:${port}`
    const events = validEvents('slowtest', 200)
    const ingest = await fetch(`${base}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/x-ndjson' },
      body: ndjson(events),
    })
    expect(ingest.status).toBe(202)
    expect(((await ingest.json()) as { accepted: number }).accepted).toBe(200)
    expect((await countStored(t.runtime, 'slowtest')).final).toBe(200)
    const metric = await fetch(`${base}/v1/orgs/slowtest/metrics/active-users`, {
      headers: { authorization: `Bearer ${adminToken}` },
    })
    expect(metric.status).toBe(200)
    // Every trickler is still being held at this point (the deadlines have not passed yet).
    expect(all.filter((c) => c.closedAfter !== null).length).toBeLessThan(all.length)

    await waitUntil(
      () => all.every((c) => c.closedAfter !== null),
      headersTimeoutMs + bodyGraceMs + 2 * slack,
    )
    const open = all.filter((c) => c.closedAfter === null)
    for (const c of open) c.socket.destroy()
    expect(open.length, 'connections still open after the deadlines').toBe(0)

    for (const c of [...headerTricklers, silent]) {
      expect(c.closedAfter).toBeLessThanOrEqual(headersTimeoutMs + slack)
      expect(['408', 'closed']).toContain(statusOf(c))
    }
    for (const [i, c] of bodyTricklers.entries()) {
      expect(c.closedAfter).toBeLessThanOrEqual(bodyGraceMs + slack)
      // With a token the body was awaited and is refused 408; without one the 401 went first.
      expect(statusOf(c)).toBe(i % 2 === 0 ? '408' : '401')
    }
    const timedOut = bodyTricklers.find((c) => statusOf(c) === '408')!
    expect(timedOut.received).toContain('too slowly')

    // The server still answers after all of it.
    const after = await fetch(`${base}/v1/orgs/slowtest/metrics/active-users`, {
      headers: { authorization: `Bearer ${adminToken}` },
    })
    expect(after.status).toBe(200)
  }, 60_000)

  it('accepts a body that is slow but keeps above the minimum rate', async () => {
    // About 11 kB in 16 pieces over four seconds (2.8 kB/s): well past the grace, at almost
    // three times the minimum rate.
    const body = Buffer.from(ndjson(validEvents('slowupload', 80)))
    expect(body.length).toBeGreaterThan(10_000)
    const socket = connect(port, '127.0.0.1')
    let received = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      received += chunk
    })
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()))
    socket.write(
      'POST /v1/events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n' +
        `Authorization: Bearer ${adminToken}\r\nContent-Type: application/x-ndjson\r\n` +
        `Content-Length: ${body.length}\r\n\r\n`,
    )
    const chunk = Math.ceil(body.length / 16)
    for (let offset = 0; offset < body.length; offset += chunk) {
      socket.write(body.subarray(offset, offset + chunk))
      await new Promise((r) => setTimeout(r, 250))
    }
    await closed
    expect(received).toMatch(/^HTTP\/1\.1 202/)
    expect((await countStored(t.runtime, 'slowupload')).final).toBe(80)
  }, 30_000)

  it('leaves in-process calls (inject) alone: they have no connection to time', async () => {
    const errors: unknown[] = []
    const onError = (err: unknown) => errors.push(err)
    process.on('uncaughtException', onError)
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/x-ndjson' },
        payload: ndjson(validEvents('inprocess', 3)),
      })
      expect(res.statusCode).toBe(202)
      // Past the grace and a few checks of the body rate.
      await new Promise((r) => setTimeout(r, bodyGraceMs + 2_500))
      expect(errors).toEqual([])
      expect((await countStored(t.runtime, 'inprocess')).final).toBe(3)
    } finally {
      process.off('uncaughtException', onError)
    }
  }, 30_000)
})
