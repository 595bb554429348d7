// GET /metrics on a real app (direct sink, real chDB): counts of what was posted, latency per
// metric, the request id echoed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, ndjson, startTestApp, type TestApp } from '../helpers/app.ts'
import { badLines, validEvents } from '../helpers/events.ts'

describe('GET /metrics', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(() => t?.close())

  const sample = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `))
    return line === undefined ? undefined : Number(line.slice(series.length + 1))
  }

  it('needs an admin token', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401)
  })

  it('counts accepted and refused events, insert batches and metric latency by name', async () => {
    const lines = [
      ...validEvents('obs-org', 30).map((e) => JSON.stringify(e)),
      ...badLines('obs-org').map((b) => b.line),
    ]
    const posted = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(), 'content-type': 'application/x-ndjson', 'x-request-id': 'req-from-client-1' },
      payload: ndjson(lines),
    })
    expect(posted.statusCode).toBe(202)
    expect(posted.headers['x-request-id']).toBe('req-from-client-1')
    await t.app.inject({ method: 'GET', url: '/v1/orgs/obs-org/metrics/active-users', headers: auth() })
    await t.app.inject({ method: 'GET', url: '/v1/orgs/obs-org/metrics/active-users', headers: auth() })

    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: auth() })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = res.body
    expect(sample(text, 'implication_events_accepted_total')).toBe(30)
    expect(sample(text, 'implication_events_refused_total')).toBe(10)
    expect(sample(text, 'implication_ingest_requests_total{status="202"}')).toBe(1)
    expect(sample(text, 'implication_insert_duration_seconds_count{writer="direct"}')).toBeGreaterThanOrEqual(
      1,
    )
    expect(sample(text, 'implication_sink_batch_events_sum{writer="direct"}')).toBe(30)
    expect(sample(text, 'implication_query_duration_seconds_count{metric="active-users"}')).toBe(2)
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 2 ** 20)
    // No Kafka in this process: no lag series.
    expect(text).not.toContain('implication_kafka_consumer_lag')
  })

  it('gives every answer a request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' })
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })
})
