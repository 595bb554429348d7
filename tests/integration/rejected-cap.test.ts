// The rejected store's per-org cap (REJECTED_MAX_ROWS_PER_ORG, REJECTED_MAX_BYTES_PER_ORG), set
// tiny: the newest refusals are kept, the oldest deleted and counted (ingest status, /metrics),
// the count survives a restart, and the sender is still told of every refused line. Real chDB.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { auth, createToken, ndjson, startTestApp, type TestApp } from '../helpers/app.ts'

const capEnv = { REJECTED_MAX_ROWS_PER_ORG: '4', REJECTED_MAX_BYTES_PER_ORG: '200' }
let t: TestApp

beforeAll(async () => {
  t = await startTestApp(capEnv)
})
afterAll(() => t?.close())

// The requests' clock, frozen per request and set a few ms apart; near the real time, because other
// parts of the app measure durations with Date.now().
let t0 = 0

async function send(token: string, lines: string[], at: number) {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date(at) })
  try {
    return await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(token), 'content-type': 'application/x-ndjson' },
      payload: ndjson(lines),
    })
  } finally {
    vi.useRealTimers()
  }
}

async function kept(org: string): Promise<string[]> {
  const res = await t.app.inject({ method: 'GET', url: `/v1/orgs/${org}/rejected`, headers: auth() })
  return res.json().rejected.map((r: { raw: string }) => r.raw)
}

async function status(org: string) {
  const res = await t.app.inject({ method: 'GET', url: `/v1/orgs/${org}/ingest/status`, headers: auth() })
  expect(res.statusCode).toBe(200)
  return res.json()
}

describe('the rejected store cap', () => {
  it('keeps the newest 4 refusals of an org, counts the dropped, and still tells the sender of each', async () => {
    const token = await createToken(t, 'ingest', ['cap-rows'])
    t0 = Date.now()
    const first = await send(token, ['junk a1', 'junk a2', 'junk a3'], t0)
    expect(first.json()).toMatchObject({ accepted: 0, rejected: 3 })
    expect(await status('cap-rows')).toMatchObject({
      rejected_events: 3,
      rejected_dropped: 0,
      rejected_cap: { rows: 4, bytes: 200 },
    })

    const second = await send(token, ['junk b1', 'junk b2', 'junk b3'], t0 + 10)
    // Six refused in all, four kept: the answer still names all three lines of this request.
    expect(second.json().rejected).toBe(3)
    expect(second.json().errors.map((e: { index: number }) => e.index)).toEqual([0, 1, 2])
    expect(await kept('cap-rows')).toEqual(['junk b1', 'junk b2', 'junk b3', 'junk a1'])
    expect(await status('cap-rows')).toMatchObject({ rejected_events: 4, rejected_dropped: 2 })

    await send(token, ['junk c1'], t0 + 20)
    expect(await kept('cap-rows')).toEqual(['junk c1', 'junk b1', 'junk b2', 'junk b3'])
    expect(await status('cap-rows')).toMatchObject({ rejected_events: 4, rejected_dropped: 3 })

    const metrics = await t.app.inject({ method: 'GET', url: '/metrics', headers: auth() })
    expect(metrics.body).toContain('# TYPE implication_rejected_dropped_total counter')
    expect(metrics.body).toContain('implication_rejected_dropped_total{org="cap-rows"} 3')
  })

  it('keeps at most 200 bytes of raw text per org, newest first', async () => {
    const token = await createToken(t, 'ingest', ['cap-bytes'])
    // Lines of 60 bytes: three fit (180), a fourth goes over 200 and the oldest goes.
    const line = (name: string) => `${name}${'.'.repeat(60 - name.length)}`
    await send(token, [line('p1'), line('p2'), line('p3')], t0 + 30)
    expect(await status('cap-bytes')).toMatchObject({ rejected_events: 3, rejected_dropped: 0 })
    const res = await send(token, [line('q1')], t0 + 40)
    expect(res.json().rejected).toBe(1)
    expect(await kept('cap-bytes')).toEqual([line('q1'), line('p1'), line('p2')])
    expect(await status('cap-bytes')).toMatchObject({ rejected_events: 3, rejected_dropped: 1 })
    // The other org's refusals were not touched by this org's cap.
    expect(await status('cap-rows')).toMatchObject({ rejected_events: 4, rejected_dropped: 3 })
  })

  it('still reports the dropped count after a restart on the same data', async () => {
    await t.app.close()
    await t.runtime.close()
    t = await startTestApp(capEnv, 'all', t.dataDir)
    expect(await status('cap-rows')).toMatchObject({ rejected_events: 4, rejected_dropped: 3 })
    expect(await status('cap-bytes')).toMatchObject({ rejected_dropped: 1 })
  })
})
