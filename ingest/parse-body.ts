// Turns a request body into candidate events, each with the raw text a rejection must keep.
// Formats: JSON object or array, NDJSON, CloudEvents structured (single and batch, `data` or
// `data_base64`) and binary (attributes in `ce-*` headers, the body is the data).
// Nesting is measured on the text before anything recursive (JSON.stringify, the judges) runs.

import { cutText } from '../schemas/event.ts'

export interface BodyItem {
  index: number
  /** The input as the client sent it (an NDJSON line, or the element re-serialised). */
  raw: string
  /**
   * The parsed value. With `parseError`, undefined, or the CloudEvent as sent (so the refusal
   * still carries its id and org).
   */
  value?: unknown
  parseError?: string
  /** The field `parseError` is about, `''` (or absent) for the item as a whole. */
  parsePath?: string
}

/** Deepest nesting of arrays and objects an input may have: an event needs 4 (batch, event, data, props). */
export const maxJsonDepth = 32

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
  if (nestedDeeperThan(text, maxJsonDepth)) {
    throw new BodyError(400, `body is nested deeper than ${maxJsonDepth} levels of arrays and objects`)
  }
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
    if (nestedDeeperThan(raw, maxJsonDepth)) {
      items.push({
        index,
        raw,
        parseError: `nested deeper than ${maxJsonDepth} levels of arrays and objects`,
      })
      continue
    }
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

/**
 * True when the JSON text opens more than `limit` arrays or objects inside one another. A scan of
 * the text (brackets inside strings do not count), so it cannot run out of stack.
 */
export function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c /* \ */) i++
      else if (c === 0x22 /* " */) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return true
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--
  }
  return false
}

/** application/json, text/json and any +json type (parameters such as charset aside). */
export function isJsonMediaType(contentType: string): boolean {
  const mime = contentType.split(';')[0]!.trim().toLowerCase()
  return mime === 'application/json' || mime === 'text/json' || mime.endsWith('+json')
}

const base64Text = /^[A-Za-z0-9+/]*={0,2}$/
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

type DataDecoding = { ok: true; data: Record<string, unknown> } | { ok: false; path: string; message: string }

/** The JSON object held by `data_base64`, when its content type says JSON. */
function decodeDataBase64(encoded: unknown, contentType: unknown): DataDecoding {
  const refuse = (message: string): DataDecoding => ({ ok: false, path: 'data_base64', message })
  if (contentType !== undefined && typeof contentType !== 'string')
    return { ok: false, path: 'datacontenttype', message: 'must be a string' }
  if (contentType !== undefined && !isJsonMediaType(contentType))
    return refuse(`datacontenttype ${contentType} is not JSON (only JSON data can be stored)`)
  if (typeof encoded !== 'string') return refuse('must be a base64 string')
  if (!base64Text.test(encoded) || encoded.length % 4 === 1) return refuse('is not valid base64')
  let text: string
  try {
    text = strictUtf8.decode(Buffer.from(encoded, 'base64'))
  } catch {
    return refuse('does not decode to UTF-8 text')
  }
  return jsonObjectData(text, 'data_base64', 'does not decode to')
}

/** `text` parsed as the JSON object a CloudEvent's data must be. */
function jsonObjectData(text: string, path: string, what: string): DataDecoding {
  if (nestedDeeperThan(text, maxJsonDepth - 2))
    return { ok: false, path, message: `${what} JSON nested deeper than ${maxJsonDepth - 2} levels` }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return { ok: false, path, message: `${what} valid JSON` }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { ok: false, path, message: `${what} a JSON object` }
  return { ok: true, data: data as Record<string, unknown> }
}

/** CloudEvents 1.0 structured mode: id, type, time, source map across, subject is the actor. */
function fromCloudEvent(index: number, raw: string, value: unknown): BodyItem {
  if (!isCloudEvent(value)) return { index, raw, parseError: 'not a CloudEvent (specversion missing)' }
  const {
    specversion,
    id,
    type,
    time,
    source,
    subject,
    data,
    data_base64: dataBase64,
    datacontenttype,
    ...extensions
  } = value
  const refuse = (path: string, message: string): BodyItem => ({
    index,
    raw,
    value,
    parseError: message,
    parsePath: path,
  })
  if (specversion !== '1.0')
    return refuse('specversion', `unsupported CloudEvents specversion ${describe(specversion)}`)
  let eventData: Record<string, unknown> | undefined
  if (dataBase64 !== undefined) {
    if (data !== undefined) return refuse('data_base64', 'a CloudEvent carries data or data_base64, not both')
    const decoded = decodeDataBase64(dataBase64, datacontenttype)
    if (!decoded.ok) return refuse(decoded.path, decoded.message)
    eventData = decoded.data
  } else if (data !== undefined) {
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      return refuse('data', 'CloudEvent data must be a JSON object')
    eventData = data as Record<string, unknown>
  }
  const event: Record<string, unknown> = { ...eventData }
  if (id !== undefined) event.id = id
  if (type !== undefined) event.type = type
  if (time !== undefined) event.time = time
  if (source !== undefined) event.source = source
  if (subject !== undefined) event.actor = subject
  // The CloudEvents extension attribute `org` (lower-case, as extensions must be) names the tenant.
  if (typeof extensions.org === 'string' && event.org === undefined) event.org = extensions.org
  return { index, raw, value: event }
}

/** A short, printable account of a value for a refusal message. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 20 ? `${cutText(value, 20)}…` : value)
  if (value === undefined) return '(missing)'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : String(value)
}

type Headers = Record<string, string | string[] | undefined>

/**
 * CloudEvents binary mode: the request carries `ce-specversion`, and its Content-Type is not a
 * structured CloudEvents type (then the body is the event and the headers do not count).
 */
export function isBinaryCloudEvent(headers: Headers): boolean {
  if (headers['ce-specversion'] === undefined) return false
  const format = bodyFormatOf(headerText(headers['content-type']))
  return format !== 'cloudevents' && format !== 'cloudevents-batch'
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value
}

/**
 * One CloudEvent in binary mode: every `ce-<name>` header is the attribute <name> (values are
 * percent-encoded UTF-8), the body is the data, its Content-Type the data's type. Only JSON data
 * (an object) is taken; anything else is refused as an item, kept in the rejected store.
 */
export function parseBinaryCloudEvent(headers: Headers, body: string): BodyItem[] {
  const sent: Record<string, string> = {}
  const contentType = headerText(headers['content-type'])
  if (contentType !== undefined) sent['content-type'] = contentType
  const attributes: Record<string, unknown> = {}
  let badHeader: string | undefined
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('ce-') || value === undefined) continue
    const text = headerText(value)!
    sent[name] = text
    const attribute = name.slice(3)
    if (attribute === '' || attribute === 'data' || attribute === 'data_base64') continue
    const decoded = percentDecoded(text)
    if (decoded === undefined) badHeader ??= name
    else attributes[attribute] = decoded
  }
  // Kept in the rejected store as sent: the headers that carried the event and the body.
  const raw = JSON.stringify({ headers: sent, body })
  const refuse = (path: string, message: string): BodyItem[] => [
    { index: 0, raw, value: attributes, parseError: message, parsePath: path },
  ]
  if (badHeader) return refuse(badHeader.slice(3), `header ${badHeader} is not valid percent-encoded UTF-8`)
  if (contentType !== undefined && !isJsonMediaType(contentType)) {
    return refuse('datacontenttype', `Content-Type ${contentType} is not JSON (only JSON data can be stored)`)
  }
  if (body.trim() !== '') {
    const decoded = jsonObjectData(body, 'data', 'the body is not')
    if (!decoded.ok) return refuse(decoded.path, decoded.message)
    attributes.data = decoded.data
  }
  return [fromCloudEvent(0, raw, attributes)]
}

function percentDecoded(text: string): string | undefined {
  if (!text.includes('%')) return text
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}
