// The OpenAPI document against what the server does, without schemathesis: the statuses each
// operation may answer are listed with the error body, bodies are required, dates and time zones
// are described as the server takes them. (openapi-contract.test.ts drives every operation.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, startTestApp, type TestApp } from '../helpers/app.ts'

type Responses = Record<string, { content?: Record<string, { schema: { required?: string[] } }> }>
type Operation = {
  responses: Responses
  parameters?: { name: string; in: string; schema: { pattern?: string; enum?: string[] } }[]
  requestBody?: { required?: boolean; content: Record<string, { schema: Record<string, unknown> }> }
}
let t: TestApp
let paths: Record<string, Record<string, Operation>>

beforeAll(async () => {
  t = await startTestApp()
  paths = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json().paths
})
afterAll(() => t?.close())

const op = (method: string, path: string) => paths[path]![method]!

describe('the OpenAPI document', () => {
  it('lists 401 and 403 with the error body on every operation, and 400/404 where there are parameters', () => {
    const operations = Object.entries(paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, o]) => ({ path, method, o })),
    )
    expect(operations.length).toBeGreaterThan(20)
    for (const { path, method, o } of operations) {
      for (const status of ['401', '403', '429']) {
        expect(Object.keys(o.responses), `${method} ${path}`).toContain(status)
        expect(o.responses[status]!.content!['application/json']!.schema.required).toEqual([
          'error',
          'message',
        ])
      }
      if (path.includes('{'))
        expect(Object.keys(o.responses), `${method} ${path}`).toEqual(expect.arrayContaining(['400', '404']))
      if (o.requestBody) {
        expect(o.requestBody.required, `${method} ${path} body`).toBe(true)
        expect(Object.keys(o.responses), `${method} ${path}`).toEqual(
          expect.arrayContaining(['400', '413', '415']),
        )
      }
    }
    // Answers the server gives are documented for the operation that gives them.
    expect(Object.keys(op('delete', '/v1/admin/tokens/{id}').responses)).toContain('204')
    expect(Object.keys(op('delete', '/v1/admin/tokens/{id}').responses)).not.toContain('200')
    expect(Object.keys(op('post', '/v1/events').responses)).toEqual(expect.arrayContaining(['202', '503']))
    expect(Object.keys(op('get', '/v1/orgs/{org}/metrics/summary').responses)).toEqual(
      expect.arrayContaining(['503', '504']),
    )
  })

  it('documents the raw bodies of events, roster and imports as required', () => {
    expect(Object.keys(op('post', '/v1/events').requestBody!.content)).toEqual(
      expect.arrayContaining(['application/json', 'application/x-ndjson']),
    )
    expect(Object.keys(op('put', '/v1/orgs/{org}/roster').requestBody!.content)).toEqual(
      expect.arrayContaining(['text/csv', 'application/json']),
    )
    expect(op('post', '/v1/orgs/{org}/imports/{source}').requestBody!.required).toBe(true)
  })

  it('describes dates as the server takes them: real calendar days only', async () => {
    const from = op('get', '/v1/orgs/{org}/metrics/active-users').parameters!.find((p) => p.name === 'from')!
    const pattern = new RegExp(from.schema.pattern!)
    for (const [date, valid] of [
      ['2024-02-29', true],
      ['2025-02-28', true],
      ['2025-02-30', false],
      ['2025-02-29', false],
      ['2025-13-01', false],
    ] as const) {
      expect(pattern.test(date), date).toBe(valid)
      const res = await t.app.inject({
        method: 'GET',
        url: `/v1/orgs/docs/metrics/active-users?from=${date}&to=2026-01-01`,
        headers: auth(),
      })
      expect(res.statusCode, date).toBe(valid ? 200 : 400)
    }
  })

  it('lists the IANA time zones as an enum, and the server takes each of them', async () => {
    const body = op('put', '/v1/orgs/{org}/settings').requestBody!.content['application/json']!.schema as {
      properties: { time_zone: { enum: string[] } }
    }
    const zones = body.properties.time_zone.enum
    expect(zones).toEqual(expect.arrayContaining(['UTC', 'Europe/Paris', 'America/New_York']))
    expect(zones).not.toContain('')
    for (const zone of ['UTC', 'Europe/Paris', zones.at(-1)!, 'Mars/Olympus']) {
      const res = await t.app.inject({
        method: 'PUT',
        url: '/v1/orgs/docs/settings',
        headers: auth(),
        payload: { time_zone: zone },
      })
      expect(res.statusCode, zone).toBe(zones.includes(zone) ? 200 : 400)
    }
  })

  it('lists only the breakdowns, filters and intervals a metric takes', () => {
    const names = (path: string) => op('get', path).parameters!.map((p) => p.name)
    const param = (path: string, name: string) => op('get', path).parameters!.find((p) => p.name === name)
    expect(names('/v1/orgs/{org}/metrics/summary')).not.toContain('by')
    expect(names('/v1/orgs/{org}/metrics/summary')).not.toContain('feature')
    expect(param('/v1/orgs/{org}/metrics/adoption', 'by')!.schema.enum).toEqual(['department', 'site'])
    expect(param('/v1/orgs/{org}/metrics/retention', 'interval')!.schema.enum).toEqual(['week', 'month'])
    expect(param('/v1/orgs/{org}/metrics/participation', 'window')!.schema.enum).toEqual(['28', '90'])
    expect(names('/v1/orgs/{org}/metrics/lifecycle')).not.toContain('window')
    expect(param('/v1/orgs/{org}/metrics/features', 'feature')!.schema.enum).not.toContain('email')
  })
})

describe('answers the document holds the server to', () => {
  it('refuses an impossible time in the rejected store filter with 400, not 500', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/orgs/docs/rejected?before=0000-00-00T00:00:00Z',
      headers: auth(),
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().field).toBe('before')
  })

  it('takes a person id as long as its schema allows (no router 414 under 256 characters)', async () => {
    const id = 'é'.repeat(200)
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/v1/orgs/docs/people/${encodeURIComponent(id)}`,
      headers: auth(),
    })
    expect(res.statusCode).toBe(200)
    const tooLong = await t.app.inject({
      method: 'DELETE',
      url: `/v1/orgs/docs/people/${'x'.repeat(300)}`,
      headers: auth(),
    })
    expect(tooLong.statusCode).toBe(400)
    expect(tooLong.json().field).toBe('id')
  })

  it('names the unknown parameter as the field', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/orgs/docs/metrics/summary?feature=wiki',
      headers: auth(),
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().field).toBe('feature')
  })
})
