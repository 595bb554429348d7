// A generated event, and its two written forms: the wire event of the contract (NDJSON, API) and
// the stored row, built directly for the store path (proved equal to what `judgeEvent` makes).
import type { ActivityEvent, StoredEvent } from '../schemas/event.ts'
import { type CatalogueType, eventCatalogue, type Feature } from '../schemas/event-catalogue.ts'

export const simulationSource = 'simulator'

export interface SimEvent {
  /** UTC milliseconds, whole seconds. */
  time: number
  /** Generation order: breaks ties between events of the same second. */
  seq: number
  type: CatalogueType
  actor: number
  /** Set for the types whose feature is `given`; '' otherwise (the catalogue names it). */
  feature: Feature | ''
  space: string
  object: string
  parent: string
  /** A person index, -1 for none. */
  target: number
  /** 0 for none (emails carry their count). */
  count: number
  /** The person whose adoption this event led to (their ground-truth interaction), else -1. */
  interactionOf: number
  /** The person whose first engaged event this is, else -1. */
  adoptionOf: number
}

// Millions of times are written: the date part is cached per day and the clock part assembled
// from a table, about ten times faster than Date#toISOString.
const twoDigits = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'))
let cachedDay = Number.NaN
let cachedDate = ''

function datePart(day: number): string {
  if (day !== cachedDay) {
    cachedDay = day
    cachedDate = new Date(day * 86_400_000).toISOString().slice(0, 10)
  }
  return cachedDate
}

function clockPart(msOfDay: number): string {
  const seconds = Math.floor(msOfDay / 1000)
  return `${twoDigits[Math.floor(seconds / 3600)]}:${twoDigits[Math.floor(seconds / 60) % 60]}:${twoDigits[seconds % 60]}`
}

/** Wire time: `2025-03-03T09:14:22Z` (whole seconds). */
export function wireTime(ms: number): string {
  const day = Math.floor(ms / 86_400_000)
  return `${datePart(day)}T${clockPart(ms - day * 86_400_000)}Z`
}

/** Store time: `2025-03-03 09:14:22.000` (ClickHouse DateTime64(3) text). */
export function storeTime(ms: number): string {
  const day = Math.floor(ms / 86_400_000)
  const milli = ms % 1000
  const fraction = milli === 0 ? '.000' : `.${String(milli).padStart(3, '0')}`
  return `${datePart(day)} ${clockPart(ms - day * 86_400_000)}${fraction}`
}

/** A JSON string literal; plain text (all the generated names) skips the general escaper. */
function quote(text: string): string {
  return /^[\w .@:/-]*$/.test(text) ? `"${text}"` : JSON.stringify(text)
}

export class EventFormatter {
  private readonly orgJson: string
  private readonly personJson: string[]

  constructor(
    private readonly org: string,
    private readonly personIds: readonly string[],
  ) {
    this.orgJson = quote(org)
    this.personJson = personIds.map(quote)
  }

  wire(e: SimEvent, id: string): ActivityEvent {
    const event: ActivityEvent = {
      id,
      type: e.type,
      time: wireTime(e.time),
      org: this.org,
      actor: this.personIds[e.actor]!,
    }
    if (e.feature !== '') event.feature = e.feature
    if (e.space !== '') event.space = e.space
    if (e.object !== '') event.object = e.object
    if (e.parent !== '') event.parent = e.parent
    if (e.target >= 0) event.target = this.personIds[e.target]!
    if (e.count > 0) event.count = e.count
    event.source = simulationSource
    return event
  }

  /** `JSON.stringify(wire(e, id))`, assembled by hand: this runs millions of times. */
  line(e: SimEvent, id: string): string {
    let s = `{"id":${quote(id)},"type":"${e.type}","time":"${wireTime(e.time)}","org":${this.orgJson},"actor":${this.personJson[e.actor]}`
    if (e.feature !== '') s += `,"feature":"${e.feature}"`
    if (e.space !== '') s += `,"space":${quote(e.space)}`
    if (e.object !== '') s += `,"object":${quote(e.object)}`
    if (e.parent !== '') s += `,"parent":${quote(e.parent)}`
    if (e.target >= 0) s += `,"target":${this.personJson[e.target]}`
    if (e.count > 0) s += `,"count":${e.count}`
    return `${s},"source":"${simulationSource}"}`
  }

  stored(e: SimEvent, id: string, receivedAt: string): StoredEvent {
    const entry = eventCatalogue[e.type]
    const feature = e.feature !== '' ? e.feature : entry.feature
    if (feature === 'given') throw new Error(`generated ${e.type} without its feature`)
    return {
      org: this.org,
      source: simulationSource,
      id,
      type: e.type,
      feature,
      level: entry.level,
      time: storeTime(e.time),
      actor: this.personIds[e.actor]!,
      space: e.space,
      object: e.object,
      parent: e.parent,
      target: e.target >= 0 ? this.personIds[e.target]! : '',
      count: e.count > 0 ? e.count : 1,
      props: '{}',
      received_at: receivedAt,
    }
  }
}
