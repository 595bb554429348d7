// The dashboard's only way to the server: bearer token on every call, one error type that says
// what went wrong (status, message, the field the server named), 401 handed to the session.

export type Params = Record<string, string | number | undefined | null>
export type Cell = string | number | boolean | null
export type Row = Record<string, Cell>

export const arrowMediaType = 'application/vnd.apache.arrow.stream'

/** A failed call. `status` 0 means the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly requestId?: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  get kind(): 'network' | 'unauthorized' | 'not_found' | 'bad_request' | 'forbidden' | 'server' {
    if (this.status === 0) return 'network'
    if (this.status === 401) return 'unauthorized'
    if (this.status === 403) return 'forbidden'
    if (this.status === 404) return 'not_found'
    if (this.status < 500) return 'bad_request'
    return 'server'
  }
}

export interface ApiClientOptions {
  /** The current token, or null when signed out. */
  token(): string | null
  /** Called on every 401, with the server's message. */
  onUnauthorized(message: string): void
  fetch?: typeof fetch
  baseUrl?: string
}

export interface Download {
  blob: Blob
  filename: string
}

export function queryString(params: Params = {}): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value))
  }
  const text = search.toString()
  return text ? `?${text}` : ''
}

/** The file name of a Content-Disposition header, or the fallback. */
export function filenameOf(disposition: string | null, fallback: string): string {
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition ?? '')
  return match?.[1] ? decodeURIComponent(match[1]) : fallback
}

export class ApiClient {
  private readonly fetcher: typeof fetch
  private readonly baseUrl: string

  constructor(private readonly options: ApiClientOptions) {
    this.fetcher = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.baseUrl = options.baseUrl ?? ''
  }

  /** GET a JSON answer. */
  async json<T>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
    const response = await this.send(
      'GET',
      path + queryString(params),
      { accept: 'application/json' },
      signal,
    )
    return (await response.json()) as T
  }

  /** GET a metric table as an Arrow IPC stream, decoded into plain rows. */
  async arrowRows(path: string, params?: Params, signal?: AbortSignal): Promise<Row[]> {
    const response = await this.send('GET', path + queryString(params), { accept: arrowMediaType }, signal)
    const bytes = new Uint8Array(await response.arrayBuffer())
    // apache-arrow is loaded with the first table, not with the first page.
    const { tableFromIPC } = await import('apache-arrow')
    const table = tableFromIPC(bytes)
    return table.toArray().map((row) => (row as { toJSON(): Row }).toJSON())
  }

  /** GET a file (CSV, …) with the name the server gives it. */
  async download(path: string, params: Params, accept: string, fallbackName: string): Promise<Download> {
    const response = await this.send('GET', path + queryString(params), { accept })
    return {
      blob: await response.blob(),
      filename: filenameOf(response.headers.get('content-disposition'), fallbackName),
    }
  }

  /** PUT a body (JSON object or text with its media type) and read the JSON answer. */
  async put<T>(path: string, body: unknown, contentType = 'application/json'): Promise<T> {
    const text = typeof body === 'string' ? body : JSON.stringify(body)
    const response = await this.send(
      'PUT',
      path,
      { accept: 'application/json', 'content-type': contentType },
      undefined,
      text,
    )
    return (await response.json()) as T
  }

  /** POST a raw body (a file: zip, CSV…) and read the JSON answer. */
  async post<T>(path: string, body: Blob | string, contentType: string, params?: Params): Promise<T> {
    const response = await this.send(
      'POST',
      path + queryString(params),
      { accept: 'application/json', 'content-type': contentType },
      undefined,
      body,
    )
    return (await response.json()) as T
  }

  private async send(
    method: string,
    path: string,
    headers: Record<string, string>,
    signal?: AbortSignal,
    body?: string | Blob,
  ): Promise<Response> {
    const token = this.options.token()
    if (!token) {
      this.options.onUnauthorized('')
      throw new ApiError(401, 'not signed in')
    }
    let response: Response
    try {
      response = await this.fetcher(this.baseUrl + path, {
        method,
        headers: { ...headers, authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { body }),
        ...(signal ? { signal } : {}),
      })
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err
      throw new ApiError(0, (err as Error).message || 'network error')
    }
    if (response.ok) return response
    const error = await errorOf(response)
    if (error.status === 401) this.options.onUnauthorized(error.message)
    throw error
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  let message = response.statusText || `HTTP ${response.status}`
  let field: string | undefined
  let requestId: string | undefined
  try {
    const body = (await response.json()) as { message?: unknown; field?: unknown; request_id?: unknown }
    if (typeof body.message === 'string') message = body.message
    if (typeof body.field === 'string') field = body.field
    if (typeof body.request_id === 'string') requestId = body.request_id
  } catch {
    // Not JSON (a proxy's error page): the status text is all there is.
  }
  return new ApiError(response.status, message, field, requestId)
}
