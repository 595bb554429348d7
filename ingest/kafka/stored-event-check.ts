// The worker's safety net, fast: a queued message is an event the API already judged, so a
// hand-written check of the stored shape accepts it without zod; anything it does not accept
// (a poison message) goes to `storedEventSchema`, whose message names the field at fault.
import { isWellFormedText, orgPattern, type StoredEvent } from '../../schemas/event.ts'
import { features, levels } from '../../schemas/event-catalogue.ts'
import { eventColumns } from '../event-store.ts'

const storedKeys: ReadonlySet<string> = new Set(eventColumns)
const featureSet: ReadonlySet<string> = new Set(features)
const levelSet: ReadonlySet<string> = new Set(levels)
const clickHouseTime = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/

const text = (v: unknown, min: number, max: number): v is string =>
  typeof v === 'string' && v.length >= min && v.length <= max && isWellFormedText(v)

/** The value when it surely passes `storedEventSchema`, else null (let zod say why). */
export function storedEventFast(value: unknown): StoredEvent | null {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype)
    return null
  const v = value as Record<string, unknown>
  let keys = 0
  for (const key in v) {
    if (!storedKeys.has(key)) return null
    keys++
  }
  if (keys !== storedKeys.size) return null
  const ok =
    typeof v.org === 'string' &&
    orgPattern.test(v.org) &&
    text(v.source, 1, 64) &&
    text(v.id, 1, 128) &&
    text(v.type, 1, 128) &&
    typeof v.feature === 'string' &&
    featureSet.has(v.feature) &&
    typeof v.level === 'string' &&
    levelSet.has(v.level) &&
    typeof v.time === 'string' &&
    clickHouseTime.test(v.time) &&
    text(v.actor, 1, 256) &&
    text(v.space, 0, 256) &&
    text(v.object, 0, 256) &&
    text(v.parent, 0, 256) &&
    text(v.target, 0, 256) &&
    Number.isInteger(v.count) &&
    (v.count as number) >= 1 &&
    (v.count as number) <= 1_000_000 &&
    typeof v.props === 'string' &&
    isWellFormedText(v.props) &&
    typeof v.received_at === 'string' &&
    clickHouseTime.test(v.received_at)
  return ok ? (v as unknown as StoredEvent) : null
}
