// What every importer produces from an export: candidate events (wire events of the contract,
// each with the file and line it came from), an optional roster, the rows it could not read and
// the things it left out on purpose (bot messages, edits...), counted by reason.
import { createHash } from 'node:crypto'
import type { RosterPerson } from '../schemas/roster.ts'

export const importSources = ['slack', 'engage', 'csv'] as const
export type ImportSource = (typeof importSources)[number]

/** Where a row of the export sits: file name inside the export and 1-based line. */
export interface Origin {
  file: string
  line: number
}

/** An event of the contract, as it would be sent to `POST /v1/events`. */
export interface WireEvent {
  id: string
  type: string
  time: string
  org: string
  actor: string
  source: string
  feature?: string
  space?: string
  object?: string
  parent?: string
  target?: string
  count?: number
}

export interface Candidate {
  event: WireEvent
  origin: Origin
  /** The source text the event came from, kept with a refusal (built only when refused). */
  raw: string | (() => string)
}

/** A row that could not become an event (unreadable, a field missing...). */
export interface Problem {
  origin: Origin
  path: string
  message: string
  raw: string
}

export interface SourceParse {
  source: ImportSource
  candidates: Candidate[]
  /** People of the export (Slack users.json, Engage Users.csv); null when the export has none. */
  roster: RosterPerson[] | null
  problems: Problem[]
  /** Rows left out on purpose, by reason ("bot message": 3). */
  skipped: Record<string, number>
}

export class ImportError extends Error {
  override name = 'ImportError'
}

const maxIdLength = 128

/**
 * A deterministic event id from the source's own ids: readable (`C024BE91L:1712345678.000100:post`)
 * when it fits the 128 characters of the contract, else a SHA-256 of it. The same export read
 * twice gives the same ids, so the store counts each thing once.
 */
export function stableId(...parts: readonly (string | number)[]): string {
  const readable = parts.map(String).join(':')
  if (readable.length <= maxIdLength) return readable
  return `h:${createHash('sha256').update(readable).digest('hex')}`
}

export function skip(parse: { skipped: Record<string, number> }, reason: string, n = 1): void {
  parse.skipped[reason] = (parse.skipped[reason] ?? 0) + n
}

/** At most 4 KiB of the source text travels with a refusal. */
export function clip(raw: string): string {
  return raw.length > 4096 ? `${raw.slice(0, 4096)}…` : raw
}

export function newParse(source: ImportSource): SourceParse {
  return { source, candidates: [], roster: null, problems: [], skipped: {} }
}
