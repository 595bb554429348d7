// Turns a request body into candidate events, each with the raw text a rejection must keep.
// Formats: JSON object or array, NDJSON, CloudEvents structured (single and batch).

export interface BodyItem {
  index: number
  /** The input as the client sent it (an NDJSON line, or the element re-serialised). */
  raw: string
  /** The parsed value, or undefined when `parseError` is set. */
  value?: unknown
  parseError?: string
}

export class BodyError extends Error {
  constructor(
    readonly statusCode: 400 | 413 | 415,
    message: string,
  ) {
    super(message)
  }
}

export type BodyFormat = 'json' | 'ndjson' | 'cloudevents' | 'cloudevents-batch'

export function bodyFormatOf(contentType: string | undefined): BodyFormat | undefined {
  const mime = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase()
  switch (mime) {
    case 'application/json':
    case 'text/json':
      return 'json'
    case 'application/x-ndjson':
    case 'application/ndjson':
    case 'application/jsonl':
    case 'application/x-jsonlines':
      return 'ndjson'
    case 'application/cloudevents+json':
      return 'cloudevents'
    case 'application/cloudevents-batch+json':
      return 'cloudevents-batch'
    default:
      return undefined
  }
}

export function parseBody(text: string, format: BodyFormat, maxEvents: number): BodyItem[] {
  if (format === 'ndjson') return parseNdjson(text, maxEvents)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new BodyError(400, `body is not valid JSON: ${(err as Error).message}`)
  }
  const values = Array.isArray(parsed) ? parsed : [parsed]
  if (format === 'cloudevents-batch' && !Array.isArray(parsed)) {
    throw new BodyError(400, 'a CloudEvents batch must be a JSON array')
  }
  if (values.length > maxEvents) {
    throw new BodyError(413, `too many events in one request: ${values.length} > ${maxEvents}`)
  }
  const asCloudEvents = format === 'cloudevents' || format === 'cloudevents-batch'
  return values.map((value, index) => {
    const raw = JSON.stringify(value) ?? String(value)
    // A plain JSON body may still carry CloudEvents: recognised by their specversion.
    return asCloudEvents || isCloudEvent(value) ? fromCloudEvent(index, raw, value) : { index, raw, value }
  })
}

function parseNdjson(text: string, maxEvents: number): BodyItem[] {
  const items: BodyItem[] = []
  for (const line of text.split('\n')) {
    const raw = line.endsWith('\r') ? line.slice(0, -1) : line
    if (raw.trim() === '') continue
    if (items.length >= maxEvents) {
      throw new BodyError(413, `too many events in one request: more than ${maxEvents}`)
    }
    const index = items.length
    try {
      const value: unknown = JSON.parse(raw)
      items.push(isCloudEvent(value) ? fromCloudEvent(index, raw, value) : { index, raw, value })
    } catch (err) {
      items.push({ index, raw, parseError: `invalid JSON: ${(err as Error).message}` })
    }
  }
  if (items.length === 0) throw new BodyError(400, 'the body holds no event')
  return items
}

function isCloudEvent(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && 'specversion' in value
}

/** CloudEvents 1.0 structured mode: id, type, time, source map across, subject is the actor. */
function fromCloudEvent(index: number, raw: string, value: unknown): BodyItem {
  if (!isCloudEvent(value)) return { index, raw, parseError: 'not a CloudEvent (specversion missing)' }
  const { specversion, id, type, time, source, subject, data, datacontenttype: _ct, ...extensions } = value
  if (specversion !== '1.0')
    return { index, raw, parseError: `unsupported CloudEvents specversion ${specversion}` }
  if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) {
    return { index, raw, parseError: 'CloudEvent data must be a JSON object' }
  }
  const event: Record<string, unknown> = { ...(data as Record<string, unknown> | undefined) }
  if (id !== undefined) event.id = id
  if (type !== undefined) event.type = type
  if (time !== undefined) event.time = time
  if (source !== undefined) event.source = source
  if (subject !== undefined) event.actor = subject
  // The CloudEvents extension attribute `org` (lower-case, as extensions must be) names the tenant.
  if (typeof extensions.org === 'string' && event.org === undefined) event.org = extensions.org
  return { index, raw, value: event }
}
