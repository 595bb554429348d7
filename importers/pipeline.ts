// From a parsed export to what is written: every candidate judged by `judgeEvent` (the API's own
// judgement), ids met twice in the export kept once, refusals with their file and line, and the
// closing summary (events by type, people, spaces, date range, refused, left out).
import type { Rejection } from '../ingest/rejected-store.ts'
import type { ImportSummaryAnswer } from '../schemas/api/imports.ts'
import { judgeEvent, type StoredEvent } from '../schemas/event.ts'
import { type RosterPerson, rosterPersonSchema } from '../schemas/roster.ts'
import type { Origin, Problem, SourceParse } from './model.ts'

export interface JudgedImport {
  stored: StoredEvent[]
  /** The accepted events as NDJSON lines of the contract (for the API path). */
  lines: string[]
  rejections: Rejection[]
  roster: RosterPerson[] | null
  summary: ImportSummary
}

/** What an import read, kept and refused: the route's answer without the zone (the route adds
 * it), and what the API answered when the events went through it. */
export interface ImportSummary extends Omit<ImportSummaryAnswer, 'timeZone'> {
  apiAccepted?: number
  apiRejected?: number
}

export function reasonOf(origin: Origin, path: string, message: string): string {
  return `${origin.file} line ${origin.line}: ${path ? `${path}: ` : ''}${message}`
}

export function judgeImport(
  parse: SourceParse,
  org: string,
  requestId: string,
  now = new Date(),
): JudgedImport {
  const stored: StoredEvent[] = []
  const lines: string[] = []
  const problems: Problem[] = [...parse.problems]
  const seen = new Set<string>()
  let duplicates = 0
  const byType: Record<string, number> = {}
  const actors = new Set<string>()
  const spaces = new Set<string>()
  let first: string | null = null
  let last: string | null = null
  const ids: (string | undefined)[] = problems.map(() => undefined)

  for (const c of parse.candidates) {
    const key = `${c.event.source}\u0000${c.event.id}`
    if (seen.has(key)) {
      duplicates++
      continue
    }
    const judgement = judgeEvent(c.event, { now, defaultSource: c.event.source })
    if (!judgement.ok) {
      problems.push({
        origin: c.origin,
        path: judgement.refusal.path,
        message: judgement.refusal.message,
        raw: typeof c.raw === 'string' ? c.raw : c.raw(),
      })
      ids.push(c.event.id)
      continue
    }
    seen.add(key)
    const e = judgement.event
    stored.push(e)
    lines.push(JSON.stringify(c.event))
    byType[e.type] = (byType[e.type] ?? 0) + 1
    actors.add(e.actor)
    if (e.space) spaces.add(e.space)
    if (first === null || e.time < first) first = e.time
    if (last === null || e.time > last) last = e.time
  }

  let roster: RosterPerson[] | null = null
  if (parse.roster) {
    roster = []
    for (const person of parse.roster) {
      const checked = rosterPersonSchema.safeParse(
        Object.fromEntries(Object.entries(person).filter(([, v]) => v !== undefined)),
      )
      if (checked.success) roster.push(checked.data)
      else {
        const issue = checked.error.issues[0]
        problems.push({
          origin: { file: 'roster', line: 0 },
          path: issue?.path.join('.') ?? '',
          message: issue?.message ?? 'invalid person',
          raw: JSON.stringify(person),
        })
        ids.push(undefined)
      }
    }
  }

  const rejections: Rejection[] = problems.map((p, i) => ({
    org,
    channel: 'import',
    requestId,
    index: p.origin.line,
    eventId: ids[i],
    path: p.path,
    reason: reasonOf(p.origin, p.path, p.message),
    raw: p.raw,
  }))
  const iso = (t: string | null) => (t ? `${t.replace(' ', 'T')}Z` : null)
  return {
    stored,
    lines,
    rejections,
    roster,
    summary: {
      source: parse.source,
      org,
      events: stored.length,
      eventsByType: Object.fromEntries(Object.entries(byType).sort(([a], [b]) => (a < b ? -1 : 1))),
      people: actors.size,
      spaces: spaces.size,
      firstEvent: iso(first),
      lastEvent: iso(last),
      refused: problems.length,
      refusals: problems.slice(0, 20).map((p) => ({
        file: p.origin.file,
        line: p.origin.line,
        reason: reasonOf(p.origin, p.path, p.message),
      })),
      skipped: parse.skipped,
      duplicates,
      roster: roster ? roster.length : null,
      dryRun: true,
      destination: '',
    },
  }
}

export function formatImportSummary(s: ImportSummary): string {
  const n = (x: number) => x.toLocaleString('en-US')
  const out = [
    `${s.dryRun ? 'dry run: nothing written. ' : ''}import ${s.source} into org "${s.org}"${s.destination ? ` (${s.destination})` : ''}`,
    `  events: ${n(s.events)}${s.duplicates ? ` (${n(s.duplicates)} repeated ids in the export kept once)` : ''}`,
    ...Object.entries(s.eventsByType).map(
      ([type, count]) => `    ${type.padEnd(20)} ${n(count).padStart(11)}`,
    ),
    `  people: ${n(s.people)} acting${s.roster !== null ? `, ${n(s.roster)} on the roster` : ''}; spaces: ${n(s.spaces)}`,
    `  dates: ${s.firstEvent ?? '-'} to ${s.lastEvent ?? '-'}`,
    `  refused: ${n(s.refused)}${s.refused && !s.dryRun && !s.apiAccepted ? ' (kept in the rejected store with their file and line)' : ''}`,
    ...s.refusals.map((r) => `    ${r.reason}`),
    ...(s.refused > s.refusals.length ? [`    … and ${n(s.refused - s.refusals.length)} more`] : []),
  ]
  const skipped = Object.entries(s.skipped)
  if (skipped.length > 0) {
    out.push('  left out:')
    for (const [reason, count] of skipped) out.push(`    ${n(count).padStart(7)}  ${reason}`)
  }
  if (s.apiAccepted !== undefined)
    out.push(`  API accepted ${n(s.apiAccepted)} and refused ${n(s.apiRejected ?? 0)}`)
  return out.join('\n')
}
