import { tableFromArrays, tableToIPC } from 'apache-arrow'
import { describe, expect, it, vi } from 'vitest'
import {
  ApiClient,
  ApiError,
  arrowMediaType,
  filenameOf,
  queryString,
} from '../../../dashboard/src/lib/api/client.ts'
import { metricRequest } from '../../../dashboard/src/lib/api/metrics.ts'

function client(
  answer: (url: string, init: RequestInit) => Response | Promise<Response>,
  token: string | null = 't0k',
) {
  const calls: { url: string; init: RequestInit }[] = []
  const onUnauthorized = vi.fn()
  const api = new ApiClient({
    token: () => token,
    onUnauthorized,
    fetch: (async (url: string, init: RequestInit) => {
      calls.push({ url, init })
      return answer(url, init)
    }) as typeof fetch,
  })
  return { api, calls, onUnauthorized }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

describe('ApiClient', () => {
  it('sends the bearer token and the query, and reads JSON', async () => {
    const { api, calls } = client(() => json(200, { rate: 0.5 }))
    expect(
      await api.json('/v1/orgs/demo/metrics/adoption', { from: '2025-01-01', by: undefined, site: '' }),
    ).toEqual({
      rate: 0.5,
    })
    expect(calls[0]!.url).toBe('/v1/orgs/demo/metrics/adoption?from=2025-01-01')
    expect(new Headers(calls[0]!.init.headers).get('authorization')).toBe('Bearer t0k')
  })

  it('turns a 400 into an error naming the field, without signing out', async () => {
    const { api, onUnauthorized } = client(() =>
      json(400, {
        error: 'Bad Request',
        message: 'by: adoption breaks down by department, site',
        field: 'by',
      }),
    )
    const error = await api.json('/x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 400, field: 'by', kind: 'bad_request' })
    expect((error as ApiError).message).toContain('breaks down by')
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('hands every 401 to the session with the server’s message', async () => {
    const { api, onUnauthorized } = client(() =>
      json(401, { error: 'Unauthorized', message: 'invalid or revoked token' }),
    )
    await expect(api.json('/x')).rejects.toMatchObject({ status: 401, kind: 'unauthorized' })
    expect(onUnauthorized).toHaveBeenCalledWith('invalid or revoked token')
  })

  it('does not call the server without a token', async () => {
    const { api, calls, onUnauthorized } = client(() => json(200, {}), null)
    await expect(api.json('/x')).rejects.toMatchObject({ status: 401 })
    expect(calls).toHaveLength(0)
    expect(onUnauthorized).toHaveBeenCalled()
  })

  it('keeps the request id of a 5xx, and survives a body that is not JSON', async () => {
    const server = client(() =>
      json(500, { error: 'Internal Server Error', message: 'internal error', request_id: 'r-1' }),
    )
    await expect(server.api.json('/x')).rejects.toMatchObject({
      status: 500,
      requestId: 'r-1',
      kind: 'server',
    })
    const proxy = client(
      () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    )
    await expect(proxy.api.json('/x')).rejects.toMatchObject({ status: 502, message: 'Bad Gateway' })
  })

  it('reports an unreachable server as status 0, and lets aborts through', async () => {
    const down = client(() => Promise.reject(new TypeError('fetch failed')))
    await expect(down.api.json('/x')).rejects.toMatchObject({ status: 0, kind: 'network' })
    const aborted = client(() => Promise.reject(Object.assign(new Error('aborted'), { name: 'AbortError' })))
    await expect(aborted.api.json('/x')).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('decodes an Arrow IPC stream into rows', async () => {
    const table = tableFromArrays({ space: ['wiki', 'qa'], members: Int32Array.from([3, 5]) })
    const { api, calls } = client(
      () =>
        new Response(new Uint8Array(tableToIPC(table, 'stream')).buffer as ArrayBuffer, {
          status: 200,
          headers: { 'content-type': arrowMediaType },
        }),
    )
    expect(await api.arrowRows('/v1/orgs/demo/metrics/communities', { table: 'spaces' })).toEqual([
      { space: 'wiki', members: 3 },
      { space: 'qa', members: 5 },
    ])
    expect(new Headers(calls[0]!.init.headers).get('accept')).toBe(arrowMediaType)
  })

  it('downloads under the name the server gives', async () => {
    const { api } = client(
      () =>
        new Response('a,b\r\n1,2\r\n', {
          status: 200,
          headers: { 'content-disposition': 'attachment; filename="demo-adoption-groups.csv"' },
        }),
    )
    const file = await api.download('/x', {}, 'text/csv', 'fallback.csv')
    expect(file.filename).toBe('demo-adoption-groups.csv')
    expect(await file.blob.text()).toBe('a,b\r\n1,2\r\n')
    expect(filenameOf(null, 'fallback.csv')).toBe('fallback.csv')
  })

  it('puts a body with its media type', async () => {
    const { api, calls } = client(() => json(200, { people: 2 }))
    await api.put('/v1/orgs/demo/roster', 'person_id\na\nb\n', 'text/csv')
    expect(calls[0]!.init.method).toBe('PUT')
    expect(new Headers(calls[0]!.init.headers).get('content-type')).toBe('text/csv')
    expect(calls[0]!.init.body).toBe('person_id\na\nb\n')
  })
})

describe('metric requests', () => {
  it('leaves out the filters a metric does not take, and says which', () => {
    const common = { from: '2025-01-01', to: '2025-02-01', interval: 'week', department: 'Sales' }
    expect(metricRequest('roi', common)).toEqual({
      metric: 'roi',
      params: { from: '2025-01-01', to: '2025-02-01', interval: 'week' },
      dropped: ['department'],
    })
    expect(metricRequest('communities', common, { space: 'wiki' })).toMatchObject({
      params: { from: '2025-01-01', to: '2025-02-01', interval: 'week', space: 'wiki' },
      dropped: ['department'],
    })
    expect(metricRequest('adoption', common, { by: 'site' }).params).toEqual({ ...common, by: 'site' })
    expect(queryString({ a: 'x y', b: null, c: 0 })).toBe('?a=x+y&c=0')
  })
})
