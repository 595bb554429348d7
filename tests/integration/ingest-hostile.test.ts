// Hostile input at the real HTTP server: 10,000 generated bodies (fast-check, seeded) over every
// ingest format — JSON, NDJSON, structured CloudEvents single and batch, binary-mode CloudEvents —
// some gzip, with lone surrogates, NUL, emoji across the 128-unit point of ids, deep nesting, huge
// and odd numbers, wrong types, and good events mixed in; 16 requests in flight, while innocent
// clients of another org send good events. Whatever comes, the server answers no 5xx, stays
// healthy, keeps every refused line in the rejected store with a reason, and stores every good
// event once. Its run time is the engine's: an events insert costs some 35-70 ms of chDB CPU
// (the rollup views), and a run makes about 1,500-2,500 of them (group commits).
//
// Reproduce a failure with the seed it prints: FUZZ_SEED=<seed> npx vitest run <this file>.
import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { auth, countStored, startTestApp, type TestApp } from '../helpers/app.ts'

const bodyCount = 10_000
const inFlight = 16
/** Events per request of each of the two innocent clients. */
const innocentBatch = 5
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31)
const hostileOrg = 'hostile'
const innocentOrg = 'innocent'

let t: TestApp
let base: string
let hostileToken: string
let innocentToken: string

async function tokenFor(org: string): Promise<string> {
  const res = await fetch(`${base}/v1/admin/tokens`, {
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'ingest', orgs: [org], label: `fuzz ${org}` }),
  })
  if (res.status !== 201) throw new Error(`token: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

beforeAll(async () => {
  // Rate limits off: 10,000 requests in about a minute is this test's load, not an abuse.
  t = await startTestApp({ RATE_LIMIT_INGEST_PER_MINUTE: '0', SINK_FLUSH_MS: '10' })
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
  hostileToken = await tokenFor(hostileOrg)
  innocentToken = await tokenFor(innocentOrg)
})
afterAll(() => t?.close())

// --- The model: what each generated line is, and what the contract says must become of it ---

/** accept: a valid event of the sender's org; refuse: certainly invalid; either: random junk. */
type Fate = 'accept' | 'refuse' | 'either'

/** A good event without its id (ids are given when the body is built, unique in the run). */
type EventFields = Record<string, unknown>

type IdShape = 'plain' | 'emoji-at-128' | 'unicode'

type Line =
  | { kind: 'good'; fields: EventFields; idShape: IdShape; unicodeId: string }
  | { kind: 'bad'; fields: EventFields; mutation: Mutation }
  | { kind: 'junk-json'; text: string }
  | { kind: 'junk-text'; text: string }
  | { kind: 'deep'; text: string }

type Mutation =
  | { m: 'lone-surrogate'; field: string; surrogate: string }
  | { m: 'id-over-128-at-emoji' }
  | { m: 'set'; field: string; raw: string } // `raw` is JSON text, placed as is (1e400, [], "x")
  | { m: 'drop'; field: string }
  | { m: 'unknown-field'; name: string }

const surrogates = ['\ud800', '\udbff', '\udc00', '\udfff', '\ud83d']
/** Text a person could send: any Unicode text, NUL and control characters included. */
const humanText = (maxLength: number) =>
  fc
    .oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength }),
      fc.string({
        unit: fc.constantFrom(
          'a',
          'é',
          '😀',
          '\u0000',
          '\u0001',
          '\u007f',
          '\u2028',
          '\ufeff',
          '\uffff',
          ' ',
        ),
        minLength: 1,
        maxLength,
      }),
    )
    // A grapheme may take many UTF-16 units: kept within the contract's 256.
    .map((text) => cutUnits(text, 200))

const isWellFormed = (text: string) => (text as unknown as { isWellFormed(): boolean }).isWellFormed()

// Types and the feature/level each needs, as the event contract (EVENTS.md) lists them.
const typeFields = fc.constantFrom<EventFields>(
  { type: 'post.created' },
  { type: 'wiki.edited' },
  { type: 'group.left' },
  { type: 'file.uploaded', feature: 'files' },
  { type: 'comment.created', feature: 'groups' },
  { type: 'content.viewed', feature: 'wiki', level: 'view' },
  { type: 'x.acme.badge-earned', feature: 'platform', level: 'react' },
)

const pastTime = fc
  .tuple(
    fc.integer({ min: Date.UTC(1970, 0, 2), max: Date.UTC(2025, 11, 31) }),
    fc.constantFrom('Z', 'offset', 'nanos'),
  )
  .map(([ms, form]) => {
    const iso = new Date(ms).toISOString()
    if (form === 'Z') return iso
    if (form === 'nanos') return `${iso.slice(0, 19)}.123456789Z`
    // The same instant written in +02:00.
    return `${new Date(ms + 2 * 3600_000).toISOString().slice(0, 19)}+02:00`
  })

const propKey = fc.string({
  unit: fc.constantFrom('a', 'b', 'k', '_', 'ü', '😀', '-', '1'),
  minLength: 1,
  maxLength: 12,
})
const propValue = fc.oneof(
  humanText(20),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, 1e308, -0, 5e-324, 2 ** 53 + 1),
  fc.boolean(),
)

const goodFields: fc.Arbitrary<EventFields> = fc
  .record(
    {
      typeFields,
      time: pastTime,
      actor: humanText(24),
      space: humanText(24),
      object: humanText(24),
      count: fc.integer({ min: 1, max: 1_000_000 }),
      source: fc.constantFrom('jalios', 'lumapps', 'src-😀'),
      props: fc.dictionary(propKey, propValue, { maxKeys: 6 }),
    },
    { requiredKeys: ['typeFields', 'time', 'actor'] },
  )
  .map(({ typeFields: tf, ...rest }) => ({ ...tf, ...rest, org: hostileOrg }))

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    m: fc.constant('lone-surrogate' as const),
    field: fc.constantFrom(
      'actor',
      'space',
      'object',
      'parent',
      'target',
      'source',
      'id',
      'props.value',
      'props.key',
    ),
    surrogate: fc.constantFrom(...surrogates),
  }),
  fc.constant({ m: 'id-over-128-at-emoji' as const }),
  fc.constantFrom<Mutation>(
    { m: 'set', field: 'count', raw: '1e400' },
    { m: 'set', field: 'count', raw: '0' },
    { m: 'set', field: 'count', raw: '-1' },
    { m: 'set', field: 'count', raw: '1.5' },
    { m: 'set', field: 'count', raw: '1000001' },
    { m: 'set', field: 'count', raw: '"3"' },
    { m: 'set', field: 'count', raw: '123456789012345678901234567890' },
    { m: 'set', field: 'actor', raw: '5' },
    { m: 'set', field: 'actor', raw: '""' },
    { m: 'set', field: 'actor', raw: JSON.stringify('x'.repeat(257)) },
    { m: 'set', field: 'actor', raw: 'null' },
    { m: 'set', field: 'time', raw: '[]' },
    { m: 'set', field: 'time', raw: '"2999-01-01T00:00:00Z"' },
    { m: 'set', field: 'time', raw: '"1969-12-31T23:59:59Z"' },
    { m: 'set', field: 'time', raw: '"2025-02-30T00:00:00Z"' },
    { m: 'set', field: 'time', raw: '1735689600' },
    { m: 'set', field: 'type', raw: '"post.exploded"' },
    { m: 'set', field: 'type', raw: '{"a":1}' },
    { m: 'set', field: 'org', raw: '"other-org"' },
    { m: 'set', field: 'org', raw: '"NOT AN ORG"' },
    { m: 'set', field: 'props', raw: '"props as text"' },
    { m: 'set', field: 'props', raw: '{"nested":{"deeper":[1,2]}}' },
    { m: 'set', field: 'props', raw: '{"n":1e400}' },
    {
      m: 'set',
      field: 'props',
      raw: JSON.stringify(Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i]))),
    },
    { m: 'set', field: 'level', raw: '"ecstatic"' },
    { m: 'drop', field: 'type' },
    { m: 'drop', field: 'time' },
    { m: 'drop', field: 'actor' },
  ),
  fc.record({
    m: fc.constant('unknown-field' as const),
    name: fc.constantFrom('colour', 'évènement', '😀', 'data'),
  }),
)

const deepText = fc
  .tuple(fc.integer({ min: 40, max: 5000 }), fc.boolean())
  .map(([depth, asObject]) =>
    asObject ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`,
  )

const line: fc.Arbitrary<Line> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('good' as const),
      fields: goodFields,
      idShape: fc.constantFrom<IdShape>('plain', 'emoji-at-128', 'unicode'),
      unicodeId: humanText(12),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('bad' as const), fields: goodFields, mutation }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('junk-json' as const),
      text: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('junk-text' as const),
      text: fc.string({ unit: 'binary', maxLength: 40 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deep' as const), text: deepText }) },
)

type Format = 'json' | 'ndjson' | 'cloudevents' | 'cloudevents-batch' | 'binary'

interface BodySpec {
  format: Format
  lines: Line[]
  gzip: boolean
  /** JSON formats: cut the text short of its end (a 400 as a whole). */
  truncate: boolean
  crlf: boolean
  /** CloudEvents: carry the data as data_base64. */
  base64: boolean
  /** Binary mode: the Content-Type of the body (JSON or not). */
  binaryType: string
}

const bodySpec: fc.Arbitrary<BodySpec> = fc.record({
  format: fc.constantFrom<Format>('json', 'ndjson', 'ndjson', 'cloudevents', 'cloudevents-batch', 'binary'),
  lines: fc.array(line, { minLength: 1, maxLength: 5 }),
  gzip: fc.boolean(),
  truncate: fc.integer({ min: 0, max: 14 }).map((n) => n === 0),
  crlf: fc.boolean(),
  base64: fc.boolean(),
  binaryType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/vnd.acme+json',
    'text/plain',
    'application/octet-stream',
  ),
})

// --- Building the wire text of a body, and the fate of each of its items ---

interface Built {
  contentType: string
  headers: Record<string, string>
  text: string
  /** The fate of each item, by index; null when the body as a whole must be refused (400). */
  fates: Fate[] | null
  /** Ids of the events that must be stored. */
  goodIds: string[]
}

const isJsonMime = (type: string) => {
  const mime = type.split(';')[0]!.trim()
  return mime === 'application/json' || mime.endsWith('+json')
}

function idFor(tag: string, shape: IdShape, unicode: string): string {
  if (shape === 'plain') return tag
  if (shape === 'unicode') return `${tag}-${cutUnits(unicode, 100)}`
  // 127 letters and an emoji: 128 characters (the contract counts code points), 129 UTF-16
  // units, across the 128-unit cut.
  return `${`${tag}-`.padEnd(127, 'a')}😀`
}

/** At most n UTF-16 units, not ending inside a surrogate pair (the test's own cut). */
function cutUnits(s: string, n: number): string {
  const cut = s.slice(0, n)
  const last = cut.charCodeAt(cut.length - 1)
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut
}

/** The event's JSON text, with the mutation applied (raw JSON text placed verbatim). */
function eventText(fields: EventFields, id: string, mutation?: Mutation): string {
  const e: Record<string, unknown> = { id, ...fields }
  const rawPatches: [string, string][] = []
  if (mutation) {
    switch (mutation.m) {
      case 'lone-surrogate': {
        const s = mutation.surrogate
        if (mutation.field === 'props.value') e.props = { ...(e.props as object), note: `a${s}b` }
        else if (mutation.field === 'props.key') e.props = { ...(e.props as object), [`k${s}`]: 1 }
        else if (mutation.field === 'id') e.id = `${id}${s}`
        else e[mutation.field] = `x${s}y`
        break
      }
      case 'id-over-128-at-emoji':
        // 129 characters, one too many; 128 UTF-16 units would end inside the first emoji.
        e.id = `${`${id}-`.padEnd(127, 'a')}😀😀`
        break
      case 'set':
        e[mutation.field] = `\u0000raw:${rawPatches.length}`
        rawPatches.push([JSON.stringify(`\u0000raw:${rawPatches.length}`), mutation.raw])
        break
      case 'drop':
        delete e[mutation.field]
        break
      case 'unknown-field':
        e[mutation.name] = 'surprise'
        break
    }
  }
  let text = JSON.stringify(e)
  for (const [placeholder, raw] of rawPatches) text = text.replace(placeholder, raw)
  return text
}

/** A CloudEvent carrying the event: subject is the actor, org an extension, the rest is data. */
function cloudEventText(fields: EventFields, id: string, base64: boolean, mutation?: Mutation): string {
  const event = JSON.parse(eventText(fields, id, mutation)) as Record<string, unknown>
  const { id: ceId, type, time, source, actor, org, ...data } = event
  const ce: Record<string, unknown> = { specversion: '1.0', id: ceId, type, time, subject: actor, org }
  if (source !== undefined) ce.source = source
  if (base64) ce.data_base64 = Buffer.from(JSON.stringify(data), 'utf8').toString('base64')
  else ce.data = data
  return JSON.stringify(ce)
}

function build(spec: BodySpec, bodyIndex: number): Built {
  const fates: Fate[] = []
  const goodIds: string[] = []
  const texts: string[] = []
  let wholeBodyRefused = false
  const jsonFormat = spec.format !== 'ndjson' && spec.format !== 'binary'
  const lines =
    spec.format === 'binary' || spec.format === 'cloudevents' ? spec.lines.slice(0, 1) : spec.lines

  for (const [i, l] of lines.entries()) {
    const tag = `h${seed}-${bodyIndex}-${i}`
    const ce = spec.format === 'cloudevents' || spec.format === 'cloudevents-batch'
    switch (l.kind) {
      case 'good': {
        const id = idFor(tag, l.idShape, l.unicodeId)
        texts.push(ce ? cloudEventText(l.fields, id, spec.base64) : eventText(l.fields, id))
        fates.push('accept')
        goodIds.push(id)
        break
      }
      case 'bad':
        texts.push(
          ce ? cloudEventText(l.fields, tag, spec.base64, l.mutation) : eventText(l.fields, tag, l.mutation),
        )
        fates.push('refuse')
        break
      case 'junk-json':
        // A JSON array at the top of a JSON body is a list of events, not one item.
        texts.push(jsonFormat && lines.length === 1 && l.text.startsWith('[') ? `{"junk":${l.text}}` : l.text)
        fates.push(ce ? 'refuse' : 'either')
        break
      case 'junk-text': {
        if (jsonFormat) {
          // Never JSON (a # cannot start a value): the JSON body as a whole is refused.
          texts.push(`#${l.text}`)
          wholeBodyRefused = true
        } else {
          // One NDJSON line: no line breaks inside, and not blank (blank lines are skipped).
          let text = l.text.replace(/[\r\n]/g, ' ')
          if (text.trim() === '') text = `#${text}`
          texts.push(text)
        }
        fates.push('either')
        break
      }
      case 'deep':
        texts.push(l.text)
        fates.push('refuse')
        // Deeper than the limit anywhere in a JSON body: the whole body is refused.
        if (jsonFormat) wholeBodyRefused = true
        break
    }
  }

  const headers: Record<string, string> = {}
  let contentType: string
  let text: string
  switch (spec.format) {
    case 'ndjson': {
      contentType = 'application/x-ndjson'
      text = texts.join(spec.crlf ? '\r\n' : '\n') + (spec.crlf ? '\r\n' : '')
      break
    }
    case 'json':
    case 'cloudevents-batch': {
      contentType = spec.format === 'json' ? 'application/json' : 'application/cloudevents-batch+json'
      const single = spec.format === 'json' && texts.length === 1 && spec.crlf
      text = single ? texts[0]! : `[${texts.join(',')}]`
      break
    }
    case 'cloudevents':
      contentType = 'application/cloudevents+json'
      text = texts[0]!
      break
    case 'binary': {
      // The event's attributes in ce-* headers (percent-encoded UTF-8), its data as the body.
      contentType = spec.binaryType
      const l = lines[0]!
      if (l.kind === 'good' || l.kind === 'bad') {
        const id = l.kind === 'good' ? goodIds[0]! : `h${seed}-${bodyIndex}-0`
        const event = JSON.parse(eventText(l.fields, id, l.kind === 'bad' ? l.mutation : undefined))
        const { id: ceId, type, time, source, actor, org, ...data } = event
        const attribute = (name: string, value: unknown) => {
          if (value === undefined) return
          // A lone surrogate cannot be percent-encoded as UTF-8: sent as its JSON escape text.
          const textValue = typeof value === 'string' ? value : JSON.stringify(value)
          headers[`ce-${name}`] = isWellFormed(textValue)
            ? encodeURIComponent(textValue)
            : encodeURIComponent(JSON.stringify(textValue))
        }
        headers['ce-specversion'] = '1.0'
        attribute('id', ceId)
        attribute('type', type)
        attribute('time', time)
        attribute('source', source)
        attribute('subject', actor)
        attribute('org', org)
        text = JSON.stringify(data)
        // Wrong types in attributes arrive as text: a number actor "5" is a valid actor.
        if (l.kind === 'bad' && !binaryStillRefused(l.mutation)) fates[0] = 'either'
      } else {
        headers['ce-specversion'] = '1.0'
        headers['ce-id'] = `h${seed}-${bodyIndex}-0`
        text = l.text
        if (l.kind === 'junk-text') text = text.replace(/[\r\n]/g, ' ')
        fates[0] = l.kind === 'deep' ? 'refuse' : 'either'
      }
      if (!isJsonMime(spec.binaryType)) {
        fates[0] = 'refuse'
        goodIds.length = 0
      } else if (l.kind === 'good' && fates[0] !== 'accept') goodIds.length = 0
      break
    }
  }
  if (jsonFormat && spec.truncate && (text.startsWith('[') || text.startsWith('{'))) {
    // A proper prefix of an array or object is never JSON: its closing bracket is missing.
    text = text.slice(0, Math.max(1, Math.floor(text.length / 2)))
    wholeBodyRefused = true
  }
  if (wholeBodyRefused) goodIds.length = 0
  return { contentType, headers, text, fates: wholeBodyRefused ? null : fates, goodIds }
}

/** A mutation that still refuses the event when its attributes travel as header text. */
function binaryStillRefused(m: Mutation): boolean {
  // Header attributes are text: an actor 5 or null arrives as the valid actor "5" or "null",
  // an empty one may not arrive at all.
  if (m.m === 'set') return !(m.field === 'actor' && ['5', 'null', '""'].includes(m.raw))
  // A lone surrogate in an attribute travels as its JSON escape text, which is valid text.
  if (m.m === 'lone-surrogate') return !['actor', 'id', 'source'].includes(m.field)
  return true
}

// --- Driving it ---

interface Outcome {
  index: number
  requestId: string
  status: number
  body: {
    accepted?: number
    rejected?: number
    errors?: { index: number; message: string }[]
    message?: string
  }
  built: Built
}

async function send(built: Built, gzip: boolean, requestId: string, token: string) {
  const plain = Buffer.from(built.text, 'utf8')
  const res = await fetch(`${base}/v1/events`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': built.contentType,
      'x-request-id': requestId,
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      ...built.headers,
    },
    body: gzip ? gzipSync(plain) : plain,
  })
  const text = await res.text()
  let body: Outcome['body'] = {}
  try {
    body = JSON.parse(text)
  } catch {
    body = { message: text }
  }
  return { status: res.status, body }
}

describe('ingest under hostile input', () => {
  it(`answers ${bodyCount.toLocaleString('en')} hostile bodies without a 5xx, keeping every refusal and every good event`, async () => {
    onTestFailed(() => {
      console.error(`\n*** ingest-hostile failed with FUZZ_SEED=${seed} ***\n`)
    })
    const specs = fc.sample(bodySpec, { numRuns: bodyCount, seed })
    expect(specs).toHaveLength(bodyCount)
    const started = Date.now()

    // The innocent clients: good events for another org, all along.
    let hostileDone = false
    let innocentSent = 0
    const innocentFailures: string[] = []
    const innocent = async (client: number) => {
      for (let k = 0; !hostileDone; k++) {
        const events = Array.from({ length: innocentBatch }, (_, i) => ({
          id: `inn-${client}-${k}-${i}`,
          type: 'post.created',
          time: new Date(Date.UTC(2025, 0, 6) + i * 60_000).toISOString(),
          org: innocentOrg,
          actor: `person-${i}`,
        }))
        const built: Built = {
          contentType: 'application/x-ndjson',
          headers: {},
          text: `${events.map((e) => JSON.stringify(e)).join('\n')}\n`,
          fates: null,
          goodIds: [],
        }
        const res = await send(built, k % 2 === 0, randomUUID(), innocentToken)
        if (res.status !== 202 || res.body.accepted !== innocentBatch)
          innocentFailures.push(`${res.status} ${JSON.stringify(res.body).slice(0, 200)}`)
        else innocentSent += innocentBatch
      }
    }
    const innocents = [innocent(0), innocent(1)]

    const outcomes: Outcome[] = []
    const durations: number[] = []
    let next = 0
    const worker = async () => {
      while (next < specs.length) {
        const index = next++
        const spec = specs[index]!
        const built = build(spec, index)
        const requestId = randomUUID()
        const t0 = Date.now()
        const { status, body } = await send(built, spec.gzip, requestId, hostileToken)
        outcomes.push({ index, requestId, status, body, built })
        durations.push(Date.now() - t0)
      }
    }
    await Promise.all(Array.from({ length: inFlight }, worker))
    hostileDone = true
    await Promise.all(innocents)
    const seconds = (Date.now() - started) / 1000
    durations.sort((a, b) => a - b)

    const sample = (o: Outcome) =>
      `fates ${JSON.stringify(o.built.fates)} kinds ${JSON.stringify(specs[o.index]!.lines.map((l) => (l.kind === 'bad' ? l.mutation : l.kind)))} body ${o.index} (${o.built.contentType}${specs[o.index]!.gzip ? ', gzip' : ''}): ${o.built.text.slice(0, 160)} -> ${o.status} ${JSON.stringify(o.body).slice(0, 300)}`

    // No 5xx, whatever the body.
    const serverErrors = outcomes.filter((o) => o.status >= 500)
    expect(serverErrors.map(sample), `seed ${seed}`).toEqual([])
    expect(innocentFailures, `seed ${seed}`).toEqual([])

    // Each body answered as the contract says: a 400 as a whole, or a 202 item by item.
    const wrong: string[] = []
    for (const o of outcomes) {
      const { fates } = o.built
      if (fates === null) {
        if (o.status !== 400 || !o.body.message) wrong.push(`expected 400: ${sample(o)}`)
        continue
      }
      if (o.status !== 202) {
        wrong.push(`expected 202: ${sample(o)}`)
        continue
      }
      const refused = new Set((o.body.errors ?? []).map((e) => e.index))
      if (
        (o.body.accepted ?? 0) + (o.body.rejected ?? 0) !== fates.length ||
        refused.size !== o.body.rejected
      )
        wrong.push(`counts: ${sample(o)}`)
      for (const [i, fate] of fates.entries()) {
        if (fate === 'accept' && refused.has(i)) wrong.push(`line ${i} refused: ${sample(o)}`)
        if (fate === 'refuse' && !refused.has(i)) wrong.push(`line ${i} accepted: ${sample(o)}`)
      }
      for (const e of o.body.errors ?? []) if (!e.message) wrong.push(`empty message: ${sample(o)}`)
    }
    expect(wrong.slice(0, 20), `seed ${seed}: ${wrong.length} bodies answered wrong`).toEqual([])

    // Still healthy.
    expect((await fetch(`${base}/healthz`)).status).toBe(200)

    // Every refused item is in the rejected store, under its request, with a reason.
    const kept = new Map<string, { indexes: number[]; empty: number }>()
    const result = await t.runtime.store.client.query({
      query: `SELECT request_id, groupArray(item_index) AS indexes, countIf(reason = '') AS empty
              FROM rejected_events WHERE org = {org:String} GROUP BY request_id`,
      query_params: { org: hostileOrg },
      format: 'JSONEachRow',
    })
    for (const row of await result.json<{ request_id: string; indexes: number[]; empty: string }>()) {
      kept.set(row.request_id, { indexes: row.indexes.map(Number), empty: Number(row.empty) })
    }
    const missing: string[] = []
    let refusals = 0
    for (const o of outcomes) {
      if (o.status !== 202) continue
      const expected = (o.body.errors ?? []).map((e) => e.index).sort((a, b) => a - b)
      refusals += expected.length
      const got = kept.get(o.requestId)
      const indexes = [...(got?.indexes ?? [])].sort((a, b) => a - b)
      if (JSON.stringify(indexes) !== JSON.stringify(expected) || (got?.empty ?? 0) > 0)
        missing.push(`kept ${JSON.stringify(indexes)} of ${JSON.stringify(expected)}: ${sample(o)}`)
    }
    expect(missing.slice(0, 20), `seed ${seed}: ${missing.length} requests' refusals not kept`).toEqual([])

    // Every good event stored, once; nothing else of the hostile org's stored.
    const goodIds = outcomes.filter((o) => o.status === 202).flatMap((o) => o.built.goodIds)
    const acceptedTotal = outcomes.reduce((n, o) => n + (o.status === 202 ? (o.body.accepted ?? 0) : 0), 0)
    const stored = await t.runtime.store.client.query({
      query: 'SELECT id FROM events FINAL WHERE org = {org:String}',
      query_params: { org: hostileOrg },
      format: 'JSONEachRow',
    })
    const storedIds = new Set((await stored.json<{ id: string }>()).map((r) => r.id))
    const lost = goodIds.filter((id) => !storedIds.has(id))
    expect(lost.slice(0, 20), `seed ${seed}: ${lost.length} good events not stored`).toEqual([])
    expect(await countStored(t.runtime, hostileOrg)).toEqual({
      final: acceptedTotal,
      distinct: acceptedTotal,
    })
    expect(await countStored(t.runtime, innocentOrg)).toEqual({ final: innocentSent, distinct: innocentSent })

    console.log(
      `ingest-hostile: seed ${seed}, ${outcomes.length} bodies in ${seconds.toFixed(1)} s; ` +
        `${goodIds.length} good events stored, ${refusals} refusals kept, ` +
        `${outcomes.filter((o) => o.status === 400).length} bodies refused whole, ${innocentSent} innocent events; ` +
        `latency median ${durations[durations.length >> 1]} ms, p99 ${durations[Math.floor(durations.length * 0.99)]} ms`,
    )
    expect(outcomes).toHaveLength(bodyCount)
    expect(goodIds.length).toBeGreaterThan(bodyCount / 2)
  }, 1_500_000) // about 135 s alone on 2 cores, 400 s beside the other suites: a wide margin
})
